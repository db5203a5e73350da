// C array initializers for `struct sock_filter` / `struct bpf_insn`: the `{ 0x28, 0, 0, 0x0000000c },`
// records tcpdump -dd and bpf_asm -c print, and the BPF_STMT/BPF_JUMP macro form that man pages,
// seccomp filters and the seeds are written in (`BPF_STMT(BPF_LD+BPF_H+BPF_ABS, 12)`), both ways.
import { lineColumn, TextSyntaxError } from '../errors.js';
import type { RawInsn } from '../insn.js';
import { lazy } from '../lazy.js';
import * as op from '../opcodes.js';
import { isDigit, isHexDigit, lowerAscii } from './chars.js';
import { quoted } from './quoted.js';

/**
 * Names a filter's C source may use in an operand. The BPF_* and SKF_* ABI names come from the
 * opcode table; the rest are the constants such filters compare against most (linux/if_ether.h,
 * net/ethernet.h, netinet/in.h, linux/seccomp.h), so a pasted filter parses without its headers.
 */
// Built at the first C text parsed: `cbpf -r` never needs it (it was a tenth of the CLI's module set-up).
const cNames = lazy(
  (): ReadonlyMap<string, bigint> =>
    new Map(
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
    ),
);

interface CTok {
  t: 'num' | 'id' | 'p';
  v: string;
  at: number;
  end: number;
}

const isIdStart = (c: number) => (lowerAscii(c) >= 97 && lowerAscii(c) <= 122) || c === 95;
const isIdChar = (c: number) => isIdStart(c) || isDigit(c);
const isSuffix = (c: number) => lowerAscii(c) === 117 || lowerAscii(c) === 108; // u, l

/** Preprocessor directives, passed over with their lines. */
const DIRECTIVES = new Set(
  'include define undef if ifdef ifndef elif else endif pragma error warning line'.split(' '),
);

/** Words a declaration may start with: qualifiers, `struct`, C's types, the filter types. */
const DECL_STARTS = new Set(
  'struct static const extern volatile unsigned signed int char short long void sock_filter bpf_insn sock_fprog bpf_program'.split(
    ' ',
  ),
);

/** Offset of the line break ending the line that holds `i` (or the text's length). */
function eol(src: string, i: number): number {
  const e = src.indexOf('\n', i);
  return e < 0 ? src.length : e;
}

/**
 * C tokens of `src` in one pass: comments and preprocessor lines (with their `\` continuations)
 * dropped; numbers (their u/l suffixes dropped), identifiers, `<<`, `>>`, and any other character
 * as punctuation for the parser to take or reject.
 */
function lexC(src: string): CTok[] {
  const out: CTok[] = [];
  const n = src.length;
  let i = 0;
  /** Nothing but blanks and comments yet on this line: a `#` here starts a directive. */
  let lineStart = true;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      i++;
      continue;
    }
    if (c === 32 || (c >= 9 && c <= 13)) {
      i++;
      continue;
    }
    if (c === 47 && src.charCodeAt(i + 1) === 47) {
      i = eol(src, i);
      continue;
    }
    if (c === 47 && src.charCodeAt(i + 1) === 42) {
      const close = src.indexOf('*/', i + 2);
      if (close < 0) throw new TextSyntaxError('unterminated /* comment', src, i, 2);
      i = close + 2;
      continue;
    }
    if (c === 35 && lineStart) {
      // `#include <linux/filter.h>`, `#define ...`: not ours to read. A final `\` continues it.
      // Any other `#word` is no C (`#{ 0x28, ...` would otherwise drop a record).
      let j = i + 1;
      while (j < n && (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9)) j++;
      const w = j;
      while (j < n && isIdChar(src.charCodeAt(j))) j++;
      const blank = j === n || src.charCodeAt(j) === 10 || src.charCodeAt(j) === 13;
      if (!DIRECTIVES.has(src.slice(w, j)) && !(j === w && blank))
        throw new TextSyntaxError('not a preprocessor directive', src, i, Math.max(1, j - i));
      for (;;) {
        const e = eol(src, i);
        let last = e - 1;
        if (last > i && src.charCodeAt(last) === 13) last--;
        i = e;
        if (e === n || src.charCodeAt(last) !== 92) break;
        i = e + 1;
      }
      continue;
    }
    lineStart = false;
    const start = i;
    if (isDigit(c)) {
      const hex = c === 48 && lowerAscii(src.charCodeAt(i + 1)) === 120;
      if (hex) {
        i += 2;
        while (i < n && isHexDigit(src.charCodeAt(i))) i++;
      } else while (i < n && isDigit(src.charCodeAt(i))) i++;
      const digits = i;
      while (i < n && isSuffix(src.charCodeAt(i))) i++;
      if (
        (hex && digits === start + 2) ||
        (i < n && (isIdChar(src.charCodeAt(i)) || src.charCodeAt(i) === 46))
      ) {
        while (i < n && (isIdChar(src.charCodeAt(i)) || src.charCodeAt(i) === 46)) i++;
        throw new TextSyntaxError(
          `bad number ${quoted(src.slice(start, i))}`,
          src,
          start,
          i - start,
        );
      }
      out.push({ t: 'num', v: src.slice(start, digits), at: start, end: i });
      continue;
    }
    if (isIdStart(c)) {
      while (i < n && isIdChar(src.charCodeAt(i))) i++;
      out.push({ t: 'id', v: src.slice(start, i), at: start, end: i });
      continue;
    }
    // `<<`, `>>`, or one character (a whole surrogate pair, so a message can show it).
    if ((c === 60 || c === 62) && src.charCodeAt(i + 1) === c) i += 2;
    else i += c >= 0xd800 && c < 0xdc00 && i + 1 < n ? 2 : 1;
    out.push({ t: 'p', v: src.slice(start, i), at: start, end: i });
  }
  return out;
}

const U32 = 0xffffffffn;
/** Intermediate values stay within ±2^64 (C's widest), so a long chain of shifts stays cheap. */
const LIMIT = 1n << 64n;
/** Parentheses and unary operators nest at most this deep: the expression parser recurses on them. */
const MAX_DEPTH = 200;
/** Lists of records nest at most this deep (an array of records is 1). */
const MAX_BRACES = 16;

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

/** Binary operators by precedence, loosest first. */
const LEVELS: readonly (readonly string[])[] = [
  ['|'],
  ['^'],
  ['&'],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
];

const CODE = [0n, 0xffffn] as const;
const JUMP = [0n, 255n] as const;
const K = [-0x80000000n, U32] as const;

/**
 * Reads a C initializer token by token, each token once: records, macros and declarations in a
 * grammar, so anything it cannot place is an error at the place it stands.
 */
class CParser {
  p = 0;
  /** Parentheses and unary operators open in the expression being read. */
  depth = 0;
  /** Brace-enclosed lists open around the current element. */
  braces = 0;
  /** Whether a declared array of instructions has been read (the program is complete). */
  declared = false;
  readonly out: RawInsn[] = [];
  constructor(
    readonly toks: CTok[],
    readonly src: string,
  ) {}

  get tok(): CTok | undefined {
    return this.toks[this.p];
  }

  /** Throws at `tok` (the current token by default; the end of the text when none is left). */
  fail(msg: string, tok: CTok | undefined = this.tok, len?: number): never {
    throw new TextSyntaxError(
      msg,
      this.src,
      tok?.at ?? this.src.length,
      len ?? (tok ? Math.max(1, tok.end - tok.at) : 1),
    );
  }

  /**
   * Throws just after the previous token: a missing `,`, `}` or `)` belongs to the line that
   * should have ended with it, not to whatever comes next.
   */
  failAfter(msg: string): never {
    const prev = this.toks[this.p - 1];
    throw new TextSyntaxError(msg, this.src, prev ? prev.end : 0);
  }

  is(v: string, tok = this.tok): boolean {
    return tok !== undefined && tok.t === 'p' && tok.v === v;
  }

  /** `{` or a BPF_STMT/BPF_JUMP call: where an instruction starts. */
  startsElement(i = this.p): boolean {
    const t = this.toks[i];
    if (!t) return false;
    if (t.t === 'p') return t.v === '{';
    return (
      t.t === 'id' && (t.v === 'BPF_STMT' || t.v === 'BPF_JUMP') && this.is('(', this.toks[i + 1])
    );
  }

  /** The whole text: records and macros, bare or inside declarations. */
  parse(): RawInsn[] {
    while (this.tok) {
      if (this.startsElement()) {
        if (this.declared) this.secondProgram(this.tok);
        this.element();
        // tcpdump -dd ends each record with a comma; a pasted list without them is as clear.
        if (this.is(',')) this.p++;
      } else if (this.is(';')) this.p++;
      else if (this.tok.t === 'id') this.declaration();
      else
        this.fail(
          'expected a { code, jt, jf, k } record, BPF_STMT(...), BPF_JUMP(...) or a declaration',
        );
    }
    return this.out;
  }

  /** One record, macro, or brace-enclosed list of them. */
  element(): void {
    const t = this.tok!;
    if (t.t === 'id') this.macro();
    else {
      this.p++;
      if (this.is('}')) this.fail('empty braces: expected { code, jt, jf, k }', t);
      if (!this.startsElement()) this.record(t);
      else {
        // Lists in lists recurse: C allows extra braces, no filter needs more than a few.
        if (++this.braces > MAX_BRACES) this.fail('braces nested too deeply', t);
        this.list(t);
        this.braces--;
      }
    }
  }

  /** The elements after `open` up to its `}`: `{ a, b, c }`, a trailing comma allowed. */
  list(open: CTok): void {
    for (;;) {
      if (this.is('}')) {
        this.p++;
        return;
      }
      if (!this.tok) this.fail(`the '{' at ${this.where(open)} is never closed`, open);
      if (!this.startsElement())
        this.fail('expected a { code, jt, jf, k } record, BPF_STMT(...), BPF_JUMP(...) or a }');
      this.element();
      if (this.is(',')) this.p++;
      else if (!this.is('}')) {
        if (!this.tok) this.fail(`the '{' at ${this.where(open)} is never closed`, open);
        this.failAfter("expected ',' or '}' after this");
      }
    }
  }

  /** `{ code, jt, jf, k }` after its `{`. */
  record(open: CTok): void {
    const vals: bigint[] = [];
    const firsts: CTok[] = [];
    for (;;) {
      firsts.push(this.tok ?? open);
      vals.push(this.expr());
      if (this.is(',') && vals.length < 4) {
        this.p++;
        continue;
      }
      if (this.is(',') && this.is('}', this.toks[this.p + 1])) this.p++;
      if (this.is('}')) {
        this.p++;
        break;
      }
      if (vals.length === 4)
        this.failAfter("expected '}': a record has 4 fields (code, jt, jf, k)");
      this.failAfter("expected ',' or '}' after this");
    }
    if (vals.length !== 4)
      this.fail(
        `expected { code, jt, jf, k }, got ${vals.length} fields`,
        open,
        this.toks[this.p - 1].end - open.at,
      );
    this.out.push({
      code: this.inRange(vals[0], firsts[0], 'code', CODE),
      jt: this.inRange(vals[1], firsts[1], 'jt', JUMP),
      jf: this.inRange(vals[2], firsts[2], 'jf', JUMP),
      k: this.inRange(vals[3], firsts[3], 'k', K),
    });
  }

  /** `BPF_STMT(code, k)` or `BPF_JUMP(code, k, jt, jf)`. */
  macro(): void {
    const name = this.tok!;
    this.p += 2;
    const vals: bigint[] = [];
    const firsts: CTok[] = [];
    for (;;) {
      firsts.push(this.tok ?? name);
      vals.push(this.expr());
      if (this.is(',')) {
        this.p++;
        continue;
      }
      if (this.is(')')) {
        this.p++;
        break;
      }
      this.failAfter(`expected ',' or ')' in ${name.v}(...)`);
    }
    const want = name.v === 'BPF_STMT' ? 2 : 4;
    if (vals.length !== want)
      this.fail(`${name.v} takes ${want} arguments, got ${vals.length}`, name);
    const code = this.inRange(vals[0], firsts[0], 'code', CODE);
    const k = this.inRange(vals[1], firsts[1], 'k', K);
    const jt = want === 4 ? this.inRange(vals[2], firsts[2], 'jt', JUMP) : 0;
    const jf = want === 4 ? this.inRange(vals[3], firsts[3], 'jf', JUMP) : 0;
    this.out.push({ code, jt, jf, k });
  }

  /**
   * `[static] [const] struct sock_filter name[N] = { ... };`: the list is read. Another type's
   * initializer (a sock_fprog `{ .len = ..., .filter = code }`) is passed over whole.
   */
  declaration(): void {
    const first = this.tok!;
    // A stray word (`x;`, `junk = {}`) is no declaration: it starts with a type or a qualifier.
    if (!DECL_STARTS.has(first.v) && !first.v.endsWith('_t'))
      this.fail(
        'expected a { code, jt, jf, k } record, BPF_STMT(...), BPF_JUMP(...) or a declaration',
      );
    let filterType = false;
    for (;;) {
      const t = this.tok;
      if (t?.t === 'id') {
        if (t.v === 'sock_filter' || t.v === 'bpf_insn') filterType = true;
        this.p++;
      } else if (this.is('*')) this.p++;
      else if (this.is('[')) this.skipBalanced();
      else break;
    }
    if (!this.tok) this.failAfter("expected '=' and an initializer, or ';'");
    if (this.is(';')) {
      this.p++;
      return;
    }
    if (!this.is('=')) this.fail("expected '=' or ';' in a declaration");
    this.p++;
    if (!this.is('{')) this.failAfter("expected '{' after '='");
    const open = this.tok!;
    if (filterType || this.startsElement(this.p + 1)) {
      if (this.out.length > 0) this.secondProgram(first);
      this.p++;
      this.list(open);
      if (this.out.length === 0) this.fail('this array holds no instructions', open);
      this.declared = true;
    } else this.skipBalanced();
    if (this.is(';')) this.p++;
    else if (this.tok) this.failAfter("expected ';' after the initializer");
  }

  /**
   * Throws at `at`: instructions after an array's, or an array after instructions, are a second
   * program (run one after the other, the two would be neither).
   */
  secondProgram(at: CTok): never {
    this.fail(
      `a second program starts here (${this.out.length} instructions before it): give one program`,
      at,
    );
  }

  /** Passes over the bracket at the current token and everything up to the one closing it. */
  skipBalanced(): void {
    const open = this.tok!;
    let depth = 0;
    for (; this.p < this.toks.length; this.p++) {
      const t = this.toks[this.p];
      if (t.t !== 'p') continue;
      if (t.v === '{' || t.v === '(' || t.v === '[') depth++;
      else if ((t.v === '}' || t.v === ')' || t.v === ']') && --depth === 0) {
        this.p++;
        return;
      }
    }
    this.fail(`the '${open.v}' at ${this.where(open)} is never closed`, open);
  }

  where(t: CTok): string {
    const { line, column } = lineColumn(this.src, t.at);
    return `${line}:${column}`;
  }

  inRange(v: bigint, first: CTok, what: string, [min, max]: readonly [bigint, bigint]): number {
    if (v < min || v > max) this.fail(`${what} must be ${min}..${max}`, first);
    return Number(v & U32);
  }

  /**
   * A C constant expression over numbers and the names above: `| ^ & << >> + - * / % ~ ( )` with C
   * precedence, casts like `(u_int)` ignored. Values are exact integers; callers check the range.
   */
  expr(): bigint {
    return this.binary(0);
  }

  private binary(level: number): bigint {
    if (level === LEVELS.length) return this.unary();
    let v = this.binary(level + 1);
    for (;;) {
      const t = this.tok;
      const o = t?.t === 'p' && LEVELS[level].includes(t.v) ? t.v : undefined;
      if (!o) return v;
      this.p++;
      const r = this.binary(level + 1);
      if ((o === '/' || o === '%') && r === 0n) this.fail('division by zero in a constant', t);
      if ((o === '<<' || o === '>>') && (r < 0n || r > 63n))
        this.fail('shift count out of range', t);
      v = this.bounded(apply(o, v, r), t);
    }
  }

  bounded(v: bigint, at: CTok | undefined): bigint {
    if (v > LIMIT || v < -LIMIT) this.fail('constant out of range', at);
    return v;
  }

  private unary(): bigint {
    const t = this.tok;
    if (!t) return this.fail('expected a number or a name');
    if (t.t === 'p' && (t.v === '-' || t.v === '+' || t.v === '~' || t.v === '(')) {
      if (++this.depth > MAX_DEPTH) this.fail('expression nested too deeply', t);
      const v = this.nested(t);
      this.depth--;
      return v;
    }
    if (t.t === 'p') return this.fail(`expected a number or a name, got '${t.v}'`, t);
    this.p++;
    if (t.t === 'num') {
      const octal = t.v.length > 1 && t.v[0] === '0' && isDigit(t.v.charCodeAt(1));
      if (octal) {
        for (let i = 1; i < t.v.length; i++)
          if (t.v.charCodeAt(i) > 55) this.fail(`bad octal number ${quoted(t.v)}`, t);
        return BigInt(`0o${t.v.slice(1)}`);
      }
      return BigInt(t.v);
    }
    return cNames().get(t.v) ?? this.fail(`unknown name ${quoted(t.v)}`, t);
  }

  /** A unary operator's operand, or a parenthesised expression or cast. */
  private nested(t: CTok): bigint {
    this.p++;
    if (t.v === '-') return this.bounded(-this.unary(), t);
    if (t.v === '+') return this.unary();
    if (t.v === '~') return ~this.unary();
    // `(u_int)-1`, `(uint32_t)x`: a parenthesised type name before an operand is a cast.
    const name = this.tok;
    const after = this.toks[this.p + 2];
    if (
      name?.t === 'id' &&
      !cNames().has(name.v) &&
      this.is(')', this.toks[this.p + 1]) &&
      after !== undefined &&
      (after.t !== 'p' || '-+~('.includes(after.v))
    ) {
      this.p += 2;
      return this.unary();
    }
    const v = this.binary(0);
    if (!this.is(')')) this.failAfter("expected ')'");
    this.p++;
    return v;
  }
}

/**
 * Parses a C initializer of classic BPF instructions: `{ code, jt, jf, k }` records and
 * `BPF_STMT(code, k)` / `BPF_JUMP(code, k, jt, jf)` macros, in any mix, with operands written as C
 * constant expressions (`BPF_LD+BPF_H+BPF_ABS`, `BPF_LD|BPF_H|BPF_ABS`, `SKF_AD_OFF + SKF_AD_PROTOCOL`,
 * `0xFFFFFFFF`, `(u_int)-1`). They may stand bare, one after another (as tcpdump -dd prints them), or
 * inside `struct sock_filter name[] = { ... };`; comments, `#` lines, other declarations and a
 * `struct sock_fprog` initializer around them are passed over. Anything else is an error where it
 * stands, so no line is ever left out.
 */
export function parseCInitializer(src: string): RawInsn[] {
  const out = new CParser(lexC(src), src).parse();
  if (out.length === 0)
    throw new TextSyntaxError(
      'no { code, jt, jf, k } records or BPF_STMT/BPF_JUMP macros found',
      src,
      0,
      Math.max(1, src.length),
    );
  return out;
}

/**
 * linux/filter.h spellings of every opcode cbpf knows by name (the 49, plus bpf_asm's `ret x`); made at
 * the first C text printed, as the table below.
 */
const codeNames = lazy((): ReadonlyMap<number, string> => {
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
});

const adNames = lazy(
  (): ReadonlyMap<number, string> =>
    new Map(
      Object.entries(op.SKF_AD).map(([name, n]) => [
        n,
        `SKF_AD_OFF + SKF_AD_${name.toUpperCase()}`,
      ]),
    ),
);

/** k as a reader wants it: small numbers in decimal, masks and EtherTypes in hex, Linux offsets by name. */
function kText(code: number, k: number): string {
  const u = k >>> 0;
  const cls = op.BPF_CLASS(code);
  const load =
    (cls === op.BPF_LD || cls === op.BPF_LDX) &&
    (op.BPF_MODE(code) === op.BPF_ABS || op.BPF_MODE(code) === op.BPF_IND);
  if (load && u >= op.SKF_LL_OFF) {
    const name = u >= op.SKF_AD_OFF ? adNames().get(u - op.SKF_AD_OFF) : undefined;
    if (name !== undefined) return name;
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
    const code = codeNames().get(x.code);
    if (code === undefined)
      return `{ 0x${x.code.toString(16)}, ${x.jt}, ${x.jf}, 0x${(x.k >>> 0).toString(16).padStart(8, '0')} },`;
    const k = kText(x.code, x.k);
    const cond = op.BPF_CLASS(x.code) === op.BPF_JMP && x.code !== (op.BPF_JMP | op.BPF_JA);
    return cond || x.jt || x.jf
      ? `BPF_JUMP(${code}, ${k}, ${x.jt}, ${x.jf}),`
      : `BPF_STMT(${code}, ${k}),`;
  });
  return `struct sock_filter ${name}[] = {\n${lines.map((l) => `\t${l}\n`).join('')}};\n`;
}
