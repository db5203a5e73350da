// Which registers a block's entry value is still read from: A, X and the scratch words M[0..15] as bits.
import type { BlockId, Cfg, Stmt, Term } from '../ir.js';
import { type BlockLookup, BlockTable, topoOrder } from './graph.js';
import { MEMWORDS, type Regs } from './values.js';

export const LIVE_A = 1;
export const LIVE_X = 2;
export const liveM = (k: number) => 4 << k;

/** Registers `s` reads, as a mask (two functions, not one object: this runs for every statement of every sweep). */
export function useMask(s: Stmt): number {
  switch (s.kind) {
    case 'ldInd':
    case 'stx':
    case 'txa':
      return LIVE_X;
    case 'ldMem':
    case 'ldxMem':
      return liveM(s.k);
    case 'st':
    case 'neg':
    case 'tax':
      return LIVE_A;
    case 'alu':
      return s.src === 'x' ? LIVE_A | LIVE_X : LIVE_A;
    default:
      return 0;
  }
}

/** Registers `s` writes, as a mask. */
export function defMask(s: Stmt): number {
  switch (s.kind) {
    case 'ldAbs':
    case 'ldImm':
    case 'ldLen':
    case 'ldExt':
    case 'ldInd':
    case 'ldMem':
    case 'alu':
    case 'neg':
    case 'txa':
      return LIVE_A;
    case 'ldxImm':
    case 'ldxLen':
    case 'ldxMsh':
    case 'ldxMem':
    case 'tax':
      return LIVE_X;
    case 'st':
    case 'stx':
      return liveM(s.k);
    case 'walk':
      return LIVE_A | LIVE_X | liveM(s.slot);
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
    const st = stmts[i] as Stmt;
    live = (live & ~defMask(st)) | useMask(st);
  }
  return live;
}

/** Live-in masks of every reachable block (one backward sweep: the graph has no cycles). */
export function liveIn(cfg: Cfg, order: readonly BlockId[] = topoOrder(cfg)): BlockTable<number> {
  const live = new BlockTable<number>(cfg.blocks.length);
  for (let i = order.length - 1; i >= 0; i--) {
    const b = cfg.blocks[order[i]];
    live.set(b.id, liveBefore(b.stmts, liveOut(b.term, live)));
  }
  return live;
}

/** Registers live after a block's statements: what its terminator reads and its successors need. */
export function liveOut(t: Term, live: BlockLookup<number>): number {
  if (t.kind === 'branch') return termUse(t) | (live.get(t.t) ?? 0) | (live.get(t.f) ?? 0);
  if (t.kind === 'goto') return live.get(t.target) ?? 0;
  return termUse(t);
}

/** Registers (as a liveness mask) whose value differs between `a` and `b`. */
export function changedRegs(a: Regs, b: Regs): number {
  let mask = (a.A !== b.A ? LIVE_A : 0) | (a.X !== b.X ? LIVE_X : 0);
  if (a.M !== b.M) for (let i = 0; i < MEMWORDS; i++) if (a.M[i] !== b.M[i]) mask |= liveM(i);
  return mask;
}
