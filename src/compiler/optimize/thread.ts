// Jump threading along paths (libpcap optimize.c's opt_j "edge dominators", generalised by value numbering
// and path facts): an edge walks forward past blocks whose tests the path has already decided, and is
// redirected to the farthest block where skipping is invisible: every register the skipped statements would
// have changed is dead there, and none of them could have stopped the run, or only on packets the program
// rejects anyway from there (bounds.ts). When the walk stops
// at an undecided test whose block only reloads what the path already holds, the edge goes to a copy of that
// test alone (how `ldb [20]; jeq #17` reached with A = [20] loses its load).
import type { Block, BlockId, Cfg, Term } from '../ir.js';
import { advance, anticipated, antOut, mayStop } from './bounds.js';
import { edgeState, flow, learntEdges, operandOf, runStmts, type State } from './dataflow.js';
import { decide } from './facts.js';
import { BlockTable, branchTo, gotoTerm, retarget, topoOrder } from './graph.js';
import { changedRegs, liveIn, liveOut } from './liveness.js';
import { hasWalks } from './redundant.js';
import { simplifiedEnd, simplifyBlock } from './simplify.js';
import { transfer, type Values } from './values.js';

/**
 * Steps one edge may take past decided blocks, and all edges together per sweep (bounds the work). An
 * edge leaving a list of n hosts passes 2n decided tests: at 256 steps a 500-host list needed 34 rounds
 * (40 s); the sweep budget still bounds the total.
 */
const EDGE_STEPS = 4096;
const SWEEP_STEPS = 1_000_000;
/**
 * Blocks visited when checking that every path from a test ends in the same return. No program of the
 * differential set needs more than 16; down a long or-chain every walk runs out (its one reject is at
 * the chain's end), and at 64 those walks were most of the time a list took and of its work budget.
 */
const SETTLE_STEPS = 16;
/** In `only`: the returns reachable from a block give more than one value, or A. */
const MIXED = -1;

// settled()'s walk: blocks to walk, with the state each is entered with, or the test and outcome that
// state is learnt from when it is taken off (most walks end before the last blocks queued are: they need
// none). Shared by every walk (a walk never starts inside another, nor a sweep inside a sweep), so a walk
// or a sweep makes no arrays; a sweep empties them when it ends.
const todoId: BlockId[] = [];
const todoState: State[] = [];
const todoTest: (Term | undefined)[] = [];
const todoOutcome: boolean[] = [];

/** One sweep over every edge; true if one moved. */
export function threadJumps(cfg: Cfg, v: Values, order?: readonly BlockId[]): boolean {
  return (sweep(cfg, v, false, true, order) & MOVED) !== 0;
}

/** What simplifyAndThread changed: bits of these. */
export const SIMPLIFIED = 1;
export const MOVED = 2;
/**
 * A walk stopped at a test the path leaves open, where a sweep with `settle` asks settled() (precise
 * strength only). A sweep without `settle` that never got there did all a sweep with it would have.
 */
export const WOULD_SETTLE = 4;

/**
 * simplify.ts's sweep and a threading sweep in one flow: each block is simplified from its entry state,
 * then its edges are threaded. The entry states are the ones simplify's own flow would see, or finer where
 * an edge upstream has moved already. The two sweeps in a row cost two flows; the stage's fixed point
 * after either way was the same program for 3,603 of 3,604 expressions checked (the other: 3 more
 * instructions). `settle`: as sweep()'s.
 */
export function simplifyAndThread(
  cfg: Cfg,
  v: Values,
  settle: boolean,
  order?: readonly BlockId[],
): number {
  return sweep(cfg, v, true, settle, order);
}

/** `settle`: whether a walk that stops at an undecided test asks settled() where every path ends. */
function sweep(
  cfg: Cfg,
  v: Values,
  simplifyToo: boolean,
  settle: boolean,
  order: readonly BlockId[] = topoOrder(cfg),
): number {
  if (!v.budget.spend(2 * cfg.blocks.length)) return 0;
  let simplified = false;
  const live = liveIn(cfg, order);
  // The same liveness serves simplification's walks (copies only add blocks).
  const liveWalks = simplifyToo && hasWalks(cfg) ? live : undefined;
  const ant = anticipated(cfg, order);
  // The one value every return reachable from a block gives, or MIXED. Threading only ever narrows what a
  // block reaches, so a value found here stays true for the whole sweep, and a walk in settled() that has
  // met one return value fails as soon as it heads into blocks that can only give another.
  const only = new BlockTable<number>(cfg.blocks.length);
  const onlyOut = (t: Term): number => {
    if (t.kind === 'ret') return t.k;
    if (t.kind === 'retA') return MIXED;
    if (t.kind === 'goto') return only.get(t.target) ?? MIXED;
    const a = only.get(t.t) ?? MIXED;
    return a === (only.get(t.f) ?? MIXED) ? a : MIXED;
  };
  for (let i = order.length - 1; i >= 0; i--) {
    const b = cfg.blocks[order[i]] as Block;
    only.set(b.id, onlyOut(b.term));
  }
  let budget = SWEEP_STEPS;
  // A copy's own edges are threaded in the same sweep; they make no copies of their own. Down an or-chain
  // of n tests that each reload the same field, every edge would otherwise start a chain of copies through
  // the rest of it: n² blocks (a 200-host list made 720,000). The next round, once interning has merged the
  // twins, goes on from there.
  const copies = new BlockTable<true>(cfg.blocks.length);
  let fromCopy = false;
  // Blocks whose walk ran out of steps: the next edge into one, with facts of the same kind, would
  // too (200 alternatives of `tcp port N and host A` spent a fifth of their compile time on that).
  const outOfSteps = new BlockTable<true>(cfg.blocks.length);
  let changed = false;
  let wouldSettle = false;
  const liveAt = (id: BlockId) => live.get(id) ?? ~0;

  // A fresh copy for each edge: the flow then sees it with its one predecessor (interning merges the twins).
  const copyOfTest = (b: Block): BlockId => {
    const id = cfg.blocks.length;
    cfg.blocks.push({ id, stmts: [], term: b.term });
    copies.set(id, true);
    live.set(id, liveOut(b.term, live));
    ant.set(id, antOut(b.term, ant));
    only.set(id, onlyOut(b.term));
    return id;
  };

  let todoLength = 0;
  /** The one return value a walk has met so far. */
  let walkK: number | undefined;
  /** Queues a block to walk; false if its returns can only differ from the one already met. */
  const queue = (id: BlockId, st: State, test: Term | undefined, outcome: boolean): boolean => {
    const r = only.get(id) ?? MIXED;
    if (r !== MIXED) {
      if (walkK !== undefined && r !== walkK) return false;
      walkK = r;
    }
    todoId[todoLength] = id;
    todoState[todoLength] = st;
    todoTest[todoLength] = test;
    todoOutcome[todoLength] = outcome;
    todoLength++;
    return true;
  };

  /**
   * The return every path from `from` reaches under the facts of `s`, if there is one such constant return
   * and skipping to it is invisible: to `ret #0` always (a stop rejects too), to another only if no path
   * runs a statement that could stop the run (nor did the blocks skipped before `from`: `clean`). Paths are
   * walked up to a budget. The caller has run `from`'s statements already (`s` is the state after them,
   * `stops` whether one of them could stop the run) and found its test open: the walk starts at its
   * two sides.
   */
  const settled = (
    from: BlockId,
    s: State,
    stops: boolean,
    clean: boolean,
  ): BlockId | undefined => {
    if (outOfSteps.has(from)) return undefined;
    let found: BlockId | undefined;
    let mayStopOnPath = stops;
    // `from` is the walk's first step.
    let work = SETTLE_STEPS - 1;
    if (!v.budget.spend(1)) return undefined;
    const r = only.get(from) ?? MIXED;
    walkK = r === MIXED ? undefined : r;
    // Where a statement could stop the run (on the path so far or in `from`), only `ret #0` can be
    // settled on (a stop rejects too): the walk gives up at the first other return it heads for.
    if (stops || !clean) {
      if (walkK !== undefined && walkK !== 0) return undefined;
      walkK = 0;
    }
    todoLength = 0;
    const open = (cfg.blocks[from] as Block).term as Term & { kind: 'branch' };
    if (!queue(open.t, s, open, true) || !queue(open.f, s, open, false)) return undefined;
    while (todoLength > 0) {
      if (--work < 0) {
        outOfSteps.set(from, true);
        return undefined;
      }
      if (!v.budget.spend(1)) return undefined;
      todoLength--;
      const id = todoId[todoLength] as BlockId;
      const before = todoState[todoLength] as State;
      const test = todoTest[todoLength];
      const b = cfg.blocks[id] as Block;
      const t = b.term;
      if (t.kind === 'retA') return undefined;
      // A return's statements need the registers and bounds only, not what the test taught.
      const st =
        test && t.kind !== 'ret'
          ? edgeState(v, test, before, todoOutcome[todoLength] as boolean)
          : before;
      let regs = st.regs;
      let bounds = st.bounds;
      for (const x of b.stmts) {
        if (mayStop(v, x, regs, bounds)) mayStopOnPath = true;
        bounds = advance(v, x, regs, bounds);
        regs = transfer(v, x, regs);
      }
      const after =
        regs === st.regs && bounds === st.bounds ? st : { regs, facts: st.facts, bounds };
      if (t.kind === 'ret') {
        if (walkK !== undefined && t.k !== walkK) return undefined;
        walkK = t.k;
        // The edge is redirected to a bare return: one with statements would run them.
        if (b.stmts.length === 0) found ??= id;
        continue;
      }
      if (t.kind === 'goto') {
        if (!queue(t.target, after, undefined, false)) return undefined;
      } else {
        const d = decide(v, after.facts, t.cond, after.regs.A, operandOf(v, t, after.regs));
        // A decided test teaches the path nothing new: only an undecided one's outcomes are learnt.
        if (d === true) {
          if (!queue(t.t, after, undefined, false)) return undefined;
        } else if (d === false) {
          if (!queue(t.f, after, undefined, false)) return undefined;
        } else if (!queue(t.t, after, t, true) || !queue(t.f, after, t, false)) return undefined;
      }
    }
    return found !== undefined && (walkK === 0 || (clean && !mayStopOnPath)) ? found : undefined;
  };

  const returns = (id: BlockId): boolean => {
    const k = (cfg.blocks[id] as Block).term.kind;
    return k === 'ret' || k === 'retA';
  };

  /** Where an edge carrying state `s` into `to` can go instead (or `to` itself). */
  const bypass = (to: BlockId, s: State): BlockId => {
    let best = to;
    let cur = to;
    // The registers and bounds had the skipped blocks run (the facts stay the edge's: a walk only follows
    // decided tests, which teach nothing).
    let virtRegs = s.regs;
    let virtBounds = s.bounds;
    // What the skipped statements could have stopped on: packets shorter than `need`, or any (`needAll`).
    let need = 0;
    let needAll = false;
    for (let steps = 0; steps < EDGE_STEPS && budget > 0 && v.budget.spend(1); steps++, budget--) {
      const b = cfg.blocks[cur];
      const t = b.term;
      if (t.kind === 'ret' || t.kind === 'retA') break;
      let regs = virtRegs;
      let bounds = virtBounds;
      let stops = false;
      for (const st of b.stmts) {
        if (mayStop(v, st, regs, bounds)) {
          stops = true;
          if (st.kind === 'ldAbs') need = Math.max(need, st.k + st.size);
          else if (st.kind === 'ldxMsh') need = Math.max(need, st.k + 1);
          else needAll = true;
        }
        bounds = advance(v, st, regs, bounds);
        regs = transfer(v, st, regs);
      }
      let next: BlockId;
      if (t.kind === 'goto') next = t.target;
      else {
        const d = decide(v, s.facts, t.cond, regs.A, operandOf(v, t, regs));
        if (d === undefined) {
          if (v.precise) wouldSettle = true;
          // Not in the equalities-only run that stands in for libpcap's reach (REJECTS_ALL). Nor where
          // the test's two sides each give one verdict and they differ: the walk would take both sides
          // of this open test at its first step and fail there (a fifth to a quarter of its calls).
          const tv = only.get(t.t) ?? MIXED;
          const fv = only.get(t.f) ?? MIXED;
          const end =
            v.precise && settle && (tv === MIXED || fv === MIXED || tv === fv)
              ? settled(
                  cur,
                  regs === s.regs && bounds === s.bounds ? s : { regs, facts: s.facts, bounds },
                  stops,
                  need === 0 && !needAll,
                )
              : undefined;
          if (end !== undefined) {
            best = end;
            break;
          }
          if (
            b.stmts.length > 0 &&
            (changedRegs(s.regs, regs) & liveOut(t, live)) === 0 &&
            needAll === false &&
            need <= antOut(t, ant) &&
            !fromCopy
          )
            best = copyOfTest(b);
          break;
        }
        // The facts decided it: learning its outcome would add nothing a later test could use.
        next = d ? t.t : t.f;
      }
      if (next === cur) break;
      cur = next;
      virtRegs = regs;
      virtBounds = bounds;
      if ((changedRegs(s.regs, virtRegs) & liveAt(cur)) === 0) {
        // Whatever the skipped statements could have stopped on, a later load stops on too.
        const a = ant.get(cur) ?? 0;
        if (needAll ? a === Number.POSITIVE_INFINITY : need <= a) best = cur;
      }
    }
    return best;
  };

  flow(
    cfg,
    v,
    (b, entry) => {
      let end: State | undefined;
      if (simplifyToo) {
        simplified = simplifyBlock(v, b, entry, liveWalks) || simplified;
        end = simplifiedEnd;
      }
      const t = b.term;
      fromCopy = copies.has(b.id);
      if (t.kind === 'ret' || t.kind === 'retA') return end;
      end ??= runStmts(v, b.stmts, entry);
      // A test whose edges meet proves nothing on the way out, and decides nothing: it is a goto.
      if (t.kind === 'branch' && t.t === t.f) {
        b.term = gotoTerm(t.t);
        changed = true;
      }
      if (t.kind === 'goto' || t.t === t.f) {
        changed = retarget(b, (id) => bypass(id, end)) || changed;
        return end;
      }
      // An edge into a return needs no facts: its walk ends there, and so does the flow.
      const onTrue = returns(t.t) ? end : edgeState(v, t, end, true);
      const onFalse = returns(t.f) ? end : edgeState(v, t, end, false);
      const tt = bypass(t.t, onTrue);
      const ff = bypass(t.f, onFalse);
      changed = branchTo(b, tt, ff) || changed;
      // The flow passes the same states on (retargeting kept the test).
      learntEdges.block = b;
      learntEdges.end = end;
      learntEdges.onTrue = onTrue;
      learntEdges.onFalse = onFalse;
      return end;
    },
    undefined,
    order,
  );
  // Nothing of this graph stays reachable from the shared lists (emptied only if a walk used them:
  // setting a length costs as much as a small graph's whole sweep).
  if (todoState.length > 0) {
    todoState.length = 0;
    todoTest.length = 0;
  }
  return (simplified ? SIMPLIFIED : 0) | (changed ? MOVED : 0) | (wouldSettle ? WOULD_SETTLE : 0);
}
