// C initializers: tcpdump -dd records, BPF_STMT/BPF_JUMP macros as the seeds and man pages write them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  detectTextFormat,
  parseCInitializer,
  parseTcpdumpDD,
  printCInitializer,
  printDecimalOneLine,
} from '../../../src/core/text/index.js';
import { SEEDS_DIR } from '../../helpers/corpus.js';

const ARP_REPLY = '6,40 0 0 12,21 0 3 2054,40 0 0 20,21 0 1 2,6 0 0 4294967295,6 0 0 0';

test("the seed's BPF_STMT/BPF_JUMP block (bpf(4) spelling, // comments) is the ARP-reply filter", () => {
  const seed = readFileSync(`${SEEDS_DIR}000_154263ccaba87407.txt`, 'utf8');
  const block = /```c\n(BPF_STMT[\s\S]*?)```/.exec(seed);
  assert.ok(block, 'seed 000 has its ```c block of macros');
  assert.equal(detectTextFormat(block[1]), 'tcpdump-dd');
  assert.equal(printDecimalOneLine(parseTcpdumpDD(block[1])), ARP_REPLY);
});

test('a whole C file: #include, declarations, casts, named constants, a sock_fprog, mixed records', () => {
  const src = `#include <linux/filter.h>
/* accept IPv4 by the skb protocol */
static struct sock_filter code[] = {
\tBPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PROTOCOL),
\tBPF_JUMP(BPF_JMP+BPF_JEQ+BPF_K, ETH_P_IP, 0, 1),   // IPv4?
\t{ 0x06, 0, 0, (u_int)-1 },
\tBPF_STMT(BPF_RET|BPF_K, ~0U << 31 >> 31 & 0),
\tBPF_STMT(BPF_LDX|BPF_B|BPF_MSH, 14), BPF_STMT(BPF_LD|BPF_H|BPF_IND, SKF_NET_OFF + 2),
\tBPF_JUMP(BPF_JMP|BPF_JSET|BPF_K, 0x1fff, 1 + 1, 010),
};
struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
`;
  assert.deepEqual(parseCInitializer(src), [
    { code: 0x20, jt: 0, jf: 0, k: 0xfffff000 },
    { code: 0x15, jt: 0, jf: 1, k: 0x800 },
    { code: 0x06, jt: 0, jf: 0, k: 0xffffffff },
    { code: 0x06, jt: 0, jf: 0, k: 0 },
    { code: 0xb1, jt: 0, jf: 0, k: 14 },
    { code: 0x48, jt: 0, jf: 0, k: 0xfff00002 },
    { code: 0x45, jt: 2, jf: 8, k: 0x1fff },
  ]);
});

test('printCInitializer: linux/filter.h spelling, named Linux offsets, raw records for unknown opcodes', () => {
  const out = printCInitializer([
    { code: 0x30, jt: 0, jf: 0, k: 0xfffff030 },
    { code: 0x28, jt: 0, jf: 0, k: 0xffe00006 },
    { code: 0x07, jt: 0, jf: 0, k: 5 },
    { code: 0x06, jt: 1, jf: 0, k: 0 },
    { code: 0xff, jt: 1, jf: 2, k: 3 },
  ]);
  assert.equal(
    out,
    'struct sock_filter code[] = {\n' +
      '\tBPF_STMT(BPF_LD|BPF_B|BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT),\n' +
      '\tBPF_STMT(BPF_LD|BPF_H|BPF_ABS, SKF_LL_OFF + 6),\n' +
      '\tBPF_STMT(BPF_MISC|BPF_TAX, 5),\n' +
      '\tBPF_JUMP(BPF_RET|BPF_K, 0, 1, 0),\n' +
      '\t{ 0xff, 1, 2, 0x00000003 },\n' +
      '};\n',
  );
});

const rawInsn = fc
  .record({
    code: fc.oneof(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 0xffff })),
    jt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })),
    jf: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })),
    k: fc.oneof(
      fc.integer({ min: 0, max: 70 }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0xffe00000, max: 0xffffffff }),
    ),
  })
  .map((x) => ({ ...x }));

test('the macro form round trips every raw program, ignored fields and unknown opcodes included', () => {
  fc.assert(
    fc.property(fc.array(rawInsn, { minLength: 1, maxLength: 30 }), (p) => {
      assert.deepEqual(parseCInitializer(printCInitializer(p)), p);
    }),
    { numRuns: 500 },
  );
});

test('errors name the line and column of the bad operand', () => {
  const at = (src: string) => {
    try {
      parseCInitializer(src);
    } catch (e) {
      const err = e as { code: string; line: number; column: number };
      return [err.code, err.line, err.column];
    }
    assert.fail(`no error for ${src}`);
  };
  assert.deepEqual(at('BPF_STMT(BPF_LD|BPF_H|BPF_ABS, 12),\nBPF_STMT(BPF_LD|BPF_HH, 1),'), [
    'TEXT_SYNTAX',
    2,
    17,
  ]);
  assert.deepEqual(at('{ 0x28, 0, 256, 1 },'), ['TEXT_SYNTAX', 1, 12]);
  assert.deepEqual(at('  BPF_JUMP(0x15, 1, 0),'), ['TEXT_SYNTAX', 1, 3]);
  assert.deepEqual(at('BPF_STMT(0x06, 1 +),'), ['TEXT_SYNTAX', 1, 19]);
  assert.deepEqual(at('BPF_STMT(0x10000, 0),'), ['TEXT_SYNTAX', 1, 10]);
  assert.deepEqual(at('BPF_STMT(0x06, 0x100000000),'), ['TEXT_SYNTAX', 1, 16]);
  assert.deepEqual(at('BPF_STMT(0x06, 1 / 0),'), ['TEXT_SYNTAX', 1, 18]);
  assert.deepEqual(at('BPF_STMT(0x06, 09),'), ['TEXT_SYNTAX', 1, 16]);
  assert.deepEqual(at('BPF_STMT(0x06, 0) /* unterminated'), ['TEXT_SYNTAX', 1, 19]);
  assert.deepEqual(at('struct sock_filter code[] = {};'), ['TEXT_SYNTAX', 1, 29]);
  // An empty array, then instructions outside it (the property test's find).
  assert.deepEqual(at('struct sock_filter code[] = {\n};{\n\tBPF_STMT(0x06, 0),\n};\n'), [
    'TEXT_SYNTAX',
    1,
    29,
  ]);
  // Instructions after an array's.
  assert.deepEqual(at('struct sock_filter a[] = { BPF_STMT(0x06, 0) };\n{ 6, 0, 0, 1 },\n'), [
    'TEXT_SYNTAX',
    2,
    1,
  ]);
  // Two arrays are two programs, not one: the error is where the second starts.
  const two =
    'static struct sock_filter a[] = {\n\tBPF_STMT(0x06, 0),\n};\n\nstatic struct sock_filter b[] = {\n\tBPF_STMT(0x06, 1),\n};\n';
  assert.deepEqual(at(two), ['TEXT_SYNTAX', 5, 1]);
  assert.throws(
    () => parseCInitializer(two),
    /a second program starts here \(1 instructions before it\)/,
  );
  // A sock_fprog pointing at the one array is no second program.
  assert.equal(
    parseCInitializer(
      'struct sock_filter a[] = { BPF_STMT(0x06, 0) };\nstruct sock_fprog p = { .len = 1, .filter = a };\n',
    ).length,
    1,
  );
});
