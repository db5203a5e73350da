// What a graph can return, seen whole. libpcap refuses a filter whose optimized program can never accept
// ("expression rejects all packets"), and scripts rely on that error, so cbpf reports it the same way; a
// graph with one verdict on every path is emitted as that `ret` alone.
import type { Cfg } from '../ir.js';
import { clearedMarks } from './graph.js';

/** What the walk below met among the reachable returns. */
const NONE = -1;
const MIXED = -2;

/** The walk's stack, shared (it calls nothing that walks again): asked every round of a stage. */
let stack = new Int32Array(64);

/**
 * The constant every reachable return gives (NONE: no return is reachable), or MIXED where two differ or
 * one returns A. With `rejecting`, MIXED already at a return of anything but 0.
 */
function verdict(cfg: Cfg, rejecting: boolean): number {
  const n = cfg.blocks.length;
  const marks = clearedMarks(n);
  if (stack.length < n) stack = new Int32Array(marks.length);
  let k = NONE;
  let top = 0;
  stack[top++] = cfg.entry;
  marks[cfg.entry] = 1;
  // Every block is pushed once, so the stack never holds more than n.
  while (top > 0) {
    const t = cfg.blocks[stack[--top] as number].term;
    if (t.kind === 'retA') return MIXED;
    if (t.kind === 'ret') {
      if ((rejecting && t.k !== 0) || (k !== NONE && t.k !== k)) return MIXED;
      k = t.k;
    } else if (t.kind === 'goto') {
      if (marks[t.target] === 0) {
        marks[t.target] = 1;
        stack[top++] = t.target;
      }
    } else {
      if (marks[t.t] === 0) {
        marks[t.t] = 1;
        stack[top++] = t.t;
      }
      if (marks[t.f] === 0) {
        marks[t.f] = 1;
        stack[top++] = t.f;
      }
    }
  }
  return k;
}

/** True if no path from the entry reaches a return of a non-zero constant or of A. */
export function rejectsAll(cfg: Cfg): boolean {
  return verdict(cfg, true) !== MIXED;
}

/** The constant every reachable return gives, if they all give the same one. */
export function onlyVerdict(cfg: Cfg): number | undefined {
  const k = verdict(cfg, false);
  return k < 0 ? undefined : k;
}
