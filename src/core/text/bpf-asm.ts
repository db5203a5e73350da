// Linux `bpf_asm` syntax (tools/bpf/bpf_exp.l, bpf_exp.y): labels, comments, aliases; parse and print.

import type { Program } from '../encode.js';
import { EncodeError, TextSyntaxError } from '../errors.js';
import type { RawInsn } from '../insn.js';
import { SKF_AD, SKF_AD_OFF } from '../opcodes.js';

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
/** Conditional jumps: opcode, and whether a single label is the false branch (jneq/jlt/jle). */
const JUMPS: Readonly<Record<string, { code: number; negated: boolean }>> = {
  jeq: { code: 0x15, negated: false },
  jneq: { code: 0x15, negated: true },
  jne: { code: 0x15, negated: true },
  jlt: { code: 0x35, negated: true },
  jle: { code: 0x25, negated: true },
  jgt: { code: 0x25, negated: false },
  jge: { code: 0x35, negated: false },
  jset: { code: 0x45, negated: false },
};
const LD_SIZE: Readonly<Record<string, number>> = { ld: 0x00, ldh: 0x08, ldb: 0x10 };

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

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let lineStart = true;
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      out.push({ t: 'nl', at: i, end: i + 1 });
      i++;
      lineStart = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === ';' || (c === '#' && lineStart)) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    lineStart = false;
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new TextSyntaxError('unterminated /* comment', src, i, 2);
      for (let j = i; j < end; j++) if (src[j] === '\n') out.push({ t: 'nl', at: j, end: j + 1 });
      i = end + 2;
      continue;
    }
    const rest = src.slice(i);
    let m = /^([A-Za-z_][A-Za-z0-9_]*)\s*:/.exec(rest);
    if (m && m[1].length >= 2) {
      out.push({ t: 'label', v: m[1], at: i, end: i + m[1].length });
      i += m[0].length;
      continue;
    }
    m = /^[-+]?(0x[0-9a-f]+|0b[01]+|[0-9]+)/i.exec(rest);
    if (m) {
      const v = numberValue(m[0]);
      if (v === undefined) throw new TextSyntaxError(`bad number '${m[0]}'`, src, i, m[0].length);
      out.push({ t: 'num', v, at: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (m) {
      out.push({ t: 'id', v: m[0], at: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    if ('#[]+,*()&%'.includes(c)) {
      out.push({ t: 'p', v: c, at: i, end: i + 1 });
      i++;
      continue;
    }
    throw new TextSyntaxError(`unexpected character '${c}'`, src, i);
  }
  return out;
}

interface Pending {
  insn: RawInsn;
  /** Jump labels to resolve: 'k' for ja, 't'/'f' for conditional jumps. */
  refs: { field: 'k' | 't' | 'f'; label: string; at: number; end: number }[];
}

/**
 * Assembles bpf_asm source. Keywords are case-insensitive; labels (2+ characters) name the next
 * instruction; `jeq #k, Lt, Lf` / `jeq #k, Lt` (false falls through); `jneq`/`jne`, `jlt`, `jle` put a
 * single label on the false branch. Errors are TextSyntaxError with line and column.
 *
 * Everything bpf_asm accepts means the same here. A few things it rejects are read too, each with
 * one obvious meaning: two labels on `jneq`/`jlt`/`jle` (`jlt #k, Lless, Lnot`), `ld k` / `ldx k`
 * without `#`, `[x]` and `[x 4]` for `[x + 0]`/`[x + 4]`, space in `# len`, leading blanks before a `#`
 * comment line, and a value spelled past 32 bits is an error rather than truncated.
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
      if (w === 'len' || w in ANC_KEYWORDS) {
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
    if (num("'0xf'") !== 0xf) fail('expected 4*([k]&0xf)', maskTok);
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
      if (labels.has(t.v)) fail(`label '${t.v}' is defined twice`);
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
    if (op in LD_SIZE || op === 'ldi') {
      const size = op === 'ldi' ? 0 : LD_SIZE[op];
      const kwTok = toks[p];
      const kw = op === 'ldi' ? undefined : keyword();
      if (kw === 'len') out = size === 0 ? r(0x80) : fail('only ld loads #len', kwTok);
      else if (kw) out = r(0x20 | size, SKF_AD_OFF + ANC_KEYWORDS[kw]);
      else {
        const m = op === 'ld' ? mem() : undefined;
        if (m !== undefined) out = r(0x60, m);
        else {
          const b = op === 'ldi' ? undefined : bracket();
          if (b) out = r((b.ind ? 0x40 : 0x20) | size, b.k);
          else if (size === 0) {
            punct('#');
            out = r(0x00, num('#k, [k], [x + k], M[k] or #len'));
          } else out = fail(`${op} takes [k], [x + k] or an ancillary keyword`);
        }
      }
    } else if (op === 'ldx' || op === 'ldxi' || op === 'ldxb') {
      const kwTok = toks[p];
      const kw = op === 'ldx' ? keyword() : undefined;
      if (kw === 'len') out = r(0x81);
      else if (kw) out = fail('ldx cannot load ancillary data', kwTok);
      else {
        const m = op === 'ldx' ? mem() : undefined;
        if (m !== undefined) out = r(0x61, m);
        else if (op !== 'ldxi' && peek()?.t === 'num' && !(op === 'ldx' && toks[p + 1]?.t !== 'p'))
          out = r(0xb1, msh());
        else if (op === 'ldxb') out = r(0xb1, msh());
        else {
          punct('#');
          out = r(0x01, num('#k, M[k], #len or 4*([k]&0xf)'));
        }
      }
    } else if (op === 'st' || op === 'stx') {
      const m = mem();
      out = m === undefined ? fail(`${op} takes M[k]`) : r(op === 'st' ? 0x02 : 0x03, m);
    } else if (op === 'ja' || op === 'jmp') {
      out = r(0x05);
      out.refs.push({ field: 'k', ...labelRef() });
    } else if (op in JUMPS) {
      const j = JUMPS[op];
      let code = j.code;
      let k = 0;
      if (isX()) code |= 0x08;
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
    } else if (op in ALU) {
      if (isX()) out = r(ALU[op] | 0x08);
      else {
        expect('#', "'#k' or 'x'");
        out = r(ALU[op], num());
      }
    } else if (op === 'neg') out = r(0x84);
    else if (op === 'tax') out = r(0x07);
    else if (op === 'txa') out = r(0x87);
    else if (op === 'ret') {
      const save = p;
      punct('%');
      const w = word();
      if (w === 'a') out = r(0x16);
      else if (w === 'x') out = r(0x0e);
      else {
        p = save;
        const kwTok = toks[p];
        const kw = keyword();
        if (kw) out = fail('ret takes #k, a or x', kwTok);
        expect('#', "'#k', 'a' or 'x'");
        out = r(0x06, num());
      }
    } else {
      out = fail(`unknown instruction '${opTok.v}'`, opTok);
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
        throw new TextSyntaxError(`undefined label '${ref.label}'`, src, ref.at, ref.end - ref.at);
      const d = target - i - 1;
      if (ref.field === 'k')
        x.k = d >>> 0; // a backward ja wraps; only the kernel's checker rejects it
      else {
        if (d < 0 || d > 255)
          throw new TextSyntaxError(
            `label '${ref.label}' is ${d} instructions away; a conditional jump reaches 0..255`,
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
    const cls = x.code & 0x07;
    if (x.code === 0x05) targets.add((i + 1 + x.k) >>> 0);
    else if (cls === 0x05) targets.add(i + 1 + x.jt).add(i + 1 + x.jf);
  });
  for (const t of targets) {
    if (t >= n) {
      const i = program.findIndex(
        (x, j) =>
          (x.code === 0x05 ? (j + 1 + x.k) >>> 0 : j + 1 + x.jt) === t ||
          ((x.code & 7) === 5 && x.code !== 5 && j + 1 + x.jf === t),
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
    const sizeName = (code: number) => ['ld', 'ldh', 'ldb'][(code & 0x18) >> 3];
    switch (x.code) {
      case 0x20:
      case 0x28:
      case 0x30:
        text = anc ? `${sizeName(x.code)} #${anc}` : `${sizeName(x.code)} [${hexOrDec(k)}]`;
        break;
      case 0x40:
      case 0x48:
      case 0x50:
        text = `${sizeName(x.code)} [x + ${hexOrDec(k)}]`;
        break;
      case 0x00:
        text = `ld #${hexConst(k)}`;
        break;
      case 0x80:
        text = 'ld #len';
        break;
      case 0x60:
        text = `ld M[${k}]`;
        break;
      case 0x01:
        text = `ldx #${hexConst(k)}`;
        break;
      case 0x81:
        text = 'ldx #len';
        break;
      case 0x61:
        text = `ldx M[${k}]`;
        break;
      case 0xb1:
        text = `ldxb 4*([${hexOrDec(k)}]&0xf)`;
        break;
      case 0x02:
        text = `st M[${k}]`;
        break;
      case 0x03:
        text = `stx M[${k}]`;
        break;
      case 0x84:
        text = 'neg';
        break;
      case 0x05:
        text = `ja ${L((i + 1 + k) >>> 0)}`;
        break;
      case 0x06:
        text = `ret #${hexOrDec(k)}`;
        break;
      case 0x16:
        text = 'ret a';
        break;
      case 0x0e:
        text = 'ret x';
        break;
      case 0x07:
        text = 'tax';
        break;
      case 0x87:
        text = 'txa';
        break;
      default: {
        const alu = Object.entries(ALU).find(([, c]) => c === (x.code & ~0x08));
        const jmp = Object.entries(JUMPS).find(
          ([, j]) => !j.negated && j.code === (x.code & ~0x08),
        );
        const operand = (hex: boolean) =>
          x.code & 0x08 ? 'x' : `#${hex ? hexConst(k) : hexOrDec(k)}`;
        if (alu && (x.code & 0x07) === 0x04) text = `${alu[0]} ${operand(BITWISE.has(alu[0]))}`;
        else if (jmp && (x.code & 0x07) === 0x05)
          text = `${jmp[0]} ${operand(true)}, ${L(i + 1 + x.jt)}, ${L(i + 1 + x.jf)}`;
        else throw new EncodeError(i, `opcode 0x${x.code.toString(16)} has no bpf_asm form`);
      }
    }
    lines.push(`${targets.has(i) ? `${L(i)}: ` : ''}${text}`);
  });
  return lines.map((l) => `${l}\n`).join('');
}
