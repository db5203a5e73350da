import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { jit } from '../../../src/core/jit/index.js';
import { PROFILE_NAMES } from '../../../src/core/profiles.js';
import { interpreted } from '../../../src/core/select.js';
import { run } from '../../../src/core/vm.js';
import { rng } from '../../helpers/gen-linux-program.js';
import { genAncillary, genPacket, genProgram, genWirelen } from '../../helpers/gen-program.js';

const LIMIT = 40; // backward-jump budget, small so libpcap loops end quickly

/** Checks one program on `packets` through every calling form; returns the pairs checked. */
function check(
  seed: number,
  profile: (typeof PROFILE_NAMES)[number],
  programs: number,
  packets: number,
): number {
  const r = rng(seed);
  let pairs = 0;
  for (let i = 0; i < programs; i++) {
    const prog = genProgram(r, profile, 16);
    const ancillary = profile === 'linux' ? genAncillary(r) : undefined;
    const o = { profile, ancillary, backwardJumpLimit: LIMIT };
    const f = jit(prog, o);
    const pkts = Array.from({ length: packets }, () => genPacket(r));
    const wls = pkts.map((p) => genWirelen(r, p));
    // All packets in one buffer, 3 bytes apart, for at() and count().
    const buf = new Uint8Array(pkts.reduce((s, p) => s + p.length + 3, 3));
    const offs = new Int32Array(packets);
    let at = 3;
    pkts.forEach((p, j) => {
      buf.set(p, at);
      offs[j] = at;
      at += p.length + 3;
    });
    let accepted = 0;
    const which: number[] = [];
    pkts.forEach((p, j) => {
      const want = run(prog, p, { ...o, wirelen: wls[j] });
      const why = () =>
        `${profile} seed ${seed} program ${i}: ${JSON.stringify(prog)} packet [${p}] wirelen ${wls[j]} anc ${JSON.stringify(ancillary)}`;
      assert.equal(f(p, wls[j]), want, why());
      assert.equal(f.at(buf, offs[j], p.length, wls[j]), want, why());
      if (want !== 0) {
        accepted++;
        which.push(j);
      }
      pairs++;
    });
    const lens = pkts.map((p) => p.length);
    assert.equal(
      f.count(buf, offs, lens, wls, packets),
      accepted,
      `${profile} seed ${seed} count, program ${JSON.stringify(prog)}`,
    );
    // With `accepted`: the same count, and the accepted packets' indices in order, from the JIT and
    // from the interpreter behind the same calling forms.
    for (const g of [f, interpreted(prog, o)]) {
      const out = new Int32Array(packets).fill(-1);
      assert.equal(g.count(buf, offs, lens, wls, packets, out), accepted);
      assert.deepEqual([...out.subarray(0, accepted)], which, `${profile} seed ${seed} accepted`);
    }
  }
  return pairs;
}

for (const profile of PROFILE_NAMES) {
  test(`jit equals the interpreter on random ${profile} programs, packets and metadata`, () => {
    const pairs = check(0x5eed + profile.length, profile, 2500, 12);
    assert.equal(pairs, 30000);
  });
}

test('property (fast-check seeds): jit equals the interpreter on every calling form', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 0x7fffffff }),
      fc.constantFrom(...PROFILE_NAMES),
      (seed, profile) => {
        check(seed, profile, 4, 6);
      },
    ),
    { numRuns: 300 },
  );
});

test('count() rejects offsets outside the buffer instead of reading garbage', () => {
  const f = jit([{ code: 0x06, jt: 0, jf: 0, k: 1 }]);
  const g = jit([
    { code: 0x30, jt: 0, jf: 0, k: 0 },
    { code: 0x16, jt: 0, jf: 0, k: 0 },
  ]);
  const buf = new Uint8Array(10);
  assert.equal(f.count(buf, [0, 5], [5, 5], [5, 5], 2), 2);
  assert.throws(() => g.count(buf, [8], [5], [5], 1), RangeError);
  assert.throws(() => g.at(buf, 8, 5, 5), RangeError);
  assert.throws(() => g.at(buf, -1, 2, 5), RangeError);
});
