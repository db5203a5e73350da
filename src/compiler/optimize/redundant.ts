// Redundant statement removal by value numbering: a statement that leaves its register holding the value it
// already holds on every path into it (a reload of the same bytes, a recomputed expression, `tax` when X
// already equals A, `and #0xffffffff`) goes. Sound on every packet: a removed load had already succeeded with
// the same result on every path to it. A protochain walk whose result its scratch word already holds on every
// path (an equal walk ran before) becomes a load of that word, where the offset it would leave in X is unused.
import type { Cfg, Stmt } from '../ir.js';
import { flow } from './dataflow.js';
import type { BlockLookup } from './graph.js';
import { LIVE_X, liveIn, liveOut, useDef } from './liveness.js';
import { type Regs, transfer, type Values } from './values.js';

export const sameRegs = (a: Regs, b: Regs) =>
  a.A === b.A && a.X === b.X && a.M.every((m, i) => m === b.M[i]);

/** One sweep; true if a statement went. */
export function removeRedundant(cfg: Cfg, v: Values): boolean {
  let changed = false;
  // Liveness only matters to walks; most graphs have none.
  const walks = cfg.blocks.some((b) => b.stmts.some((s) => s.kind === 'walk'));
  const live = walks ? liveIn(cfg) : undefined;
  flow(
    cfg,
    v,
    (b, entry) => {
      let r = entry.regs;
      let edited = false;
      const out: Stmt[] = [];
      b.stmts.forEach((s, i) => {
        let next = transfer(v, s, r);
        if (sameRegs(next, r)) {
          edited = true;
          return;
        }
        if (
          s.kind === 'walk' &&
          live &&
          r.M[s.slot] === next.A &&
          !xReadAfter(b.stmts, i, live, b)
        ) {
          out.push({ kind: 'ldMem', k: s.slot });
          next = { ...r, A: r.M[s.slot] as number };
          edited = true;
        } else out.push(s);
        r = next;
      });
      if (edited) {
        b.stmts = out;
        changed = true;
      }
    },
    {},
  );
  return changed;
}

/** Whether X's value after statement `i` of `stmts` is read before it is set again. */
function xReadAfter(
  stmts: readonly Stmt[],
  i: number,
  live: BlockLookup<number>,
  b: Cfg['blocks'][number],
): boolean {
  for (let j = i + 1; j < stmts.length; j++) {
    const { use, def } = useDef(stmts[j] as Stmt);
    if (use & LIVE_X) return true;
    if (def & LIVE_X) return false;
  }
  return (liveOut(b.term, live) & LIVE_X) !== 0;
}
