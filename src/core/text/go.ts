// golang.org/x/net/bpf source: a program printed as typed instruction literals (`[]bpf.Instruction`,
// what seeds 000 and 003 write) or as `[]bpf.RawInstruction`, and such Go source read back. Every
// instruction prints to a literal that bpf.Assemble turns into exactly its bytes: where x/net/bpf has
// no type for an opcode (or would change a field the opcode ignores), a RawInstruction is printed.
import { assembleOne, disassembleOne } from '../encode.js';
import { TextSyntaxError } from '../errors.js';
import type { AluOp, Insn, JumpCond, LoadSize, RawInsn } from '../insn.js';
import {
  BPF_ADD,
  BPF_AND,
  BPF_DIV,
  BPF_LSH,
  BPF_MOD,
  BPF_MUL,
  BPF_OR,
  BPF_RSH,
  BPF_SUB,
  BPF_XOR,
  SKF_AD,
  SKF_AD_OFF,
} from '../opcodes.js';
import { isDigit } from './chars.js';

export interface GoPrintOptions {
  /** The variable's name; default `filter`. */
  name?: string;
  /** 'instructions' (default): typed literals; 'raw': `[]bpf.RawInstruction`. */
  form?: 'instructions' | 'raw';
  /** A comment above the variable, e.g. the expression it was compiled from. */
  comment?: string;
}

/** x/net/bpf's ALUOp constants; their values are the opcode's operation bits. */
const ALU_GO: Record<AluOp, [string, number]> = {
  add: ['ALUOpAdd', BPF_ADD],
  sub: ['ALUOpSub', BPF_SUB],
  mul: ['ALUOpMul', BPF_MUL],
  div: ['ALUOpDiv', BPF_DIV],
  or: ['ALUOpOr', BPF_OR],
  and: ['ALUOpAnd', BPF_AND],
  lsh: ['ALUOpShiftLeft', BPF_LSH],
  rsh: ['ALUOpShiftRight', BPF_RSH],
  mod: ['ALUOpMod', BPF_MOD],
  xor: ['ALUOpXor', BPF_XOR],
};
/** x/net/bpf's JumpTest values, and the opcode each assembles to (flipped: jt and jf swapped). */
const JUMP_TESTS: readonly [string, JumpCond, boolean][] = [
  ['JumpEqual', 'jeq', false],
  ['JumpNotEqual', 'jeq', true],
  ['JumpGreaterThan', 'jgt', false],
  ['JumpLessThan', 'jge', true],
  ['JumpGreaterOrEqual', 'jge', false],
  ['JumpLessOrEqual', 'jgt', true],
  ['JumpBitsSet', 'jset', false],
  ['JumpBitsNotSet', 'jset', true],
];
const JUMP_GO: Record<JumpCond, string> = {
  jeq: 'JumpEqual',
  jgt: 'JumpGreaterThan',
  jge: 'JumpGreaterOrEqual',
  jset: 'JumpBitsSet',
};
/** x/net/bpf's Extension constants for the ancillary fields it names (others load by offset). */
const EXT_GO: Partial<Record<keyof typeof SKF_AD, string>> = {
  protocol: 'ExtProto',
  pkttype: 'ExtType',
  ifindex: 'ExtInterfaceIndex',
  nlattr: 'ExtNetlinkAttr',
  nlattr_nest: 'ExtNetlinkAttrNested',
  mark: 'ExtMark',
  queue: 'ExtQueue',
  hatype: 'ExtLinkLayerType',
  rxhash: 'ExtRXHash',
  cpu: 'ExtCPUID',
  vlan_tag: 'ExtVLANTag',
  vlan_tag_present: 'ExtVLANTagPresent',
  pay_offset: 'ExtPayloadOffset',
  random: 'ExtRand',
  vlan_tpid: 'ExtVLANProto',
};
/** x/net/bpf's ExtLen: `ld #len`, not an ancillary offset. */
const EXT_LEN = 1;

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
/** Small numbers in decimal, the rest (masks, EtherTypes, offsets past 1 KiB) in hex. */
const num = (n: number) => (n >>> 0 < 1024 ? String(n >>> 0) : hex(n));

const rawFields = (x: RawInsn) => `Op: ${hex(x.code)}, Jt: ${x.jt}, Jf: ${x.jf}, K: ${hex(x.k)}`;

/** `Type{F: v, ...}` with zero fields left out, as people write them. */
function literal(type: string, pairs: [string, string | number][]): string {
  const f = pairs
    .filter(([, v]) => v !== 0)
    .map(([k, v]) => `${k}: ${typeof v === 'number' ? num(v) : v}`)
    .join(', ');
  return `bpf.${type}{${f}}`;
}

/** One instruction as an x/net/bpf literal. */
function goLiteral(insn: Insn, raw: RawInsn): string {
  const reg = (a: boolean) => (a ? 'bpf.RegA' : 'bpf.RegX');
  switch (insn.kind) {
    case 'ldAbs':
      return literal('LoadAbsolute', [
        ['Off', insn.k],
        ['Size', insn.size],
      ]);
    case 'ldInd':
      return literal('LoadIndirect', [
        ['Off', insn.k],
        ['Size', insn.size],
      ]);
    case 'ldImm':
    case 'ldxImm':
      return literal('LoadConstant', [
        ['Dst', reg(insn.kind === 'ldImm')],
        ['Val', insn.k],
      ]);
    case 'ldLen':
      return 'bpf.LoadExtension{Num: bpf.ExtLen}';
    case 'ldMem':
    case 'ldxMem':
      // x/net/bpf refuses scratch slots past 15 when it assembles.
      if (insn.k > 15) break;
      return literal('LoadScratch', [
        ['Dst', reg(insn.kind === 'ldMem')],
        ['N', insn.k],
      ]);
    case 'st':
    case 'stx':
      if (insn.k > 15) break;
      return literal('StoreScratch', [
        ['Src', reg(insn.kind === 'st')],
        ['N', insn.k],
      ]);
    case 'ldExt': {
      const name = EXT_GO[insn.ext];
      // LoadExtension always loads a word; other sizes keep their offset form.
      if (name && insn.size === 4) return `bpf.LoadExtension{Num: bpf.${name}}`;
      return `bpf.LoadAbsolute{Off: ${hex(raw.k)}, Size: ${insn.size}}`;
    }
    case 'ldxMsh':
      return literal('LoadMemShift', [['Off', insn.k]]);
    case 'alu':
      return insn.src === 'k'
        ? literal('ALUOpConstant', [
            ['Op', `bpf.${ALU_GO[insn.op][0]}`],
            ['Val', insn.k],
          ])
        : `bpf.ALUOpX{Op: bpf.${ALU_GO[insn.op][0]}}`;
    case 'neg':
      return 'bpf.NegateA{}';
    case 'ja':
      return literal('Jump', [['Skip', insn.k]]);
    case 'jmp': {
      const f: [string, string | number][] = [['Cond', `bpf.${JUMP_GO[insn.cond]}`]];
      if (insn.src === 'k') f.push(['Val', insn.k]);
      f.push(['SkipTrue', insn.jt], ['SkipFalse', insn.jf]);
      return literal(insn.src === 'k' ? 'JumpIf' : 'JumpIfX', f);
    }
    case 'ret':
      // `RetConstant{Val: 0}` as people write the drop, not `RetConstant{}`.
      return insn.src === 'k' ? `bpf.RetConstant{Val: ${num(insn.k)}}` : 'bpf.RetA{}';
    case 'tax':
      return 'bpf.TAX{}';
    case 'txa':
      return 'bpf.TXA{}';
  }
  // ldxLen has no x/net/bpf type, and unknown opcodes stay raw.
  return `bpf.RawInstruction{${rawFields(raw)}}`;
}

/**
 * Go source declaring `program` for golang.org/x/net/bpf: `var filter = []bpf.Instruction{...}` with
 * one typed literal a line, or the `[]bpf.RawInstruction` form. `bpf.Assemble` (or the raw form as is)
 * gives back exactly `program`, and parseGo reads either back.
 */
export function printGo(program: readonly RawInsn[], options: GoPrintOptions = {}): string {
  const name = options.name ?? 'filter';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new RangeError(`'${name}' is not a Go identifier`);
  const raw = options.form === 'raw';
  const lines = program.map((x) =>
    raw ? `{${rawFields(x)}},` : `${goLiteral(disassembleOne(x), x)},`,
  );
  const comment = options.comment
    ? options.comment
        .split('\n')
        .map((l) => `// ${l}\n`)
        .join('')
    : '';
  const type = raw ? 'RawInstruction' : 'Instruction';
  return `${comment}var ${name} = []bpf.${type}{\n${lines.map((l) => `\t${l}\n`).join('')}}\n`;
}

// ---- reading Go source back ----------------------------------------------------------------

type Tok =
  /** identifiers, dotted: bpf.LoadAbsolute, math.MaxUint32 */
  | { readonly t: 'id'; readonly v: string; readonly at: number }
  | { readonly t: 'num'; readonly v: number; readonly at: number }
  /** punctuation and operators */
  | { readonly t: 'p'; readonly v: string; readonly at: number };

const isIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Go's tokens, in one pass: comments and strings are skipped. Anything else becomes a one-character
 * token, so Go inside prose (a pasted write-up) tokenizes; only the program's own tokens must parse.
 */
function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    const ch = src[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === ';') i++;
    else if (src.startsWith('//', i)) {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? n : nl;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (src.startsWith('```', i)) {
      // A Markdown code fence and its language tag, not Go raw strings.
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? n : nl;
    } else if (ch === '"' || ch === '`' || ch === "'") {
      let j = i + 1;
      while (j < n && src[j] !== ch && (ch === '`' || src[j] !== '\n'))
        j += src[j] === '\\' && ch !== '`' ? 2 : 1;
      if (j < n && src[j] === ch) i = j + 1;
      else {
        // Not a string after all (an apostrophe in prose): a token of its own.
        out.push({ t: 'p', v: ch, at: i });
        i++;
      }
    } else if (isIdStart(c)) {
      let j = i + 1;
      while (
        j < n &&
        (isIdStart(src.charCodeAt(j)) || isDigit(src.charCodeAt(j)) || src[j] === '.')
      )
        j++;
      out.push({ t: 'id', v: src.slice(i, j), at: i });
      i = j;
    } else if (isDigit(c)) {
      let j = i + 1;
      while (j < n && (isIdStart(src.charCodeAt(j)) || isDigit(src.charCodeAt(j)))) j++;
      const text = src.slice(i, j);
      const v = goInt(text);
      // Not an integer this reader takes (a float, or "100x" in prose): the list parser says so.
      out.push(Number.isNaN(v) ? { t: 'p', v: text, at: i } : { t: 'num', v, at: i });
      i = j;
    } else if (src.startsWith('<<', i) || src.startsWith('>>', i) || src.startsWith(':=', i)) {
      out.push({ t: 'p', v: src.slice(i, i + 2), at: i });
      i += 2;
    } else {
      out.push({ t: 'p', v: ch, at: i });
      i++;
    }
  }
  return out;
}

/** A Go integer literal (decimal, 0x, 0o, 0b, legacy leading-0 octal, `_` separators), or NaN. */
function goInt(text: string): number {
  const t = text.replaceAll('_', '');
  let v = Number.NaN;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = Number.parseInt(t.slice(2), 16);
  else if (/^0[oO][0-7]+$/.test(t)) v = Number.parseInt(t.slice(2), 8);
  else if (/^0[bB][01]+$/.test(t)) v = Number.parseInt(t.slice(2), 2);
  else if (/^0[0-7]*$/.test(t)) v = Number.parseInt(t, 8);
  else if (/^[1-9][0-9]*$/.test(t)) v = Number(t);
  return Number.isSafeInteger(v) ? v : Number.NaN;
}

/** Names that x/net/bpf and math give values to. */
const GO_CONSTANTS = new Map<string, number>([
  ['bpf.RegA', 0],
  ['bpf.RegX', 1],
  ...Object.values(ALU_GO).map(([g, v]): [string, number] => [`bpf.${g}`, v]),
  ...JUMP_TESTS.map(([g], i): [string, number] => [`bpf.${g}`, i]),
  ['bpf.ExtLen', EXT_LEN],
  ...Object.entries(EXT_GO).map(([anc, g]): [string, number] => [
    `bpf.${g}`,
    SKF_AD[anc as keyof typeof SKF_AD],
  ]),
  ['math.MaxUint32', 0xffffffff],
  ['math.MaxUint16', 0xffff],
  ['math.MaxUint8', 0xff],
  ['math.MaxInt32', 0x7fffffff],
  ['math.MaxInt16', 0x7fff],
  ['math.MaxInt8', 127],
]);
const CONVERSIONS = new Set([
  'uint32',
  'uint16',
  'uint8',
  'int',
  'int32',
  'uint',
  'bpf.ALUOp',
  'bpf.JumpTest',
  'bpf.Extension',
  'bpf.Register',
]);

export interface GoParseOptions {
  /** Values for Go names the source uses (seed 001 passes `dstPort` and `op` as parameters). */
  constants?: Record<string, number>;
  /** Which program, when the source declares several: the variable or function name before it. */
  name?: string;
}

/** A field's value with where it was written. */
interface Field {
  readonly v: number;
  readonly at: number;
}

/** Parentheses, conversions and unary operators nest at most this deep (the reader recurses on them). */
const MAX_DEPTH = 200;

class GoReader {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Tok[],
    private readonly constants: Record<string, number>,
  ) {}

  fail(message: string, at = this.toks[this.i]?.at ?? this.src.length, len = 1): never {
    throw new TextSyntaxError(message, this.src, at, len);
  }
  peek(): Tok | undefined {
    return this.toks[this.i];
  }
  take(v?: string): Tok {
    const t = this.toks[this.i];
    if (!t) this.fail(v ? `expected '${v}', found the end` : 'unexpected end');
    if (v !== undefined && t.v !== v)
      this.fail(`expected '${v}', found '${t.v}'`, t.at, String(t.v).length);
    this.i++;
    return t;
  }
  is(v: string): boolean {
    return this.toks[this.i]?.v === v;
  }
  seek(i: number) {
    this.i = i;
  }

  /** expr := term (op term)*, Go's two binary precedence levels (* / << >> & above + - | ^). */
  expr(): number {
    let v = this.product();
    while (this.is('+') || this.is('-') || this.is('|') || this.is('^')) {
      const op = this.take().v;
      const r = this.product();
      v = op === '+' ? v + r : op === '-' ? v - r : op === '|' ? (v | r) >>> 0 : (v ^ r) >>> 0;
    }
    return v;
  }
  private product(): number {
    let v = this.unary();
    while (this.is('*') || this.is('/') || this.is('<<') || this.is('>>') || this.is('&')) {
      const op = this.take().v;
      const r = this.unary();
      v =
        op === '*'
          ? v * r
          : op === '/'
            ? Math.trunc(v / r)
            : op === '<<'
              ? v * 2 ** r
              : op === '>>'
                ? Math.floor(v / 2 ** r)
                : (v & r) >>> 0;
    }
    return v;
  }
  private unary(): number {
    const t = this.peek();
    if (++this.depth > MAX_DEPTH) this.fail('expression nested too deeply', t?.at);
    const v = this.operand();
    this.depth--;
    return v;
  }
  private operand(): number {
    if (this.is('-')) {
      this.take();
      return -this.unary();
    }
    if (this.is('^')) {
      this.take();
      return ~this.unary() >>> 0;
    }
    if (this.is('(')) {
      this.take();
      const v = this.expr();
      this.take(')');
      return v;
    }
    const t = this.take();
    if (t.t === 'num') return t.v;
    if (t.t === 'id') {
      if (CONVERSIONS.has(t.v) && this.is('(')) {
        this.take('(');
        const v = this.expr();
        this.take(')');
        return v;
      }
      const known =
        GO_CONSTANTS.get(t.v) ??
        (Object.hasOwn(this.constants, t.v) ? this.constants[t.v] : undefined);
      if (known !== undefined) return known;
      this.fail(
        `'${t.v}' has no value here: give it one (constants: { ${t.v}: … }, or lint's --go ${t.v}=N)`,
        t.at,
        t.v.length,
      );
    }
    return this.fail(`expected a number, found '${t.v}'`, t.at);
  }

  /** `{ F: v, ... }` or, for raw instructions, `{ op, jt, jf, k }`; returns fields by name. */
  fields(positional: readonly string[] | undefined): Map<string, Field> {
    const out = new Map<string, Field>();
    this.take('{');
    let n = 0;
    while (!this.is('}')) {
      const start = this.peek();
      const named = start?.t === 'id' && this.toks[this.i + 1]?.v === ':';
      let name: string;
      if (named) {
        name = this.take().v as string;
        this.take(':');
      } else {
        if (!positional || n >= positional.length) this.fail('expected Field: value', start?.at);
        name = positional[n];
      }
      if (out.has(name)) this.fail(`${name} is given twice`, start?.at, name.length);
      out.set(name, { v: this.expr(), at: start!.at });
      n++;
      if (!this.is('}')) this.take(',');
    }
    this.take('}');
    return out;
  }
}

/** Builds one instruction from an x/net/bpf type and its fields, exactly as bpf.Assemble would. */
function assembleGo(r: GoReader, type: string, at: number, f: Map<string, Field>): RawInsn {
  const allowed: Record<string, readonly string[]> = {
    RawInstruction: ['Op', 'Jt', 'Jf', 'K'],
    LoadConstant: ['Dst', 'Val'],
    LoadScratch: ['Dst', 'N'],
    LoadAbsolute: ['Off', 'Size'],
    LoadIndirect: ['Off', 'Size'],
    LoadMemShift: ['Off'],
    LoadExtension: ['Num'],
    StoreScratch: ['Src', 'N'],
    ALUOpConstant: ['Op', 'Val'],
    ALUOpX: ['Op'],
    NegateA: [],
    Jump: ['Skip'],
    JumpIf: ['Cond', 'Val', 'SkipTrue', 'SkipFalse'],
    JumpIfX: ['Cond', 'SkipTrue', 'SkipFalse'],
    RetA: [],
    RetConstant: ['Val'],
    TXA: [],
    TAX: [],
  };
  const names = Object.hasOwn(allowed, type) ? allowed[type] : undefined;
  if (!names) r.fail(`bpf.${type} is not an x/net/bpf instruction type`, at, type.length + 4);
  for (const [k, v] of f)
    if (!names.includes(k)) r.fail(`bpf.${type} has no field ${k}`, v.at, k.length);
  const get = (k: string, max = 0xffffffff) => {
    const v = f.get(k);
    if (!v) return 0;
    if (!Number.isInteger(v.v) || v.v < 0 || v.v > max) {
      // A u32 written negative (Off: -0x1000 + 4) wraps as Go's conversion would.
      if (max === 0xffffffff && Number.isInteger(v.v) && v.v >= -0x80000000 && v.v < 0)
        return v.v >>> 0;
      r.fail(`${k} ${v.v} is outside 0..${max}`, v.at, k.length);
    }
    return v.v;
  };
  const size = (): LoadSize => {
    const s = get('Size');
    if (s !== 1 && s !== 2 && s !== 4)
      r.fail(`Size must be 1, 2 or 4, not ${s}`, f.get('Size')?.at ?? at, 4);
    return s;
  };
  const register = (k: string) => {
    const v = get(k, 1);
    return v === 0 ? 'A' : 'X';
  };
  const aluOp = (): AluOp => {
    const v = get('Op', 0xffff);
    const op = (Object.keys(ALU_GO) as AluOp[]).find((o) => ALU_GO[o][1] === v);
    if (!op) r.fail(`Op ${v} is not an ALUOp`, f.get('Op')?.at ?? at, 2);
    return op;
  };
  const scratch = (k: string) => {
    const n = get(k, 0xffffffff);
    if (n > 15) r.fail(`scratch slot ${n} is past 15`, f.get(k)?.at ?? at, 1);
    return n;
  };
  const jump = (src: 'k' | 'x'): Insn => {
    const test = JUMP_TESTS[get('Cond', JUMP_TESTS.length - 1)];
    const t = get('SkipTrue', 255);
    const e = get('SkipFalse', 255);
    const [jt, jf] = test[2] ? [e, t] : [t, e];
    return src === 'k'
      ? { kind: 'jmp', cond: test[1], src: 'k', k: get('Val'), jt, jf }
      : { kind: 'jmp', cond: test[1], src: 'x', jt, jf };
  };
  let insn: Insn;
  switch (type) {
    case 'RawInstruction':
      return { code: get('Op', 0xffff), jt: get('Jt', 255), jf: get('Jf', 255), k: get('K') };
    case 'LoadConstant':
      insn =
        register('Dst') === 'A'
          ? { kind: 'ldImm', k: get('Val') }
          : { kind: 'ldxImm', k: get('Val') };
      break;
    case 'LoadScratch':
      insn = { kind: register('Dst') === 'A' ? 'ldMem' : 'ldxMem', k: scratch('N') };
      break;
    case 'StoreScratch':
      insn = { kind: register('Src') === 'A' ? 'st' : 'stx', k: scratch('N') };
      break;
    case 'LoadAbsolute':
      insn = { kind: 'ldAbs', size: size(), k: get('Off') };
      break;
    case 'LoadIndirect':
      insn = { kind: 'ldInd', size: size(), k: get('Off') };
      break;
    case 'LoadMemShift':
      insn = { kind: 'ldxMsh', k: get('Off') };
      break;
    case 'LoadExtension': {
      const num = f.get('Num')?.v ?? 0;
      insn =
        num === EXT_LEN
          ? { kind: 'ldLen' }
          : { kind: 'ldAbs', size: 4, k: (SKF_AD_OFF + num) >>> 0 };
      break;
    }
    case 'ALUOpConstant':
      insn = { kind: 'alu', op: aluOp(), src: 'k', k: get('Val') };
      break;
    case 'ALUOpX':
      insn = { kind: 'alu', op: aluOp(), src: 'x' };
      break;
    case 'NegateA':
      insn = { kind: 'neg' };
      break;
    case 'Jump':
      insn = { kind: 'ja', k: get('Skip') };
      break;
    case 'JumpIf':
      insn = jump('k');
      break;
    case 'JumpIfX':
      insn = jump('x');
      break;
    case 'RetA':
      insn = { kind: 'ret', src: 'a' };
      break;
    case 'RetConstant':
      insn = { kind: 'ret', src: 'k', k: get('Val') };
      break;
    case 'TXA':
      insn = { kind: 'txa' };
      break;
    default:
      insn = { kind: 'tax' };
  }
  return assembleOne(insn);
}

/** Where a `[]bpf.Instruction{` or `[]bpf.RawInstruction{` list starts, and what it is called. */
interface ListStart {
  readonly open: number;
  readonly raw: boolean;
  readonly name?: string;
}

function findLists(toks: Tok[]): ListStart[] {
  const out: ListStart[] = [];
  const nameBefore = (i: number): string | undefined => {
    // `var NAME = [...` / `NAME := [...` / `func NAME(...) ... { return [...`.
    const before = toks[i - 1];
    if (before && (before.v === '=' || before.v === ':=') && toks[i - 2]?.t === 'id')
      return toks[i - 2].v as string;
    if (before?.v === 'return')
      for (let j = i - 1; j >= 0; j--)
        if (toks[j].v === 'func' && toks[j + 1]?.t === 'id') return toks[j + 1].v as string;
    return undefined;
  };
  for (let i = 0; i + 2 < toks.length; i++) {
    const t = toks[i];
    if (t.v === '[') {
      const close = toks[i + 1].v === ']' ? i + 1 : toks[i + 2]?.v === ']' ? i + 2 : -1;
      const type = toks[close + 1];
      if (close < 0 || type?.t !== 'id') continue;
      if (type.v !== 'bpf.Instruction' && type.v !== 'bpf.RawInstruction') continue;
      if (toks[close + 2]?.v !== '{') continue;
      // `func f(...) []bpf.Instruction {` is a result type before a function body, not a list.
      if (toks[i - 1]?.v === ')') continue;
      out.push({ open: close + 2, raw: type.v === 'bpf.RawInstruction', name: nameBefore(i) });
      i = close + 2;
    } else if (
      // A list of a named slice type (seed 003's `Filter{ bpf.LoadAbsolute{...}, ... }`).
      t.t === 'id' &&
      !String(t.v).startsWith('bpf.') &&
      toks[i + 1].v === '{' &&
      toks[i + 2].t === 'id' &&
      String(toks[i + 2].v).startsWith('bpf.') &&
      toks[i + 3]?.v === '{' &&
      toks[i - 1]?.v !== ')'
    ) {
      out.push({ open: i + 1, raw: false, name: nameBefore(i) });
      i++;
    }
  }
  return out;
}

/**
 * Reads a program from Go source using golang.org/x/net/bpf: a `[]bpf.Instruction{...}` of typed
 * literals or a `[]bpf.RawInstruction{...}` (named or positional fields), anywhere in a file or
 * snippet, or just the literals one after another. Values may be Go integer literals, x/net/bpf and
 * math constants, conversions and arithmetic; other names come from `options.constants`. Gives the
 * instructions bpf.Assemble would; a TextSyntaxError names the line and column of anything else.
 */
export function parseGo(src: string, options: GoParseOptions = {}): RawInsn[] {
  const toks = tokenize(src);
  const r = new GoReader(src, toks, options.constants ?? {});
  const lists = findLists(toks);
  let chosen: ListStart | undefined;
  if (options.name !== undefined) {
    chosen = lists.find((l) => l.name === options.name);
    if (!chosen)
      r.fail(
        `no program named ${options.name} (found: ${lists.map((l) => l.name ?? '?').join(', ') || 'none'})`,
        0,
      );
  } else if (lists.length > 1) {
    r.fail(
      `${lists.length} programs here (${lists
        .slice(0, 5)
        .map((l) => l.name ?? '?')
        .join(', ')}${lists.length > 5 ? ', ...' : ''}): choose one by name`,
      toks[lists[1].open].at,
    );
  } else chosen = lists[0];

  const out: RawInsn[] = [];
  const element = (raw: boolean) => {
    const t = r.peek() ?? r.fail("expected an instruction or '}', found the end", src.length);
    if (raw && t.v === '{') {
      out.push(assembleGo(r, 'RawInstruction', t.at, r.fields(['Op', 'Jt', 'Jf', 'K'])));
      return;
    }
    if (t.t !== 'id' || !String(t.v).startsWith('bpf.'))
      r.fail(`expected an x/net/bpf instruction literal, found '${t.v}'`, t.at, String(t.v).length);
    r.take();
    // `&bpf.X{}` is not valid in a []bpf.Instruction; the reader only takes values.
    const type = (t.v as string).slice(4);
    const fields = r.fields(type === 'RawInstruction' ? ['Op', 'Jt', 'Jf', 'K'] : undefined);
    out.push(assembleGo(r, type, t.at, fields));
  };
  if (chosen) {
    r.seek(chosen.open);
    r.take('{');
    while (!r.is('}')) {
      element(chosen.raw);
      if (!r.is('}')) r.take(',');
    }
  } else {
    // Bare literals, as pasted from the middle of a list.
    while (r.peek()) {
      element(false);
      if (r.peek()) r.take(',');
    }
  }
  if (out.length === 0) r.fail('no instructions found', 0);
  return out;
}
