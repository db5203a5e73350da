// Pulling a test up an or-chain (and its mirror, an and-chain), as libpcap's or_pullup/and_pullup do (here
// drawn for P's false edge into an or-chain; either edge of P may lead into a chain of either kind):
//
//   P: A = v; if (A == a) goto T          P: A = v; if (A == a) goto T
//   B1: ld w; if (A == b) goto T    =>    Bj': if (A == c) goto T        (no load: A already holds v)
//   ...                                   B1: ld w; if (A == b) goto T
//   Bj: ld v; if (A == c) goto T          ...  (B(j-1) falls to N)
//   N                                     N
//
// Every such Bj of the chain moves in the same sweep, keeping their order (a list of n hosts needs n - 1
// moves; one per sweep made its compile time grow with n³).
// All tests of the chain share one target and nothing else enters it, so the order does not change the
// verdict of a packet every load fits in. On the pulled test's way to the shared target the loads of
// B1..B(j-1) no longer run, so a packet too short for them can now get the shared target's verdict (a host
// list accepts a packet whose source matches the second host even if it ends before the destination
// address). libpcap's or_pullup/and_pullup move tests past such loads too in host and port lists, and its
// optimized program is the reference there: test/differential/truncation.test.ts sweeps every cut of
// accepted packets against it. Elsewhere a test moves past such a load only if a later load would stop the
// run anyway: libpcap's pull-up needs the chain dominated by its head, and cbpf's graph shares blocks
// differently (`ip[ip[0] & 0xf] > 3 or not stp` and `ip[9] = 6 or src net 192.168 or sctp` keep their
// loads in libpcap; pulled up, they lost them here).
import type { Block, BlockId, Cfg, Stmt, Term } from '../ir.js';
import { anticipated, coveredLater, mayStop } from './bounds.js';
import { flow, runStmt, runStmts } from './dataflow.js';
import { type BlockLookup, BlockTable, predecessorCounts, topoOrder } from './graph.js';
import { changedRegs, liveIn, useDef } from './liveness.js';
import type { Values } from './values.js';

/** How far down a chain to look for a test of the same value. */
const MAX_CHAIN = 4096;

type Side = 't' | 'f';
const along = (t: Term & { kind: 'branch' }, side: Side) => (side === 't' ? t.t : t.f);
const across = (t: Term & { kind: 'branch' }, side: Side) => (side === 't' ? t.f : t.t);
const withEdge = (t: Term & { kind: 'branch' }, side: Side, to: BlockId): Term =>
  side === 't' ? { ...t, t: to } : { ...t, f: to };

/** One sweep; true if a test moved. Chains already rewritten in the sweep are left for the next. */
export function pullUp(cfg: Cfg, v: Values): boolean {
  const order = topoOrder(cfg);
  const preds = predecessorCounts(cfg, order);
  if (!hasChain(cfg, order, preds)) return false;
  // The analyses below walk every block a few times.
  if (!v.budget.spend(4 * cfg.blocks.length)) return false;
  const entries = flow(cfg, v, undefined, { bounds: true }, order);
  const live = liveIn(cfg, order);
  const ant = anticipated(cfg, order);
  const touched = new BlockTable<true>();
  /** True if no statement of `b` can stop the run for a packet of at least `bound` bytes. */
  const quiet = (b: Block, bound: number): boolean => {
    let st = entries[b.id];
    if (!st) return false;
    for (const s of b.stmts) {
      if (mayStop(v, s, st.regs, st.bounds) && !coveredLater(s, bound)) return false;
      st = runStmt(v, s, st);
    }
    return true;
  };
  let changed = false;
  for (const id of order) {
    const p = cfg.blocks[id] as Block;
    const entry = entries[id];
    if (v.budget.spent) break;
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
      // Walk the chain; a member testing the value P leaves in A (the value it tests where it stands,
      // too), whose statements change nothing when run right after P, moves up to right after P. Members
      // like that before the first other one stay: right after P there is nothing to gain (and moving one
      // above them would only swap them back and forth).
      const members: Block[] = [];
      const moves = new Set<Block>();
      let other = false;
      // Members passed so far whose loads could stop the run: a test moves past those only in the
      // shape libpcap pulls up in host and port lists, `src == a or dst == a or src == b ...`: every
      // such member compares another field with P's constant, and P and the moved test are equalities.
      let noisy = false;
      let noisyOther = pt.cond !== 'jeq';
      const bound = ant.get(shared) ?? 0;
      let cur = first.id;
      for (let n = 0; n < MAX_CHAIN && v.budget.spend(1); n++) {
        const b = cfg.blocks[cur] as Block;
        const t = b.term;
        if (t.kind !== 'branch' || t.src !== 'k' || preds.get(cur) !== 1 || touched.has(cur)) break;
        if (across(t, side) !== shared || along(t, side) === cur) break;
        const be = entries[cur];
        if (!be) break;
        members.push(b);
        cur = along(t, side);
        const moved = runStmts(v, b.stmts, exit).regs;
        const there = runStmts(v, b.stmts, be).regs;
        const stays = () => {
          if (quiet(b, bound)) return;
          noisy = true;
          if (t.cond !== 'jeq' || t.k !== pt.k) noisyOther = true;
        };
        if (changedRegs(exit.regs, moved) !== 0 || there.A !== moved.A) {
          other = true;
          stays();
          continue;
        }
        // `shared` is entered from the moved test with P's registers instead of the member's: what
        // differs must be dead there.
        if (
          !other ||
          changedRegs(exit.regs, there) & (live.get(shared) ?? ~0) ||
          (noisy && (noisyOther || t.cond !== 'jeq'))
        ) {
          stays();
          continue;
        }
        moves.add(b);
      }
      if (moves.size === 0) continue;
      // Relink the members that stay. Where moved ones are skipped, the next one that stays (or the
      // block after the chain) is entered without their statements having run: if it reads what they
      // set, they run first in a block of their own, as they did before.
      let pending: Stmt[] = [];
      let prev: Block | undefined;
      const link = (to: BlockId) => {
        let written = 0;
        for (const s of pending) written |= useDef(s).def;
        if (written & (live.get(to) ?? ~0)) {
          cfg.blocks.push({
            id: cfg.blocks.length,
            stmts: pending,
            term: { kind: 'goto', target: to },
          });
          to = cfg.blocks.length - 1;
        }
        pending = [];
        if (prev) prev.term = withEdge(prev.term as Term & { kind: 'branch' }, side, to);
      };
      for (const b of members) {
        if (moves.has(b)) pending.push(...b.stmts);
        else {
          link(b.id);
          prev = b;
        }
      }
      link(cur);
      // The moved tests, in their order, between P and the first member.
      let to = (members[0] as Block).id;
      for (const b of [...moves].reverse()) {
        cfg.blocks.push({
          id: cfg.blocks.length,
          stmts: [],
          term: withEdge(b.term as Term & { kind: 'branch' }, side, to),
        });
        to = cfg.blocks.length - 1;
      }
      p.term = withEdge(pt, edge, to);
      touched.set(p.id, true);
      for (const b of members) touched.set(b.id, true);
      changed = true;
    }
  }
  return changed;
}

/**
 * Whether some test leads into a chain of two members (a test moves only past another member): when none
 * does, the sweep has nothing to do, and most filters' graphs have none.
 */
function hasChain(cfg: Cfg, order: readonly BlockId[], preds: BlockLookup<number>): boolean {
  const member = (id: BlockId, side: Side, shared: BlockId | undefined): Block | undefined => {
    const b = cfg.blocks[id] as Block;
    const t = b.term;
    if (t.kind !== 'branch' || t.src !== 'k' || preds.get(id) !== 1) return undefined;
    if (along(t, side) === id || (shared !== undefined && across(t, side) !== shared))
      return undefined;
    return b;
  };
  for (const id of order) {
    const pt = (cfg.blocks[id] as Block).term;
    if (pt.kind !== 'branch' || pt.t === pt.f) continue;
    for (const edge of ['t', 'f'] as const)
      for (const side of ['t', 'f'] as const) {
        const first = member(along(pt, edge), side, undefined);
        const ft = first?.term;
        if (ft?.kind !== 'branch') continue;
        if (member(along(ft, side), side, across(ft, side))) return true;
      }
  }
  return false;
}
