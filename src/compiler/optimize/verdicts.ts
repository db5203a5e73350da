// libpcap refuses a filter whose optimized program can never accept ("expression rejects all packets");
// scripts rely on that error, so cbpf reports it the same way.
import type { Cfg } from '../ir.js';
import { targets } from './graph.js';

/** True if no path from the entry reaches a return of a non-zero constant or of A. */
export function rejectsAll(cfg: Cfg): boolean {
  const seen = new Set<number>([cfg.entry]);
  const todo = [cfg.entry];
  while (todo.length) {
    const t = cfg.blocks[todo.pop()!].term;
    if ((t.kind === 'ret' && t.k !== 0) || t.kind === 'retA') return false;
    for (const n of targets(t)) {
      if (!seen.has(n)) {
        seen.add(n);
        todo.push(n);
      }
    }
  }
  return true;
}
