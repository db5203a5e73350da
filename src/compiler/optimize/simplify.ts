// Redundant statement removal and constant folding in one sweep: both rewrite a block from the registers on
// its entry, so one flow serves the two (each on its own walked the graph once per round).
import type { Cfg } from '../ir.js';
import { flow } from './dataflow.js';
import { foldBlock } from './fold.js';
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
      const dropped = removeRedundantIn(v, b, entry.regs, live);
      changed = foldBlock(v, b, entry) || dropped || changed;
    },
    { facts: true },
  );
  return changed;
}
