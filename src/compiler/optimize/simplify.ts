// Redundant statement removal and constant folding in one sweep: both rewrite a block from the registers on
// its entry, so one flow serves the two (each on its own walked the graph once per round).
import type { Block, Cfg, Stmt } from '../ir.js';
import { advance } from './bounds.js';
import { flow, type State } from './dataflow.js';
import { folded, foldTest } from './fold.js';
import { type BlockLookup, uniform } from './graph.js';
import { liveForWalks, reusedWalk, sameRegs } from './redundant.js';
import { transfer, type Values } from './values.js';

/** One sweep; true if anything changed. */
export function simplify(cfg: Cfg, v: Values): boolean {
  let changed = false;
  const live = liveForWalks(cfg);
  flow(
    cfg,
    v,
    (b, entry) => {
      changed = simplifyBlock(v, b, entry, live) || changed;
    },
    { facts: true },
  );
  return changed;
}

/**
 * Block `b`'s part of a sweep, entered with state `entry` (`live`: liveForWalks'); true if it changed. One
 * pass over the statements: each is dropped if redundant, else folded, from the registers before it; the
 * block gets a new statement list only if one changed.
 */
export function simplifyBlock(
  v: Values,
  b: Block,
  entry: State,
  live: BlockLookup<number> | undefined,
): boolean {
  const stmts = b.stmts;
  let r = entry.regs;
  let bounds = entry.bounds;
  let out: Stmt[] | undefined;
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i] as Stmt;
    let next = transfer(v, s, r);
    let kept: Stmt | undefined;
    if (!sameRegs(next, r)) {
      kept = s;
      if (reusedWalk(b, i, r, next, live) && s.kind === 'walk') {
        kept = uniform({ kind: 'ldMem', k: s.slot });
        next = { A: r.M[s.slot] as number, X: r.X, M: r.M };
      }
      kept = folded(v, kept, r, next);
      bounds = advance(v, kept, r, bounds);
      r = next;
    }
    if (kept !== s) out ??= stmts.slice(0, i);
    if (out !== undefined && kept !== undefined) out.push(kept);
  }
  if (out !== undefined) b.stmts = out;
  // What runStmts() gives for the new statements: a dropped one changed no register (and loaded nothing
  // a path here had not), a folded one computes the same value.
  simplifiedEnd =
    r === entry.regs && bounds === entry.bounds ? entry : { regs: r, facts: entry.facts, bounds };
  return foldTest(v, b, entry.facts, r) || out !== undefined;
}

/** The state after the statements simplifyBlock() left, as it last ran (read right after it). */
export let simplifiedEnd: State;
