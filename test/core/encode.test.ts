import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { assemble, disassemble, fromBytes, toBytes } from '../../src/core/encode.js';
import { jmp, ld, ret } from '../../src/core/insn.js';

const rawInsn = fc
  .record({
    code: fc.oneof(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 0xffff })),
    jt: fc.integer({ min: 0, max: 255 }),
    jf: fc.integer({ min: 0, max: 255 }),
    k: fc.oneof(
      fc.integer({ min: 0, max: 64 }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.constantFrom(0xfffff000, 0xfffff004, 0xfffff03c),
    ),
  })
  .map((x) => ({ ...x })); // plain objects: fast-check records have a null prototype

test('seed ARP-reply filter assembles to the bytes of seed 000', () => {
  const p = assemble([
    ld.abs(12, 2),
    jmp.eq(0x0806, 0, 3),
    ld.abs(20, 2),
    jmp.eq(2, 0, 1),
    ret.k(0xffffffff),
    ret.k(0),
  ]);
  assert.deepEqual(p, [
    { code: 0x28, jt: 0, jf: 0, k: 12 },
    { code: 0x15, jt: 0, jf: 3, k: 0x806 },
    { code: 0x28, jt: 0, jf: 0, k: 20 },
    { code: 0x15, jt: 0, jf: 1, k: 2 },
    { code: 0x06, jt: 0, jf: 0, k: 0xffffffff },
    { code: 0x06, jt: 0, jf: 0, k: 0 },
  ]);
});

test('assemble ∘ disassemble is the identity on any raw instructions', () => {
  fc.assert(
    fc.property(fc.array(rawInsn, { maxLength: 40 }), (p) => {
      assert.deepEqual(assemble(disassemble(p)), p);
    }),
    { numRuns: 2000 },
  );
});

test('bytes round trip in both byte orders', () => {
  fc.assert(
    fc.property(
      fc.array(rawInsn, { maxLength: 40 }),
      fc.constantFrom('le' as const, 'be' as const),
      (p, e) => {
        assert.deepEqual(fromBytes(toBytes(p, e), e), p);
      },
    ),
  );
});

test('fromBytes rejects a length that is not a multiple of 8', () => {
  assert.throws(() => fromBytes(new Uint8Array(9)), { code: 'BAD_FIELD' });
});

test('assemble names the index of an out-of-range field', () => {
  assert.throws(() => assemble([ret.k(0), jmp.eq(1, 300, 0)]), { code: 'BAD_FIELD', index: 1 });
});

test('ancillary loads disassemble to ldExt and non-canonical fields stay raw', () => {
  const [a, b] = disassemble([
    { code: 0x20, jt: 0, jf: 0, k: 0xfffff004 },
    { code: 0x06, jt: 1, jf: 0, k: 0 },
  ]);
  assert.deepEqual(a, { kind: 'ldExt', size: 4, ext: 'pkttype' });
  assert.equal(b.kind, 'raw');
});
