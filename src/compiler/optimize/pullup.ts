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
import type { AluOp } from '../../core/insn.js';
import type { Block, BlockId, Cfg, Stmt, Term } from '../ir.js';
import { anticipated, coveredLater, mayStop } from './bounds.js';
import { flow, runStmt, runStmts } from './dataflow.js';
import {
  type BlockLookup,
  BlockTable,
  gotoTerm,
  predecessorCounts,
  testLike,
  topoOrder,
} from './graph.js';
import { changedRegs, defMask, liveIn } from './liveness.js';
import type { Regs, Values } from './values.js';

/** How far down a chain to look for a test of the same value. */
const MAX_CHAIN = 4096;
/**
 * How many members testing P's own value a walk passes before the first other member: none of them
 * moves, and past this many the chain is one value tested against many constants (`len + 10 = 60 or
 * len + 10 = 61 or ...`), where walking on to its end from every member made the sweep quadratic
 * (2,300 such tests took 2.5 s, libpcap 0.2 s). Lists of hosts and ports meet another member within a
 * few steps.
 */
const MAX_LEADING = 256;

type Side = 't' | 'f';
const along = (t: Term & { kind: 'branch' }, side: Side) => (side === 't' ? t.t : t.f);
const across = (t: Term & { kind: 'branch' }, side: Side) => (side === 't' ? t.f : t.t);
const withEdge = (t: Term & { kind: 'branch' }, side: Side, to: BlockId): Term =>
  side === 't' ? testLike(t, to, t.f) : testLike(t, t.t, to);

/** One sweep; true if a test moved. Chains already rewritten in the sweep are left for the next. */
export function pullUp(cfg: Cfg, v: Values, order: readonly BlockId[] = topoOrder(cfg)): boolean {
  const preds = predecessorCounts(cfg, order);
  if (!hasMover(cfg, order, preds)) return false;
  // The analyses below walk every block a few times.
  if (!v.budget.spend(4 * cfg.blocks.length)) return false;
  const entries = flow(cfg, v, undefined, { bounds: true }, order);
  const live = liveIn(cfg, order);
  const ant = anticipated(cfg, order);
  const touched = new BlockTable<true>(cfg.blocks.length);
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
  // A member's registers after its statements where it stands: asked by up to four chains (either edge
  // of P, along either side) of every P above it.
  const thereOf = new BlockTable<Regs>(cfg.blocks.length);
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
      // Not where libpcap optimizes nothing (keepLoads: protochain's walk), as its program is then the
      // reference: there `ip6[6] = 17 or not (protochain 17 and udp)` moved udp's `ip6[6] == 17` above the
      // walk (`jeq #17` too), and a packet the walk runs out of accepted instead of stopping.
      let noisy = false;
      let noisyOther = pt.cond !== 'jeq' || cfg.keepLoads === true;
      const bound = ant.get(shared) ?? 0;
      let cur = first.id;
      let leading = 0;
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
        let there = thereOf.get(b.id);
        if (there === undefined) {
          there = runStmts(v, b.stmts, be).regs;
          thereOf.set(b.id, there);
        }
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
        if (!other && ++leading > MAX_LEADING) break;
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
        for (const s of pending) written |= defMask(s);
        if (written & (live.get(to) ?? ~0)) {
          cfg.blocks.push({
            id: cfg.blocks.length,
            stmts: pending,
            term: gotoTerm(to),
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

/** How many members of a chain hasMover() looks at before it assumes one may move. */
const PRECHECK_MEMBERS = 64;

// What A holds, told without value numbering: a packet load (its key: kind, size and offset), a value that
// is surely no packet load (OTHER), or anything (ANY). Loads of different keys are different value ids: an
// indexed one is taken only where X is surely no constant (with X known, `[x + k]` is an absolute load).
const ANY = -1;
const OTHER = -2;
const WORD = 0x1_0000_0000;
const absKey = (size: number, k: number) => size * WORD + k;
const indKey = (size: number, k: number) => (8 + size) * WORD + k;
const isAbs = (key: number) => key >= 0 && key < 8 * WORD;

/** What A and X hold after block `b`, entered with A as `a` says and X surely no constant if `xVaries`. */
function after(b: Block, a: number, xVaries: boolean): { a: number; xVaries: boolean } {
  for (const s of b.stmts) {
    switch (s.kind) {
      case 'ldAbs':
        a = absKey(s.size, s.k);
        break;
      case 'ldInd':
        a = xVaries ? indKey(s.size, s.k) : ANY;
        break;
      // A constant, the length, an ancillary field, a negation.
      case 'ldImm':
      case 'ldLen':
      case 'ldExt':
      case 'neg':
        a = OTHER;
        break;
      case 'alu':
        a = s.src === 'x' ? ANY : aluAfter(s.op, s.k, a);
        break;
      case 'ldMem':
      case 'txa':
        a = ANY;
        break;
      // A header offset, the length, or a walk's (each no constant); a load A held.
      case 'ldxMsh':
      case 'ldxLen':
        xVaries = true;
        break;
      case 'tax':
        xVaries = a >= 0;
        break;
      case 'walk':
        a = OTHER;
        xVaries = true;
        break;
      case 'ldxImm':
      case 'ldxMem':
        xVaries = false;
        break;
    }
  }
  return { a, xVaries };
}

/** A after `A op #k`: A itself where value numbering's identities give it back (values.ts), else no load. */
function aluAfter(op: AluOp, k: number, a: number): number {
  const identity =
    op === 'and'
      ? k === 0xffffffff ||
        (isAbs(a) && ((0xffffffff >>> (32 - 8 * Math.floor(a / WORD))) & ~k) === 0)
      : op === 'mul' || op === 'div'
        ? k === 1
        : op !== 'mod' && k === 0;
  if (identity) return a;
  // `(x & m1) & m2` is `x & (m1 & m2)`, which can be x.
  return op === 'and' && a < 0 ? ANY : OTHER;
}

/** For each reachable block, what A and X hold after it on every path (as above). */
function heldAfter(
  cfg: Cfg,
  order: readonly BlockId[],
): BlockTable<{ a: number; xVaries: boolean }> {
  const into = new BlockTable<{ a: number; xVaries: boolean }>(cfg.blocks.length);
  const out = new BlockTable<{ a: number; xVaries: boolean }>(cfg.blocks.length);
  for (const id of order) {
    const b = cfg.blocks[id] as Block;
    const entry = into.get(id);
    const held = after(b, entry?.a ?? ANY, entry?.xVaries ?? false);
    out.set(id, held);
    // Where paths holding different values meet, a register holds a fresh value: no load, no constant.
    const meet = (to: BlockId) => {
      const prev = into.get(to);
      if (prev === undefined) into.set(to, held);
      else if (prev.a !== held.a || prev.xVaries !== held.xVaries)
        into.set(to, {
          a: prev.a === held.a ? prev.a : prev.a === ANY || held.a === ANY ? ANY : OTHER,
          xVaries: prev.xVaries && held.xVaries,
        });
    };
    const t = b.term;
    if (t.kind === 'goto') meet(t.target);
    else if (t.kind === 'branch') {
      meet(t.t);
      meet(t.f);
    }
  }
  return out;
}

/**
 * Whether some test leads into a chain in which a member past the first might move up to it (the sweep
 * needs a flow, liveness and bounds to tell, and finds nothing in most graphs). A member moves only if it
 * tests the A that P leaves: not where one of the two is a packet load and the other another load or no
 * load (told from the statements alone, without value numbering: a member this keeps may still not move).
 */
function hasMover(cfg: Cfg, order: readonly BlockId[], preds: BlockLookup<number>): boolean {
  // Made at the first chain.
  let held: BlockTable<{ a: number; xVaries: boolean }> | undefined;
  const member = (id: BlockId, side: Side, shared: BlockId | undefined): Block | undefined => {
    const b = cfg.blocks[id] as Block;
    const t = b.term;
    if (t.kind !== 'branch' || t.src !== 'k' || preds.get(id) !== 1) return undefined;
    if (along(t, side) === id || (shared !== undefined && across(t, side) !== shared))
      return undefined;
    return b;
  };
  for (const id of order) {
    const p = cfg.blocks[id] as Block;
    const pt = p.term;
    if (pt.kind !== 'branch' || pt.t === pt.f) continue;
    for (const edge of ['t', 'f'] as const)
      for (const side of ['t', 'f'] as const) {
        const first = member(along(pt, edge), side, undefined);
        const ft = first?.term;
        if (first === undefined || ft?.kind !== 'branch') continue;
        const shared = across(ft, side);
        // Only a member past the first can move: a chain of one needs no look at what A holds (most
        // chains, and the reason most graphs never make the table below).
        if (member(along(ft, side), side, shared) === undefined) continue;
        held ??= heldAfter(cfg, order);
        // What A holds after P, and on entry to the member at hand.
        const inP = held.get(p.id) ?? { a: ANY, xVaries: false };
        let before = inP;
        // Whether a member so far may stay: a test moves only past one that does.
        let stayer = false;
        // Whether no member so far has statements: A is then the very value P leaves, whatever it is.
        let pristine = true;
        for (let n = 0, cur = first.id; ; n++) {
          const b = n === 0 ? first : member(cur, side, shared);
          if (b === undefined) break;
          // Moved, it runs with A as P leaves it: the A it tests must be that one.
          const tested = after(b, before.a, before.xVaries);
          const may = inP.a === ANY || tested.a === ANY || tested.a === inP.a;
          if (n >= PRECHECK_MEMBERS || (may && stayer)) return true;
          // One with no statements testing P's value moves if any does, so it is no stayer: its A is
          // P's absolute load, or, while every member before it has no statements either, P's A itself
          // (a scratch word's, an indexed load's: 802.11's tests of the frame control byte).
          const bare = b.stmts.length === 0;
          if (!(bare && (pristine || (tested.a === inP.a && isAbs(inP.a))))) stayer = true;
          if (!bare) pristine = false;
          before = tested;
          cur = along(b.term as Term & { kind: 'branch' }, side);
        }
      }
  }
  return false;
}
