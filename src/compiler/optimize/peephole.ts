// Peephole rewrites of a block's last ALU statement into its test, when A is not read after the test
// (libpcap optimize.c's opt_peep does the first two):
//   and #m; jeq #0       -> jset #m with the targets swapped
//   and #m; jgt #0       -> jset #m
//   and #m; jset #k      -> jset #(m & k)
//   sub #k; jeq #j       -> jeq #(j + k)      (u32 arithmetic wraps the same way on both sides)
//   add #k; jeq #j       -> jeq #(j - k)
//   xor #k; jeq #j       -> jeq #(j ^ k)
import type { BlockId, Cfg, Term } from '../ir.js';
import { type BlockTable, testLike, topoOrder } from './graph.js';
import { LIVE_A, liveIn } from './liveness.js';

/** One sweep; true if a statement was folded into a test. */
export function peephole(cfg: Cfg, order: readonly BlockId[] = topoOrder(cfg)): boolean {
  // Made at the first candidate, before any rewrite (most graphs have none).
  let live: BlockTable<number> | undefined;
  let changed = false;
  for (const id of order) {
    const b = cfg.blocks[id];
    const t = b.term;
    const last = b.stmts[b.stmts.length - 1];
    if (t.kind !== 'branch' || t.src !== 'k' || last?.kind !== 'alu' || last.src !== 'k') continue;
    live ??= liveIn(cfg, order);
    if (((live.get(t.t) ?? ~0) | (live.get(t.f) ?? ~0)) & LIVE_A) continue;
    const m = last.k;
    let next: Term | undefined;
    if (last.op === 'and' && t.cond === 'jeq' && t.k === 0) next = testLike(t, t.f, t.t, 'jset', m);
    else if (last.op === 'and' && t.cond === 'jgt' && t.k === 0)
      next = testLike(t, t.t, t.f, 'jset', m);
    else if (last.op === 'and' && t.cond === 'jset')
      next = testLike(t, t.t, t.f, 'jset', (m & t.k) >>> 0);
    else if (t.cond === 'jeq' && last.op === 'sub')
      next = testLike(t, t.t, t.f, 'jeq', (t.k + m) >>> 0);
    else if (t.cond === 'jeq' && last.op === 'add')
      next = testLike(t, t.t, t.f, 'jeq', (t.k - m) >>> 0);
    else if (t.cond === 'jeq' && last.op === 'xor')
      next = testLike(t, t.t, t.f, 'jeq', (t.k ^ m) >>> 0);
    if (!next) continue;
    b.stmts = b.stmts.slice(0, -1);
    b.term = next;
    changed = true;
  }
  return changed;
}
