// The forward analysis the passes share: registers as value ids and path facts, merged where paths join.
// Blocks are visited in topological order, and a visitor may rewrite the block it is given (its statements,
// and its edges, but only towards blocks after it), so a pass reads states that already reflect its own
// rewrites upstream: a block's entry state is the meet of its final incoming edges.
import type { Block, BlockId, Cfg, Stmt, Term } from '../ir.js';
import { advance, type Bounds, meetBounds, NO_BOUNDS } from './bounds.js';
import { type Facts, learn, meetFacts, NO_FACTS } from './facts.js';
import { topoOrder } from './graph.js';
import { MEMWORDS, type Regs, transfer, transferAll, type ValueId, type Values } from './values.js';

export interface State {
  readonly regs: Regs;
  readonly facts: Facts;
  /** Packet bytes every path here has loaded. */
  readonly bounds: Bounds;
}

/** The state after `stmts` run from `s` (facts only change at tests). */
export function runStmts(v: Values, stmts: readonly Stmt[], s: State): State {
  if (stmts.length === 0) return s;
  let regs = s.regs;
  let bounds = s.bounds;
  for (const st of stmts) {
    bounds = advance(v, st, regs, bounds);
    regs = transfer(v, st, regs);
  }
  return { regs, facts: s.facts, bounds };
}

/** The state after `st` runs from `s`. */
export function runStmt(v: Values, st: Stmt, s: State): State {
  return {
    regs: transfer(v, st, s.regs),
    facts: s.facts,
    bounds: advance(v, st, s.regs, s.bounds),
  };
}

/** The value a branch compares A with. */
export function operandOf(v: Values, t: Term & { kind: 'branch' }, r: Regs): ValueId {
  return t.src === 'k' ? v.constant(t.k) : r.X;
}

/** The state on the edge where block end state `s` leaves through `t`'s `outcome` side (undefined: a goto). */
export function edgeState(v: Values, t: Term, s: State, outcome?: boolean): State {
  if (t.kind !== 'branch' || outcome === undefined) return s;
  const facts = learn(v, s.facts, t.cond, s.regs.A, operandOf(v, t, s.regs), outcome);
  return facts === s.facts ? s : { regs: s.regs, facts, bounds: s.bounds };
}

/** Registers on both paths: an id both agree on, else a fresh id for "A (or X, M[k]) at the entry of `at`". */
function meetRegs(v: Values, at: BlockId, a: Regs, b: Regs): Regs {
  if (a === b) return a;
  let M = a.M;
  for (let i = 0; i < MEMWORDS; i++) {
    if (a.M[i] !== b.M[i]) {
      if (M === a.M) M = [...a.M];
      (M as ValueId[])[i] = v.phi(at, 2 + i);
    }
  }
  return {
    A: a.A === b.A ? a.A : v.phi(at, 0),
    X: a.X === b.X ? a.X : v.phi(at, 1),
    M,
  };
}

/**
 * The states on the two edges of the block being visited, where its visitor has learnt them already
 * (threading does, to follow the edges): the flow passes them on rather than learning them again. Valid for
 * that block and end state only, while its terminator is a test of the same condition (a visitor may
 * retarget it). Shared: a visit never starts inside another flow's visit of the same block.
 */
export const learntEdges: {
  block: Block | undefined;
  end: State | undefined;
  onTrue: State | undefined;
  onFalse: State | undefined;
} = { block: undefined, end: undefined, onTrue: undefined, onFalse: undefined };

/** What a pass reads of the states: the path facts and the packet bounds cost most to carry, so only on request. */
export interface Needs {
  readonly facts?: boolean;
  readonly bounds?: boolean;
}

/**
 * Runs `visit` on every block reachable from the entry, in topological order, with the state on entry to it;
 * a visitor that has run the block's final statements (runStmts) may return the state after them, which the
 * flow then takes instead of running them again. Returns each visited block's entry state. Facts and bounds are carried only where `needs` asks (else they
 * stay empty). `order`: topoOrder(cfg), where the caller has it already.
 */
export function flow(
  cfg: Cfg,
  v: Values,
  visit?: (b: Block, entry: State) => State | undefined,
  needs: Needs = { facts: true, bounds: true },
  order: readonly BlockId[] = topoOrder(cfg),
): (State | undefined)[] {
  const withFacts = needs.facts === true;
  const withBounds = needs.bounds === true;
  // Indexed by block id (blocks a visitor adds extend them).
  // Made as long as the graph: the entry has the highest id (lowering builds from the returns up), and a
  // first write that far into an empty array leaves V8 a dictionary where a graph has over 1,024 blocks.
  const n = cfg.blocks.length;
  const incoming: (State | undefined)[] = new Array(n);
  const entries: (State | undefined)[] = new Array(n);
  incoming[cfg.entry] = { regs: v.initial(), facts: NO_FACTS, bounds: NO_BOUNDS };
  const planned: boolean[] = new Array(n);
  for (const id of order) planned[id] = true;
  // Blocks a visitor adds (with one predecessor, the block being visited) run right after that block.
  const added: BlockId[] = [];
  // Nothing reads the state on entry to a bare return.
  const bare = (id: BlockId) => {
    const b = cfg.blocks[id] as Block;
    return b.stmts.length === 0 && (b.term.kind === 'ret' || b.term.kind === 'retA');
  };
  const arrive = (to: BlockId, s: State) => {
    v.budget.spend(1);
    const prev = incoming[to];
    // A list's accept and reject blocks are entered from thousands of edges: skip their joins.
    if (prev && bare(to)) return;
    incoming[to] = prev
      ? {
          regs: meetRegs(v, to, prev.regs, s.regs),
          facts: withFacts ? meetFacts(prev.facts, s.facts) : NO_FACTS,
          bounds: withBounds ? meetBounds(prev.bounds, s.bounds) : NO_BOUNDS,
        }
      : s;
    if (planned[to] !== true) {
      planned[to] = true;
      added.push(to);
    }
  };
  const step = (id: BlockId) => {
    const entry = incoming[id];
    if (!entry) return; // every edge into it was redirected: no longer reachable
    const b = cfg.blocks[id] as Block;
    v.budget.spend(1 + b.stmts.length);
    const ran = visit?.(b, entry);
    entries[id] = entry;
    const t = b.term;
    // A return passes no state on.
    if (t.kind === 'ret' || t.kind === 'retA') return;
    const end =
      ran ??
      (withBounds
        ? runStmts(v, b.stmts, entry)
        : { regs: transferAll(v, b.stmts, entry.regs), facts: entry.facts, bounds: NO_BOUNDS });
    if (t.kind === 'goto') arrive(t.target, end);
    else if (t.kind === 'branch') {
      if (t.t === t.f) arrive(t.t, end);
      else if (!withFacts) {
        arrive(t.t, end);
        arrive(t.f, end);
      } else if (learntEdges.block === b && learntEdges.end === end) {
        arrive(t.t, bare(t.t) ? end : (learntEdges.onTrue as State));
        arrive(t.f, bare(t.f) ? end : (learntEdges.onFalse as State));
      } else {
        // What the test teaches is not needed where nothing reads it: at a bare return.
        arrive(t.t, bare(t.t) ? end : edgeState(v, t, end, true));
        arrive(t.f, bare(t.f) ? end : edgeState(v, t, end, false));
      }
    }
  };
  for (const id of order) {
    step(id);
    while (added.length) step(added.pop() as BlockId);
  }
  // Nothing of this graph stays reachable from the shared record.
  if (learntEdges.block !== undefined) {
    learntEdges.block = learntEdges.end = learntEdges.onTrue = learntEdges.onFalse = undefined;
  }
  return entries;
}
