// Graph helpers shared by the passes: copying, edges, a topological order of the reachable blocks, predecessor
// counts. All iterative: long host lists make graphs deeper than the call stack.
import type { Block, BlockId, Cfg, Term } from '../ir.js';

/** A deep-enough copy: passes replace `stmts` and `term`, never mutate them in place. */
export function cloneCfg(cfg: Cfg): Cfg {
  return {
    entry: cfg.entry,
    keepLoads: cfg.keepLoads,
    blocks: cfg.blocks.map((b) => ({ id: b.id, stmts: [...b.stmts], term: b.term })),
  };
}

/** Targets of a terminator; a branch lists its false edge first (the layout places the true side first). */
export function targets(t: Term): BlockId[] {
  if (t.kind === 'branch') return t.f === t.t ? [t.t] : [t.f, t.t];
  if (t.kind === 'goto') return [t.target];
  return [];
}

/** The reachable blocks' ids in reverse postorder: every edge goes from an earlier id to a later one. */
export function topoOrder(cfg: Cfg): BlockId[] {
  const seen = new Set<BlockId>([cfg.entry]);
  const post: BlockId[] = [];
  const stack: { id: BlockId; succ: BlockId[]; next: number }[] = [
    { id: cfg.entry, succ: targets(cfg.blocks[cfg.entry].term), next: 0 },
  ];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.next < top.succ.length) {
      const s = top.succ[top.next++];
      if (!seen.has(s)) {
        seen.add(s);
        stack.push({ id: s, succ: targets(cfg.blocks[s].term), next: 0 });
      }
    } else {
      post.push(top.id);
      stack.pop();
    }
  }
  return post.reverse();
}

/** How many edges from reachable blocks enter each block (a branch with t = f counts once). */
export function predecessorCounts(
  cfg: Cfg,
  order: readonly BlockId[] = topoOrder(cfg),
): Map<BlockId, number> {
  const n = new Map<BlockId, number>();
  for (const id of order)
    for (const s of targets(cfg.blocks[id].term)) n.set(s, (n.get(s) ?? 0) + 1);
  return n;
}

/** Replaces every edge target by `map(target)`; true if any changed. */
export function retarget(b: Block, map: (id: BlockId) => BlockId): boolean {
  const t = b.term;
  if (t.kind === 'goto') {
    const to = map(t.target);
    if (to === t.target) return false;
    b.term = { kind: 'goto', target: to };
    return true;
  }
  if (t.kind === 'branch') {
    const tt = map(t.t);
    const ff = map(t.f);
    if (tt === t.t && ff === t.f) return false;
    b.term = tt === ff ? { kind: 'goto', target: tt } : { ...t, t: tt, f: ff };
    return true;
  }
  return false;
}
