// Which registers a block's entry value is still read from: A, X and the scratch words M[0..15] as bits.
import type { BlockId, Cfg, Stmt, Term } from '../ir.js';
import { type BlockLookup, BlockTable, targets, topoOrder } from './graph.js';
import { MEMWORDS, type Regs } from './values.js';

export const LIVE_A = 1;
export const LIVE_X = 2;
export const liveM = (k: number) => 4 << k;

/** Registers `s` reads and writes, as masks. */
export function useDef(s: Stmt): { use: number; def: number } {
  switch (s.kind) {
    case 'ldAbs':
    case 'ldImm':
    case 'ldLen':
    case 'ldExt':
      return { use: 0, def: LIVE_A };
    case 'ldInd':
      return { use: LIVE_X, def: LIVE_A };
    case 'ldMem':
      return { use: liveM(s.k), def: LIVE_A };
    case 'ldxImm':
    case 'ldxLen':
    case 'ldxMsh':
      return { use: 0, def: LIVE_X };
    case 'ldxMem':
      return { use: liveM(s.k), def: LIVE_X };
    case 'st':
      return { use: LIVE_A, def: liveM(s.k) };
    case 'stx':
      return { use: LIVE_X, def: liveM(s.k) };
    case 'alu':
      return { use: s.src === 'x' ? LIVE_A | LIVE_X : LIVE_A, def: LIVE_A };
    case 'neg':
      return { use: LIVE_A, def: LIVE_A };
    case 'tax':
      return { use: LIVE_A, def: LIVE_X };
    case 'txa':
      return { use: LIVE_X, def: LIVE_A };
    case 'walk':
      return { use: 0, def: LIVE_A | LIVE_X | liveM(s.slot) };
  }
}

/** Registers a terminator reads. */
export function termUse(t: Term): number {
  if (t.kind === 'branch') return t.src === 'x' ? LIVE_A | LIVE_X : LIVE_A;
  return t.kind === 'retA' ? LIVE_A : 0;
}

/** Live registers on entry to `stmts` followed by a terminator reading `termLive`, given those live after. */
export function liveBefore(stmts: readonly Stmt[], after: number): number {
  let live = after;
  for (let i = stmts.length - 1; i >= 0; i--) {
    const { use, def } = useDef(stmts[i]);
    live = (live & ~def) | use;
  }
  return live;
}

/** Live-in masks of every reachable block (one backward sweep: the graph has no cycles). */
export function liveIn(cfg: Cfg, order: readonly BlockId[] = topoOrder(cfg)): BlockTable<number> {
  const live = new BlockTable<number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const b = cfg.blocks[order[i]];
    live.set(b.id, liveBefore(b.stmts, liveOut(b.term, live)));
  }
  return live;
}

/** Registers live after a block's statements: what its terminator reads and its successors need. */
export function liveOut(t: Term, live: BlockLookup<number>): number {
  let out = termUse(t);
  for (const s of targets(t)) out |= live.get(s) ?? 0;
  return out;
}

/** Registers (as a liveness mask) whose value differs between `a` and `b`. */
export function changedRegs(a: Regs, b: Regs): number {
  let mask = (a.A !== b.A ? LIVE_A : 0) | (a.X !== b.X ? LIVE_X : 0);
  if (a.M !== b.M) for (let i = 0; i < MEMWORDS; i++) if (a.M[i] !== b.M[i]) mask |= liveM(i);
  return mask;
}
