// Redundant statement removal by value numbering: a statement that leaves its register holding the value it
// already holds on every path into it (a reload of the same bytes, a recomputed expression, `tax` when X
// already equals A, `and #0xffffffff`) goes. Sound on every packet: a removed load had already succeeded with
// the same result on every path to it.
import type { Cfg, Stmt } from '../ir.js';
import { flow } from './dataflow.js';
import { type Regs, transfer, type Values } from './values.js';

export const sameRegs = (a: Regs, b: Regs) =>
  a.A === b.A && a.X === b.X && a.M.every((m, i) => m === b.M[i]);

/** One sweep; true if a statement went. */
export function removeRedundant(cfg: Cfg, v: Values): boolean {
  let changed = false;
  flow(cfg, v, (b, entry) => {
    let r = entry.regs;
    const out: Stmt[] = [];
    for (const s of b.stmts) {
      const next = transfer(v, s, r);
      if (sameRegs(next, r)) continue;
      out.push(s);
      r = next;
    }
    if (out.length !== b.stmts.length) {
      b.stmts = out;
      changed = true;
    }
  });
  return changed;
}
