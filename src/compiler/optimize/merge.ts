// Block merging: a goto into a block no other edge enters joins the two; a goto into a block without
// statements takes that block's terminator (a test, a return) instead of jumping to it; edges and the entry
// skip blocks that only jump on.
import type { BlockId, Cfg } from '../ir.js';
import { pastEmpty, predecessorCounts, retarget, topoOrder } from './graph.js';

/** One sweep; true if anything changed. */
export function mergeBlocks(cfg: Cfg, order: readonly BlockId[] = topoOrder(cfg)): boolean {
  const preds = predecessorCounts(cfg, order);
  let changed = false;
  const skipEmpty = (id: BlockId): BlockId => pastEmpty(cfg, id);
  const entry = skipEmpty(cfg.entry);
  if (entry !== cfg.entry) {
    cfg.entry = entry;
    changed = true;
  }
  for (const id of order) {
    const b = cfg.blocks[id];
    changed = retarget(b, skipEmpty) || changed;
    // Absorb successors while the goto's target is ours alone or has nothing but a terminator.
    for (let n = 0; n < cfg.blocks.length && b.term.kind === 'goto'; n++) {
      const next = cfg.blocks[b.term.target];
      if (
        next.id === b.id ||
        (next.stmts.length && (preds.get(next.id) ?? 0) !== 1) ||
        next.id === cfg.entry
      )
        break;
      b.stmts = [...b.stmts, ...next.stmts];
      b.term = next.term;
      // The absorbed block's successors gain an edge from b (when `next` stays reachable from elsewhere).
      if (next.stmts.length === 0)
        for (const s of next.term.kind === 'branch'
          ? [next.term.t, next.term.f]
          : next.term.kind === 'goto'
            ? [next.term.target]
            : [])
          preds.set(s, (preds.get(s) ?? 0) + 1);
      changed = true;
    }
  }
  return changed;
}
