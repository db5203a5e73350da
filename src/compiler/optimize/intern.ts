// Identical blocks become one (libpcap optimize.c's intern_blocks): same statements, same terminator, same
// successors once those are merged. This shares return blocks and tails that several paths end with, and a
// test whose two targets turn out identical becomes a goto.
import type { BlockId, Cfg } from '../ir.js';
import { retarget, topoOrder } from './graph.js';

/** One sweep from the returns upwards; true if an edge moved. */
export function internBlocks(cfg: Cfg): boolean {
  const order = topoOrder(cfg);
  const canon = new Map<BlockId, BlockId>();
  const byKey = new Map<string, BlockId>();
  const map = (id: BlockId) => canon.get(id) ?? id;
  let changed = false;
  for (let i = order.length - 1; i >= 0; i--) {
    const b = cfg.blocks[order[i]];
    changed = retarget(b, map) || changed;
    const key = JSON.stringify([b.stmts, b.term]);
    const rep = byKey.get(key);
    if (rep === undefined) byKey.set(key, b.id);
    else canon.set(b.id, rep);
  }
  if (canon.has(cfg.entry)) {
    cfg.entry = map(cfg.entry);
    changed = true;
  }
  return changed;
}
