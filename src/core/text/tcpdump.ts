// tcpdump's program dumps: `-d` (libpcap bpf_image), `-dd` (C initializers), `-ddd` (decimal), both ways.

import type { Program } from '../encode.js';
import { TextSyntaxError } from '../errors.js';
import type { RawInsn } from '../insn.js';
import { lazy } from '../lazy.js';
import {
  BPF_A,
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_B,
  BPF_CLASS,
  BPF_DIV,
  BPF_H,
  BPF_IMM,
  BPF_IND,
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_JSET,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_LSH,
  BPF_MEM,
  BPF_MISC,
  BPF_MOD,
  BPF_MODE,
  BPF_MSH,
  BPF_MUL,
  BPF_NEG,
  BPF_OP,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_ST,
  BPF_STX,
  BPF_SUB,
  BPF_TAX,
  BPF_TXA,
  BPF_W,
  BPF_X,
  BPF_XOR,
  SKF_AD,
  SKF_AD_MAX,
  SKF_AD_OFF,
} from '../opcodes.js';
import { parseCInitializer } from './c-initializer.js';
import { isDigit } from './chars.js';
import { quoted } from './quoted.js';

/** tcpdump's names for Linux ancillary offsets (libpcap 1.10 bpf_image.c `offsets[]`). */
const ANC_NAMES: Readonly<Record<number, string>> = {
  [SKF_AD.protocol]: 'proto',
  [SKF_AD.pkttype]: 'type',
  [SKF_AD.ifindex]: 'ifidx',
  [SKF_AD.nlattr]: 'nla',
  [SKF_AD.nlattr_nest]: 'nlan',
  [SKF_AD.mark]: 'mark',
  [SKF_AD.queue]: 'queue',
  [SKF_AD.hatype]: 'hatype',
  [SKF_AD.rxhash]: 'rxhash',
  [SKF_AD.cpu]: 'cpu',
  [SKF_AD.alu_xor_x]: 'xor_x',
  [SKF_AD.vlan_tag]: 'vlan_tci',
  [SKF_AD.vlan_tag_present]: 'vlanp',
  [SKF_AD.pay_offset]: 'poff',
  [SKF_AD.random]: 'random',
  [SKF_AD.vlan_tpid]: 'vlan_tpid',
};
/** ANC_NAMES the other way, made when a -d text first loads one (not at every start of the CLI). */
const ancByName = lazy(() => new Map(Object.entries(ANC_NAMES).map(([n, a]) => [a, Number(n)])));

const signed = (k: number) => k | 0;
const hex = (k: number) => `0x${(k >>> 0).toString(16)}`;

function absOperand(k: number): string {
  const u = k >>> 0;
  if (u >= SKF_AD_OFF && u < SKF_AD_OFF + SKF_AD_MAX) {
    const name = ANC_NAMES[u - SKF_AD_OFF];
    if (name) return `[${name}]`;
  }
  return `[${signed(k)}]`;
}

/** Mnemonic and operand of opcodes that take the same text for every k (jumps handled apart). */
function opAndOperand(x: RawInsn, n: number): [string, string] {
  const k = x.k;
  switch (x.code) {
    case BPF_RET | BPF_K:
      return ['ret', `#${signed(k)}`];
    case BPF_RET | BPF_A:
      return ['ret', ''];
    case BPF_LD | BPF_W | BPF_ABS:
      return ['ld', absOperand(k)];
    case BPF_LD | BPF_H | BPF_ABS:
      return ['ldh', absOperand(k)];
    case BPF_LD | BPF_B | BPF_ABS:
      return ['ldb', absOperand(k)];
    case BPF_LD | BPF_W | BPF_LEN:
      return ['ld', '#pktlen'];
    case BPF_LD | BPF_W | BPF_IND:
      return ['ld', `[x + ${signed(k)}]`];
    case BPF_LD | BPF_H | BPF_IND:
      return ['ldh', `[x + ${signed(k)}]`];
    case BPF_LD | BPF_B | BPF_IND:
      return ['ldb', `[x + ${signed(k)}]`];
    case BPF_LD | BPF_IMM:
      return ['ld', `#${hex(k)}`];
    case BPF_LDX | BPF_IMM:
      return ['ldx', `#${hex(k)}`];
    case BPF_LDX | BPF_B | BPF_MSH:
      return ['ldxb', `4*([${signed(k)}]&0xf)`];
    case BPF_LD | BPF_MEM:
      return ['ld', `M[${signed(k)}]`];
    case BPF_LDX | BPF_MEM:
      return ['ldx', `M[${signed(k)}]`];
    case BPF_ST:
      return ['st', `M[${signed(k)}]`];
    case BPF_STX:
      return ['stx', `M[${signed(k)}]`];
    case BPF_JMP | BPF_JA:
      return ['ja', `${(n + 1 + k) | 0}`];
    case BPF_JMP | BPF_JGT | BPF_K:
      return ['jgt', `#${hex(k)}`];
    case BPF_JMP | BPF_JGE | BPF_K:
      return ['jge', `#${hex(k)}`];
    case BPF_JMP | BPF_JEQ | BPF_K:
      return ['jeq', `#${hex(k)}`];
    case BPF_JMP | BPF_JSET | BPF_K:
      return ['jset', `#${hex(k)}`];
    case BPF_JMP | BPF_JGT | BPF_X:
      return ['jgt', 'x'];
    case BPF_JMP | BPF_JGE | BPF_X:
      return ['jge', 'x'];
    case BPF_JMP | BPF_JEQ | BPF_X:
      return ['jeq', 'x'];
    case BPF_JMP | BPF_JSET | BPF_X:
      return ['jset', 'x'];
    case BPF_ALU | BPF_ADD | BPF_X:
      return ['add', 'x'];
    case BPF_ALU | BPF_SUB | BPF_X:
      return ['sub', 'x'];
    case BPF_ALU | BPF_MUL | BPF_X:
      return ['mul', 'x'];
    case BPF_ALU | BPF_DIV | BPF_X:
      return ['div', 'x'];
    case BPF_ALU | BPF_MOD | BPF_X:
      return ['mod', 'x'];
    case BPF_ALU | BPF_AND | BPF_X:
      return ['and', 'x'];
    case BPF_ALU | BPF_OR | BPF_X:
      return ['or', 'x'];
    case BPF_ALU | BPF_XOR | BPF_X:
      return ['xor', 'x'];
    case BPF_ALU | BPF_LSH | BPF_X:
      return ['lsh', 'x'];
    case BPF_ALU | BPF_RSH | BPF_X:
      return ['rsh', 'x'];
    case BPF_ALU | BPF_ADD | BPF_K:
      return ['add', `#${signed(k)}`];
    case BPF_ALU | BPF_SUB | BPF_K:
      return ['sub', `#${signed(k)}`];
    case BPF_ALU | BPF_MUL | BPF_K:
      return ['mul', `#${signed(k)}`];
    case BPF_ALU | BPF_DIV | BPF_K:
      return ['div', `#${signed(k)}`];
    case BPF_ALU | BPF_MOD | BPF_K:
      return ['mod', `#${signed(k)}`];
    case BPF_ALU | BPF_AND | BPF_K:
      return ['and', `#${hex(k)}`];
    case BPF_ALU | BPF_OR | BPF_K:
      return ['or', `#${hex(k)}`];
    case BPF_ALU | BPF_XOR | BPF_K:
      return ['xor', `#${hex(k)}`];
    case BPF_ALU | BPF_LSH | BPF_K:
      return ['lsh', `#${signed(k)}`];
    case BPF_ALU | BPF_RSH | BPF_K:
      return ['rsh', `#${signed(k)}`];
    case BPF_ALU | BPF_NEG:
      return ['neg', ''];
    case BPF_MISC | BPF_TAX:
      return ['tax', ''];
    case BPF_MISC | BPF_TXA:
      return ['txa', ''];
    default:
      return ['unimp', hex(x.code)];
  }
}

const isCondJump = (code: number) => BPF_CLASS(code) === BPF_JMP && BPF_OP(code) !== BPF_JA;

/** One instruction as `tcpdump -d` prints it, e.g. `(001) jeq      #0x806           jt 2\tjf 5`. */
export function printTcpdumpDLine(x: RawInsn, n: number): string {
  const [op, operand] = opAndOperand(x, n);
  const idx = String(n).padStart(3, '0');
  if (isCondJump(x.code))
    return `(${idx}) ${op.padEnd(8)} ${operand.padEnd(16)} jt ${n + 1 + x.jt}\tjf ${n + 1 + x.jf}`;
  return `(${idx}) ${op.padEnd(8)} ${operand}`;
}

/**
 * `tcpdump -d`: one line per instruction with absolute jump targets, exactly as libpcap's bpf_image
 * prints them. Lossy where libpcap is, so parseTcpdumpD(printTcpdumpD(p)) equals p only when p holds
 * nothing -d hides:
 * - fields an opcode ignores (jt/jf outside conditional jumps; k of `ret a`, `tax`, `txa`, `neg`,
 *   `ld #pktlen` and every `x`-operand form) — they read back as 0;
 * - k of opcodes libpcap does not name, printed `unimp 0x..` (bpf_asm's `ret x` 0x0e, `ldx #len` 0x81
 *   and all non-canonical codes); their jt/jf survive only in the JMP class with a non-`ja` op.
 * Jump targets past the end of the program, backward `ja` and huge offsets all print and read back.
 */
export function printTcpdumpD(program: Program): string {
  return program.map((x, i) => `${printTcpdumpDLine(x, i)}\n`).join('');
}

/** `tcpdump -dd`: C initializers `{ 0x28, 0, 0, 0x0000000c },`. */
export function printTcpdumpDD(program: Program): string {
  return program
    .map(
      (x) =>
        `{ 0x${x.code.toString(16)}, ${x.jt}, ${x.jf}, 0x${(x.k >>> 0).toString(16).padStart(8, '0')} },\n`,
    )
    .join('');
}

/** `tcpdump -ddd`: the count, then `code jt jf k` in decimal, one per line. */
export function printTcpdumpDDD(program: Program): string {
  return `${program.length}\n${program.map((x) => `${x.code} ${x.jt} ${x.jf} ${x.k >>> 0}\n`).join('')}`;
}

/** The `-ddd` numbers on one line, comma-joined, as `bpf_asm`, `iptables -m bpf` and `tc` take them. */
export function printDecimalOneLine(program: Program): string {
  return [
    String(program.length),
    ...program.map((x) => `${x.code} ${x.jt} ${x.jf} ${x.k >>> 0}`),
  ].join(',');
}

// ---- parsing ----

interface Line {
  text: string;
  offset: number;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let offset = 0;
  for (const raw of text.split('\n')) {
    const t = raw.replace(/\r$/, '');
    if (t.trim() !== '') out.push({ text: t, offset });
    offset += raw.length + 1;
  }
  return out;
}

/** Parses a C integer literal as libpcap prints them (decimal, possibly negative; 0x hex). */
function parseInt32(s: string): number | undefined {
  const m = /^(-?)(0x[0-9a-f]+|\d+)$/i.exec(s.trim());
  if (!m) return undefined;
  const v = Number(m[2]);
  if (!Number.isSafeInteger(v) || v > 0xffffffff) return undefined;
  return (m[1] ? -v : v) >>> 0;
}

const K_OPS: Readonly<Record<string, number>> = {
  add: BPF_ALU | BPF_ADD,
  sub: BPF_ALU | BPF_SUB,
  mul: BPF_ALU | BPF_MUL,
  div: BPF_ALU | BPF_DIV,
  mod: BPF_ALU | BPF_MOD,
  and: BPF_ALU | BPF_AND,
  or: BPF_ALU | BPF_OR,
  xor: BPF_ALU | BPF_XOR,
  lsh: BPF_ALU | BPF_LSH,
  rsh: BPF_ALU | BPF_RSH,
};
const J_OPS: Readonly<Record<string, number>> = {
  jeq: BPF_JMP | BPF_JEQ,
  jgt: BPF_JMP | BPF_JGT,
  jge: BPF_JMP | BPF_JGE,
  jset: BPF_JMP | BPF_JSET,
};

const IND = /^\[x\s*\+\s*(-?\w+)\]$/;
const ABS = /^\[(-?\w+)\]$/;
const MEM = /^M\[(-?\d+)\]$/;
const IMM = /^#(.+)$/;
const MSH = /^4\s*\*\s*\(\s*\[(-?\w+)\]\s*&\s*0xf\s*\)$/;
/** `#pktlen` is what bpf_image prints; bpf_asm's spellings are read too. */
const LEN = /^(?:#pktlen|#len|len)$/;
const NONE = /^$/;
const X = /^x$/;

/**
 * Operand forms of each -d mnemonic (besides `ja` and `unimp`): the pattern, and the opcode it
 * means; a capture is k. Tried in order. Made at the first -d text parsed.
 */
const operandForms = lazy(
  (): Readonly<Record<string, readonly (readonly [RegExp, number])[]>> => ({
    ret: [
      [/^[aA]?$/, BPF_RET | BPF_A],
      [IMM, BPF_RET | BPF_K],
    ],
    ld: [
      [IND, BPF_LD | BPF_W | BPF_IND],
      [ABS, BPF_LD | BPF_W | BPF_ABS],
      [LEN, BPF_LD | BPF_W | BPF_LEN],
      [MEM, BPF_LD | BPF_MEM],
      [IMM, BPF_LD | BPF_IMM],
    ],
    ldh: [
      [IND, BPF_LD | BPF_H | BPF_IND],
      [ABS, BPF_LD | BPF_H | BPF_ABS],
    ],
    ldb: [
      [IND, BPF_LD | BPF_B | BPF_IND],
      [ABS, BPF_LD | BPF_B | BPF_ABS],
    ],
    ldx: [
      [LEN, BPF_LDX | BPF_W | BPF_LEN],
      [MEM, BPF_LDX | BPF_MEM],
      [IMM, BPF_LDX | BPF_IMM],
      [MSH, BPF_LDX | BPF_B | BPF_MSH],
    ],
    ldxb: [[MSH, BPF_LDX | BPF_B | BPF_MSH]],
    st: [[MEM, BPF_ST]],
    stx: [[MEM, BPF_STX]],
    neg: [[NONE, BPF_ALU | BPF_NEG]],
    tax: [[NONE, BPF_MISC | BPF_TAX]],
    txa: [[NONE, BPF_MISC | BPF_TXA]],
    ...Object.fromEntries(
      Object.entries({ ...K_OPS, ...J_OPS }).map(([name, code]) => [
        name,
        [
          [X, code | BPF_X],
          [IMM, code],
        ] as const,
      ]),
    ),
  }),
);

const isBlank = (c: number) => c === 32 || c === 9 || c === 13 || c === 11 || c === 12;

/** The blank-separated words of `s` as [start, end) offsets. */
function wordSpans(s: string): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isBlank(s.charCodeAt(i))) i++;
    const start = i;
    while (i < s.length && !isBlank(s.charCodeAt(i))) i++;
    if (i > start) out.push([start, i]);
  }
  return out;
}

const isJumpTarget = (w: string) => /^-?\d+$/.test(w);

/**
 * Parses one `-d` line: `(NNN) op operand`, with `jt N jf M` after a conditional jump's operand;
 * returns the instruction given its index `n`. Scanned by hand: a pattern with a lazy operand
 * before optional blanks took time quadratic in a line's length.
 */
function parseDLine(line: Line, source: string, expectIndex: number): RawInsn {
  const fail = (msg: string, at = 0, len = 1): never => {
    throw new TextSyntaxError(msg, source, line.offset + at, len);
  };
  const t = line.text;
  const notD = (): never =>
    fail(`expected a tcpdump -d line like '(000) ldh      [12]'`, 0, Math.max(1, t.length));
  let i = 0;
  while (i < t.length && isBlank(t.charCodeAt(i))) i++;
  if (t.charCodeAt(i) !== 40) notD();
  const open = i++;
  while (i < t.length && isDigit(t.charCodeAt(i))) i++;
  if (i === open + 1 || t.charCodeAt(i) !== 41) notD();
  const index = t.slice(open + 1, i);
  const n = Number(index);
  if (n !== expectIndex)
    fail(
      `instruction (${index}) out of order: expected (${String(expectIndex).padStart(3, '0')})`,
      open,
      index.length + 2,
    );
  i++;
  const blanks = i;
  while (i < t.length && isBlank(t.charCodeAt(i))) i++;
  const opAt = i;
  while (i < t.length && t.charCodeAt(i) >= 97 && t.charCodeAt(i) <= 122) i++;
  const op = t.slice(opAt, i);
  if (i === blanks || op === '') notD();
  // The mnemonic first: `jeqq #1 jt 2 jf 3` is an unknown instruction, whatever follows it.
  if (!Object.hasOwn(operandForms(), op) && op !== 'ja' && op !== 'unimp')
    fail(`unknown instruction ${quoted(op)}`, opAt, op.length);
  // The operand is the rest, less the blanks around it and a final `jt N jf M`.
  const restStart = i;
  const words = wordSpans(t.slice(restStart));
  const w = (k: number) => t.slice(restStart + words[k][0], restStart + words[k][1]);
  let operandWords = words.length;
  const m = words.length;
  const jumps =
    m >= 4 &&
    w(m - 4) === 'jt' &&
    w(m - 2) === 'jf' &&
    isJumpTarget(w(m - 3)) &&
    isJumpTarget(w(m - 1));
  if (jumps) operandWords -= 4;
  const rest =
    operandWords === 0
      ? ''
      : t.slice(restStart + words[0][0], restStart + words[operandWords - 1][1]);
  const restAt = operandWords === 0 ? restStart : restStart + words[0][0];
  let jt = 0;
  let jf = 0;
  const bad = (what: string): never =>
    fail(`bad operand for ${op}: ${what}`, restAt, Math.max(1, rest.length));
  const target = (s: string, which: string) => {
    const d = Number(s) - n - 1;
    if (!Number.isInteger(d) || d < 0 || d > 255)
      bad(`${which} target ${quoted(s)} is not 0..255 instructions after (${n})`);
    return d;
  };
  if (jumps) {
    // bpf_image prints jt/jf for every JMP-class code but ja, unknown ones (`unimp`) included.
    if (!Object.hasOwn(J_OPS, op) && op !== 'unimp') bad('only conditional jumps take jt/jf');
    jt = target(w(m - 3), 'jt');
    jf = target(w(m - 1), 'jf');
  } else if (Object.hasOwn(J_OPS, op)) {
    bad('a conditional jump needs jt N and jf N');
  }
  const r = (code: number, k = 0): RawInsn => ({ code, jt, jf, k: k >>> 0 });
  const num = (s: string) => parseInt32(s) ?? bad(`${quoted(s)} is not a number`);
  if (op === 'ja') {
    const to = parseInt32(rest) ?? bad(`${quoted(rest)} is not a jump target`);
    return r(BPF_JMP | BPF_JA, (to - n - 1) >>> 0);
  }
  if (op === 'unimp') {
    const code = num(rest);
    return code > 0xffff ? bad(`opcode ${rest} is wider than 16 bits`) : r(code);
  }
  for (const [re, code] of operandForms()[op] ?? []) {
    const mm = re.exec(rest);
    if (!mm) continue;
    if (mm[1] === undefined) return r(code);
    // `ld [proto]`: bpf_image names Linux ancillary offsets in absolute loads.
    const anc = BPF_MODE(code) === BPF_ABS ? ancByName().get(mm[1] as string) : undefined;
    return r(code, anc !== undefined ? SKF_AD_OFF + anc : num(mm[1]));
  }
  return bad(quoted(rest));
}

/** Parses `tcpdump -d` output back to raw instructions (absolute jump targets become relative). */
export function parseTcpdumpD(text: string): RawInsn[] {
  return lines(text).map((l, i) => parseDLine(l, text, i));
}

/**
 * Parses `tcpdump -dd` output: `{ code, jt, jf, k },` lines, optionally inside a C array declaration;
 * BPF_STMT/BPF_JUMP macros with symbolic operands are read too (see parseCInitializer).
 */
export function parseTcpdumpDD(text: string): RawInsn[] {
  return parseCInitializer(text);
}

/**
 * `text` with the quotes around it blanked (`"4,40 0 0 12,..."` as pasted from an iptables or tc
 * command line), so offsets into it still point into the original.
 */
function unquote(text: string): string {
  const m = /^(\s*)(["'])([^"']*)\2(\s*)$/.exec(text);
  return m ? `${m[1]} ${m[3]} ${m[4]}` : text;
}

/** Field names and largest values of a -ddd group. */
const DDD_FIELDS: readonly (readonly [string, number])[] = [
  ['code', 0xffff],
  ['jt', 255],
  ['jf', 255],
  ['k', 0xffffffff],
];

/**
 * Parses `tcpdump -ddd` output: a count line then `code jt jf k` lines; also the one-line comma-joined
 * form (`4,40 0 0 12,21 0 1 2054,6 0 0 262144,6 0 0 0`). Every line (or comma-separated group) is used
 * or is an error at its line and column, and the count must match in both forms.
 */
export function parseTcpdumpDDD(source: string): RawInsn[] {
  const text = unquote(source);
  const oneLine = !text.trim().includes('\n') && text.includes(',');
  const sep = oneLine ? ',' : '\n';
  // One pass over the groups (lines, or comma-separated), in order, so the first problem is the one
  // reported: the count first, then `code jt jf k` groups.
  let count: number | undefined;
  let countAt: [number, number] | undefined;
  const out: RawInsn[] = [];
  let at = 0;
  const groups = text.split(sep);
  groups.forEach((raw, g) => {
    const words = wordSpans(raw).map(([s, e]): [number, number] => [at + s, at + e]);
    const start = at;
    at += raw.length + 1;
    if (words.length === 0) {
      // Blank lines are nothing; an empty comma group (`4,,40 0 0 12`) is a lost group, but for a
      // final comma, which bpf_asm prints.
      if (oneLine && g < groups.length - 1)
        throw new TextSyntaxError(
          "expected a group of numbers before ','",
          text,
          start + raw.length,
        );
      return;
    }
    const first = words[0][0];
    const end = words[words.length - 1][1];
    if (countAt === undefined) {
      const s = text.slice(first, end);
      count = /^\d+$/.test(s) ? parseInt32(s) : undefined;
      if (count === undefined)
        throw new TextSyntaxError(
          `expected the instruction count, got ${quoted(s)}`,
          text,
          first,
          end - first,
        );
      countAt = [first, end];
      return;
    }
    if (words.length !== 4)
      throw new TextSyntaxError(
        `expected 'code jt jf k' (4 decimal numbers), got ${words.length === 1 ? '1 word' : `${words.length} words`}: ${quoted(text.slice(first, end))}`,
        text,
        first,
        end - first,
      );
    const v = words.map(([s, e], i) => {
      const [name, max] = DDD_FIELDS[i];
      const w = text.slice(s, e);
      const n = /^\d+$/.test(w) ? Number(w) : Number.NaN;
      if (!(n <= max))
        throw new TextSyntaxError(
          Number.isNaN(n)
            ? `${name}: ${quoted(w)} is not a decimal number`
            : `${name}: ${quoted(w)} is more than ${max}`,
          text,
          s,
          e - s,
        );
      return n;
    });
    out.push({ code: v[0], jt: v[1], jf: v[2], k: v[3] });
  });
  if (countAt === undefined || count === undefined)
    throw new TextSyntaxError('empty program: expected the instruction count', text, 0);
  if (out.length !== count) {
    throw new TextSyntaxError(
      `the count says ${count} instructions but ${out.length} follow`,
      text,
      countAt[0],
      countAt[1] - countAt[0],
    );
  }
  return out;
}
