import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { RawInsn } from '../../src/core/insn.js';
import { SKF_AD_OFF, SKF_NET_OFF, VALID_OPCODES } from '../../src/core/opcodes.js';
import type { ProfileName } from '../../src/core/profiles.js';
import { assertValid, validate } from '../../src/core/validate.js';

const I = (code: number, k = 0, jt = 0, jf = 0): RawInsn => ({ code, jt, jf, k });
const RET0 = I(0x06, 0);
const codes = (p: readonly RawInsn[], profile: ProfileName) =>
  validate(p, profile).map((e) => [e.rule, e.index]);

test('length limits per profile', () => {
  assert.deepEqual(codes([], 'linux'), [['EMPTY', -1]]);
  assert.deepEqual(codes([], 'libpcap'), [['EMPTY', -1]]);
  assert.deepEqual(codes([], 'bsd'), []); // FreeBSD: length 0 = no filter
  const long = (n: number) => Array.from({ length: n }, () => RET0);
  assert.deepEqual(codes(long(4096), 'linux'), []);
  assert.deepEqual(codes(long(4097), 'linux'), [['TOO_LONG', -1]]);
  assert.deepEqual(codes(long(512), 'bsd'), []);
  assert.deepEqual(codes(long(513), 'bsd'), [['TOO_LONG', -1]]);
  assert.deepEqual(codes(long(5000), 'libpcap'), []);
});

test('only the 49 opcodes pass, in every profile', () => {
  assert.equal(VALID_OPCODES.size, 49);
  for (const profile of ['linux', 'bsd', 'libpcap'] as const) {
    for (let code = 0; code < 0x200; code++) {
      const p = [I(code, 0, 0, 0), RET0];
      const bad = validate(p, profile).some((e) => e.rule === 'BAD_OPCODE' && e.index === 0);
      assert.equal(bad, !VALID_OPCODES.has(code), `${profile} 0x${code.toString(16)}`);
    }
    // seen in the wild: ret x, seccomp's ldx abs, LD|IMM with a size, > 0xff
    for (const code of [0x0e, 0x21, 0x08, 0x10, 0x128])
      assert.deepEqual(codes([I(code), RET0], profile)[0], ['BAD_OPCODE', 0]);
  }
});

test('constant division/modulo by zero and constant shifts >= 32', () => {
  for (const profile of ['linux', 'bsd', 'libpcap'] as const) {
    assert.deepEqual(codes([I(0x34, 0), RET0], profile), [['DIV_BY_ZERO', 0]]);
    assert.deepEqual(codes([I(0x94, 0), RET0], profile), [['DIV_BY_ZERO', 0]]);
    assert.deepEqual(codes([I(0x3c), I(0x9c), RET0], profile), []); // by X: checked at run time
    assert.deepEqual(codes([I(0x64, 31), I(0x74, 31), RET0], profile), []);
    assert.deepEqual(codes([I(0x64, 32), I(0x74, 33), RET0], profile), [
      ['SHIFT_TOO_LARGE', 0],
      ['SHIFT_TOO_LARGE', 1],
    ]);
  }
});

test('scratch index < 16', () => {
  for (const profile of ['linux', 'bsd', 'libpcap'] as const) {
    for (const code of [0x60, 0x61, 0x02, 0x03]) {
      const p = [I(0x02, 15), I(0x03, 15), I(code, 16), RET0];
      assert.deepEqual(codes(p, profile), [['MEM_INDEX', 2]], `${profile} ${code}`);
    }
  }
});

test('jumps: forward and in range; libpcap also takes a backward ja by wraparound', () => {
  const p = (k: number) => [I(0x05, k), RET0, RET0];
  for (const profile of ['linux', 'bsd', 'libpcap'] as const) {
    assert.deepEqual(codes(p(1), profile), []);
    assert.deepEqual(codes(p(2), profile), [['JUMP_OUT_OF_RANGE', 0]]);
    assert.deepEqual(codes([I(0x15, 0, 1, 0), RET0, RET0], profile), []);
    assert.deepEqual(codes([I(0x15, 0, 2, 0), RET0, RET0], profile), [['JUMP_OUT_OF_RANGE', 0]]);
    assert.deepEqual(codes([I(0x15, 0, 0, 2), RET0, RET0], profile), [['JUMP_OUT_OF_RANGE', 0]]);
  }
  const back = [RET0, I(0x05, 0xfffffffe), RET0]; // ja from 1 to 0
  assert.deepEqual(codes(back, 'libpcap'), []);
  assert.deepEqual(codes(back, 'linux'), [['JUMP_BACKWARD', 1]]);
  assert.deepEqual(codes(back, 'bsd'), [['JUMP_BACKWARD', 1]]);
  assert.deepEqual(codes([I(0x05, 0xffffffff), RET0], 'libpcap'), []); // ja onto itself: 1.10 accepts; the VM guards it
});

test('last instruction: exactly ret #k / ret a on linux, class RET elsewhere (all 49-table RETs agree)', () => {
  for (const profile of ['linux', 'bsd', 'libpcap'] as const) {
    assert.deepEqual(codes([I(0x07)], profile), [['NO_FINAL_RET', 0]]);
    assert.deepEqual(codes([I(0x16)], profile), []);
  }
});

test('linux: ld [k] in the SKF_AD range must name a known extension; other profiles accept (loads fail)', () => {
  for (const size of [0x20, 0x28, 0x30]) {
    assert.deepEqual(codes([I(size, SKF_AD_OFF + 4), RET0], 'linux'), []);
    assert.deepEqual(codes([I(size, SKF_AD_OFF + 60), RET0], 'linux'), []);
    assert.deepEqual(codes([I(size, SKF_AD_OFF + 64), RET0], 'linux'), [['BAD_ANCILLARY', 0]]);
    assert.deepEqual(codes([I(size, SKF_AD_OFF + 2), RET0], 'linux'), [['BAD_ANCILLARY', 0]]);
    assert.deepEqual(codes([I(size, SKF_AD_OFF + 64), RET0], 'libpcap'), []);
  }
  assert.deepEqual(codes([I(0x40, SKF_AD_OFF + 64), RET0], 'linux'), []); // IND is never ancillary
  assert.deepEqual(codes([I(0x20, SKF_NET_OFF + 9), RET0], 'linux'), []); // not checked statically
});

test('linux check_load_and_stores: read before write', () => {
  assert.deepEqual(codes([I(0x60, 3), I(0x16)], 'linux'), [['MEM_READ_BEFORE_WRITE', 0]]);
  assert.deepEqual(codes([I(0x61, 3), I(0x16)], 'linux'), [['MEM_READ_BEFORE_WRITE', 0]]);
  assert.deepEqual(codes([I(0x60, 3), I(0x16)], 'libpcap'), []);
  assert.deepEqual(codes([I(0x60, 3), I(0x16)], 'bsd'), []);
  assert.deepEqual(codes([I(0x02, 3), I(0x60, 3), I(0x16)], 'linux'), []);
  // written on both paths of a branch: accepted
  const both = [
    I(0x30, 0),
    I(0x15, 1, 0, 2),
    I(0x02, 1),
    I(0x05, 1),
    I(0x03, 1),
    I(0x60, 1),
    I(0x16),
  ];
  assert.deepEqual(codes(both, 'linux'), []);
  // written on one path only: rejected
  const one = [I(0x30, 0), I(0x15, 1, 0, 1), I(0x02, 1), I(0x60, 1), I(0x16)];
  assert.deepEqual(codes(one, 'linux'), [['MEM_READ_BEFORE_WRITE', 3]]);
});

test('linux check_load_and_stores: the two measured stricter cases (EINVAL on 6.18)', () => {
  // 1. a scratch read in unreachable code after a ret
  assert.deepEqual(codes([I(0x06, 0), I(0x60, 0), I(0x16)], 'linux'), [
    ['MEM_READ_BEFORE_WRITE', 1],
  ]);
  // 2. ldb [0]; jeq #0x45, L1, L2; L1: st M[1]; ja L3; L2: ret #0; L3: ld M[1]; ret a
  const p = [
    I(0x30, 0),
    I(0x15, 0x45, 0, 2),
    I(0x02, 1),
    I(0x05, 1),
    I(0x06, 0),
    I(0x60, 1),
    I(0x16),
  ];
  assert.deepEqual(codes(p, 'linux'), [['MEM_READ_BEFORE_WRITE', 5]]);
  // ... and with st M[1] before the ret #0 it is accepted
  const q = [
    I(0x30, 0),
    I(0x15, 0x45, 0, 2),
    I(0x02, 1),
    I(0x05, 2),
    I(0x02, 1),
    I(0x06, 0),
    I(0x60, 1),
    I(0x16),
  ];
  assert.deepEqual(codes(q, 'linux'), []);
});

test('errors carry rule and index; assertValid throws the first', () => {
  const p = [I(0x34, 0), I(0x02, 99), I(0x07)];
  assert.deepEqual(codes(p, 'linux'), [
    ['DIV_BY_ZERO', 0],
    ['MEM_INDEX', 1],
    ['NO_FINAL_RET', 2],
  ]);
  assert.throws(
    () => assertValid(p, 'linux'),
    (e: unknown) =>
      (e as { code: string; index: number }).code === 'DIV_BY_ZERO' &&
      (e as { index: number }).index === 0,
  );
  assert.doesNotThrow(() => assertValid([RET0]));
});

test('validator never throws on arbitrary raw values', () => {
  const anyField = fc.oneof(
    fc.integer({ min: -2, max: 0x1_0000_0001 }),
    fc.double(),
    fc.constant(undefined),
    fc.string(),
    fc.constant(null),
  );
  const insn = fc.oneof(
    fc.record({ code: anyField, jt: anyField, jf: anyField, k: anyField }).map((x) => ({ ...x })),
    fc
      .record({
        code: fc.integer({ min: 0, max: 0xff }),
        jt: fc.integer({ min: 0, max: 255 }),
        jf: fc.integer({ min: 0, max: 255 }),
        k: fc.integer({ min: 0, max: 0xffffffff }),
      })
      .map((x) => ({ ...x })),
    fc.constant(null),
    fc.constant(7),
  );
  fc.assert(
    fc.property(
      fc.array(insn, { maxLength: 20 }),
      fc.constantFrom<ProfileName>('linux', 'bsd', 'libpcap'),
      (p, profile) => {
        const errs = validate(p as unknown as RawInsn[], profile);
        assert.ok(Array.isArray(errs));
      },
    ),
    { numRuns: 5000 },
  );
  assert.deepEqual(codes(null as unknown as RawInsn[], 'linux'), [['BAD_PROGRAM', -1]]);
  assert.deepEqual(codes([I(0x06, -1)], 'linux'), [['BAD_FIELD', 0]]);
  assert.deepEqual(codes([I(0x06, 1)], 'constructor' as ProfileName), [['BAD_PROGRAM', -1]]);
});
