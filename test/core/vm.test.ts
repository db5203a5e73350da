import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawInsn } from '../../src/core/insn.js';
import type { ProfileName } from '../../src/core/profiles.js';
import { createMachine, loadedBytes, run } from '../../src/core/vm.js';

const I = (code: number, k = 0, jt = 0, jf = 0): RawInsn => ({ code, jt, jf, k: k >>> 0 });
const RETA = I(0x16);
const ALL: ProfileName[] = ['linux', 'bsd', 'libpcap'];
const pkt = Uint8Array.from([0x45, 0x00, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0x81, 0x02]);
const each = (f: (profile: ProfileName) => void) => {
  for (const p of ALL) f(p);
};

test('packet loads: big-endian word/half/byte, ABS and IND; out of range returns 0', () => {
  each((profile) => {
    const r = (p: RawInsn[], packet = pkt, o = {}) => run(p, packet, { profile, ...o });
    assert.equal(r([I(0x20, 4), RETA]), 0xdeadbeef);
    assert.equal(r([I(0x28, 2), RETA]), 0x1234);
    assert.equal(r([I(0x30, 8), RETA]), 0x81);
    assert.equal(r([I(0x20, 6), RETA]), 0xbeef8102);
    assert.equal(r([I(0x20, 7), I(0x06, 9)]), 0, 'word past the end drops, not A unchanged');
    assert.equal(r([I(0x28, 9), I(0x06, 9)]), 0);
    assert.equal(r([I(0x30, 10), I(0x06, 9)]), 0);
    assert.equal(r([I(0x30, 0), RETA], new Uint8Array(0)), 0, 'empty packet');
    assert.equal(r([I(0x01, 2), I(0x40, 2), RETA]), 0xdeadbeef);
    assert.equal(r([I(0x01, 5), I(0x48, 3), RETA]), 0x8102);
    assert.equal(r([I(0x01, 9), I(0x50, 0), RETA]), 0x02);
    assert.equal(r([I(0x01, 9), I(0x50, 1), I(0x06, 9)]), 0);
    assert.equal(r([I(0x01, 0xffffffff), I(0x50, 0x80000000), I(0x06, 9)]), 0);
    // MSH: X = 4 * (P[k] & 0xf); A untouched
    assert.equal(r([I(0x00, 7), I(0xb1, 0), I(0x87), RETA]), 20);
    assert.equal(r([I(0x00, 7), I(0xb1, 0), RETA]), 7);
    assert.equal(r([I(0xb1, 10), I(0x06, 9)]), 0);
  });
});

test('LEN is the wire length; bounds use the captured bytes', () => {
  each((profile) => {
    assert.equal(run([I(0x80), RETA], pkt, { profile }), 10);
    assert.equal(run([I(0x80), RETA], pkt, { profile, wirelen: 1500 }), 1500);
    assert.equal(run([I(0x81), I(0x87), RETA], pkt, { profile, wirelen: 1500 }), 1500);
    assert.equal(run([I(0x30, 10), I(0x06, 1)], pkt, { profile, wirelen: 1500 }), 0);
  });
});

test('immediates, scratch memory (starts at zero), tax/txa', () => {
  each((profile) => {
    assert.equal(run([I(0x00, 0xfffffff0), RETA], pkt, { profile }), 0xfffffff0);
    assert.equal(run([I(0x01, 7), I(0x87), RETA], pkt, { profile }), 7);
    assert.equal(run([I(0x00, 9), I(0x07), I(0x00, 0), I(0x87), RETA], pkt, { profile }), 9);
    assert.equal(run([I(0x00, 5), I(0x02, 3), I(0x00, 0), I(0x60, 3), RETA], pkt, { profile }), 5);
    assert.equal(run([I(0x01, 6), I(0x03, 15), I(0x61, 15), I(0x87), RETA], pkt, { profile }), 6);
    if (profile !== 'linux') assert.equal(run([I(0x00, 1), I(0x60, 4), RETA], pkt, { profile }), 0);
  });
});

test('ALU: u32 wraparound, mul beyond 2^53, unsigned div/mod, neg, bit ops', () => {
  each((profile) => {
    const alu = (a: number, code: number, k: number, x = 0) =>
      run([I(0x00, a), I(0x01, x), I(code, k), RETA], pkt, { profile });
    assert.equal(alu(0xffffffff, 0x04, 2), 1);
    assert.equal(alu(0xffffffff, 0x0c, 0, 2), 1);
    assert.equal(alu(1, 0x14, 2), 0xffffffff);
    assert.equal(alu(1, 0x1c, 0, 2), 0xffffffff);
    assert.equal(alu(0xffffffff, 0x24, 0xffffffff), 1);
    assert.equal(
      alu(0x12345678, 0x2c, 0, 0x9abcdef1),
      Number((0x12345678n * 0x9abcdef1n) & 0xffffffffn),
    );
    assert.equal(alu(0xffffffff, 0x34, 2), 0x7fffffff);
    assert.equal(alu(0xffffffff, 0x3c, 0, 0x10), 0x0fffffff);
    assert.equal(alu(0xffffffff, 0x94, 10), 0xffffffff % 10);
    assert.equal(alu(0xfffffffe, 0x9c, 0, 0xffffffff), 0xfffffffe);
    assert.equal(alu(0xf0f0f0f0, 0x44, 0x0f0f0f0f), 0xffffffff);
    assert.equal(alu(0xf0f0f0f0, 0x4c, 0, 0x0f), 0xf0f0f0ff);
    assert.equal(alu(0xf0f0f0f0, 0x54, 0xff00ff00), 0xf000f000);
    assert.equal(alu(0xf0f0f0f0, 0x5c, 0, 0xffffffff), 0xf0f0f0f0);
    assert.equal(alu(0xf0f0f0f0, 0xa4, 0xffffffff), 0x0f0f0f0f);
    assert.equal(alu(0xf0f0f0f0, 0xac, 0, 0xf0f0f0f0), 0);
    assert.equal(alu(1, 0x84, 0), 0xffffffff);
    assert.equal(alu(0, 0x84, 0), 0);
    assert.equal(alu(1, 0x64, 31), 0x80000000);
    assert.equal(alu(0x80000000, 0x74, 31), 1);
    assert.equal(alu(0x80000000, 0x74, 0), 0x80000000);
    assert.equal(alu(3, 0x6c, 0, 31), 0x80000000);
  });
});

test('division and modulo by X = 0 return 0 from the program', () => {
  each((profile) => {
    for (const code of [0x3c, 0x9c])
      assert.equal(run([I(0x00, 5), I(code), I(0x06, 1)], pkt, { profile }), 0);
  });
});

test('register shifts by >= 32: mod 32 on linux, 0 on libpcap and bsd', () => {
  const sh = (profile: ProfileName, code: number, a: number, x: number) =>
    run([I(0x00, a), I(0x01, x), I(code), RETA], pkt, { profile });
  for (const [x, lin] of [
    [32, 5],
    [33, 10],
    [0xffffffff, 0x80000000],
  ] as const) {
    assert.equal(sh('linux', 0x6c, 5, x), lin >>> 0, `lsh x=${x}`);
    assert.equal(sh('libpcap', 0x6c, 5, x), 0);
    assert.equal(sh('bsd', 0x6c, 5, x), 0);
  }
  assert.equal(sh('linux', 0x7c, 0x80000000, 33), 0x40000000);
  assert.equal(sh('libpcap', 0x7c, 0x80000000, 33), 0);
  assert.equal(sh('libpcap', 0x7c, 0x80000000, 31), 1);
});

test('conditional jumps compare unsigned; jset tests bits; ja skips', () => {
  each((profile) => {
    const j = (code: number, a: number, k: number, x = 0) =>
      run([I(0x00, a), I(0x01, x), I(code, k, 1, 0), I(0x06, 2), I(0x06, 1)], pkt, { profile });
    assert.equal(j(0x15, 5, 5), 1);
    assert.equal(j(0x15, 5, 6), 2);
    assert.equal(j(0x1d, 5, 0, 5), 1);
    assert.equal(j(0x25, 0xffffffff, 1), 1, 'jgt unsigned');
    assert.equal(j(0x25, 1, 1), 2);
    assert.equal(j(0x2d, 2, 0, 1), 1);
    assert.equal(j(0x35, 1, 1), 1);
    assert.equal(j(0x35, 0, 0x80000000), 2);
    assert.equal(j(0x3d, 0x80000000, 0, 0x80000000), 1);
    assert.equal(j(0x45, 6, 2), 1);
    assert.equal(j(0x45, 6, 1), 2);
    assert.equal(j(0x4d, 6, 0, 8), 2);
    assert.equal(run([I(0x05, 1), I(0x06, 2), I(0x06, 1)], pkt, { profile }), 1);
  });
});

test('libpcap: backward ja runs (signed k) and a loop is stopped by the budget with result 0', () => {
  // M[0]++ until 5, looping through a backward ja
  const loop = [I(0x60, 0), I(0x04, 1), I(0x02, 0), I(0x35, 5, 1, 0), I(0x05, -5), I(0x16)];
  assert.equal(run(loop, pkt, { profile: 'libpcap' }), 5);
  const forever = [I(0x05, 0xffffffff), I(0x06, 1)];
  assert.equal(run(forever, pkt, { profile: 'libpcap' }), 0);
  assert.equal(run(loop, pkt, { profile: 'libpcap', backwardJumpLimit: 3 }), 0);
  assert.equal(run(loop, pkt, { profile: 'libpcap', backwardJumpLimit: 4 }), 5);
  // the kernels do not sign k: a wrapped ja leaves the program, which run() treats as 0
  assert.equal(run(forever, pkt, { profile: 'linux' }), 0);
});

test('unvalidated programs never crash: bad opcode, ret x, M index, no final ret → 0', () => {
  each((profile) => {
    assert.equal(run([I(0x0e)], pkt, { profile }), 0);
    assert.equal(run([I(0x21), I(0x06, 1)], pkt, { profile }), 0);
    assert.equal(run([I(0x60, 16), I(0x06, 1)], pkt, { profile }), 0);
    assert.equal(run([I(0x00, 1)], pkt, { profile }), 0);
    assert.equal(run([I(0x34, 0), I(0x06, 1)], pkt, { profile }), 0);
  });
  assert.equal(run([], pkt, { profile: 'bsd' }), 0xffffffff, 'FreeBSD: no filter accepts all');
  assert.equal(run([], pkt, { profile: 'linux' }), 0);
});

test('validate option throws the first ValidationError', () => {
  assert.throws(() => run([I(0x60, 0), I(0x16)], pkt, { validate: true }), {
    code: 'MEM_READ_BEFORE_WRITE',
  });
  assert.equal(run([I(0x60, 0), I(0x16)], pkt, { validate: true, profile: 'libpcap' }), 0);
  assert.equal(run([I(0x06, 3)], pkt, { validate: true }), 3);
});

test('trace sees pc, A, X, M before each instruction', () => {
  const steps: { pc: number; A: number; X: number; M3: number }[] = [];
  run([I(0x00, 7), I(0x02, 3), I(0x07), I(0x16)], pkt, {
    trace: (s) => steps.push({ pc: s.pc, A: s.A, X: s.X, M3: s.M[3] }),
  });
  assert.deepEqual(steps, [
    { pc: 0, A: 0, X: 0, M3: 0 },
    { pc: 1, A: 7, X: 0, M3: 0 },
    { pc: 2, A: 7, X: 0, M3: 7 },
    { pc: 3, A: 7, X: 7, M3: 7 },
  ]);
});

test('createMachine steps one instruction at a time and ends like run()', () => {
  const p = [I(0x30, 0), I(0x15, 0x45, 0, 1), I(0x06, 99), I(0x06, 0)];
  const m = createMachine(p, pkt);
  assert.deepEqual(
    { ...m.state, M: undefined },
    { pc: 0, A: 0, X: 0, M: undefined, done: false, result: undefined, steps: 0 },
  );
  assert.equal(m.step().A, 0x45);
  assert.equal(m.state.pc, 1);
  assert.equal(m.step().pc, 2);
  const end = m.step();
  assert.equal(end.done, true);
  assert.equal(end.result, 99);
  assert.equal(end.pc, 2);
  assert.equal(m.step().steps, 3, 'stepping a finished machine does nothing');
  assert.equal(createMachine(p, pkt).finish(), run(p, pkt));
});

test('loadedBytes: the packet bytes ABS, IND and MSH loads read; nothing for other instructions or negative offsets', () => {
  assert.deepEqual(loadedBytes(I(0x20, 4), 0), { offset: 4, size: 4 });
  assert.deepEqual(loadedBytes(I(0x28, 12), 7), { offset: 12, size: 2 });
  assert.deepEqual(loadedBytes(I(0x50, 2), 14), { offset: 16, size: 1 });
  assert.deepEqual(loadedBytes(I(0x48, 0xffffffff), 3), { offset: 2, size: 2 }); // the u32 sum wraps
  assert.deepEqual(loadedBytes(I(0xb1, 14), 0), { offset: 14, size: 1 });
  assert.equal(loadedBytes(I(0x20, 0xfffff000), 0), undefined); // SKF_AD_OFF: metadata, not packet bytes
  assert.equal(loadedBytes(I(0x40, 0x80000000), 0), undefined);
  assert.equal(loadedBytes(I(0x00, 4), 0), undefined); // ld #4
  assert.equal(loadedBytes(RETA, 0), undefined);
});
