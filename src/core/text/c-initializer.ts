// C array initializers for `struct sock_filter` / `struct bpf_insn`: the `{ 0x28, 0, 0, 0x0000000c },`
// records tcpdump -dd and bpf_asm -c print, and the BPF_STMT/BPF_JUMP macro form that man pages,
// seccomp filters and the seeds are written in (`BPF_STMT(BPF_LD+BPF_H+BPF_ABS, 12)`), both ways.
import { TextSyntaxError } from '../errors.js';
import type { RawInsn } from '../insn.js';
import * as op from '../opcodes.js';

/**
 * Names a filter's C source may use in an operand. The BPF_* and SKF_* ABI names come from the
 * opcode table; the rest are the constants such filters compare against most (linux/if_ether.h,
 * net/ethernet.h, netinet/in.h, linux/seccomp.h), so a pasted filter parses without its headers.
 */
const C_NAMES: ReadonlyMap<string, bigint> = new Map(
  (
    [
      ...(Object.entries(op).filter(
        ([name, v]) => /^(BPF|SKF)_[A-Z0-9_]+$/.test(name) && typeof v === 'number',
      ) as [string, number][]),
      ...Object.entries(op.SKF_AD).map(([name, n]): [string, number] => [
        `SKF_AD_${name.toUpperCase()}`,
        n,
      ]),
      ['SKF_AD_MAX', op.SKF_AD_MAX],
      ['BPF_MAXINSNS', op.LINUX_MAXINSNS],
      ['ETH_HLEN', 14],
      ['ETH_ALEN', 6],
      ['ETH_P_IP', 0x0800],
      ['ETH_P_ARP', 0x0806],
      ['ETH_P_RARP', 0x8035],
      ['ETH_P_IPV6', 0x86dd],
      ['ETH_P_8021Q', 0x8100],
      ['ETH_P_8021AD', 0x88a8],
      ['ETH_P_ALL', 0x0003],
      ['ETHERTYPE_IP', 0x0800],
      ['ETHERTYPE_ARP', 0x0806],
      ['ETHERTYPE_REVARP', 0x8035],
      ['ETHERTYPE_IPV6', 0x86dd],
      ['ETHERTYPE_VLAN', 0x8100],
      ['ARPOP_REQUEST', 1],
      ['ARPOP_REPLY', 2],
      ['IPPROTO_ICMP', 1],
      ['IPPROTO_IGMP', 2],
      ['IPPROTO_TCP', 6],
      ['IPPROTO_UDP', 17],
      ['IPPROTO_ICMPV6', 58],
      ['SECCOMP_RET_KILL_PROCESS', 0x80000000],
      ['SECCOMP_RET_KILL_THREAD', 0],
      ['SECCOMP_RET_KILL', 0],
      ['SECCOMP_RET_TRAP', 0x00030000],
      ['SECCOMP_RET_ERRNO', 0x00050000],
      ['SECCOMP_RET_USER_NOTIF', 0x7fc00000],
      ['SECCOMP_RET_TRACE', 0x7ff00000],
      ['SECCOMP_RET_LOG', 0x7ffc0000],
      ['SECCOMP_RET_ALLOW', 0x7fff0000],
    ] as [string, number][]
  ).map(([name, v]): [string, bigint] => [name, BigInt(v)]),
);

interface CTok {
  t: 'num' | 'id' | 'p';
  v: string;
  at: number;
}

/** C tokens of `src`; comments and preprocessor lines dropped, anything else kept as punctuation. */
function lexC(src: string): CTok[] {
  const out: CTok[] = [];
  const re =
    /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|(0x[0-9a-f]+|\d+)[ul]*(?![\w.])|([A-Za-z_]\w*)|(<<|>>|\S)/giy;
  while (re.lastIndex < src.length) {
    const m = re.exec(src);
    if (!m) break;
    if (m[1] !== undefined) out.push({ t: 'num', v: m[1], at: m.index });
    else if (m[2] !== undefined) out.push({ t: 'id', v: m[2], at: m.index });
    else if (
      m[3] === '#' &&
      /^[ \t]*$/.test(src.slice(src.lastIndexOf('\n', m.index - 1) + 1, m.index))
    ) {
      // `#include <linux/filter.h>`, `#define ...`: a preprocessor line, not ours to read.
      const eol = src.indexOf('\n', m.index);
      re.lastIndex = eol < 0 ? src.length : eol;
    } else if (m[3] !== undefined) {
      if (m[3] === '/' && src[m.index + 1] === '*')
        throw new TextSyntaxError('unterminated /* comment', src, m.index, 2);
      out.push({ t: 'p', v: m[3], at: m.index });
    }
  }
  return out;
}

const U32 = 0xffffffffn;

function apply(o: string, a: bigint, b: bigint): bigint {
  switch (o) {
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '&':
      return a & b;
    case '<<':
      return a << b;
    case '>>':
      return a >> b;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    default:
      return a % b;
  }
}

/**
 * A C constant expression over numbers and the names above: `| + - * / & ^ << >> ~ ( )` with C
 * precedence, casts like `(u_int)` ignored. Values are exact integers; callers check the range.
 */
class ExprParser {
  p = 0;
  constructor(
    readonly toks: CTok[],
    readonly src: string,
    readonly end: number,
  ) {}

  /** Throws at `tok`, or at the current token — the one ending the expression if it is used up. */
  fail(
    msg: string,
    tok: CTok | undefined = this.p < this.end ? this.toks[this.p] : this.toks[this.end],
  ): never {
    throw new TextSyntaxError(
      msg,
      this.src,
      tok?.at ?? this.src.length,
      tok ? Math.max(1, tok.v.length) : 1,
    );
  }

  is(v: string): boolean {
    const t = this.toks[this.p];
    return this.p < this.end && t.t === 'p' && t.v === v;
  }

  expect(v: string): void {
    if (!this.is(v)) this.fail(`expected '${v}'`);
    this.p++;
  }

  private binary(level: number): bigint {
    const LEVELS = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
    if (level === LEVELS.length) return this.unary();
    let v = this.binary(level + 1);
    for (;;) {
      const o = LEVELS[level].find((x) => this.is(x));
      if (!o) return v;
      const opTok = this.toks[this.p++];
      const r = this.binary(level + 1);
      if ((o === '/' || o === '%') && r === 0n) this.fail('division by zero in a constant', opTok);
      if ((o === '<<' || o === '>>') && (r < 0n || r > 63n))
        this.fail('shift count out of range', opTok);
      v = apply(o, v, r);
    }
  }

  private unary(): bigint {
    for (const sign of ['-', '+', '~']) {
      if (!this.is(sign)) continue;
      this.p++;
      const v = this.unary();
      return sign === '-' ? -v : sign === '~' ? ~v : v;
    }
    const t = this.toks[this.p];
    if (this.p >= this.end) return this.fail('expected a number or a name');
    if (t.t === 'p' && t.v === '(') {
      // `(u_int)-1`, `(uint32_t)x`: a parenthesised type name before an operand is a cast.
      const name = this.toks[this.p + 1];
      if (
        name?.t === 'id' &&
        !C_NAMES.has(name.v) &&
        this.toks[this.p + 2]?.v === ')' &&
        this.p + 3 < this.end
      ) {
        this.p += 3;
        return this.unary();
      }
      this.p++;
      const v = this.binary(0);
      this.expect(')');
      return v;
    }
    this.p++;
    if (t.t === 'num') {
      if (/^0\d/.test(t.v) && !/^0[0-7]+$/.test(t.v)) this.fail(`bad octal number '${t.v}'`, t);
      return BigInt(/^0\d/.test(t.v) ? `0o${t.v.slice(1)}` : t.v);
    }
    if (t.t === 'id') return C_NAMES.get(t.v) ?? this.fail(`unknown name '${t.v}'`, t);
    return this.fail(`unexpected '${t.v}'`, t);
  }

  /** One argument or field, in [min, max]; k-like fields (min < 0) wrap to u32. */
  field(what: string, min: bigint, max: bigint): number {
    const first = this.toks[this.p];
    const v = this.binary(0);
    if (v < min || v > max) this.fail(`${what} must be ${min}..${max}`, first);
    return Number(v & U32);
  }
}

/** Index of the token closing the bracket opened at `open`, or -1. */
function closing(toks: CTok[], open: number): number {
  const pairs: Record<string, string> = { '{': '}', '(': ')', '[': ']' };
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    const t = toks[i];
    if (t.t !== 'p') continue;
    if (t.v in pairs) depth++;
    else if (t.v === '}' || t.v === ')' || t.v === ']') if (--depth === 0) return i;
  }
  return -1;
}

/** Top-level comma-separated spans of toks[from, to). */
function fields(toks: CTok[], from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let start = from;
  let depth = 0;
  for (let i = from; i < to; i++) {
    const v = toks[i].t === 'p' ? toks[i].v : '';
    if (v === '(' || v === '[' || v === '{') depth++;
    else if (v === ')' || v === ']' || v === '}') depth--;
    else if (v === ',' && depth === 0) {
      out.push([start, i]);
      start = i + 1;
    }
  }
  if (start < to) out.push([start, to]);
  return out;
}

/** The value of the expression toks[from, to), which must be all of it. */
function evalSpan(
  toks: CTok[],
  src: string,
  [from, to]: [number, number],
  what: string,
  [min, max]: readonly [bigint, bigint],
): number {
  const e = new ExprParser(toks, src, to);
  e.p = from;
  const v = e.field(what, min, max);
  if (e.p < to) e.fail(`unexpected '${toks[e.p].v}'`);
  return v;
}

const CODE = [0n, 0xffffn] as const;
const JUMP = [0n, 255n] as const;
const K = [-0x80000000n, U32] as const;

/**
 * Parses a C initializer of classic BPF instructions: `{ code, jt, jf, k }` records and
 * `BPF_STMT(code, k)` / `BPF_JUMP(code, k, jt, jf)` macros, in any mix, with operands written as C
 * constant expressions (`BPF_LD+BPF_H+BPF_ABS`, `BPF_LD|BPF_H|BPF_ABS`, `SKF_AD_OFF + SKF_AD_PROTOCOL`,
 * `0xFFFFFFFF`, `(u_int)-1`). Declarations, `};`, comments and `#include` lines around them are
 * skipped, as is a `{ .len = ..., .filter = ... }` sock_fprog initializer.
 */
export function parseCInitializer(src: string): RawInsn[] {
  const toks = lexC(src);
  const out: RawInsn[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const macro =
      t.t === 'id' && (t.v === 'BPF_STMT' || t.v === 'BPF_JUMP') && toks[i + 1]?.v === '(';
    if (macro) {
      const close = closing(toks, i + 1);
      if (close < 0) throw new TextSyntaxError(`unclosed ${t.v}(`, src, t.at, t.v.length);
      const args = fields(toks, i + 2, close);
      const want = t.v === 'BPF_STMT' ? 2 : 4;
      if (args.length !== want)
        throw new TextSyntaxError(
          `${t.v} takes ${want} arguments, got ${args.length}`,
          src,
          t.at,
          t.v.length,
        );
      const arg = (span: [number, number], what: string, range: readonly [bigint, bigint]) =>
        evalSpan(toks, src, span, what, range);
      const code = arg(args[0], 'code', CODE);
      const k = arg(args[1], 'k', K);
      const jt = want === 4 ? arg(args[2], 'jt', JUMP) : 0;
      const jf = want === 4 ? arg(args[3], 'jf', JUMP) : 0;
      out.push({ code, jt, jf, k });
      i = close;
      continue;
    }
    if (t.t !== 'p' || t.v !== '{') continue;
    const close = closing(toks, i);
    if (close < 0) throw new TextSyntaxError("unclosed '{'", src, t.at);
    const inner = toks.slice(i + 1, close);
    // An array's outer braces (holding records or macros): step inside.
    if (inner.some((x) => x.v === '{' || x.v === 'BPF_STMT' || x.v === 'BPF_JUMP')) continue;
    const parts = fields(toks, i + 1, close);
    const numeric = inner.every((x) => x.t === 'num' || x.v === ',' || x.v === '-');
    if (parts.length !== 4) {
      // A sock_fprog `{ .len = 6, .filter = code }` or another struct is not ours to read.
      if (!numeric || inner.length === 0) {
        i = close;
        continue;
      }
      throw new TextSyntaxError(
        `expected { code, jt, jf, k }, got ${parts.length} fields`,
        src,
        t.at,
        toks[close].at + 1 - t.at,
      );
    }
    const field = (span: [number, number], what: string, range: readonly [bigint, bigint]) =>
      evalSpan(toks, src, span, what, range);
    out.push({
      code: field(parts[0], 'code', CODE),
      jt: field(parts[1], 'jt', JUMP),
      jf: field(parts[2], 'jf', JUMP),
      k: field(parts[3], 'k', K),
    });
    i = close;
  }
  if (out.length === 0)
    throw new TextSyntaxError(
      'no { code, jt, jf, k } records or BPF_STMT/BPF_JUMP macros found',
      src,
      0,
      Math.max(1, src.length),
    );
  return out;
}

/** linux/filter.h spellings of every opcode cbpf knows by name (the 49, plus bpf_asm's `ret x`). */
const CODE_NAMES: ReadonlyMap<number, string> = (() => {
  const m = new Map<number, string>();
  const sizes: [number, string][] = [
    [op.BPF_W, 'BPF_W'],
    [op.BPF_H, 'BPF_H'],
    [op.BPF_B, 'BPF_B'],
  ];
  for (const [s, sn] of sizes) {
    m.set(op.BPF_LD | s | op.BPF_ABS, `BPF_LD|${sn}|BPF_ABS`);
    m.set(op.BPF_LD | s | op.BPF_IND, `BPF_LD|${sn}|BPF_IND`);
  }
  m.set(op.BPF_LD | op.BPF_IMM, 'BPF_LD|BPF_IMM');
  m.set(op.BPF_LD | op.BPF_W | op.BPF_LEN, 'BPF_LD|BPF_W|BPF_LEN');
  m.set(op.BPF_LD | op.BPF_MEM, 'BPF_LD|BPF_MEM');
  m.set(op.BPF_LDX | op.BPF_IMM, 'BPF_LDX|BPF_IMM');
  m.set(op.BPF_LDX | op.BPF_W | op.BPF_LEN, 'BPF_LDX|BPF_W|BPF_LEN');
  m.set(op.BPF_LDX | op.BPF_MEM, 'BPF_LDX|BPF_MEM');
  m.set(op.BPF_LDX | op.BPF_B | op.BPF_MSH, 'BPF_LDX|BPF_B|BPF_MSH');
  m.set(op.BPF_ST, 'BPF_ST');
  m.set(op.BPF_STX, 'BPF_STX');
  const alu: [number, string][] = [
    [op.BPF_ADD, 'ADD'],
    [op.BPF_SUB, 'SUB'],
    [op.BPF_MUL, 'MUL'],
    [op.BPF_DIV, 'DIV'],
    [op.BPF_MOD, 'MOD'],
    [op.BPF_AND, 'AND'],
    [op.BPF_OR, 'OR'],
    [op.BPF_XOR, 'XOR'],
    [op.BPF_LSH, 'LSH'],
    [op.BPF_RSH, 'RSH'],
  ];
  for (const [o, name] of alu) {
    m.set(op.BPF_ALU | o | op.BPF_K, `BPF_ALU|BPF_${name}|BPF_K`);
    m.set(op.BPF_ALU | o | op.BPF_X, `BPF_ALU|BPF_${name}|BPF_X`);
  }
  m.set(op.BPF_ALU | op.BPF_NEG, 'BPF_ALU|BPF_NEG');
  m.set(op.BPF_JMP | op.BPF_JA, 'BPF_JMP|BPF_JA');
  const jmp: [number, string][] = [
    [op.BPF_JEQ, 'JEQ'],
    [op.BPF_JGT, 'JGT'],
    [op.BPF_JGE, 'JGE'],
    [op.BPF_JSET, 'JSET'],
  ];
  for (const [o, name] of jmp) {
    m.set(op.BPF_JMP | o | op.BPF_K, `BPF_JMP|BPF_${name}|BPF_K`);
    m.set(op.BPF_JMP | o | op.BPF_X, `BPF_JMP|BPF_${name}|BPF_X`);
  }
  m.set(op.BPF_RET | op.BPF_K, 'BPF_RET|BPF_K');
  m.set(op.BPF_RET | op.BPF_A, 'BPF_RET|BPF_A');
  m.set(op.BPF_RET | op.BPF_X, 'BPF_RET|BPF_X');
  m.set(op.BPF_MISC | op.BPF_TAX, 'BPF_MISC|BPF_TAX');
  m.set(op.BPF_MISC | op.BPF_TXA, 'BPF_MISC|BPF_TXA');
  return m;
})();

const AD_NAMES = new Map<number, string>(
  Object.entries(op.SKF_AD).map(([name, n]) => [n, `SKF_AD_OFF + SKF_AD_${name.toUpperCase()}`]),
);

/** k as a reader wants it: small numbers in decimal, masks and EtherTypes in hex, Linux offsets by name. */
function kText(code: number, k: number): string {
  const u = k >>> 0;
  const cls = code & 0x07;
  const load =
    (cls === op.BPF_LD || cls === op.BPF_LDX) &&
    ((code & 0xe0) === op.BPF_ABS || (code & 0xe0) === op.BPF_IND);
  if (load && u >= op.SKF_LL_OFF) {
    if (u >= op.SKF_AD_OFF && AD_NAMES.has(u - op.SKF_AD_OFF))
      return AD_NAMES.get(u - op.SKF_AD_OFF)!;
    if (u < op.SKF_NET_OFF) return `SKF_LL_OFF + ${u - op.SKF_LL_OFF}`;
    if (u < op.SKF_AD_OFF) return `SKF_NET_OFF + ${u - op.SKF_NET_OFF}`;
  }
  return u < 1024 ? String(u) : `0x${u.toString(16)}`;
}

/**
 * A compilable `struct sock_filter` array in linux/filter.h macro form. Known opcodes print as
 * BPF_STMT (or BPF_JUMP when jt/jf are used or not zero), unknown ones as raw records, so
 * parseCInitializer gives back exactly `program` — even fields an opcode ignores.
 */
export function printCInitializer(program: readonly RawInsn[], name = 'code'): string {
  const lines = program.map((x) => {
    const code = CODE_NAMES.get(x.code);
    if (code === undefined)
      return `{ 0x${x.code.toString(16)}, ${x.jt}, ${x.jf}, 0x${(x.k >>> 0).toString(16).padStart(8, '0')} },`;
    const k = kText(x.code, x.k);
    const cond = (x.code & 0x07) === op.BPF_JMP && x.code !== (op.BPF_JMP | op.BPF_JA);
    return cond || x.jt || x.jf
      ? `BPF_JUMP(${code}, ${k}, ${x.jt}, ${x.jf}),`
      : `BPF_STMT(${code}, ${k}),`;
  });
  return `struct sock_filter ${name}[] = {\n${lines.map((l) => `\t${l}\n`).join('')}};\n`;
}
