// Graph helpers shared by the passes: copying, edges, a topological order of the reachable blocks, predecessor
// counts. All iterative: long host lists make graphs deeper than the call stack.
import type { Block, BlockId, Cfg, Stmt, Term } from '../ir.js';
import { keep } from '../resident.js';

/** What the passes read of a per-block table. */
export interface BlockLookup<T> {
  get(id: BlockId): T | undefined;
}

/**
 * A table by block id: the ids are small dense numbers, so an array serves them faster than a Map (the
 * passes build several per sweep, and emit-sized graphs are where compile time goes).
 */
export class BlockTable<T> implements BlockLookup<T> {
  private readonly at: (T | undefined)[];

  /**
   * `size`: the graph's block count. Made that long, the array stays one V8 reads by index: a first write
   * past 1,024 into an empty one (the entry has the highest id) makes it a dictionary. The `undefined`
   * gives every table one kind of elements (any value) from the start, whatever it will hold: tables of
   * small ints, of doubles and of objects otherwise each had their own, and the accesses in get() and
   * set(), shared by all, saw several (one kind: 3-15% less compile time on the two sets, in one process,
   * alternating).
   */
  constructor(size = 0) {
    this.at = new Array(size);
    if (size > 0) this.at[0] = undefined;
  }

  get(id: BlockId): T | undefined {
    return this.at[id];
  }

  set(id: BlockId, value: T): this {
    this.at[id] = value;
    return this;
  }

  has(id: BlockId): boolean {
    return this.at[id] !== undefined;
  }
}

// One kept alive, for V8 (resident.ts).
keep(new BlockTable(1));

/**
 * A deep-enough copy: passes replace `stmts` and `term`, never mutate them in place. Its statements are
 * made uniform.
 */
export function cloneCfg(cfg: Cfg): Cfg {
  return {
    entry: cfg.entry,
    keepLoads: cfg.keepLoads,
    blocks: cfg.blocks.map((b) => ({
      id: b.id,
      stmts: b.stmts.map(uniform),
      term: uniformTerm(b.term),
    })),
  };
}

/** Fields a terminator may have. */
interface TermFields {
  readonly cond?: unknown;
  readonly src?: unknown;
  readonly k?: unknown;
  readonly t?: unknown;
  readonly f?: unknown;
  readonly target?: unknown;
}

/** `t` in the one shape of every terminator the optimizer makes (as uniform() for statements). */
export function uniformTerm(t: Term): Term {
  const f = t as TermFields;
  return {
    kind: t.kind,
    cond: f.cond,
    src: f.src,
    k: f.k,
    t: f.t,
    f: f.f,
    target: f.target,
  } as Term;
}

/**
 * Where an edge into `id` leads past blocks that only jump on (no statements, a goto). Bounded: the graph
 * has no cycles, so a chain is shorter than the block count.
 */
export function pastEmpty(cfg: Cfg, id: BlockId): BlockId {
  let cur = id;
  for (let n = 0; n < cfg.blocks.length; n++) {
    const b = cfg.blocks[cur] as Block;
    if (b.stmts.length || b.term.kind !== 'goto') return cur;
    cur = b.term.target;
  }
  return cur;
}

/** A goto, in that one shape. */
export const gotoTerm = (target: BlockId): Term =>
  ({
    kind: 'goto',
    cond: undefined,
    src: undefined,
    k: undefined,
    t: undefined,
    f: undefined,
    target,
  }) as Term;

/** Fields a statement other than a walk may have. */
interface StmtFields {
  readonly size?: unknown;
  readonly k?: unknown;
  readonly op?: unknown;
  readonly src?: unknown;
  readonly ext?: unknown;
}

/**
 * `s` in the one shape the optimizer gives every statement but a protochain walk: every field present,
 * the unused ones undefined. Made by kind, statements come in half a dozen shapes, and every read of a
 * statement's field was then megamorphic (see testLike).
 */
export function uniform(s: Stmt): Stmt {
  if (s.kind === 'walk') return s;
  const f = s as StmtFields;
  return { kind: s.kind, size: f.size, k: f.k, op: f.op, src: f.src, ext: f.ext } as Stmt;
}

/** Targets of a terminator; a branch lists its false edge first (the layout places the true side first). */
export function targets(t: Term): BlockId[] {
  if (t.kind === 'branch') return t.f === t.t ? [t.t] : [t.f, t.t];
  if (t.kind === 'goto') return [t.target];
  return [];
}

/** A byte per block, shared by the whole-graph walks below: a typed array made per walk cost a tenth of one. */
let marks = new Uint8Array(64);

/**
 * The shared marks, zeroed for `n` blocks. For a walk that calls no other walk before it is done with them
 * (topoOrder, verdicts.ts's).
 */
export function clearedMarks(n: number): Uint8Array {
  if (marks.length < n) marks = new Uint8Array(Math.max(n, 2 * marks.length));
  else marks.fill(0, 0, n);
  return marks;
}

/** The reachable blocks' ids in reverse postorder: every edge goes from an earlier id to a later one. */
export function topoOrder(cfg: Cfg): BlockId[] {
  // 0: unseen, 1: on the stack, its false edge next; 2: its true edge next; 3: done.
  const state = clearedMarks(cfg.blocks.length);
  const stack: BlockId[] = [cfg.entry];
  const post: BlockId[] = [];
  state[cfg.entry] = 1;
  while (stack.length) {
    const id = stack[stack.length - 1] as BlockId;
    const t = (cfg.blocks[id] as Block).term;
    const phase = state[id] as number;
    // A branch lists its false edge first (as targets()), a goto its one target.
    let next = -1;
    if (phase === 1) {
      state[id] = 2;
      if (t.kind === 'branch') next = t.f;
      else if (t.kind === 'goto') next = t.target;
    } else if (phase === 2) {
      state[id] = 3;
      if (t.kind === 'branch' && t.t !== t.f) next = t.t;
    }
    if (phase === 3) {
      post.push(id);
      stack.pop();
    } else if (next >= 0 && state[next] === 0) {
      state[next] = 1;
      stack.push(next);
    }
  }
  return post.reverse();
}

/** How many edges from reachable blocks enter each block (a branch with t = f counts once). */
export function predecessorCounts(
  cfg: Cfg,
  order: readonly BlockId[] = topoOrder(cfg),
): BlockTable<number> {
  const n = new BlockTable<number>(cfg.blocks.length);
  const count = (to: BlockId) => n.set(to, (n.get(to) ?? 0) + 1);
  for (const id of order) {
    const t = (cfg.blocks[id] as Block).term;
    if (t.kind === 'goto') count(t.target);
    else if (t.kind === 'branch') {
      count(t.t);
      if (t.f !== t.t) count(t.f);
    }
  }
  return n;
}

/** Replaces every edge target by `map(target)`; true if any changed. */
export function retarget(b: Block, map: (id: BlockId) => BlockId): boolean {
  const t = b.term;
  if (t.kind === 'goto') {
    const to = map(t.target);
    if (to === t.target) return false;
    b.term = gotoTerm(to);
    return true;
  }
  if (t.kind === 'branch') return branchTo(b, map(t.t), map(t.f));
  return false;
}

/** Points block `b`'s test at `tt` and `ff` (a goto where they meet); true if that changed it. */
export function branchTo(b: Block, tt: BlockId, ff: BlockId): boolean {
  const t = b.term as Term & { kind: 'branch' };
  if (tt === t.t && ff === t.f) return false;
  b.term = tt === ff ? gotoTerm(tt) : testLike(t, tt, ff);
  return true;
}

/**
 * Test `t` with other targets (and condition, constant or operand). Every field is written out: a spread makes
 * the term slowly and in another shape, and the passes read tests of one shape faster.
 */
export function testLike(
  t: Term & { kind: 'branch' },
  tt: BlockId,
  ff: BlockId,
  cond = t.cond,
  k = t.k,
  src = t.src,
): Term & { kind: 'branch' } {
  return { kind: 'branch', cond, src, k, t: tt, f: ff, target: undefined } as Term & {
    kind: 'branch';
  };
}
