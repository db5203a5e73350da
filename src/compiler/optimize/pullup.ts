// Pulling a test up an or-chain (and its mirror, an and-chain), as libpcap's or_pullup/and_pullup do (here
// drawn for P's false edge into an or-chain; either edge of P may lead into a chain of either kind):
//
//   P: A = v; if (A == a) goto T          P: A = v; if (A == a) goto T
//   B1: ld w; if (A == b) goto T    =>    Bj': if (A == c) goto T        (no load: A already holds v)
//   ...                                   B1: ld w; if (A == b) goto T
//   Bj: ld v; if (A == c) goto T          ...  (B(j-1) falls to N)
//   N                                     N
//
// All tests of the chain share one target and nothing else enters it, so the order does not change the
// verdict, but for the loads of B1..B(j-1) the pulled test now skips on its way to the shared target: those
// must be unable to stop the run, or stop it only for packets a later load would stop at anyway (the and-chain
// of `ip host A and ip host B`, whose shared target rejects). libpcap pulls up or-chains even past loads that
// may be beyond the packet's end (host lists), changing short packets' verdicts; cbpf does not.
import type { Block, BlockId, Cfg, Term } from '../ir.js';
import { anticipated, coveredLater, mayStop } from './bounds.js';
import { flow, runStmts } from './dataflow.js';
import { predecessorCounts, topoOrder } from './graph.js';
import { LIVE_A, LIVE_X, liveIn, liveM, useDef } from './liveness.js';
import { MEMWORDS, type Regs, type Values } from './values.js';

/** How far down a chain to look for a test of the same value. */
const MAX_CHAIN = 64;

function changedRegs(a: Regs, b: Regs): number {
  let mask = (a.A !== b.A ? LIVE_A : 0) | (a.X !== b.X ? LIVE_X : 0);
  for (let i = 0; i < MEMWORDS; i++) if (a.M[i] !== b.M[i]) mask |= liveM(i);
  return mask;
}

type Side = 't' | 'f';
const along = (t: Term & { kind: 'branch' }, side: Side) => (side === 't' ? t.t : t.f);
const across = (t: Term & { kind: 'branch' }, side: Side) => (side === 't' ? t.f : t.t);
const withEdge = (t: Term & { kind: 'branch' }, side: Side, to: BlockId): Term =>
  side === 't' ? { ...t, t: to } : { ...t, f: to };

/** One sweep; true if a test moved. Chains already rewritten in the sweep are left for the next. */
export function pullUp(cfg: Cfg, v: Values): boolean {
  const entries = flow(cfg, v);
  const order = topoOrder(cfg);
  const preds = predecessorCounts(cfg, order);
  const live = liveIn(cfg);
  const ant = anticipated(cfg, order);
  const touched = new Set<BlockId>();
  /** True if no statement of `b` can stop the run for a packet of at least `bound` bytes. */
  const quiet = (b: Block, bound: number): boolean => {
    let st = entries.get(b.id);
    if (!st) return false;
    for (const s of b.stmts) {
      if (mayStop(v, s, st.regs, st.bounds) && !coveredLater(s, bound)) return false;
      st = runStmts(v, [s], st);
    }
    return true;
  };
  let changed = false;
  for (const id of order) {
    const p = cfg.blocks[id] as Block;
    const entry = entries.get(id);
    if (p.term.kind !== 'branch' || !entry || touched.has(id)) continue;
    const exit = runStmts(v, p.stmts, entry);
    // Either edge of P may lead into a chain, which runs along either side of its tests.
    for (const [edge, side] of [
      ['f', 'f'],
      ['f', 't'],
      ['t', 't'],
      ['t', 'f'],
    ] as const) {
      const pt = p.term;
      if (pt.kind !== 'branch' || touched.has(id) || pt.t === pt.f) break;
      const first = cfg.blocks[along(pt, edge)] as Block;
      if (first.term.kind !== 'branch') continue;
      const shared = across(first.term, side);
      const chain: Block[] = [];
      let found: Block | undefined;
      let cur = first.id;
      for (let n = 0; n < MAX_CHAIN; n++) {
        const b = cfg.blocks[cur] as Block;
        const t = b.term;
        if (t.kind !== 'branch' || t.src !== 'k' || preds.get(cur) !== 1 || touched.has(cur)) break;
        if (across(t, side) !== shared || along(t, side) === cur) break;
        // A test of the value P leaves in A (the value it tests where it stands, too), whose statements
        // change nothing when run right after P. Right after P there is nothing to gain (and moving the
        // next one above it would only swap them back and forth).
        const be = entries.get(cur);
        if (!be) break;
        const moved = runStmts(v, b.stmts, exit).regs;
        if (changedRegs(exit.regs, moved) === 0 && runStmts(v, b.stmts, be).regs.A === moved.A) {
          if (chain.length > 0) found = b;
          break;
        }
        chain.push(b);
        cur = along(t, side);
      }
      if (!found || chain.length === 0) continue;
      const ft = found.term as Term & { kind: 'branch' };
      const next = along(ft, side);
      // `shared` is entered from the pulled test with P's registers instead of Bj's: what differs must be
      // dead there.
      const fe = entries.get(found.id);
      if (!fe) continue;
      // On the pulled test's way to `shared`, B1..B(j-1) no longer run: a statement of theirs that could
      // stop the run must be one a later load on every way on from `shared` would stop it at too.
      if (!chain.every((b) => quiet(b, ant.get(shared) ?? 0))) continue;
      if (changedRegs(exit.regs, runStmts(v, found.stmts, fe).regs) & (live.get(shared) ?? ~0))
        continue;
      // `next` is entered from B(j-1): if it reads what Bj's statements set, they run there first, where
      // they ran before.
      let written = 0;
      for (const s of found.stmts) written |= useDef(s).def;
      let to = next;
      if (written & (live.get(next) ?? ~0)) {
        to = cfg.blocks.length;
        cfg.blocks.push({ id: to, stmts: found.stmts, term: { kind: 'goto', target: next } });
      }
      const last = chain[chain.length - 1] as Block;
      last.term = withEdge(last.term as Term & { kind: 'branch' }, side, to);
      const pulled: Block = {
        id: cfg.blocks.length,
        stmts: [],
        term: withEdge(ft, side, (chain[0] as Block).id),
      };
      cfg.blocks.push(pulled);
      p.term = withEdge(pt, edge, pulled.id);
      for (const b of [p, found, pulled, ...chain]) touched.add(b.id);
      changed = true;
    }
  }
  return changed;
}
