// Value numbering: every value a register can hold gets one id per distinct computation (a packet load, a
// constant, an ALU result over ids), so two loads of the same bytes, or two equal computations, share an id
// wherever they happen. Packet bytes, the wire length and ancillary fields do not change during a run, so an
// id means the same number on every path where it has been computed.
import { evalAlu } from '../../core/alu.js';
import type { AluOp, LoadSize } from '../../core/insn.js';
import type { Stmt } from '../ir.js';
import { keep } from '../resident.js';
import { walkKey } from '../walk.js';
import { Budget } from './budget.js';
import { SlotCache } from './slot-cache.js';

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

/** Ids up to this are packed into one number with a constant or another id (past it, a string key). */
const PACK = 1 << 21;

/**
 * Caches in front of the constants' table and the packed one (ALU results, indexed loads), shared by every
 * table: an entry's tag is its table's serial.
 */
const constCache = new SlotCache<ValueId>(256);
const packedCache = new SlotCache<ValueId>(1024);
let nextSerial = 0;

/** The table of ids for one optimizer stage (index.ts); ids are never reused within it. */
export class Values {
  /**
   * What tests are decided from: constants only (`constants`), also the equalities earlier tests proved, about
   * libpcap's strength (`equalities`), or also ranges, bits and value sets (`precise`). See index.ts.
   */
  constructor(
    readonly strength: Strength = 'precise',
    /** Shared by every round of one optimize() call. */
    readonly budget: Budget = new Budget(),
    /**
     * At `equalities`: whether a value known to be one of the constants that paths met with (`proto` after
     * `proto == 6 or proto == 17`) decides a test (OptimizeOptions.joinedSets).
     */
    readonly joinedSets = true,
  ) {
    // The start's values are ids 0 to 17 of every table (nothing looks them up by name).
    this.defs = START_DEFS.slice();
    this.start = START;
    this.serial = nextSerial++;
  }

  /** Tells this table's entries in the shared caches from another's. */
  private readonly serial: number;

  get precise(): boolean {
    return this.strength === 'precise';
  }

  readonly defs: ValueDef[];
  // One table per kind of definition, keyed by numbers where they fit (the optimizer interns many per round).
  private readonly consts = new Map<number, ValueId>();
  private readonly loads = new Map<number, ValueId>();
  private readonly packed = new Map<number, ValueId>();
  private readonly named = new Map<string, ValueId>();
  private readonly start: Regs;

  private add(def: ValueDef): ValueId {
    this.defs.push(uniformDef(def));
    return this.defs.length - 1;
  }

  /**
   * A new id for `def` under `key` of `table`. Callers look the key up first and build the definition
   * only on a miss (`table.get(key) ?? this.put(...)`): most lookups hit, and a thunk per lookup was an
   * allocation each.
   */
  private put<K>(table: Map<K, ValueId>, key: K, def: ValueDef): ValueId {
    const id = this.add(def);
    table.set(key, id);
    return id;
  }

  /**
   * The id `table` has under `key`, asked of `cache` first (at the slot of `hash`) and noted there when the
   * table has it; undefined when neither has (then putCached()).
   */
  private cachedId(
    cache: SlotCache<ValueId>,
    table: Map<number, ValueId>,
    hash: number,
    key: number,
  ): ValueId | undefined {
    const slot = cache.slot(hash);
    const hit = cache.get(slot, this.serial, key);
    if (hit !== undefined) return hit;
    const id = table.get(key);
    if (id !== undefined) cache.set(slot, this.serial, key, id);
    return id;
  }

  /** A new id for `def` under `key` of `table`, noted in `cache` as cachedId() looks for it. */
  private putCached(
    cache: SlotCache<ValueId>,
    table: Map<number, ValueId>,
    hash: number,
    key: number,
    def: ValueDef,
  ): ValueId {
    const id = this.put(table, key, def);
    cache.set(cache.slot(hash), this.serial, key, id);
    return id;
  }

  def(id: ValueId): ValueDef {
    return this.defs[id] as ValueDef;
  }

  /** The constant `id` stands for, if it is one. */
  constOf(id: ValueId): number | undefined {
    const d = this.defs[id] as ValueDef;
    return d.kind === 'const' ? d.k : undefined;
  }

  constant(k: number): ValueId {
    const c = k >>> 0;
    // Most tests compare with a constant, each time looked up again.
    return (
      this.cachedId(constCache, this.consts, c, c) ??
      this.putCached(constCache, this.consts, c, c, { kind: 'const', k: c })
    );
  }

  opaque(tag: string): ValueId {
    return this.named.get(tag) ?? this.put(this.named, tag, { kind: 'opaque', tag });
  }

  /** "Register `reg` (0 A, 1 X, 2.. M[reg - 2]) on entry to block `at`": a merge of different values. */
  phi(at: number, reg: number): ValueId {
    const key = -1 - (at * 32 + reg);
    return (
      this.packed.get(key) ??
      this.put(this.packed, key, {
        kind: 'opaque',
        tag: `phi:${at}:${reg === 0 ? 'A' : reg === 1 ? 'X' : `M${reg - 2}`}`,
      })
    );
  }

  load(size: LoadSize, k: number): ValueId {
    const o = k >>> 0;
    const key = o * 8 + size;
    return this.loads.get(key) ?? this.put(this.loads, key, { kind: 'load', size, k: o });
  }

  ind(size: LoadSize, x: ValueId, k: number): ValueId {
    const c = this.constOf(x);
    // With X known, `[x + k]` is the absolute load `[c + k]` (kept apart past 2^31, where Linux reads
    // negative offsets as ancillary areas).
    // Not at libpcap's strength: its value numbering keeps an indexed load apart from an absolute one.
    if (c !== undefined && c + k < 0x80000000 && this.strength !== 'equalities')
      return this.load(size, c + k);
    const o = k >>> 0;
    if (x < PACK && o < 1 << 20) {
      const key = ((x * (1 << 20) + o) * 8 + size) * 16 + 1;
      const hash = x * 31 + o * 7 + size;
      return (
        this.cachedId(packedCache, this.packed, hash, key) ??
        this.putCached(packedCache, this.packed, hash, key, { kind: 'ind', size, x, k: o })
      );
    }
    const name = `i${size},${x},${o}`;
    return this.named.get(name) ?? this.put(this.named, name, { kind: 'ind', size, x, k: o });
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
      const da = this.defs[a] as ValueDef;
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
    if (a < PACK && b < PACK) {
      const code = ALU_CODE[op];
      const key = ((a * PACK + b) * 16 + code) * 16 + 2;
      const hash = a * 31 + b * 7 + code;
      return (
        this.cachedId(packedCache, this.packed, hash, key) ??
        this.putCached(packedCache, this.packed, hash, key, { kind: 'alu', op, a, b })
      );
    }
    const name = `a${op},${a},${b}`;
    return this.named.get(name) ?? this.put(this.named, name, { kind: 'alu', op, a, b });
  }

  neg(a: ValueId): ValueId {
    const c = this.constOf(a);
    if (c !== undefined) return this.constant(-c >>> 0);
    return this.packed.get(a * 16 + 3) ?? this.put(this.packed, a * 16 + 3, { kind: 'neg', a });
  }

  /** Registers at the program's start: nothing known. */
  initial(): Regs {
    return this.start;
  }
}

/** Fields a definition may have. */
interface DefFields {
  readonly k?: unknown;
  readonly size?: unknown;
  readonly x?: unknown;
  readonly op?: unknown;
  readonly a?: unknown;
  readonly b?: unknown;
  readonly ext?: unknown;
  readonly tag?: unknown;
}

/**
 * `def` in the one shape every stored definition has, all fields present: made by kind they came in
 * eight shapes, and constOf() and the passes' reads of a definition were megamorphic (graph.ts's uniform).
 */
function uniformDef(def: ValueDef): ValueDef {
  const f = def as DefFields;
  return {
    kind: def.kind,
    k: f.k,
    size: f.size,
    x: f.x,
    op: f.op,
    a: f.a,
    b: f.b,
    ext: f.ext,
    tag: f.tag,
  } as ValueDef;
}

/** The registers' values at the start, ids 0 (A), 1 (X) and 2.. (M[0..]) in every table. */
const START_DEFS: readonly ValueDef[] = (
  [
    { kind: 'opaque', tag: 'init:A' },
    { kind: 'opaque', tag: 'init:X' },
    ...Array.from(
      { length: MEMWORDS },
      (_, i): ValueDef => ({ kind: 'opaque', tag: `init:M${i}` }),
    ),
  ] as ValueDef[]
).map(uniformDef);
const START: Regs = { A: 0, X: 1, M: Array.from({ length: MEMWORDS }, (_, i) => 2 + i) };

/** A small number per ALU operation, for packed keys. */
const ALU_CODE: Readonly<Record<AluOp, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  mod: 4,
  and: 5,
  or: 6,
  xor: 7,
  lsh: 8,
  rsh: 9,
};

/** The registers after `s` runs with registers `r` (object literals, not spreads: this runs millions of times). */
export function transfer(v: Values, s: Stmt, r: Regs): Regs {
  switch (s.kind) {
    case 'ldAbs':
      return withA(r, v.load(s.size, s.k));
    case 'ldInd':
      return withA(r, v.ind(s.size, r.X, s.k));
    case 'ldImm':
      return withA(r, v.constant(s.k));
    case 'ldLen':
      return withA(r, v.opaque('len'));
    case 'ldMem':
      return withA(r, r.M[s.k] as ValueId);
    case 'ldExt':
      return withA(r, v.opaque(`ext:${s.ext}`));
    case 'ldxImm':
      return withX(r, v.constant(s.k));
    case 'ldxLen':
      return withX(r, v.opaque('len'));
    case 'ldxMem':
      return withX(r, r.M[s.k] as ValueId);
    case 'ldxMsh':
      return withX(r, v.alu('lsh', v.alu('and', v.load(1, s.k), v.constant(0xf)), v.constant(2)));
    case 'st':
      return withM(r, withWord(r.M, s.k, r.A));
    case 'stx':
      return withM(r, withWord(r.M, s.k, r.X));
    case 'alu':
      return withA(r, v.alu(s.op, r.A, s.src === 'k' ? v.constant(s.k) : r.X));
    case 'neg':
      return withA(r, v.neg(r.A));
    case 'tax':
      return withX(r, r.A);
    case 'txa':
      return withA(r, r.X);
    case 'walk': {
      // Equal walks (walk.ts) end with equal registers: the header reached, its offset.
      const A = v.opaque(`walk:${walkKey(s)}`);
      return { A, X: v.opaque(`walkx:${walkKey(s)}`), M: withWord(r.M, s.slot, A) };
    }
  }
}

/**
 * `r` with A set to `A`: `r` itself where A holds it already (a reload of a value the path has: the
 * callers then keep their states as they were, and nothing is allocated).
 */
const withA = (r: Regs, A: ValueId): Regs => (A === r.A ? r : { A, X: r.X, M: r.M });

/** `r` with X set to `X`, as withA. */
const withX = (r: Regs, X: ValueId): Regs => (X === r.X ? r : { A: r.A, X, M: r.M });

/** `r` with scratch memory `M`, as withA. */
const withM = (r: Regs, M: readonly ValueId[]): Regs => (M === r.M ? r : { A: r.A, X: r.X, M });

/** Scratch memory with word `k` set to `id` (the same array when it already holds it). */
function withWord(M: readonly ValueId[], k: number, id: ValueId): readonly ValueId[] {
  if (M[k] === id) return M;
  const out = M.slice();
  out[k] = id;
  return out;
}

/** The statements after `stmts` run, in order. */
export function transferAll(v: Values, stmts: readonly Stmt[], r: Regs): Regs {
  let out = r;
  for (const s of stmts) out = transfer(v, s, out);
  return out;
}

// One kept alive, for V8 (resident.ts): made last, once the tables its constructor copies exist.
keep(new Values());
