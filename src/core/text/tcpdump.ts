// tcpdump's program dumps: `-d` (libpcap bpf_image), `-dd` (C initializers), `-ddd` (decimal), both ways.

import type { Program } from '../encode.js';
import { TextSyntaxError } from '../errors.js';
import type { RawInsn } from '../insn.js';
import { SKF_AD, SKF_AD_MAX, SKF_AD_OFF } from '../opcodes.js';
import { parseCInitializer } from './c-initializer.js';

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
const ANC_BY_NAME = new Map(Object.entries(ANC_NAMES).map(([n, name]) => [name, Number(n)]));

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
    case 0x06:
      return ['ret', `#${signed(k)}`];
    case 0x16:
      return ['ret', ''];
    case 0x20:
      return ['ld', absOperand(k)];
    case 0x28:
      return ['ldh', absOperand(k)];
    case 0x30:
      return ['ldb', absOperand(k)];
    case 0x80:
      return ['ld', '#pktlen'];
    case 0x40:
      return ['ld', `[x + ${signed(k)}]`];
    case 0x48:
      return ['ldh', `[x + ${signed(k)}]`];
    case 0x50:
      return ['ldb', `[x + ${signed(k)}]`];
    case 0x00:
      return ['ld', `#${hex(k)}`];
    case 0x01:
      return ['ldx', `#${hex(k)}`];
    case 0xb1:
      return ['ldxb', `4*([${signed(k)}]&0xf)`];
    case 0x60:
      return ['ld', `M[${signed(k)}]`];
    case 0x61:
      return ['ldx', `M[${signed(k)}]`];
    case 0x02:
      return ['st', `M[${signed(k)}]`];
    case 0x03:
      return ['stx', `M[${signed(k)}]`];
    case 0x05:
      return ['ja', `${(n + 1 + k) | 0}`];
    case 0x25:
      return ['jgt', `#${hex(k)}`];
    case 0x35:
      return ['jge', `#${hex(k)}`];
    case 0x15:
      return ['jeq', `#${hex(k)}`];
    case 0x45:
      return ['jset', `#${hex(k)}`];
    case 0x2d:
      return ['jgt', 'x'];
    case 0x3d:
      return ['jge', 'x'];
    case 0x1d:
      return ['jeq', 'x'];
    case 0x4d:
      return ['jset', 'x'];
    case 0x0c:
      return ['add', 'x'];
    case 0x1c:
      return ['sub', 'x'];
    case 0x2c:
      return ['mul', 'x'];
    case 0x3c:
      return ['div', 'x'];
    case 0x9c:
      return ['mod', 'x'];
    case 0x5c:
      return ['and', 'x'];
    case 0x4c:
      return ['or', 'x'];
    case 0xac:
      return ['xor', 'x'];
    case 0x6c:
      return ['lsh', 'x'];
    case 0x7c:
      return ['rsh', 'x'];
    case 0x04:
      return ['add', `#${signed(k)}`];
    case 0x14:
      return ['sub', `#${signed(k)}`];
    case 0x24:
      return ['mul', `#${signed(k)}`];
    case 0x34:
      return ['div', `#${signed(k)}`];
    case 0x94:
      return ['mod', `#${signed(k)}`];
    case 0x54:
      return ['and', `#${hex(k)}`];
    case 0x44:
      return ['or', `#${hex(k)}`];
    case 0xa4:
      return ['xor', `#${hex(k)}`];
    case 0x64:
      return ['lsh', `#${signed(k)}`];
    case 0x74:
      return ['rsh', `#${signed(k)}`];
    case 0x84:
      return ['neg', ''];
    case 0x07:
      return ['tax', ''];
    case 0x87:
      return ['txa', ''];
    default:
      return ['unimp', hex(x.code)];
  }
}

const isCondJump = (code: number) => (code & 0x07) === 0x05 && (code & 0xf0) !== 0x00;

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
  add: 0x04,
  sub: 0x14,
  mul: 0x24,
  div: 0x34,
  mod: 0x94,
  and: 0x54,
  or: 0x44,
  xor: 0xa4,
  lsh: 0x64,
  rsh: 0x74,
};
const J_OPS: Readonly<Record<string, number>> = { jeq: 0x15, jgt: 0x25, jge: 0x35, jset: 0x45 };

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
 * means; a capture is k. Tried in order.
 */
const D_FORMS: Readonly<Record<string, readonly (readonly [RegExp, number])[]>> = {
  ret: [
    [/^[aA]?$/, 0x16],
    [IMM, 0x06],
  ],
  ld: [
    [IND, 0x40],
    [ABS, 0x20],
    [LEN, 0x80],
    [MEM, 0x60],
    [IMM, 0x00],
  ],
  ldh: [
    [IND, 0x48],
    [ABS, 0x28],
  ],
  ldb: [
    [IND, 0x50],
    [ABS, 0x30],
  ],
  ldx: [
    [LEN, 0x81],
    [MEM, 0x61],
    [IMM, 0x01],
    [MSH, 0xb1],
  ],
  ldxb: [[MSH, 0xb1]],
  st: [[MEM, 0x02]],
  stx: [[MEM, 0x03]],
  neg: [[NONE, 0x84]],
  tax: [[NONE, 0x07]],
  txa: [[NONE, 0x87]],
  ...Object.fromEntries(
    Object.entries({ ...K_OPS, ...J_OPS }).map(([name, code]) => [
      name,
      [
        [X, code | 0x08],
        [IMM, code],
      ] as const,
    ]),
  ),
};

/** Parses one `-d` line (without jumps resolved): returns the instruction given its index `n`. */
function parseDLine(line: Line, source: string, expectIndex: number): RawInsn {
  const fail = (msg: string, at = 0, len = 1): never => {
    throw new TextSyntaxError(msg, source, line.offset + at, len);
  };
  const m = /^\s*\((\d+)\)\s+([a-z]+)\s*(.*?)\s*$/.exec(line.text);
  if (!m) return fail(`expected a tcpdump -d line like '(000) ldh      [12]'`, 0, line.text.length);
  const n = Number(m[1]);
  if (n !== expectIndex)
    fail(
      `instruction (${m[1]}) out of order: expected (${String(expectIndex).padStart(3, '0')})`,
      line.text.indexOf('('),
      m[1].length + 2,
    );
  const op = m[2];
  let rest = m[3];
  const restAt =
    line.text.length - line.text.trimStart().length + line.text.trim().length - rest.length;
  let jt = 0;
  let jf = 0;
  const jm = /^(.*?)\s*jt\s+(-?\d+)\s+jf\s+(-?\d+)$/.exec(rest);
  const bad = (what: string): never =>
    fail(`bad operand for ${op}: ${what}`, restAt, Math.max(1, rest.length));
  const target = (t: string, which: string) => {
    const d = Number(t) - n - 1;
    if (!Number.isInteger(d) || d < 0 || d > 255)
      bad(`${which} target ${t} is not 0..255 instructions after (${n})`);
    return d;
  };
  if (jm) {
    // bpf_image prints jt/jf for every JMP-class code but ja, unknown ones (`unimp`) included.
    if (!(op in J_OPS) && op !== 'unimp') bad('only conditional jumps take jt/jf');
    rest = jm[1];
    jt = target(jm[2], 'jt');
    jf = target(jm[3], 'jf');
  } else if (op in J_OPS) {
    bad('a conditional jump needs jt N and jf N');
  }
  const r = (code: number, k = 0): RawInsn => ({ code, jt, jf, k: k >>> 0 });
  const num = (s: string) => parseInt32(s) ?? bad(`'${s}' is not a number`);
  if (op === 'ja') {
    const t = parseInt32(rest) ?? bad(`'${rest}' is not a jump target`);
    return r(0x05, (t - n - 1) >>> 0);
  }
  if (op === 'unimp') {
    const code = num(rest);
    return code > 0xffff ? bad(`opcode ${rest} is wider than 16 bits`) : r(code);
  }
  const forms = D_FORMS[op];
  if (!forms) return fail(`unknown instruction '${op}'`, line.text.indexOf(op), op.length);
  for (const [re, code] of forms) {
    const m = re.exec(rest);
    if (!m) continue;
    if (m[1] === undefined) return r(code);
    // `ld [proto]`: bpf_image names Linux ancillary offsets in absolute loads.
    const anc = (code & 0xe7) === 0x20 ? ANC_BY_NAME.get(m[1]) : undefined;
    return r(code, anc !== undefined ? SKF_AD_OFF + anc : num(m[1]));
  }
  return bad(rest);
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

/**
 * Parses `tcpdump -ddd` output: a count line then `code jt jf k` lines; also the one-line comma-joined
 * form (`4,40 0 0 12,21 0 1 2054,6 0 0 262144,6 0 0 0`). The count must match.
 */
export function parseTcpdumpDDD(source: string): RawInsn[] {
  const text = unquote(source);
  const oneLine = !text.trim().includes('\n') && text.includes(',');
  const sep = oneLine ? ',' : '\n';
  const items: { s: string; at: number }[] = [];
  let at = 0;
  for (const raw of text.split(sep)) {
    const s = raw.replace(/\r$/, '');
    if (s.trim() !== '') items.push({ s: s.trim(), at: at + (s.length - s.trimStart().length) });
    at += raw.length + 1;
  }
  if (items.length === 0)
    throw new TextSyntaxError('empty program: expected the instruction count', text, 0);
  const count = parseInt32(items[0].s);
  if (count === undefined || !/^\d+$/.test(items[0].s))
    throw new TextSyntaxError(
      `expected the instruction count, got '${items[0].s}'`,
      text,
      items[0].at,
      items[0].s.length,
    );
  const out = items.slice(1).map(({ s, at: pos }) => {
    const f = s.split(/\s+/);
    const nums = f.map((x) => (/^\d+$/.test(x) ? Number(x) : Number.NaN));
    if (
      f.length !== 4 ||
      nums.some((v) => Number.isNaN(v)) ||
      nums[0] > 0xffff ||
      nums[1] > 255 ||
      nums[2] > 255 ||
      nums[3] > 0xffffffff
    ) {
      throw new TextSyntaxError(
        `expected 'code jt jf k' in decimal (code u16, jt/jf 0..255, k u32), got '${s}'`,
        text,
        pos,
        s.length,
      );
    }
    return { code: nums[0], jt: nums[1], jf: nums[2], k: nums[3] };
  });
  if (out.length !== count) {
    throw new TextSyntaxError(
      `the count says ${count} instructions but ${out.length} follow`,
      text,
      items[0].at,
      items[0].s.length,
    );
  }
  return out;
}
