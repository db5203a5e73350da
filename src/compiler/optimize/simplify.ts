// Redundant statement removal and constant folding in one sweep: both rewrite a block from the registers on
// its entry, so one flow serves the two (each on its own walked the graph once per round).
import type { Block, Cfg } from '../ir.js';
import { flow, type State } from './dataflow.js';
import { foldBlock } from './fold.js';
import type { BlockLookup } from './graph.js';
import { liveForWalks, removeRedundantIn } from './redundant.js';
import type { Values } from './values.js';

/** One sweep; true if anything changed. */
export function simplify(cfg: Cfg, v: Values): boolean {
  let changed = false;
  const live = liveForWalks(cfg);
  flow(
    cfg,
    v,
    (b, entry) => {
      changed = simplifyBlock(v, b, entry, live) || changed;
    },
    { facts: true },
  );
  return changed;
}

/** Block `b`'s part of a sweep, entered with state `entry` (`live`: liveForWalks'); true if it changed. */
export function simplifyBlock(
  v: Values,
  b: Block,
  entry: State,
  live: BlockLookup<number> | undefined,
): boolean {
  const dropped = removeRedundantIn(v, b, entry.regs, live);
  return foldBlock(v, b, entry) || dropped;
}
