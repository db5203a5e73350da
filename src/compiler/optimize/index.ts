// The optimizer: IR → IR passes repeated until none changes anything.
//
// Order within a round: value-numbering cleanups first (simplify.ts: they make more tests decidable), then threading
// (which uses the facts; the two share one flow, each block cleaned up just before its edges are threaded,
// thread.ts's simplifyAndThread), then dead statements (threading leaves loads nobody reads), then the structural
// passes, and the peephole last (it hides an ALU result inside a test, which value numbering can no longer see).
//
// Termination: let a path be a route from the entry to a return, costing 1 per statement, 1 per goto and 2
// per test on it. Every change any pass makes strictly decreases the tuple (Σ over all paths of their cost,
// number of X operands and non-constant ALU/scratch statements, number of reachable blocks) in lexicographic
// order and never increases an earlier component: removals and threading shorten paths, folding a decided
// test removes paths, copying a test into a goto's place replaces goto+test (3) by the test (2), folding
// turns operands into constants, interning merges blocks without lengthening any path. The tuple is a
// natural-number vector, so the loop ends. The path sum can be exponential in the graph's size, so a round
// cap and a work budget (budget.ts) bound the time as well; every change any pass makes preserves verdicts,
// so stopping after any of them is correct.
import type { BlockId, Cfg } from '../ir.js';
import { Budget } from './budget.js';
import { removeDeadStores } from './dead-stores.js';
import { cloneCfg, topoOrder } from './graph.js';
import { internBlocks } from './intern.js';
import { mergeBlocks } from './merge.js';
import { peephole } from './peephole.js';
import { pullUp } from './pullup.js';
import { simplify } from './simplify.js';
import { MOVED, SIMPLIFIED, simplifyAndThread, threadJumps, WOULD_SETTLE } from './thread.js';
import { type Strength, Values } from './values.js';

export { WORK_BUDGET } from './budget.js';
export { setDecisions } from './facts.js';
export { onlyVerdict, rejectsAll } from './verdicts.js';

/** Rounds at most (none of the expression sets needs more than a handful). */
export const MAX_ROUNDS = 50;

/**
 * Passes that leave nothing for themselves to do: run again on their own output, with no other pass's
 * change between, they found nothing in 1,680 such runs over the differential set and the mixed batch.
 * (Threading did in 9 of 1,051: a sweep moves an edge as far as the graph it started from allowed.)
 */
const SETTLING = new Set(['simplify', 'dead', 'merge', 'intern']);

/** The passes, as indices of toFixedPoint's table of versions they are idle at. */
const PASSES = ['simplify', 'thread', 'merge', 'intern', 'dead', 'pullup', 'peephole'] as const;
type Pass = (typeof PASSES)[number];
const SIMPLIFY = 0;
const THREAD = 1;
const MERGE = 2;
const INTERN = 3;
const DEAD = 4;
const PULLUP = 5;
const PEEPHOLE = 6;
const SETTLES = PASSES.map((name: Pass) => SETTLING.has(name));

/**
 * Runs the passes of one stage to their fixed point. A pass that found nothing to change is not run again
 * until another pass has changed the graph: each depends on the graph alone, so it would find nothing again
 * (the round that confirms the fixed point then costs only the passes that changed something last). Nor is
 * a SETTLING pass that changed it last.
 */
function toFixedPoint(
  out: Cfg,
  // The constants stage is foldConstants(), not these passes.
  strength: Exclude<Strength, 'constants'>,
  budget: Budget,
  until?: (cfg: Cfg) => boolean,
  joinedSets = true,
): void {
  let version = 0;
  // The version each pass is idle at (-1: none), by its index in PASSES.
  const idleAt = PASSES.map(() => -1);
  const run = (pass: number, sweep: () => boolean): boolean => {
    if (idleAt[pass] === version) return false;
    if (sweep()) {
      version++;
      idleAt[pass] = SETTLES[pass] ? version : -1;
      return true;
    }
    idleAt[pass] = version;
    return false;
  };
  // The topological order of the graph at `version`: a pass that changed nothing left the graph as it was.
  let orderAt = -1;
  let order: readonly BlockId[] = [];
  const ordered = (): readonly BlockId[] => {
    if (orderAt !== version) {
      order = topoOrder(out);
      orderAt = version;
    }
    return order;
  };
  const merge = () =>
    run(MERGE, () => budget.spend(out.blocks.length) && mergeBlocks(out, ordered()));
  const intern = () =>
    run(INTERN, () => budget.spend(out.blocks.length) && internBlocks(out, ordered()));
  // Whether the last round's changes were all threading's and its clean-ups'.
  let threadingOnly = false;
  // One table of value ids for the whole stage. An id names a computation ("the byte at 23", "that plus
  // 4"); a merge's id ("A on entry to block 7") names that value in the flow at hand, and nothing learnt
  // about an id outlives its flow (facts and bounds are the flow's), so a later sweep may reuse the ids an
  // earlier one made. A fresh table each sweep rebuilt the same values: 6-7% of the compile time, and
  // every program came out the same.
  const v = new Values(strength, budget, joinedSets);
  for (let r = 0; r < MAX_ROUNDS; r++) {
    if (budget.spent || (r > 0 && until?.(out))) return;
    // Down a list each sweep moves edges one test on, and interning merges the copies it made before the
    // next can go on. Once a round has changed nothing but that, the sweeps go on among themselves while
    // they do, rather than asking every other pass again after each (they found nothing: a quarter of
    // 200 × `tcp port N and host A`; from the first round on, lists of hosts were slower).
    let simplified = false;
    let threaded = false;
    // The stage's first sweep leaves out settled()'s walks (thread.ts): they are threading's costliest
    // part and find something in 1-4% of calls, and here they would look at a graph that simplification
    // and the cheaper threading are about to change. Every later sweep, the one that confirms the fixed
    // point too, has them (11% less time on the differential set, a fifth on a 200-host list; of 3,604
    // programs 4 came out one instruction longer and one 4 shorter).
    let unsettled = false;
    // Whether the round began with the combined sweep (simplify and threading in one flow).
    let swept = false;
    for (let first = true; ; first = false) {
      let moved: boolean;
      if (first && idleAt[SIMPLIFY] !== version) {
        // The round's simplify sweep and first threading sweep share one flow (thread.ts). Whenever
        // simplify has something to look at, so has threading: the two run together from the first round.
        // Only the precise strength has those walks (thread.ts asks `v.precise`).
        const settle = r > 0 || strength !== 'precise';
        const bits = simplifyAndThread(out, v, settle, ordered());
        swept = true;
        simplified = (bits & SIMPLIFIED) !== 0;
        moved = (bits & MOVED) !== 0;
        // A sweep without the walks that never came to one was a sweep with them (`ip`, `arp`: every
        // edge goes to a return): no second sweep to make up for them (a quarter of such a compile).
        unsettled = !settle && (bits & WOULD_SETTLE) !== 0;
        if (simplified || moved) version++;
        // Each block was simplified from its final entry state and its edges threaded after, as the two
        // sweeps in a row would: each is idle where it would be after them (threading only after a
        // sweep with settled() walks, or one that would have asked none).
        idleAt[THREAD] = moved || unsettled ? -1 : version;
        if (!moved) idleAt[SIMPLIFY] = version;
      } else moved = run(THREAD, () => threadJumps(out, v, ordered()));
      const merged = merge();
      const interned = intern();
      threaded = moved || merged || interned || threaded;
      if (!(threadingOnly && moved && interned) || budget.spent) break;
    }
    const dead = run(DEAD, () => removeDeadStores(out, v, ordered()));
    // Only once the rest is settled: moving a test earlier can hide a reload the other passes would drop.
    // A sweep moves one test per chain; a list of n hosts needs about n, so sweep until none moves (each
    // sweep shortens a path, so this ends) rather than paying a whole round of the other passes for each.
    const pulled = run(PULLUP, () => {
      // Each sweep after the first runs on the graph the one before changed.
      let moved = false;
      while (pullUp(out, v, moved ? undefined : ordered())) moved = true;
      return moved;
    });
    const others = simplified || dead || pulled;
    // A round whose combined sweep (with settled()'s walks) was followed by nothing but merging and
    // interning: the sweep counts as idle. Another would look again at the graph it left, bar blocks
    // joined, and found something after 5 of 503 such rounds over the two sets and the lists (found
    // later anyway by all but one): 7% fewer sweeps, about 8% less time on the mixed batch; of 3,608
    // programs one came out 3 instructions longer.
    if (swept && !dead && !pulled && !unsettled) {
      idleAt[SIMPLIFY] = version;
      idleAt[THREAD] = version;
    }
    threadingOnly = threaded && !others;
    const changed = threaded || others || unsettled;
    if (changed) continue;
    // At the fixed point, fold ALU steps into tests; if that opens nothing more, stop.
    if (!run(PEEPHOLE, () => budget.spend(out.blocks.length) && peephole(out, ordered()))) break;
    // What a fold opens is a reload the test's operand made redundant and the blocks that then merge:
    // the passes for those, to their fixed point, end the stage. Threading and pulling up found nothing
    // more after it in any program of the differential set or the mixed batch (so the round they cost
    // is not paid: a tenth of `geneve and udp port 53`).
    for (;;) {
      const simplified = run(SIMPLIFY, () => simplify(out, v));
      const dead = run(DEAD, () => removeDeadStores(out, v, ordered()));
      const merged = merge();
      const interned = intern();
      if (!(simplified || dead || merged || interned) || budget.spent) return;
    }
  }
}

export interface OptimizeOptions {
  /**
   * `precise` (default): the two stages below. `equalities`: one stage deciding tests from constants and the
   * equalities earlier tests proved, about what libpcap's optimizer sees; compile() uses it to report
   * "rejects all packets" only where tcpdump does.
   */
  readonly strength?: 'precise' | 'equalities';
  /**
   * Work units the passes may spend (default WORK_BUDGET, budget.ts). Past it they stop where they are: the
   * program is correct, only less optimized.
   */
  readonly budget?: number;
  /**
   * A property the rounds can only make true and keep so (that every path rejects, or gives one verdict:
   * no pass makes a return reachable again): a stage stops at the first round that starts with it true,
   * and the precise stage does not start. compile() wants no more than that where a filter proves to reject
   * everything (it emits `ret #0` or fails), and of the equalities run that decides the error (in the
   * mixed batch, 56 of its 96 runs had their answer after one round of four or five).
   */
  readonly until?: (cfg: Cfg) => boolean;
  /**
   * At `equalities`: whether paths that met knowing a value is one of several constants decide a test of it
   * (default true). libpcap keeps such paths apart only where its code tests each constant on a path of
   * its own (a port of any transport, LowerOptions.portsPerTransport); compile() asks without them, over
   * that shape, before it refuses a filter as libpcap would.
   */
  readonly joinedSets?: boolean;
}

/**
 * Optimizes a copy of `cfg`; the input is left unchanged.
 *
 * Two stages. The first decides only tests of constants (`ip6 net fe80::/10` compares words masked with 0)
 * and drops the absolute loads that leaves unused, as libpcap's optimizer does, so a short packet its
 * program lets through for that reason is let through here too. The second sees much further (path
 * equalities, ranges, bits, value sets) but keeps every load that could stop the run unless a later one
 * would stop it too: a test only it decides never makes a load disappear that libpcap keeps.
 */
export function optimize(cfg: Cfg, options: OptimizeOptions = {}): Cfg {
  const out = cloneCfg(cfg);
  const budget = new Budget(options.budget);
  const until = options.until;
  if ((options.strength ?? 'precise') === 'equalities') {
    toFixedPoint(out, 'equalities', budget, until, options.joinedSets);
    return out;
  }
  if (!cfg.keepLoads && mayMakeConstants(out)) {
    foldConstants(out, budget);
    if (until?.(out)) return out;
  }
  toFixedPoint(out, 'precise', budget, until);
  return out;
}

/**
 * The constants stage: fold what constants decide (values, tests) and drop the statements that leaves
 * unread, absolute loads among them, until neither finds more. Only that changes what a short packet
 * gets; the precise stage after it does the rest (threading, merging, interning, the peephole). Those
 * passes at this strength, run to their own fixed point after a walk that made sure some constant
 * appears, were a fifth of the mixed batch's compile time (18 of 80 ms, for its 213 filters that
 * compute one) and found nothing the precise stage does not find again: of 3,609 programs 3,602 came
 * out the same, 3 longer (one of them, 11 -> 21, is now tcpdump's own program); verdicts as tcpdump's
 * on the differential tests' packets and their cuts.
 */
function foldConstants(out: Cfg, budget: Budget): void {
  const v = new Values('constants', budget);
  for (let r = 0; r < MAX_ROUNDS && !budget.spent; r++) {
    const folded = simplify(out, v);
    if (!removeDeadStores(out, v) && !folded) return;
  }
}

/**
 * Whether some statement could make a constant out of values that are not (values.ts folds only these):
 * `ld #k`, `ldx #k`, `and #0`, `mul #0`, `or #0xffffffff`, `sub x` and `xor x` (A and X may be one value),
 * and an `and` of an `and` whose masks share no bit. Registers and scratch start unknown, and everything
 * else maps constants to constants only, so without one the constants stage has nothing to fold (and it
 * is skipped: most filters). With one it runs even where no constant comes of it: a walk to make sure
 * first cost more than the stage then saved (3-4% of the two sets' time), and no program changed.
 */
function mayMakeConstants(cfg: Cfg): boolean {
  for (const b of cfg.blocks) {
    // The mask A was last and-ed with; `any` where A may be any value (an and among them), `none` where
    // it is a load or another operation's result.
    let mask: number | 'any' | 'none' = 'any';
    for (const s of b.stmts) {
      switch (s.kind) {
        case 'ldImm':
        case 'ldxImm':
          return true;
        case 'ldMem':
        case 'txa':
          mask = 'any';
          break;
        case 'alu':
          if (s.src === 'x') {
            if (s.op === 'sub' || s.op === 'xor') return true;
            mask = 'none';
          } else if (s.op === 'and') {
            if (s.k === 0 || mask === 'any') return true;
            mask = mask === 'none' ? s.k : (mask & s.k) >>> 0;
            if (mask === 0) return true;
          } else if ((s.op === 'mul' && s.k === 0) || (s.op === 'or' && s.k === 0xffffffff))
            return true;
          else mask = 'none';
          break;
        case 'ldAbs':
        case 'ldInd':
        case 'ldLen':
        case 'ldExt':
        case 'neg':
        case 'walk':
          mask = 'none';
          break;
        default:
          // X and scratch stores leave A as it is.
          break;
      }
    }
  }
  return false;
}
