import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { RawInsn } from '../../src/core/insn.js';
import { SKF_AD_OFF, SKF_NET_OFF, VALID_OPCODES } from '../../src/core/opcodes.js';
import type { ProfileName } from '../../src/core/profiles.js';
import { isValid } from '../../src/core/validate.js';
import { createMachine, run, runChunks } from '../../src/core/vm.js';

const OPS = [...VALID_OPCODES];
const kArb = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.constantFrom(
    0,
    1,
    15,
    16,
    31,
    32,
    33,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    SKF_AD_OFF,
    SKF_AD_OFF + 4,
    SKF_AD_OFF + 40,
    SKF_NET_OFF + 9,
  ),
  fc.integer({ min: 0, max: 0xffffffff }),
);
/** Mostly-valid programs: canonical opcodes, small jumps, a ret at the end; backward ja sometimes. */
const programArb = fc
  .array(
    fc.record({
      code: fc.constantFrom(...OPS),
      k: kArb,
      jt: fc.integer({ min: 0, max: 6 }),
      jf: fc.integer({ min: 0, max: 6 }),
    }),
    { minLength: 0, maxLength: 24 },
  )
  .chain((body) =>
    fc.tuple(
      fc.constant(body),
      fc.constantFrom(0x06, 0x16),
      kArb,
      fc.array(fc.nat({ max: 30 }), { maxLength: 3 }),
    ),
  )
  .map(([body, retCode, retK, backs]) => {
    const p: RawInsn[] = body.map((x) => ({ code: x.code, jt: x.jt, jf: x.jf, k: x.k }));
    for (const b of backs)
      if (p.length > 0) p[b % p.length] = { code: 0x05, jt: 0, jf: 0, k: (-(b % 5) - 1) >>> 0 };
    p.push({ code: retCode, jt: 0, jf: 0, k: retK });
    return p;
  });
const packetArb = fc.uint8Array({ maxLength: 64 });
const profileArb = fc.constantFrom<ProfileName>('linux', 'bsd', 'libpcap');

test('the interpreter never throws or loops on any validated program (all profiles), and returns a u32', () => {
  let validCount = 0;
  fc.assert(
    fc.property(
      programArb,
      packetArb,
      profileArb,
      fc.nat({ max: 100 }),
      (p, packet, profile, extra) => {
        if (!isValid(p, profile)) return;
        validCount++;
        const r = run(p, packet, {
          profile,
          wirelen: packet.length + extra,
          ancillary: { netOffset: 0, llOffset: 0, protocol: 8 },
        });
        assert.ok(Number.isInteger(r) && r >= 0 && r <= 0xffffffff);
      },
    ),
    { numRuns: 20000 },
  );
  assert.ok(validCount > 1000, `only ${validCount} valid programs generated`);
});

test('the interpreter never throws on arbitrary unvalidated raw programs either', () => {
  const raw = fc
    .record({
      code: fc.integer({ min: 0, max: 0x1ff }),
      jt: fc.nat({ max: 255 }),
      jf: fc.nat({ max: 255 }),
      k: fc.integer({ min: 0, max: 0xffffffff }),
    })
    .map((x) => ({ ...x }));
  fc.assert(
    fc.property(fc.array(raw, { maxLength: 16 }), packetArb, profileArb, (p, packet, profile) => {
      const r = run(p, packet, { profile });
      assert.ok(Number.isInteger(r) && r >= 0 && r <= 0xffffffff);
    }),
    { numRuns: 5000 },
  );
});

const split = (packet: Uint8Array, cuts: number[]): Uint8Array[] => {
  const points = [...new Set(cuts.map((c) => c % (packet.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of points) {
    out.push(packet.subarray(prev, c));
    prev = c;
  }
  out.push(packet.subarray(prev));
  return out;
};

test('runChunks ≡ run on any contiguous split', () => {
  fc.assert(
    fc.property(
      programArb,
      packetArb,
      profileArb,
      fc.array(fc.nat(), { maxLength: 5 }),
      (p, packet, profile, cuts) => {
        if (!isValid(p, profile)) return;
        const opts = { profile, ancillary: { netOffset: 0, llOffset: 0 } };
        assert.equal(runChunks(p, split(packet, cuts), opts), run(p, packet, opts));
      },
    ),
    { numRuns: 5000 },
  );
});

test('freebsdChainQuirk: chain loads agree with run() when no load straddles more than two chunks, except the ldh quirk', () => {
  fc.assert(
    fc.property(programArb, packetArb, fc.nat(), (p, packet, cut) => {
      if (!isValid(p, 'bsd')) return;
      // the quirks (ldh [k] past the end, wrapping x + k) are tested below
      if (p.some((x) => x.code === 0x28 || (x.code & 0xe7) === 0x40)) return;
      // two non-empty chunks: every load straddles at most one boundary
      const c = packet.length < 2 ? 0 : 1 + (cut % (packet.length - 1));
      const chunks = packet.length < 2 ? [packet] : [packet.subarray(0, c), packet.subarray(c)];
      assert.equal(
        runChunks(p, chunks, { profile: 'bsd', freebsdChainQuirk: true }),
        run(p, packet, { profile: 'bsd' }),
      );
    }),
    { numRuns: 5000 },
  );
});

test('freebsdChainQuirk: straddling loads, three-chunk failure, ldh [k] past the end gives A = 0', () => {
  const bytes = Uint8Array.from([1, 2, 3, 4, 5, 6]);
  const chunks = [bytes.subarray(0, 3), bytes.subarray(3)];
  const q = { profile: 'bsd' as const, freebsdChainQuirk: true };
  assert.equal(
    runChunks(
      [
        { code: 0x20, jt: 0, jf: 0, k: 1 },
        { code: 0x16, jt: 0, jf: 0, k: 0 },
      ],
      chunks,
      q,
    ),
    0x02030405,
  );
  const three = [bytes.subarray(0, 2), new Uint8Array(0), bytes.subarray(2)];
  assert.equal(
    runChunks(
      [
        { code: 0x28, jt: 0, jf: 0, k: 1 },
        { code: 0x06, jt: 0, jf: 0, k: 7 },
      ],
      three,
      { profile: 'bsd' },
    ),
    7,
    'buffer semantics by default',
  );
  assert.equal(
    runChunks(
      [
        { code: 0x20, jt: 0, jf: 0, k: 0 },
        { code: 0x06, jt: 0, jf: 0, k: 7 },
      ],
      three,
      q,
    ),
    0,
    'a word over three chunks fails',
  );
  const ldhPast = [
    { code: 0x00, jt: 0, jf: 0, k: 9 },
    { code: 0x28, jt: 0, jf: 0, k: 5 },
    { code: 0x04, jt: 0, jf: 0, k: 1 },
    { code: 0x16, jt: 0, jf: 0, k: 0 },
  ];
  assert.equal(runChunks(ldhPast, chunks, q), 1, 'A = 0, then continues');
  assert.equal(runChunks(ldhPast, chunks, { profile: 'bsd' }), 0);
  assert.equal(run(ldhPast, bytes, { profile: 'bsd' }), 0);
  // ld [x + k] on a chain: X + k wraps at 32 bits (X = 0xffffffff, k = 2 reads offset 1)
  const wrap = [
    { code: 0x01, jt: 0, jf: 0, k: 0xffffffff },
    { code: 0x50, jt: 0, jf: 0, k: 2 },
    { code: 0x16, jt: 0, jf: 0, k: 0 },
  ];
  assert.equal(runChunks(wrap, chunks, q), 2);
  assert.equal(runChunks(wrap, chunks, { profile: 'bsd' }), 0);
});

test('createMachine stepped to the end ≡ run()', () => {
  fc.assert(
    fc.property(programArb, packetArb, profileArb, (p, packet, profile) => {
      if (!isValid(p, profile)) return;
      const m = createMachine(p, packet, { profile });
      let guard = 0;
      while (!m.state.done && guard++ < 1_000_000) m.step();
      assert.equal(m.state.result, run(p, packet, { profile }));
    }),
    { numRuns: 2000 },
  );
});
