// Hostile text is normal input: every program-text parser, and the format detector in front of them,
// takes time linear in the input. Each near miss (text that almost parses, built to make a
// backtracking pattern or a rescan blow up) is timed against a well-formed text of the same size in
// the same form, at sizes growing by half from 32 characters to 16 K: it may be at most 10× slower
// (or 10 × 1 ms while both are too quick to compare). The old whole-text -ddd pattern fails at ~100
// characters, a quadratic rescan at a few thousand, long before either gets slow enough to stall.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextSyntaxError } from '../../../src/core/errors.js';
import type { RawInsn } from '../../../src/core/insn.js';
import { parseGo, printGo } from '../../../src/core/text/go.js';
import {
  parseBpfAsm,
  parseCInitializer,
  parseHexProgram,
  parseProgramText,
  parseTcpdumpD,
  parseTcpdumpDDD,
  printBpfAsm,
  printCInitializer,
  printDecimalOneLine,
  printHexProgram,
  printTcpdumpD,
  printTcpdumpDD,
  printTcpdumpDDD,
} from '../../../src/core/text/index.js';

/** A program whose printed forms have lines of every shape: loads, jumps with labels, ALU, returns. */
function program(n: number): RawInsn[] {
  const shapes: RawInsn[] = [
    { code: 0x28, jt: 0, jf: 0, k: 12 },
    { code: 0x15, jt: 0, jf: 1, k: 0x800 },
    { code: 0x30, jt: 0, jf: 0, k: 23 },
    { code: 0x54, jt: 0, jf: 0, k: 0x1fff },
    { code: 0xb1, jt: 0, jf: 0, k: 14 },
    { code: 0x06, jt: 0, jf: 0, k: 262144 },
  ];
  const out = Array.from({ length: n }, (_, i) => shapes[i % shapes.length]);
  // Jumps land at most two ahead: the last two are returns.
  out[n - 2] = { code: 0x06, jt: 0, jf: 0, k: 262144 };
  out[n - 1] = { code: 0x06, jt: 0, jf: 0, k: 0 };
  return out;
}

/** `print` of a program long enough that its text has about `size` characters. */
function wellFormed(print: (p: RawInsn[]) => string, size: number): string {
  const per = print(program(60)).length / 60;
  return print(program(Math.max(2, Math.round(size / per))));
}

interface Case {
  name: string;
  parse: (text: string) => unknown;
  /** A near miss of about `size` characters. */
  bad: (size: number) => string;
  /** The same form, well formed. */
  good: (size: number) => string;
}

const rep = (unit: string, size: number) =>
  unit.repeat(Math.max(1, Math.round(size / unit.length)));
const lines = (size: number, line: string) => Math.max(1, Math.round(size / line.length));

const ddd = (size: number) => wellFormed(printTcpdumpDDD, size);
const d = (size: number) => wellFormed(printTcpdumpD, size);
const dd = (size: number) => wellFormed(printTcpdumpDD, size);
const c = (size: number) => wellFormed((p) => printCInitializer(p), size);
const asm = (size: number) => wellFormed(printBpfAsm, size);
const hex = (size: number) => wellFormed(printHexProgram, size);
const oneLine = (size: number) => wellFormed(printDecimalOneLine, size);
const go = (size: number) => wellFormed((p) => printGo(p), size);
const parseGoText = (text: string) => parseGo(text);

const CASES: Case[] = [
  // The reproductions: -ddd lines and a last line that is not one, LF and CRLF.
  {
    name: 'detect+parse: -ddd then x',
    parse: parseProgramText,
    bad: (s) => `${lines(s, '6 0 0 0\n')}\n${rep('6 0 0 0\n', s)}x`,
    good: ddd,
  },
  {
    name: 'detect+parse: -ddd with CRLF then x',
    parse: parseProgramText,
    bad: (s) => `${lines(s, '6 0 0 0\r\n')}\r\n${rep('6 0 0 0\r\n', s)}x`,
    good: ddd,
  },
  {
    name: 'detect+parse: -ddd then # end',
    parse: parseProgramText,
    bad: (s) => `${printTcpdumpDDD(program(lines(s, '21 0 1 2048\n')))}# end\n`,
    good: ddd,
  },
  {
    name: 'detect+parse: count-less -ddd then x',
    parse: parseProgramText,
    bad: (s) => `${rep('40 0 0 12\n', s)}x`,
    good: ddd,
  },
  {
    name: 'detect+parse: one-line form then x',
    parse: parseProgramText,
    bad: (s) => `${lines(s, '6 0 0 0,')},${rep('6 0 0 0,', s)}x`,
    good: oneLine,
  },
  {
    name: 'detect+parse: hex then g',
    parse: parseProgramText,
    bad: (s) => `${rep('0', s)}g`,
    good: hex,
  },
  {
    name: 'detect+parse: blanks then x',
    parse: parseProgramText,
    bad: (s) => `${rep(' ', s)}x`,
    good: asm,
  },
  {
    name: 'detect+parse: blank lines then a word',
    parse: parseProgramText,
    bad: (s) => `${rep('\n', s)}frob`,
    good: asm,
  },
  {
    name: 'detect+parse: labels and colons',
    parse: parseProgramText,
    bad: (s) => rep('ab:', s),
    good: asm,
  },
  // tcpdump -d
  {
    name: '-d: blanks inside a line',
    parse: parseTcpdumpD,
    bad: (s) => `(000) ld${rep(' ', s)}x`,
    good: d,
  },
  {
    name: '-d: blanks before jt/jf',
    parse: parseTcpdumpD,
    bad: (s) => `(000) jeq #1${rep(' ', s)}jt 1 jf`,
    good: d,
  },
  {
    name: '-d: many jt words',
    parse: parseTcpdumpD,
    bad: (s) => `(000) jeq #1${rep(' jt 1', s)} jf`,
    good: d,
  },
  {
    name: '-d: lines then a bad index',
    parse: parseTcpdumpD,
    bad: (s) => `${printTcpdumpD(program(lines(s, '(000) ldh      [12]\n')))}(999) ret #0`,
    good: d,
  },
  // C initializers
  { name: 'C: open braces', parse: parseCInitializer, bad: (s) => rep('{', s), good: c },
  {
    name: 'C: open parentheses',
    parse: parseCInitializer,
    bad: (s) => `BPF_STMT(${rep('(', s)}`,
    good: c,
  },
  {
    name: 'C: unary minus chain',
    parse: parseCInitializer,
    bad: (s) => `{ ${rep('-', s)}1`,
    good: c,
  },
  {
    name: 'C: digits then a letter',
    parse: parseCInitializer,
    bad: (s) => `{ ${rep('1', s)}a`,
    good: c,
  },
  {
    name: 'C: hash marks on a line',
    parse: parseCInitializer,
    bad: (s) => `{${rep('#', s)}`,
    good: c,
  },
  {
    name: 'C: unterminated comments',
    parse: parseCInitializer,
    bad: (s) => `{ 1, 2, 3, 4 }, ${rep('/*', s)}`,
    good: c,
  },
  {
    name: 'C: a chain of shifts',
    parse: parseCInitializer,
    bad: (s) => `BPF_STMT(0x06, 1${rep(' << 60', s)})`,
    good: c,
  },
  {
    name: 'C: records then junk',
    parse: parseCInitializer,
    bad: (s) => `${printTcpdumpDD(program(lines(s, '{ 0x28, 0, 0, 0x0000000c },\n')))}@`,
    good: dd,
  },
  {
    name: 'C: brackets in a declaration',
    parse: parseCInitializer,
    bad: (s) => `struct sock_filter code${rep('[', s)}`,
    good: c,
  },
  { name: 'C: one long name', parse: parseCInitializer, bad: (s) => rep('x', s), good: c },
  // -ddd and the one-line form
  {
    name: '-ddd: lines then x',
    parse: parseTcpdumpDDD,
    bad: (s) => `${lines(s, '6 0 0 0\n')}\n${rep('6 0 0 0\n', s)}x`,
    good: ddd,
  },
  { name: '-ddd: blanks', parse: parseTcpdumpDDD, bad: (s) => `1\n${rep(' ', s)}x`, good: ddd },
  {
    name: 'one-line: empty groups',
    parse: parseTcpdumpDDD,
    bad: (s) => `1${rep(',', s)}x`,
    good: oneLine,
  },
  // bpf_asm
  { name: 'bpf_asm: blanks', parse: parseBpfAsm, bad: (s) => `ld${rep(' ', s)}x`, good: asm },
  { name: 'bpf_asm: brackets', parse: parseBpfAsm, bad: (s) => `ld ${rep('[', s)}`, good: asm },
  { name: 'bpf_asm: a long label', parse: parseBpfAsm, bad: (s) => `${rep('a', s)}: x`, good: asm },
  {
    name: 'bpf_asm: lines then junk',
    parse: parseBpfAsm,
    bad: (s) => `${rep('ldh [12]\n', s)}@`,
    good: asm,
  },
  {
    name: 'bpf_asm: jumps to a missing label',
    parse: parseBpfAsm,
    bad: (s) => `${rep('ja nowhere\n', s)}ret #0`,
    good: asm,
  },
  // hex
  { name: 'hex: digits then g', parse: parseHexProgram, bad: (s) => `${rep('0', s)}g`, good: hex },
  { name: 'hex: 0x prefixes', parse: parseHexProgram, bad: (s) => rep('0x', s), good: hex },
  {
    name: 'hex: odd lines',
    parse: parseHexProgram,
    bad: (s) => rep('000000000000000\n', s),
    good: hex,
  },
  // golang.org/x/net/bpf source (cbpf asm --from go)
  {
    name: 'go: unary minus chain',
    parse: parseGoText,
    bad: (s) => `[]bpf.Instruction{ bpf.RetConstant{Val: ${rep('-', s)}1} }`,
    good: go,
  },
  {
    name: 'go: open parentheses',
    parse: parseGoText,
    bad: (s) => `[]bpf.Instruction{ bpf.RetConstant{Val: ${rep('(', s)}1} }`,
    good: go,
  },
  {
    name: 'go: a list never closed',
    parse: parseGoText,
    bad: (s) => `p := []bpf.Instruction{ ${rep('bpf.RetA{}, ', s)}`,
    good: go,
  },
  {
    name: 'go: many lists',
    parse: parseGoText,
    bad: (s) => rep('[]bpf.Instruction{\n', s),
    good: go,
  },
];

/**
 * The least CPU time (user + system, in ms) of `reps` runs of `fn(text)`: CPU time, as wall time
 * counts the other processes of a busy machine. A TextSyntaxError is a near miss's expected end.
 */
function fastest(fn: (t: string) => unknown, text: string, reps: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const t0 = process.cpuUsage();
    try {
      fn(text);
    } catch (e) {
      // A near miss is a syntax error at a place; a crash (a stack overflow) fails the test.
      if (!(e instanceof TextSyntaxError)) throw e;
    }
    const t = process.cpuUsage(t0);
    best = Math.min(best, (t.user + t.system) / 1000);
  }
  return best;
}

const FLOOR_MS = 1;
const SIZES: number[] = [];
for (let s = 32; s <= 16 * 1024; s = Math.ceil(s * 1.5)) SIZES.push(s);

test(`parsers and detector stay within 10× of a well-formed input of the same size on ${CASES.length} kinds of near miss`, () => {
  /** Well-formed timings, shared by the cases of one form and parser. */
  const reference = new Map<string, number>();
  for (const k of CASES) {
    for (const size of SIZES) {
      const bad = k.bad(size);
      const good = k.good(size);
      // The best of a few runs: a slow run is the machine, not the parser.
      const reps = size < 4096 ? 5 : 3;
      const key = `${k.parse.name} ${good.length} ${good.slice(0, 40)}`;
      const tGood = reference.get(key) ?? fastest(k.parse, good, reps);
      reference.set(key, tGood);
      let tBad = fastest(k.parse, bad, reps);
      // A pause (a collection, a page fault) can fall on every run of one batch: measure again
      // before calling it a blow-up, which no remeasuring makes go away.
      for (let again = 0; again < 3 && tBad > 10 * Math.max(tGood, FLOOR_MS); again++)
        tBad = Math.min(tBad, fastest(k.parse, bad, reps));
      assert.ok(
        tBad <= 10 * Math.max(tGood, FLOOR_MS),
        `${k.name}: ${bad.length} characters took ${tBad.toFixed(2)} ms, a well-formed ${good.length} ${tGood.toFixed(2)} ms`,
      );
    }
  }
});
