// What a graph can return, seen whole. libpcap refuses a filter whose optimized program can never accept
// ("expression rejects all packets"), and scripts rely on that error, so cbpf reports it the same way; a
// graph with one verdict on every path is emitted as that `ret` alone.
import type { Cfg } from '../ir.js';
import { targets, topoOrder } from './graph.js';

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

/** The constant every reachable return gives, if they all give the same one. */
export function onlyVerdict(cfg: Cfg): number | undefined {
  let k: number | undefined;
  for (const id of topoOrder(cfg)) {
    const t = cfg.blocks[id].term;
    if (t.kind === 'retA' || (t.kind === 'ret' && k !== undefined && t.k !== k)) return undefined;
    if (t.kind === 'ret') k = t.k;
  }
  return k;
}
