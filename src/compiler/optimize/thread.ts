// Jump threading through empty blocks, and branches whose outcome does not matter.
import type { Block, BlockId, Cfg, Term } from '../ir.js';

/** Where control really goes from `id`: past empty blocks that only `goto` elsewhere. */
function finalTarget(cfg: Cfg, id: BlockId): BlockId {
  let cur = id;
  // Edges go to lower ids (lowering's invariant) or at least never loop, so the walk ends; the bound is a guard.
  for (let steps = 0; steps <= cfg.blocks.length; steps++) {
    const b = cfg.blocks[cur];
    if (b.stmts.length !== 0 || b.term.kind !== 'goto') return cur;
    cur = b.term.target;
  }
  return cur;
}

/** Two blocks that return the same constant with no statements are interchangeable. */
function sameReturn(cfg: Cfg, a: BlockId, b: BlockId): boolean {
  const x = cfg.blocks[a];
  const y = cfg.blocks[b];
  return x.stmts.length === 0 && y.stmts.length === 0 && x.term.kind === 'ret' && y.term.kind === 'ret' && x.term.k === y.term.k;
}

/** One pass; returns true if anything changed. */
export function threadJumps(cfg: Cfg): boolean {
  let changed = false;
  for (const b of cfg.blocks) {
    const t = b.term;
    let next: Term = t;
    if (t.kind === 'goto') {
      const target = finalTarget(cfg, t.target);
      if (target !== t.target) next = { kind: 'goto', target };
    } else if (t.kind === 'branch') {
      const tt = finalTarget(cfg, t.t);
      const ff = finalTarget(cfg, t.f);
      if (tt === ff || sameReturn(cfg, tt, ff)) next = { kind: 'goto', target: tt };
      else if (tt !== t.t || ff !== t.f) next = { ...t, t: tt, f: ff };
    }
    if (next !== t) {
      (b as Block).term = next;
      changed = true;
    }
  }
  const entry = finalTarget(cfg, cfg.entry);
  if (entry !== cfg.entry) {
    cfg.entry = entry;
    changed = true;
  }
  return changed;
}
