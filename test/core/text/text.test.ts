// Text forms: byte-for-byte against tcpdump's own output (golden files), bpf_asm cases, round trips, errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { assembleOne, canonicalize, disassembleOne } from '../../../src/core/encode.js';
import type { RawInsn } from '../../../src/core/insn.js';
import {
  detectTextFormat,
  parseBpfAsm,
  parseHexProgram,
  parseProgramText,
  parseTcpdumpD,
  parseTcpdumpDD,
  parseTcpdumpDDD,
  printBpfAsm,
  printDecimalOneLine,
  printHexProgram,
  printTcpdumpD,
  printTcpdumpDD,
  printTcpdumpDDD,
} from '../../../src/core/text/index.js';

const GOLDEN = new URL('../../golden/tcpdump/', import.meta.url);
const cases = readFileSync(new URL('INDEX.tsv', GOLDEN), 'utf8')
  .trim()
  .split('\n')
  .map((l) => l.split('\t'));
const golden = (name: string, ext: string) =>
  readFileSync(new URL(`${name}.${ext}`, GOLDEN), 'utf8');

test(`printers match tcpdump -d/-dd/-ddd byte for byte (${cases.length} golden programs) and parse back`, () => {
  for (const [name, dlt, expr] of cases) {
    const program = parseTcpdumpDDD(golden(name, 'ddd'));
    const what = `${dlt} '${expr}'`;
    assert.equal(printTcpdumpD(program), golden(name, 'd'), `-d of ${what}`);
    assert.equal(printTcpdumpDD(program), golden(name, 'dd'), `-dd of ${what}`);
    assert.equal(printTcpdumpDDD(program), golden(name, 'ddd'), `-ddd of ${what}`);
    // -d and bpf_asm do not show fields an opcode ignores (libpcap leaves k = 5 in some `tax`).
    const shown = program.map(canonicalize);
    assert.deepEqual(parseTcpdumpD(golden(name, 'd')), shown, `parse -d of ${what}`);
    assert.deepEqual(parseTcpdumpDD(golden(name, 'dd')), program, `parse -dd of ${what}`);
    assert.deepEqual(parseBpfAsm(printBpfAsm(program)), shown, `bpf_asm round trip of ${what}`);
    assert.deepEqual(parseProgramText(golden(name, 'd')), shown, `autodetected .d of ${what}`);
    for (const ext of ['dd', 'ddd'])
      assert.deepEqual(
        parseProgramText(golden(name, ext)),
        program,
        `autodetected .${ext} of ${what}`,
      );
  }
});

test('bpf_asm: the seed ARP-reply filter with labels, comments and number forms', () => {
  const src = `/* seed 000: ARP replies */
# a hash line is a comment
        ldh [12]            ; EtherType
        jne #0x806, drop    ; one label on jne is the false branch
        ldh [0b10100]
        jeq #2, accept, drop
accept: ret #-1
drop:   ret #0
`;
  assert.equal(
    printDecimalOneLine(parseBpfAsm(src)),
    '6,40 0 0 12,21 0 3 2054,40 0 0 20,21 0 1 2,6 0 0 4294967295,6 0 0 0',
  );
});

test('bpf_asm: every mnemonic and alias assembles to the documented opcode', () => {
  const table: [string, RawInsn][] = [
    ['ld [x + 14]', { code: 0x40, jt: 0, jf: 0, k: 14 }],
    ['ldh [%x + 2]', { code: 0x48, jt: 0, jf: 0, k: 2 }],
    ['ldb [x+14]', { code: 0x50, jt: 0, jf: 0, k: 14 }],
    ['ld #0x10', { code: 0x00, jt: 0, jf: 0, k: 16 }],
    ['ldi 010', { code: 0x00, jt: 0, jf: 0, k: 8 }],
    ['ld #len', { code: 0x80, jt: 0, jf: 0, k: 0 }],
    ['LD len', { code: 0x80, jt: 0, jf: 0, k: 0 }],
    ['ld M[3]', { code: 0x60, jt: 0, jf: 0, k: 3 }],
    ['ld #proto', { code: 0x20, jt: 0, jf: 0, k: 0xfffff000 }],
    ['ldb #vlan_pr', { code: 0x30, jt: 0, jf: 0, k: 0xfffff030 }],
    ['ldh #vlan_avail', { code: 0x28, jt: 0, jf: 0, k: 0xfffff030 }],
    ['ld #rand', { code: 0x20, jt: 0, jf: 0, k: 0xfffff038 }],
    ['ldx #5', { code: 0x01, jt: 0, jf: 0, k: 5 }],
    ['ldxi 5', { code: 0x01, jt: 0, jf: 0, k: 5 }],
    ['ldx #len', { code: 0x81, jt: 0, jf: 0, k: 0 }],
    ['ldx M[15]', { code: 0x61, jt: 0, jf: 0, k: 15 }],
    ['ldx 4*([14]&0xf)', { code: 0xb1, jt: 0, jf: 0, k: 14 }],
    ['ldxb 4*([0]&0xf)', { code: 0xb1, jt: 0, jf: 0, k: 0 }],
    ['st M[1]', { code: 0x02, jt: 0, jf: 0, k: 1 }],
    ['stx M[2]', { code: 0x03, jt: 0, jf: 0, k: 2 }],
    ['add x', { code: 0x0c, jt: 0, jf: 0, k: 0 }],
    ['sub %x', { code: 0x1c, jt: 0, jf: 0, k: 0 }],
    ['mod #7', { code: 0x94, jt: 0, jf: 0, k: 7 }],
    ['xor #-1', { code: 0xa4, jt: 0, jf: 0, k: 0xffffffff }],
    ['lsh #2', { code: 0x64, jt: 0, jf: 0, k: 2 }],
    ['neg', { code: 0x84, jt: 0, jf: 0, k: 0 }],
    ['tax', { code: 0x07, jt: 0, jf: 0, k: 0 }],
    ['txa', { code: 0x87, jt: 0, jf: 0, k: 0 }],
    ['ret a', { code: 0x16, jt: 0, jf: 0, k: 0 }],
    ['ret %a', { code: 0x16, jt: 0, jf: 0, k: 0 }],
    ['ret x', { code: 0x0e, jt: 0, jf: 0, k: 0 }],
    ['ret #0xffff', { code: 0x06, jt: 0, jf: 0, k: 0xffff }],
  ];
  for (const [src, want] of table) assert.deepEqual(parseBpfAsm(src), [want], src);
});

test('bpf_asm: conditional jump aliases put labels where the kernel tool does', () => {
  const src = (j: string) => `${j}\nxx: ret #1\nyy: ret #0`;
  assert.deepEqual(parseBpfAsm(src('jeq #1, xx, yy'))[0], { code: 0x15, jt: 0, jf: 1, k: 1 });
  assert.deepEqual(parseBpfAsm(src('jeq #1, yy'))[0], { code: 0x15, jt: 1, jf: 0, k: 1 });
  assert.deepEqual(parseBpfAsm(src('jneq #1, yy'))[0], { code: 0x15, jt: 0, jf: 1, k: 1 });
  assert.deepEqual(parseBpfAsm(src('jlt #1, yy'))[0], { code: 0x35, jt: 0, jf: 1, k: 1 });
  assert.deepEqual(parseBpfAsm(src('jle #1, yy'))[0], { code: 0x25, jt: 0, jf: 1, k: 1 });
  assert.deepEqual(parseBpfAsm(src('jset x, xx, yy'))[0], { code: 0x4d, jt: 0, jf: 1, k: 0 });
  assert.deepEqual(parseBpfAsm(src('jmp yy'))[0], { code: 0x05, jt: 0, jf: 0, k: 1 });
  // cbpf also takes two labels on the negated forms, the first being where the negated test goes.
  assert.deepEqual(parseBpfAsm(src('jlt #1, xx, yy'))[0], { code: 0x35, jt: 1, jf: 0, k: 1 });
  assert.deepEqual(parseBpfAsm(src('jne x, xx, yy'))[0], { code: 0x1d, jt: 1, jf: 0, k: 0 });
  // A backward ja assembles (k wraps); only the kernel's checker rejects it.
  assert.deepEqual(parseBpfAsm('top: ld #1\nja top')[1], {
    code: 0x05,
    jt: 0,
    jf: 0,
    k: 0xfffffffe,
  });
});

test('errors carry line and column', () => {
  const at = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      const err = e as { code: string; line: number; column: number };
      return [err.code, err.line, err.column];
    }
    assert.fail('no error');
  };
  assert.deepEqual(
    at(() => parseBpfAsm('ldh [12]\n  jeq #1, nowhere')),
    ['TEXT_SYNTAX', 2, 11],
  );
  assert.deepEqual(
    at(() => parseBpfAsm('ab: ret #0\nab: ret #1')),
    ['TEXT_SYNTAX', 2, 1],
  );
  assert.deepEqual(
    at(() => parseBpfAsm('ldh [12]\nfrob #1')),
    ['TEXT_SYNTAX', 2, 1],
  );
  assert.deepEqual(
    at(() => parseBpfAsm('ld [12] extra')),
    ['TEXT_SYNTAX', 1, 9],
  );
  assert.deepEqual(
    at(() => parseBpfAsm(`jeq #1, far\n${'ld #1\n'.repeat(300)}far: ret #0`)),
    ['TEXT_SYNTAX', 1, 9],
  );
  assert.deepEqual(
    at(() => parseTcpdumpD('(000) ldh      [12]\n(001) jeq      #0x806 jt 2')),
    ['TEXT_SYNTAX', 2, 16],
  );
  assert.deepEqual(
    at(() => parseTcpdumpD('(000) ldh      [12]\n(002) ret      #0')),
    ['TEXT_SYNTAX', 2, 1],
  );
  assert.deepEqual(
    at(() => parseTcpdumpDDD('3\n40 0 0 12\n6 0 0 0')),
    ['TEXT_SYNTAX', 1, 1],
  );
  assert.deepEqual(
    at(() => parseTcpdumpDDD('2\n40 0 0 12\n6 0 x 0')),
    ['TEXT_SYNTAX', 3, 5],
  );
  assert.deepEqual(
    at(() => parseTcpdumpDD('{ 0x28, 0, 0 },')),
    ['TEXT_SYNTAX', 1, 1],
  );
  assert.deepEqual(
    at(() => parseHexProgram('2800000c0000000')),
    ['TEXT_SYNTAX', 1, 15],
  );
  assert.deepEqual(
    at(() => parseHexProgram('0x2800000c00000000\n0x060000000000x000')),
    ['TEXT_SYNTAX', 2, 15],
  );
  assert.deepEqual(parseHexProgram(' 0x280000000c000000\n0X06000000 00000000\n'), [
    { code: 0x28, jt: 0, jf: 0, k: 12 },
    { code: 0x06, jt: 0, jf: 0, k: 0 },
  ]);
});

const rawInsn = fc
  .record({
    code: fc.oneof(
      fc.constantFrom(0x20, 0x28, 0x30, 0x40, 0x06, 0x15, 0x05, 0x04, 0x0e, 0x81, 0xb1, 0x87),
      fc.integer({ min: 0, max: 0xff }),
      fc.integer({ min: 0, max: 0xffff }),
    ),
    jt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })),
    jf: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })),
    k: fc.oneof(
      fc.integer({ min: 0, max: 70 }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0xfffff000, max: 0xfffff040 }),
    ),
  })
  .map((x) => ({ ...x }));

test('-ddd, one-line decimal, -dd and hex round trip every raw program', () => {
  fc.assert(
    fc.property(fc.array(rawInsn, { minLength: 1, maxLength: 30 }), (p) => {
      assert.deepEqual(parseTcpdumpDDD(printTcpdumpDDD(p)), p);
      assert.deepEqual(parseTcpdumpDDD(printDecimalOneLine(p)), p);
      assert.deepEqual(parseTcpdumpDD(printTcpdumpDD(p)), p);
      assert.deepEqual(parseHexProgram(printHexProgram(p)), p);
    }),
    { numRuns: 500 },
  );
});

// -d shows only what libpcap's bpf_image shows: an instruction round-trips when its fields are the
// canonical ones for its opcode (as assemble produces them), or it is an unknown opcode with zero fields.
const canonical = (x: RawInsn) => {
  const t = disassembleOne(x);
  return t.kind === 'raw' ? x.jt === 0 && x.jf === 0 && x.k === 0 : true;
};

test('-d round trips every program of canonical instructions, and only those lose fields', () => {
  fc.assert(
    fc.property(fc.array(rawInsn, { minLength: 1, maxLength: 30 }), (p) => {
      const canon = p.filter(canonical);
      if (canon.length) assert.deepEqual(parseTcpdumpD(printTcpdumpD(canon)), canon);
    }),
    { numRuns: 1000 },
  );
  const lossy = { code: 0x06, jt: 1, jf: 0, k: 0 };
  assert.ok(!canonical(lossy));
  assert.deepEqual(parseTcpdumpD(printTcpdumpD([lossy])), [{ code: 0x06, jt: 0, jf: 0, k: 0 }]);
});

test('-d text always reads back to itself: print(parse(print(p))) = print(p) for every raw program', () => {
  fc.assert(
    fc.property(fc.array(rawInsn, { minLength: 1, maxLength: 30 }), (p) => {
      const text = printTcpdumpD(p);
      assert.equal(printTcpdumpD(parseTcpdumpD(text)), text);
    }),
    { numRuns: 1000 },
  );
});

test('bpf_asm round trips every program of canonical instructions whose jumps land inside it', () => {
  const program = fc.integer({ min: 1, max: 25 }).chain((n) =>
    fc.array(rawInsn, { minLength: n, maxLength: n }).map((xs) =>
      xs.map((x, i) => {
        const left = n - i - 1;
        if (x.code === 0x05)
          return left
            ? { code: 0x05, jt: 0, jf: 0, k: x.k % left }
            : { code: 0x06, jt: 0, jf: 0, k: 0 };
        const t = disassembleOne(x);
        if (t.kind === 'raw') return { code: 0x0e, jt: 0, jf: 0, k: 0 }; // `ret x`: the one raw form bpf_asm has
        if (t.kind === 'jmp')
          return left
            ? assembleOne({ ...t, jt: t.jt % left, jf: t.jf % left })
            : { code: 0x06, jt: 0, jf: 0, k: 0 };
        return assembleOne(t);
      }),
    ),
  );
  fc.assert(
    fc.property(program, (p) => assert.deepEqual(parseBpfAsm(printBpfAsm(p)), p)),
    { numRuns: 1000 },
  );
  assert.throws(
    () =>
      printBpfAsm([
        { code: 0x15, jt: 5, jf: 0, k: 0 },
        { code: 0x06, jt: 0, jf: 0, k: 0 },
      ]),
    { code: 'BAD_FIELD', index: 0 },
  );
  assert.throws(() => printBpfAsm([{ code: 0xff, jt: 0, jf: 0, k: 0 }]), {
    code: 'BAD_FIELD',
    index: 0,
  });
});

test('detectTextFormat tells the forms apart', () => {
  assert.equal(detectTextFormat('(000) ldh      [12]\n'), 'tcpdump-d');
  assert.equal(detectTextFormat('{ 0x28, 0, 0, 0x0000000c },'), 'tcpdump-dd');
  assert.equal(detectTextFormat('1\n6 0 0 0\n'), 'tcpdump-ddd');
  assert.equal(detectTextFormat('1,6 0 0 0'), 'decimal-line');
  assert.equal(detectTextFormat('0600000000000000'), 'hex');
  assert.equal(detectTextFormat('ret #0'), 'bpf-asm');
  assert.equal(detectTextFormat('BPF_STMT(BPF_RET+BPF_K, 0),'), 'tcpdump-dd');
  // bpf_asm's own output ends in a comma; iptables/tc command lines quote it.
  assert.equal(detectTextFormat('2,40 0 0 12,6 0 0 0,'), 'decimal-line');
  assert.equal(detectTextFormat('"2,40 0 0 12,6 0 0 0"'), 'decimal-line');
  assert.deepEqual(parseProgramText("'2,40 0 0 12,6 0 0 0,'"), [
    { code: 40, jt: 0, jf: 0, k: 12 },
    { code: 6, jt: 0, jf: 0, k: 0 },
  ]);
  // Near misses go to the parser that can say what is wrong with them.
  assert.equal(detectTextFormat('40 0 0 12\n6 0 0 0\n'), 'tcpdump-ddd');
  assert.throws(() => parseProgramText('40 0 0 12\n6 0 0 0\n'), {
    code: 'TEXT_SYNTAX',
    line: 1,
    column: 1,
  });
  assert.equal(detectTextFormat('28 00 00 00 10 00 00 00'), 'hex');
  assert.equal(detectTextFormat('2800000c0000000'), 'hex');
  assert.throws(() => parseProgramText('2800000c0000000'), {
    code: 'TEXT_SYNTAX',
    line: 1,
    column: 15,
  });
});
