// Linux `bpf_asm` syntax (tools/bpf/bpf_exp.l, bpf_exp.y): labels, comments, aliases; parse and print.

import type { Program } from '../encode.js';
import { EncodeError, TextSyntaxError } from '../errors.js';
import type { RawInsn } from '../insn.js';
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
  BPF_MSH,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_SIZE,
  BPF_SRC,
  BPF_ST,
  BPF_STX,
  BPF_SUB,
  BPF_TAX,
  BPF_TXA,
  BPF_W,
  BPF_X,
  BPF_XOR,
  SKF_AD,
  SKF_AD_OFF,
} from '../opcodes.js';
import { isDigit, isHexDigit, lowerAscii } from './chars.js';
import { quoted } from './quoted.js';

/** ldx msh's mask, `4*([k]&0xf)`: the IPv4 header length is the low four bits of the first byte. */
const IHL_MASK = 15;

/** bpf_asm's ancillary keywords (`ld #proto`, `ldb #vlan_pr` ...) → SKF_AD offset. */
const ANC_KEYWORDS: Readonly<Record<string, number>> = {
  proto: SKF_AD.protocol,
  type: SKF_AD.pkttype,
  ifidx: SKF_AD.ifindex,
  nla: SKF_AD.nlattr,
  nlan: SKF_AD.nlattr_nest,
  mark: SKF_AD.mark,
  queue: SKF_AD.queue,
  hatype: SKF_AD.hatype,
  rxhash: SKF_AD.rxhash,
  cpu: SKF_AD.cpu,
  vlan_tci: SKF_AD.vlan_tag,
  vlan_pr: SKF_AD.vlan_tag_present,
  vlan_avail: SKF_AD.vlan_tag_present,
  poff: SKF_AD.pay_offset,
  rand: SKF_AD.random,
  vlan_tpid: SKF_AD.vlan_tpid,
};
/** The name the printer uses for each offset (first keyword wins). */
const ANC_PRINT = new Map<number, string>();
for (const [name, n] of Object.entries(ANC_KEYWORDS)) if (!ANC_PRINT.has(n)) ANC_PRINT.set(n, name);

const ALU: Readonly<Record<string, number>> = {
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
/** Conditional jumps: opcode, and whether a single label is the false branch (jneq/jlt/jle). */
const JUMPS: Readonly<Record<string, { code: number; negated: boolean }>> = {
  jeq: { code: BPF_JMP | BPF_JEQ, negated: false },
  jneq: { code: BPF_JMP | BPF_JEQ, negated: true },
  jne: { code: BPF_JMP | BPF_JEQ, negated: true },
  jlt: { code: BPF_JMP | BPF_JGE, negated: true },
  jle: { code: BPF_JMP | BPF_JGT, negated: true },
  jgt: { code: BPF_JMP | BPF_JGT, negated: false },
  jge: { code: BPF_JMP | BPF_JGE, negated: false },
  jset: { code: BPF_JMP | BPF_JSET, negated: false },
};
const LD_SIZE: Readonly<Record<string, number>> = { ld: BPF_W, ldh: BPF_H, ldb: BPF_B };

type Tok =
  | { t: 'id'; v: string; at: number; end: number }
  | { t: 'num'; v: number; at: number; end: number }
  | { t: 'label'; v: string; at: number; end: number }
  | { t: 'p'; v: string; at: number; end: number }
  | { t: 'nl'; at: number; end: number };

/** Numbers as bpf_exp.l: 0x hex, 0b binary, leading-0 octal, or signed decimal (wrapping to u32). */
function numberValue(s: string): number | undefined {
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(s)) v = Number.parseInt(s.slice(2), 16);
  else if (/^0b[01]+$/i.test(s)) v = Number.parseInt(s.slice(2), 2);
  else if (/^0[0-7]+$/.test(s)) v = Number.parseInt(s.slice(1), 8);
  else if (/^[-+]?(0|[1-9][0-9]*)$/.test(s)) v = Number(s);
  else return undefined;
  if (!Number.isSafeInteger(v) || v > 0xffffffff || v < -0x80000000) return undefined;
  return v >>> 0;
}

const isIdStart = (c: number) => (lowerAscii(c) >= 97 && lowerAscii(c) <= 122) || c === 95;
const isIdChar = (c: number) => isIdStart(c) || isDigit(c);

/**
 * bpf_exp.l's tokens, in one pass by hand (a pattern per token on the rest of the text copied it
 * each time). A label is a name and a `:` on the same line; bpf_asm wants 2+ characters, cbpf takes
 * one too (`a: ret #0` has one meaning).
 */
function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const n = src.length;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 10) {
      out.push({ t: 'nl', at: i, end: i + 1 });
      i++;
      lineStart = true;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    if (c === 59 || (c === 35 && lineStart)) {
      // `; comment`, and a line starting with `#`
      const e = src.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    lineStart = false;
    if (c === 47 && src.charCodeAt(i + 1) === 42) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new TextSyntaxError('unterminated /* comment', src, i, 2);
      for (let j = i; j < end; j++)
        if (src.charCodeAt(j) === 10) out.push({ t: 'nl', at: j, end: j + 1 });
      i = end + 2;
      continue;
    }
    const start = i;
    if (isIdStart(c)) {
      while (i < n && isIdChar(src.charCodeAt(i))) i++;
      const name = src.slice(start, i);
      let j = i;
      while (j < n && (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9)) j++;
      if (src.charCodeAt(j) === 58) {
        out.push({ t: 'label', v: name, at: start, end: i });
        i = j + 1;
      } else out.push({ t: 'id', v: name, at: start, end: i });
      continue;
    }
    // Numbers: 0x hex, 0b binary, decimal or leading-0 octal, with a sign (bpf_exp.l's forms).
    let j = i;
    if (c === 45 || c === 43) j++;
    if (isDigit(src.charCodeAt(j))) {
      const d = j;
      const x = lowerAscii(src.charCodeAt(d + 1));
      if (src.charCodeAt(d) === 48 && x === 120 && isHexDigit(src.charCodeAt(d + 2))) {
        j = d + 2;
        while (j < n && isHexDigit(src.charCodeAt(j))) j++;
      } else if (
        src.charCodeAt(d) === 48 &&
        x === 98 &&
        (src.charCodeAt(d + 2) === 48 || src.charCodeAt(d + 2) === 49)
      ) {
        j = d + 2;
        while (j < n && (src.charCodeAt(j) === 48 || src.charCodeAt(j) === 49)) j++;
      } else while (j < n && isDigit(src.charCodeAt(j))) j++;
      const text = src.slice(start, j);
      const v = numberValue(text);
      if (v === undefined)
        throw new TextSyntaxError(`bad number ${quoted(text)}`, src, start, j - start);
      out.push({ t: 'num', v, at: start, end: j });
      i = j;
      continue;
    }
    if ('#[]+,*()&%'.includes(src[i])) {
      out.push({ t: 'p', v: src[i], at: i, end: i + 1 });
      i++;
      continue;
    }
    throw new TextSyntaxError(
      `unexpected character '${String.fromCodePoint(src.codePointAt(i)!)}'`,
      src,
      i,
    );
  }
  return out;
}

interface Pending {
  insn: RawInsn;
  /** Jump labels to resolve: 'k' for ja, 't'/'f' for conditional jumps. */
  refs: { field: 'k' | 't' | 'f'; label: string; at: number; end: number }[];
}

/**
 * Assembles bpf_asm source. Keywords are case-insensitive; labels name the next
 * instruction; `jeq #k, Lt, Lf` / `jeq #k, Lt` (false falls through); `jneq`/`jne`, `jlt`, `jle` put a
 * single label on the false branch. Errors are TextSyntaxError with line and column.
 *
 * Everything bpf_asm accepts means the same here. A few things it rejects are read too, each with
 * one obvious meaning: two labels on `jneq`/`jlt`/`jle` (`jlt #k, Lless, Lnot`), `ld k` / `ldx k`
 * without `#`, `[x]` and `[x 4]` for `[x + 0]`/`[x + 4]`, space in `# len`, leading blanks before a `#`
 * comment line, one-character labels (`a: ret #0`), and a value spelled past 32 bits is an error rather than truncated.
 * @example parseBpfAsm('ldh [12]\njeq #0x806, ok, drop\nok: ret #-1\ndrop: ret #0')
 */
export function parseBpfAsm(src: string): RawInsn[] {
  const toks = tokenize(src);
  const labels = new Map<string, number>();
  /** The last label read, until an instruction follows it (bpf_exp.y: `labelled instr`). */
  let dangling: Tok | undefined;
  const prog: Pending[] = [];
  let p = 0;
  const peek = () => toks[p];
  const fail = (msg: string, tok = toks[p]): never => {
    const at = tok ? tok.at : src.length;
    throw new TextSyntaxError(msg, src, at, tok ? Math.max(1, tok.end - tok.at) : 1);
  };
  const punct = (v: string) => {
    const t = toks[p];
    if (t?.t === 'p' && t.v === v) {
      p++;
      return true;
    }
    return false;
  };
  const expect = (v: string, what = `'${v}'`) => {
    if (!punct(v)) fail(`expected ${what}`);
  };
  const num = (what = 'a number'): number => {
    const t = toks[p];
    if (t?.t !== 'num') return fail(`expected ${what}`);
    p++;
    return t.v;
  };
  const word = (): string | undefined => {
    const t = toks[p];
    if (t?.t === 'id') {
      p++;
      return t.v.toLowerCase();
    }
    return undefined;
  };
  const isX = () => {
    const save = p;
    punct('%');
    const t = toks[p];
    if (t?.t === 'id' && t.v.toLowerCase() === 'x') {
      p++;
      return true;
    }
    p = save;
    return false;
  };
  const labelRef = () => {
    const t = toks[p];
    if (t?.t !== 'id') return fail('expected a label');
    p++;
    return { label: t.v, at: t.at, end: t.end };
  };
  /** `#kw`/`kw` ancillary or len keyword, if present. */
  const keyword = (): string | undefined => {
    const save = p;
    punct('#');
    const t = toks[p];
    if (t?.t === 'id') {
      const w = t.v.toLowerCase();
      if (w === 'len' || Object.hasOwn(ANC_KEYWORDS, w)) {
        p++;
        return w;
      }
    }
    p = save;
    return undefined;
  };
  const mem = () => {
    const t = toks[p];
    if (t?.t === 'id' && (t.v === 'M' || t.v === 'm')) {
      p++;
      expect('[');
      const k = num('a scratch index');
      expect(']');
      return k;
    }
    return undefined;
  };
  /** `[x + k]`, `[%x + k]` (IND) or `[k]` (ABS); undefined when no '['. */
  const bracket = (): { ind: boolean; k: number } | undefined => {
    if (!punct('[')) return undefined;
    if (isX()) {
      let k = 0;
      if (punct('+')) k = num('an offset');
      else if (peek()?.t === 'num') k = num();
      expect(']');
      return { ind: true, k };
    }
    const k = num('an offset or x + offset');
    expect(']');
    return { ind: false, k };
  };
  const msh = () => {
    const fourTok = toks[p];
    if (num("'4'") !== 4) fail('expected 4*([k]&0xf)', fourTok);
    expect('*');
    expect('(');
    expect('[');
    const k = num('an offset');
    expect(']');
    expect('&');
    const maskTok = toks[p];
    if (num("'0xf'") !== IHL_MASK) fail('expected 4*([k]&0xf)', maskTok);
    expect(')');
    return k;
  };

  while (p < toks.length) {
    const t = toks[p];
    if (t.t === 'nl') {
      p++;
      continue;
    }
    if (t.t === 'label') {
      if (labels.has(t.v)) fail(`label ${quoted(t.v)} is defined twice`);
      labels.set(t.v, prog.length);
      dangling = t;
      p++;
      continue;
    }
    if (t.t !== 'id') fail('expected an instruction');
    const opTok = t;
    const op = word()!;
    const r = (code: number, k = 0): Pending => ({
      insn: { code, jt: 0, jf: 0, k: k >>> 0 },
      refs: [],
    });
    let out: Pending;
    if (Object.hasOwn(LD_SIZE, op) || op === 'ldi') {
      const size = op === 'ldi' ? 0 : LD_SIZE[op];
      const kwTok = toks[p];
      const kw = op === 'ldi' ? undefined : keyword();
      if (kw === 'len')
        out = size === 0 ? r(BPF_LD | BPF_W | BPF_LEN) : fail('only ld loads #len', kwTok);
      else if (kw) out = r(BPF_LD | BPF_ABS | size, SKF_AD_OFF + ANC_KEYWORDS[kw]);
      else {
        const m = op === 'ld' ? mem() : undefined;
        if (m !== undefined) out = r(BPF_LD | BPF_MEM, m);
        else {
          const b = op === 'ldi' ? undefined : bracket();
          if (b) out = r(BPF_LD | (b.ind ? BPF_IND : BPF_ABS) | size, b.k);
          else if (size === 0) {
            punct('#');
            out = r(BPF_LD | BPF_IMM, num('#k, [k], [x + k], M[k] or #len'));
          } else out = fail(`${op} takes [k], [x + k] or an ancillary keyword`);
        }
      }
    } else if (op === 'ldx' || op === 'ldxi' || op === 'ldxb') {
      const kwTok = toks[p];
      const kw = op === 'ldx' ? keyword() : undefined;
      if (kw === 'len') out = r(BPF_LDX | BPF_W | BPF_LEN);
      else if (kw) out = fail('ldx cannot load ancillary data', kwTok);
      else {
        const m = op === 'ldx' ? mem() : undefined;
        if (m !== undefined) out = r(BPF_LDX | BPF_MEM, m);
        else if (op !== 'ldxi' && peek()?.t === 'num' && !(op === 'ldx' && toks[p + 1]?.t !== 'p'))
          out = r(BPF_LDX | BPF_B | BPF_MSH, msh());
        else if (op === 'ldxb') out = r(BPF_LDX | BPF_B | BPF_MSH, msh());
        else {
          punct('#');
          out = r(BPF_LDX | BPF_IMM, num('#k, M[k], #len or 4*([k]&0xf)'));
        }
      }
    } else if (op === 'st' || op === 'stx') {
      const m = mem();
      out = m === undefined ? fail(`${op} takes M[k]`) : r(op === 'st' ? BPF_ST : BPF_STX, m);
    } else if (op === 'ja' || op === 'jmp') {
      out = r(BPF_JMP | BPF_JA);
      out.refs.push({ field: 'k', ...labelRef() });
    } else if (Object.hasOwn(JUMPS, op)) {
      const j = JUMPS[op];
      let code = j.code;
      let k = 0;
      if (isX()) code |= BPF_X;
      else {
        expect('#', "'#k' or 'x'");
        k = num();
      }
      out = r(code, k);
      expect(',', "',' and a label");
      const first = labelRef();
      if (punct(',')) {
        const second = labelRef();
        out.refs.push(
          { field: j.negated ? 'f' : 't', ...first },
          { field: j.negated ? 't' : 'f', ...second },
        );
      } else {
        out.refs.push({ field: j.negated ? 'f' : 't', ...first });
      }
    } else if (Object.hasOwn(ALU, op)) {
      if (isX()) out = r(ALU[op] | BPF_X);
      else {
        expect('#', "'#k' or 'x'");
        out = r(ALU[op], num());
      }
    } else if (op === 'neg') out = r(BPF_ALU | BPF_NEG);
    else if (op === 'tax') out = r(BPF_MISC | BPF_TAX);
    else if (op === 'txa') out = r(BPF_MISC | BPF_TXA);
    else if (op === 'ret') {
      const save = p;
      punct('%');
      const w = word();
      if (w === 'a') out = r(BPF_RET | BPF_A);
      else if (w === 'x') out = r(BPF_RET | BPF_X);
      else {
        p = save;
        const kwTok = toks[p];
        const kw = keyword();
        if (kw) out = fail('ret takes #k, a or x', kwTok);
        expect('#', "'#k', 'a' or 'x'");
        out = r(BPF_RET | BPF_K, num());
      }
    } else {
      out = fail(`unknown instruction ${quoted(String(opTok.v))}`, opTok);
    }
    const after = toks[p];
    if (after && after.t !== 'nl') fail('unexpected text after the instruction', after);
    prog.push(out);
    dangling = undefined;
  }
  if (dangling) fail('a label must be followed by an instruction', dangling);
  return prog.map(({ insn, refs }, i) => {
    const x = { ...insn };
    for (const ref of refs) {
      const target = labels.get(ref.label);
      if (target === undefined)
        throw new TextSyntaxError(
          `undefined label ${quoted(ref.label)}`,
          src,
          ref.at,
          ref.end - ref.at,
        );
      const d = target - i - 1;
      if (ref.field === 'k')
        x.k = d >>> 0; // a backward ja wraps; only the kernel's checker rejects it
      else {
        if (d < 0 || d > 255)
          throw new TextSyntaxError(
            `label ${quoted(ref.label)} is ${d} instructions away; a conditional jump reaches 0..255`,
            src,
            ref.at,
            ref.end - ref.at,
          );
        if (ref.field === 't') x.jt = d;
        else x.jf = d;
      }
    }
    return x;
  });
}

/** Offsets and counts read best in decimal (hex once they are huge), masks and constants in hex. */
const hexOrDec = (k: number) =>
  k >>> 0 > 0xffff ? `0x${(k >>> 0).toString(16)}` : String(k >>> 0);
const hexConst = (k: number) => (k >>> 0 < 10 ? String(k >>> 0) : `0x${(k >>> 0).toString(16)}`);
/** ALU operations whose constant is a bit pattern rather than a quantity. */
const BITWISE = new Set(['and', 'or', 'xor']);

/**
 * Prints bpf_asm source that assembles back to `program`, with a label `Ln` on every jump target.
 * Throws EncodeError for what bpf_asm cannot express: unknown opcodes, jumps whose target is outside
 * the program; fields an opcode ignores are not printed (they come back as 0).
 */
export function printBpfAsm(program: Program): string {
  const n = program.length;
  const targets = new Set<number>();
  program.forEach((x, i) => {
    const cls = BPF_CLASS(x.code);
    if (x.code === (BPF_JMP | BPF_JA)) targets.add((i + 1 + x.k) >>> 0);
    else if (cls === BPF_JMP) targets.add(i + 1 + x.jt).add(i + 1 + x.jf);
  });
  for (const t of targets) {
    if (t >= n) {
      const i = program.findIndex(
        (x, j) =>
          (x.code === (BPF_JMP | BPF_JA) ? (j + 1 + x.k) >>> 0 : j + 1 + x.jt) === t ||
          (BPF_CLASS(x.code) === BPF_JMP && x.code !== (BPF_JMP | BPF_JA) && j + 1 + x.jf === t),
      );
      throw new EncodeError(
        Math.max(0, i),
        `jump target ${t} is past the end of a ${n}-instruction program`,
      );
    }
  }
  const L = (t: number) => `L${t}`;
  const lines: string[] = [];
  program.forEach((x, i) => {
    const k = x.k >>> 0;
    let text: string;
    const anc = k >= SKF_AD_OFF ? ANC_PRINT.get(k - SKF_AD_OFF) : undefined;
    const sizeName = (code: number) => ['ld', 'ldh', 'ldb'][BPF_SIZE(code) >> 3];
    switch (x.code) {
      case BPF_LD | BPF_W | BPF_ABS:
      case BPF_LD | BPF_H | BPF_ABS:
      case BPF_LD | BPF_B | BPF_ABS:
        text = anc ? `${sizeName(x.code)} #${anc}` : `${sizeName(x.code)} [${hexOrDec(k)}]`;
        break;
      case BPF_LD | BPF_W | BPF_IND:
      case BPF_LD | BPF_H | BPF_IND:
      case BPF_LD | BPF_B | BPF_IND:
        text = `${sizeName(x.code)} [x + ${hexOrDec(k)}]`;
        break;
      case BPF_LD | BPF_IMM:
        text = `ld #${hexConst(k)}`;
        break;
      case BPF_LD | BPF_W | BPF_LEN:
        text = 'ld #len';
        break;
      case BPF_LD | BPF_MEM:
        text = `ld M[${k}]`;
        break;
      case BPF_LDX | BPF_IMM:
        text = `ldx #${hexConst(k)}`;
        break;
      case BPF_LDX | BPF_W | BPF_LEN:
        text = 'ldx #len';
        break;
      case BPF_LDX | BPF_MEM:
        text = `ldx M[${k}]`;
        break;
      case BPF_LDX | BPF_B | BPF_MSH:
        text = `ldxb 4*([${hexOrDec(k)}]&0xf)`;
        break;
      case BPF_ST:
        text = `st M[${k}]`;
        break;
      case BPF_STX:
        text = `stx M[${k}]`;
        break;
      case BPF_ALU | BPF_NEG:
        text = 'neg';
        break;
      case BPF_JMP | BPF_JA:
        text = `ja ${L((i + 1 + k) >>> 0)}`;
        break;
      case BPF_RET | BPF_K:
        text = `ret #${hexOrDec(k)}`;
        break;
      case BPF_RET | BPF_A:
        text = 'ret a';
        break;
      case BPF_RET | BPF_X:
        text = 'ret x';
        break;
      case BPF_MISC | BPF_TAX:
        text = 'tax';
        break;
      case BPF_MISC | BPF_TXA:
        text = 'txa';
        break;
      default: {
        const alu = Object.entries(ALU).find(([, c]) => c === (x.code & ~BPF_X));
        const jmp = Object.entries(JUMPS).find(
          ([, j]) => !j.negated && j.code === (x.code & ~BPF_X),
        );
        const operand = (hex: boolean) =>
          BPF_SRC(x.code) === BPF_X ? 'x' : `#${hex ? hexConst(k) : hexOrDec(k)}`;
        if (alu && BPF_CLASS(x.code) === BPF_ALU)
          text = `${alu[0]} ${operand(BITWISE.has(alu[0]))}`;
        else if (jmp && BPF_CLASS(x.code) === BPF_JMP)
          text = `${jmp[0]} ${operand(true)}, ${L(i + 1 + x.jt)}, ${L(i + 1 + x.jf)}`;
        else throw new EncodeError(i, `opcode 0x${x.code.toString(16)} has no bpf_asm form`);
      }
    }
    lines.push(`${targets.has(i) ? `${L(i)}: ` : ''}${text}`);
  });
  return lines.map((l) => `${l}\n`).join('');
}
