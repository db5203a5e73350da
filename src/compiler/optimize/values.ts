// Value numbering: every value a register can hold gets one id per distinct computation (a packet load, a
// constant, an ALU result over ids), so two loads of the same bytes, or two equal computations, share an id
// wherever they happen. Packet bytes, the wire length and ancillary fields do not change during a run, so an
// id means the same number on every path where it has been computed.
import type { AluOp, LoadSize } from '../../core/insn.js';
import type { Stmt } from '../ir.js';
import { walkKey } from '../walk.js';

export type ValueId = number;

export type Strength = 'constants' | 'equalities' | 'precise';

/** How a value is computed. `opaque` values are only known to be themselves (a merge of paths, the start). */
export type ValueDef =
  | { readonly kind: 'const'; readonly k: number }
  | { readonly kind: 'load'; readonly size: LoadSize; readonly k: number }
  | { readonly kind: 'ind'; readonly size: LoadSize; readonly x: ValueId; readonly k: number }
  | { readonly kind: 'len' }
  | { readonly kind: 'ext'; readonly ext: string }
  | { readonly kind: 'alu'; readonly op: AluOp; readonly a: ValueId; readonly b: ValueId }
  | { readonly kind: 'neg'; readonly a: ValueId }
  | { readonly kind: 'opaque'; readonly tag: string };

/** Registers and scratch memory as value ids. */
export interface Regs {
  readonly A: ValueId;
  readonly X: ValueId;
  readonly M: readonly ValueId[];
}

export const MEMWORDS = 16;

/** The u32 result of `a op b`, or undefined where the platforms differ or the run would stop (÷0, shift ≥ 32). */
export function evalAlu(op: AluOp, a: number, b: number): number | undefined {
  switch (op) {
    case 'add':
      return (a + b) >>> 0;
    case 'sub':
      return (a - b) >>> 0;
    case 'mul':
      return Math.imul(a, b) >>> 0;
    case 'div':
      return b === 0 ? undefined : Math.floor(a / b) >>> 0;
    case 'mod':
      return b === 0 ? undefined : (a % b) >>> 0;
    case 'and':
      return (a & b) >>> 0;
    case 'or':
      return (a | b) >>> 0;
    case 'xor':
      return (a ^ b) >>> 0;
    // Linux takes a register shift count mod 32, libpcap gives 0: fold only counts both agree on.
    case 'lsh':
      return b >= 32 ? undefined : (a << b) >>> 0;
    case 'rsh':
      return b >= 32 ? undefined : a >>> b;
  }
}

/** A string naming the computation: equal for equal definitions (the optimizer interns many per round). */
function keyOf(d: ValueDef): string {
  switch (d.kind) {
    case 'const':
      return `c${d.k}`;
    case 'load':
      return `l${d.size},${d.k}`;
    case 'ind':
      return `i${d.size},${d.x},${d.k}`;
    case 'len':
      return 'n';
    case 'ext':
      return `e${d.ext}`;
    case 'alu':
      return `a${d.op},${d.a},${d.b}`;
    case 'neg':
      return `m${d.a}`;
    case 'opaque':
      return `o${d.tag}`;
  }
}

/** The table of ids for one optimizer round; ids are never reused within it. */
export class Values {
  /**
   * What tests are decided from: constants only (`constants`), also the equalities earlier tests proved, about
   * libpcap's strength (`equalities`), or also ranges, bits and value sets (`precise`). See index.ts.
   */
  constructor(readonly strength: Strength = 'precise') {}

  get precise(): boolean {
    return this.strength === 'precise';
  }

  private readonly byKey = new Map<string, ValueId>();
  readonly defs: ValueDef[] = [];

  private intern(def: ValueDef): ValueId {
    const key = keyOf(def);
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.defs.length;
      this.defs.push(def);
      this.byKey.set(key, id);
    }
    return id;
  }

  def(id: ValueId): ValueDef {
    return this.defs[id];
  }

  /** The constant `id` stands for, if it is one. */
  constOf(id: ValueId): number | undefined {
    const d = this.defs[id];
    return d.kind === 'const' ? d.k : undefined;
  }

  constant(k: number): ValueId {
    return this.intern({ kind: 'const', k: k >>> 0 });
  }

  opaque(tag: string): ValueId {
    return this.intern({ kind: 'opaque', tag });
  }

  load(size: LoadSize, k: number): ValueId {
    return this.intern({ kind: 'load', size, k: k >>> 0 });
  }

  ind(size: LoadSize, x: ValueId, k: number): ValueId {
    const c = this.constOf(x);
    // With X known, `[x + k]` is the absolute load `[c + k]` (kept apart past 2^31, where Linux reads
    // negative offsets as ancillary areas).
    // Not at libpcap's strength: its value numbering keeps an indexed load apart from an absolute one.
    if (c !== undefined && c + k < 0x80000000 && this.strength !== 'equalities')
      return this.load(size, c + k);
    return this.intern({ kind: 'ind', size, x, k: k >>> 0 });
  }

  /** `a op b` with constants folded and identities applied (x+0, x&~0, x*1, (x&m1)&m2 ...). */
  alu(op: AluOp, a: ValueId, b: ValueId): ValueId {
    const ca = this.constOf(a);
    const cb = this.constOf(b);
    if (ca !== undefined && cb !== undefined) {
      const v = evalAlu(op, ca, cb);
      if (v !== undefined) return this.constant(v);
    }
    if (cb !== undefined) {
      const ident =
        op === 'and'
          ? cb === 0xffffffff
          : op === 'mul' || op === 'div'
            ? cb === 1
            : op !== 'mod' && cb === 0;
      if (ident) return a;
      if ((op === 'and' || op === 'mul') && cb === 0) return this.constant(0);
      if (op === 'or' && cb === 0xffffffff) return this.constant(0xffffffff);
      const da = this.defs[a];
      if (op === 'and' && da.kind === 'alu' && da.op === 'and') {
        const inner = this.constOf(da.b);
        if (inner !== undefined) return this.alu('and', da.a, this.constant(inner & cb));
      }
      // A byte or halfword load already has its high bits clear.
      if (op === 'and' && da.kind === 'load' && ((0xffffffff >>> (32 - 8 * da.size)) & ~cb) === 0)
        return a;
    }
    if (a === b && (op === 'and' || op === 'or')) return a;
    if (a === b && (op === 'sub' || op === 'xor')) return this.constant(0);
    return this.intern({ kind: 'alu', op, a, b });
  }

  neg(a: ValueId): ValueId {
    const c = this.constOf(a);
    return c !== undefined ? this.constant(-c >>> 0) : this.intern({ kind: 'neg', a });
  }

  /** Registers at the program's start: nothing known. */
  initial(): Regs {
    return {
      A: this.opaque('init:A'),
      X: this.opaque('init:X'),
      M: Array.from({ length: MEMWORDS }, (_, i) => this.opaque(`init:M${i}`)),
    };
  }
}

/** The registers after `s` runs with registers `r`. */
export function transfer(v: Values, s: Stmt, r: Regs): Regs {
  switch (s.kind) {
    case 'ldAbs':
      return { ...r, A: v.load(s.size, s.k) };
    case 'ldInd':
      return { ...r, A: v.ind(s.size, r.X, s.k) };
    case 'ldImm':
      return { ...r, A: v.constant(s.k) };
    case 'ldLen':
      return { ...r, A: v.opaque('len') };
    case 'ldMem':
      return { ...r, A: r.M[s.k] };
    case 'ldExt':
      return { ...r, A: v.opaque(`ext:${s.ext}`) };
    case 'ldxImm':
      return { ...r, X: v.constant(s.k) };
    case 'ldxLen':
      return { ...r, X: v.opaque('len') };
    case 'ldxMem':
      return { ...r, X: r.M[s.k] };
    case 'ldxMsh':
      return {
        ...r,
        X: v.alu('lsh', v.alu('and', v.load(1, s.k), v.constant(0xf)), v.constant(2)),
      };
    case 'st':
      return { ...r, M: r.M.map((m, i) => (i === s.k ? r.A : m)) };
    case 'stx':
      return { ...r, M: r.M.map((m, i) => (i === s.k ? r.X : m)) };
    case 'alu':
      return { ...r, A: v.alu(s.op, r.A, s.src === 'k' ? v.constant(s.k) : r.X) };
    case 'neg':
      return { ...r, A: v.neg(r.A) };
    case 'tax':
      return { ...r, X: r.A };
    case 'txa':
      return { ...r, A: r.X };
    case 'walk': {
      // Equal walks (walk.ts) end with equal registers: the header reached, its offset.
      const A = v.opaque(`walk:${walkKey(s)}`);
      return {
        A,
        X: v.opaque(`walkx:${walkKey(s)}`),
        M: r.M.map((m, i) => (i === s.slot ? A : m)),
      };
    }
  }
}

/** The statements after `stmts` run, in order. */
export function transferAll(v: Values, stmts: readonly Stmt[], r: Regs): Regs {
  let out = r;
  for (const s of stmts) out = transfer(v, s, out);
  return out;
}
