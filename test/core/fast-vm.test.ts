import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { interpreter } from '../../src/core/fast-vm.js';
import { FAST_OPS } from '../../src/core/fast-vm-decode.js';
import type { RawInsn } from '../../src/core/insn.js';
import { SKF_AD_OFF, SKF_NET_OFF, VALID_OPCODES } from '../../src/core/opcodes.js';
import { PROFILE_NAMES, type ProfileName } from '../../src/core/profiles.js';
import { isValid } from '../../src/core/validate.js';
import { run } from '../../src/core/vm.js';
import { rng } from '../helpers/gen-linux-program.js';
import { genAncillary, genPacket, genProgram, genWirelen } from '../helpers/gen-program.js';

const LIMIT = 40;
const insn = (code: number, k = 0, jt = 0, jf = 0): RawInsn => ({ code, jt, jf, k });

test('interpreter ≡ run() on generated programs, every profile and calling form', () => {
  for (const profile of PROFILE_NAMES) {
    const r = rng(0x5eed + profile.length);
    for (let i = 0; i < 600; i++) {
      const prog = genProgram(r, profile, 16);
      const ancillary = profile === 'linux' ? genAncillary(r) : undefined;
      const o = { profile, ancillary, backwardJumpLimit: LIMIT };
      const f = interpreter(prog, o);
      const pkts = Array.from({ length: 8 }, () => genPacket(r));
      const wls = pkts.map((p) => genWirelen(r, p));
      const buf = new Uint8Array(pkts.reduce((s, p) => s + p.length + 3, 3));
      const offs = new Int32Array(pkts.length);
      const lens = new Int32Array(pkts.length);
      let at = 3;
      let accepted = 0;
      pkts.forEach((p, j) => {
        buf.set(p, at);
        offs[j] = at;
        lens[j] = p.length;
        at += p.length + 3;
        const want = run(prog, p, { ...o, wirelen: wls[j] });
        if (want !== 0) accepted++;
        assert.equal(f(p, wls[j]), want, `${profile} call, program ${JSON.stringify(prog)}`);
        assert.equal(f.at(buf, offs[j], p.length, wls[j]), want, `${profile} at`);
      });
      assert.equal(f.count(buf, offs, lens, wls, pkts.length), accepted, `${profile} count`);
    }
  }
});

const kArb = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.constantFrom(0, 15, 16, 31, 32, 0x7ffffffd, 0x7fffffff, 0x80000000, 0xffffffff),
  fc.constantFrom(SKF_AD_OFF, SKF_AD_OFF + 4, SKF_AD_OFF + 40, SKF_NET_OFF + 9),
  fc.integer({ min: 0, max: 0xffffffff }),
);
const OPS = [...VALID_OPCODES];
/** Mostly-valid programs with backward `ja` sometimes (vm-props.test.ts's generator). */
const programArb = fc
  .tuple(
    fc.array(
      fc.record({
        code: fc.constantFrom(...OPS),
        k: kArb,
        jt: fc.integer({ min: 0, max: 6 }),
        jf: fc.integer({ min: 0, max: 6 }),
      }),
      { maxLength: 24 },
    ),
    fc.constantFrom(0x06, 0x16),
    kArb,
    fc.array(fc.nat({ max: 30 }), { maxLength: 3 }),
  )
  .map(([body, retCode, retK, backs]) => {
    const p: RawInsn[] = body.map((x) => insn(x.code, x.k, x.jt, x.jf));
    for (const b of backs) if (p.length > 0) p[b % p.length] = insn(0x05, (-(b % 5) - 1) >>> 0);
    p.push(insn(retCode, retK));
    return p;
  });

test('interpreter ≡ run() (fast-check, all profiles, Linux metadata)', () => {
  fc.assert(
    fc.property(
      programArb,
      fc.uint8Array({ maxLength: 64 }),
      fc.constantFrom<ProfileName>(...PROFILE_NAMES),
      fc.nat({ max: 100 }),
      (prog, packet, profile, extra) => {
        if (!isValid(prog, profile)) return;
        const o = {
          profile,
          wirelen: packet.length + extra,
          ancillary: { netOffset: 0, llOffset: 0, protocol: 8 },
          backwardJumpLimit: LIMIT,
        };
        assert.equal(interpreter(prog, o)(packet, o.wirelen), run(prog, packet, o));
      },
    ),
    { numRuns: 20000 },
  );
});

test('a jump onto the second half of a fused load-and-jump runs that jump alone', () => {
  // (0) ldh [0] (1) jeq #7 jt 2 jf 3 (2) ret #1 (3) ldh [2] (4) jeq #9 ...; (5) ja to 4 skips ldh [2].
  const prog = [
    insn(0x28, 0),
    insn(0x15, 7, 0, 3),
    insn(0x06, 1),
    insn(0x28, 2),
    insn(0x15, 9, 0, 1),
    insn(0x06, 2),
    insn(0x15, 0x0a0b, 1, 0),
    insn(0x06, 0),
    insn(0x06, 3),
  ];
  const f = interpreter(prog, { profile: 'libpcap' });
  for (const bytes of [
    [0, 7, 0, 0],
    [0, 8, 0, 9],
    [0, 8, 0x0a, 0x0b],
    [0, 8, 0, 1],
    [0, 8],
  ]) {
    const p = new Uint8Array(bytes);
    assert.equal(f(p), run(prog, p, { profile: 'libpcap' }), JSON.stringify(bytes));
  }
});

test('a pair of jeq on one A runs fused, and a jump onto its second half runs that half alone', () => {
  // (1) jeq #1 jt 0 jf 2: A = 1 goes to (2) ja 2, onto (5); (4) jeq #1 jt 2 jf 0 and (5) jeq #1
  // jt 0 jf 1 fuse. Entering at (5) with A = 1 must return 6, where the pair from (4) gives 0.
  const prog = [
    insn(0x30, 0),
    insn(0x15, 1, 0, 2),
    insn(0x05, 2),
    insn(0x06, 5),
    insn(0x15, 1, 2, 0),
    insn(0x15, 1, 0, 1),
    insn(0x06, 6),
    insn(0x06, 0),
  ];
  const f = interpreter(prog, { profile: 'linux' });
  for (let v = 0; v < 4; v++) {
    const p = new Uint8Array([v]);
    assert.equal(f(p), run(prog, p), `A = ${v}`);
  }
  assert.equal(f(new Uint8Array([1])), 6);
});

test("tcpdump's port program (every superinstruction) ≡ run() on IPv4/IPv6 frames of every length", () => {
  // tcpdump -dd 'tcp port 80 or tcp port 443' (EN10MB)
  const prog = (
    [
      [0x28, 0, 0, 12],
      [0x15, 0, 7, 0x86dd],
      [0x30, 0, 0, 20],
      [0x15, 0, 18, 6],
      [0x28, 0, 0, 54],
      [0x15, 15, 0, 80],
      [0x15, 14, 0, 443],
      [0x28, 0, 0, 56],
      [0x15, 12, 11, 80],
      [0x15, 0, 12, 0x800],
      [0x30, 0, 0, 23],
      [0x15, 0, 10, 6],
      [0x28, 0, 0, 20],
      [0x45, 8, 0, 0x1fff],
      [0xb1, 0, 0, 14],
      [0x48, 0, 0, 14],
      [0x15, 4, 0, 80],
      [0x15, 3, 0, 443],
      [0x48, 0, 0, 16],
      [0x15, 1, 0, 80],
      [0x15, 0, 1, 443],
      [0x06, 0, 0, 0x40000],
      [0x06, 0, 0, 0],
    ] as const
  ).map(([code, jt, jf, k]) => insn(code, k, jt, jf));
  const r = rng(443);
  for (const profile of PROFILE_NAMES) {
    const f = interpreter(prog, { profile });
    for (let i = 0; i < 3000; i++) {
      const v6 = r() < 0.3;
      const p = new Uint8Array(Math.floor(r() * 90));
      for (let j = 0; j < p.length; j++) p[j] = r() < 0.5 ? 0 : Math.floor(r() * 256);
      const set = (o: number, v: number) => {
        if (o < p.length) p[o] = v;
      };
      set(12, v6 ? 0x86 : 0x08);
      set(13, v6 ? 0xdd : 0x00);
      set(v6 ? 20 : 23, r() < 0.8 ? 6 : 17);
      set(14, 0x40 | (r() < 0.7 ? 5 : Math.floor(r() * 16)));
      const port = [80, 443, 22][Math.floor(r() * 3)];
      const at = v6
        ? 54 + 2 * Math.floor(r() * 2)
        : 14 + 4 * ((p[14] ?? 0) & 15) + 2 * Math.floor(r() * 2);
      set(at, port >> 8);
      set(at + 1, port & 255);
      assert.equal(f(p), run(prog, p, { profile }), `${profile} ${Array.from(p).join(',')}`);
    }
  }
});

test('count() and at() reject packets outside the buffer; an empty program follows the profile', () => {
  const f = interpreter([insn(0x06, 1)], { profile: 'bsd' });
  const buf = new Uint8Array(10);
  assert.throws(() => f.at(buf, 8, 4, 4), RangeError);
  assert.throws(() => f.count(buf, [0, 9], [4, 4], [4, 4], 2), RangeError);
  assert.equal(f.count(buf, [0, 5], [4, 5], [4, 5], 2), 2);
  assert.equal(interpreter([], { profile: 'bsd' })(buf), 0xffffffff);
  assert.throws(() => interpreter([], { profile: 'libpcap' }), { code: 'EMPTY' });
  assert.throws(() => interpreter([insn(0x06, 1)], { profile: 'nope' as ProfileName }), RangeError);
  for (const backwardJumpLimit of [Number.NaN, -1, 1.5])
    assert.throws(() => interpreter([insn(0x06, 1)], { backwardJumpLimit }), RangeError);
  // A libpcap loop `ja -1` forever stops once the budget is spent.
  const loop = [insn(0x05, 0xffffffff), insn(0x06, 1)];
  assert.equal(interpreter(loop, { profile: 'libpcap', backwardJumpLimit: 5 })(buf), 0);
});

test('the decoded operations are numbered 0..n-1 and each has its case in exec()', () => {
  const numbers = Object.values(FAST_OPS).sort((a, b) => a - b);
  assert.deepEqual(
    numbers,
    numbers.map((_, i) => i),
  );
  // FAIL is the default branch; every other operation is a `case N satisfies Fast['NAME']` label.
  const source = readFileSync(new URL('../../src/core/fast-vm.ts', import.meta.url), 'utf8');
  const cases = [...source.matchAll(/case (\d+) satisfies Fast\['(\w+)'\]/g)].map((m) => m[2]);
  assert.deepEqual(
    [...cases].sort(),
    Object.keys(FAST_OPS)
      .filter((name) => name !== 'FAIL')
      .sort(),
  );
});
