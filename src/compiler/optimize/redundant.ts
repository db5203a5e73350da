// Redundant statement removal by value numbering: a statement that leaves its register holding the value it
// already holds on every path into it (a reload of the same bytes, a recomputed expression, `tax` when X
// already equals A, `and #0xffffffff`) goes. Sound on every packet: a removed load had already succeeded with
// the same result on every path to it. A protochain walk whose result its scratch word already holds on every
// path (an equal walk ran before) becomes a load of that word, where the offset it would leave in X is unused.
import type { Block, BlockId, Cfg, Stmt } from '../ir.js';
import type { BlockLookup } from './graph.js';
import { defMask, LIVE_X, liveIn, liveOut, useMask } from './liveness.js';
import type { Regs } from './values.js';

export const sameRegs = (a: Regs, b: Regs) =>
  a.A === b.A && a.X === b.X && (a.M === b.M || a.M.every((m, i) => m === b.M[i]));

/**
 * Whether `cfg` has walks. Only protochain makes them, and it marks its graph keepLoads: a graph without
 * the mark is not searched (a hand-built one with walks then only misses reusedWalk's rewrite).
 */
export function hasWalks(cfg: Cfg): boolean {
  return cfg.keepLoads === true && cfg.blocks.some((b) => b.stmts.some((s) => s.kind === 'walk'));
}

/** Whether a sweep needs liveness (only walks do; most graphs have none). */
export function liveForWalks(
  cfg: Cfg,
  order?: readonly BlockId[],
): BlockLookup<number> | undefined {
  return hasWalks(cfg) ? liveIn(cfg, order) : undefined;
}

/**
 * Whether statement `i` of `b`, run with registers `r`, is a walk whose result M[slot] already holds and
 * whose offset in X nobody reads: it becomes `ld M[slot]`.
 */
export function reusedWalk(
  b: Block,
  i: number,
  r: Regs,
  after: Regs,
  live: BlockLookup<number> | undefined,
): boolean {
  const s = b.stmts[i] as Stmt;
  return (
    s.kind === 'walk' &&
    live !== undefined &&
    r.M[s.slot] === after.A &&
    !xReadAfter(b.stmts, i, live, b)
  );
}

/** Whether X's value after statement `i` of `stmts` is read before it is set again. */
function xReadAfter(
  stmts: readonly Stmt[],
  i: number,
  live: BlockLookup<number>,
  b: Cfg['blocks'][number],
): boolean {
  for (let j = i + 1; j < stmts.length; j++) {
    const st = stmts[j] as Stmt;
    const use = useMask(st);
    const def = defMask(st);
    if (use & LIVE_X) return true;
    if (def & LIVE_X) return false;
  }
  return (liveOut(b.term, live) & LIVE_X) !== 0;
}
