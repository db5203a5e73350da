// The optimizer: IR → IR passes run to a fixed point. Each pass only redirects edges to blocks already
// reachable or shortens the graph, so the number of (block, edge) changes is bounded and the loop ends;
// the round cap is a guard against a pass that breaks that rule.
import type { Cfg } from '../ir.js';
import { splitTests, threadKnownValues } from './known-values.js';
import { threadJumps } from './thread.js';

const PASSES = [threadJumps, threadKnownValues];

/** Optimizes a copy of `cfg`; the input is left unchanged. */
export function optimize(cfg: Cfg): Cfg {
  const out: Cfg = { entry: cfg.entry, blocks: cfg.blocks.map((b) => ({ id: b.id, stmts: [...b.stmts], term: b.term })) };
  splitTests(out);
  for (let round = 0; round < 1 + 2 * out.blocks.length; round++) {
    let changed = false;
    for (const pass of PASSES) changed = pass(out) || changed;
    if (!changed) break;
  }
  return out;
}

/** True if no path from the entry reaches a return of a non-zero constant or of A. */
export function rejectsAll(cfg: Cfg): boolean {
  const seen = new Set<number>([cfg.entry]);
  const todo = [cfg.entry];
  while (todo.length) {
    const b = cfg.blocks[todo.pop()!];
    const t = b.term;
    if ((t.kind === 'ret' && t.k !== 0) || t.kind === 'retA') return false;
    const next = t.kind === 'branch' ? [t.t, t.f] : t.kind === 'goto' ? [t.target] : [];
    for (const n of next) if (!seen.has(n)) seen.add(n), todo.push(n);
  }
  return true;
}
