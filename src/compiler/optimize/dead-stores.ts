// Dead statement removal (libpcap optimize.c's opt_deadstores): a statement whose result no later statement
// or test reads goes, unless it could stop the run (a load not known in bounds on every path to it, a
// division by an unknown X) where a later load would not: that stop is part of the verdict on a short
// packet, so it stays. In the constants-only first stage (index.ts) dead packet loads go (absolute, and
// indirect ones such as a variable-length header's), as libpcap's do.
import type { Block, BlockId, Cfg, Stmt } from '../ir.js';
import { anticipated, antOut, coveredLater, mayStop } from './bounds.js';
import { flow, runStmt, type State } from './dataflow.js';
import { BlockTable, gotoTerm, pastEmpty, topoOrder } from './graph.js';
import { defMask, liveOut, useMask } from './liveness.js';
import type { Values } from './values.js';

/** One backward sweep; true if a statement went. */
export function removeDeadStores(
  cfg: Cfg,
  v: Values,
  order: readonly BlockId[] = topoOrder(cfg),
): boolean {
  v.budget.spend(2 * cfg.blocks.length);
  if (!hasUnread(cfg, order)) return false;
  const entries = flow(cfg, v, undefined, { bounds: true }, order);
  const live = new BlockTable<number>(cfg.blocks.length);
  const ant = anticipated(cfg, order);
  let changed = false;
  for (let i = order.length - 1; i >= 0; i--) {
    const b = cfg.blocks[order[i]];
    // Which statements may stop the run, from the state before each.
    const entry = entries[b.id];
    const stops: boolean[] = [];
    let st: State | undefined = entry;
    for (const s of b.stmts) {
      stops.push(st === undefined || mayStop(v, s, st.regs, st.bounds));
      if (st) st = runStmt(v, s, st);
    }
    // A test whose two edges lead to one block, or to two equal returns, decides nothing: it becomes a
    // goto, and the loads only it read go below. Going from the last block back, the test before it then
    // finds its own edges meeting, so a chain of tests whose outcome no longer matters (an address
    // compared word by word) goes in one sweep, not a test per round of every pass (threading turns a
    // test whose edges meet into a goto): 9 rounds to 3 for NULL's
    // `icmp or ip6 host fe80::1 or ip6 and udp and icmp6 or (ip broadcast or port 80)`.
    const to = edgesMeet(cfg, b);
    if (to !== undefined) {
      b.term = gotoTerm(to);
      changed = true;
    }
    let l = liveOut(b.term, live);
    let a = antOut(b.term, ant);
    const kept: Stmt[] = [];
    for (let j = b.stmts.length - 1; j >= 0; j--) {
      const s = b.stmts[j];
      const use = useMask(s);
      const def = defMask(s);
      if (
        (def & l) === 0 &&
        (!stops[j] ||
          coveredLater(s, a) ||
          (v.strength === 'constants' && (s.kind === 'ldAbs' || s.kind === 'ldInd')))
      )
        continue;
      l = (l & ~def) | use;
      if (s.kind === 'ldAbs') a = Math.max(a, s.k + s.size);
      else if (s.kind === 'ldxMsh') a = Math.max(a, s.k + 1);
      kept.push(s);
    }
    if (kept.length !== b.stmts.length) {
      b.stmts = kept.reverse();
      changed = true;
    }
    live.set(b.id, l);
  }
  return changed;
}

/** Where both edges of `b`'s test lead, if to one block or to two equal returns (see removeDeadStores). */
function edgesMeet(cfg: Cfg, b: Block): BlockId | undefined {
  const t = b.term;
  if (t.kind !== 'branch') return undefined;
  const to = pastEmpty(cfg, t.t);
  const other = pastEmpty(cfg, t.f);
  return to === other || sameReturn(cfg.blocks[to] as Block, cfg.blocks[other] as Block)
    ? to
    : undefined;
}

/** Whether two blocks are returns of one value with nothing before them (two copies interning has not merged yet). */
function sameReturn(a: Block, b: Block): boolean {
  if (a.stmts.length || b.stmts.length) return false;
  const x = a.term;
  const y = b.term;
  return (
    (x.kind === 'ret' && y.kind === 'ret' && x.k === y.k) ||
    (x.kind === 'retA' && y.kind === 'retA')
  );
}

/**
 * Whether some statement sets only registers nothing reads after it, or a test's edges meet. Without either
 * the sweep changes nothing (it drops only such statements, and the first it drops is one under this
 * liveness), and its flow is not needed.
 */
function hasUnread(cfg: Cfg, order: readonly BlockId[]): boolean {
  const live = new BlockTable<number>(cfg.blocks.length);
  for (let i = order.length - 1; i >= 0; i--) {
    const b = cfg.blocks[order[i]] as Block;
    // A test to drop is a change too, and what it read may then go.
    if (edgesMeet(cfg, b) !== undefined) return true;
    let l = liveOut(b.term, live);
    for (let j = b.stmts.length - 1; j >= 0; j--) {
      const s = b.stmts[j] as Stmt;
      const def = defMask(s);
      if ((def & l) === 0) return true;
      l = (l & ~def) | useMask(s);
    }
    live.set(b.id, l);
  }
  return false;
}
