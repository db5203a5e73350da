// Which statements cannot stop the program. A packet load past the captured bytes, or a division by an X
// of 0, ends the run with 0; removing or skipping such a statement would turn that reject into whatever
// follows. Past its first stage (index.ts), the optimizer keeps the verdict of the program it was given on
// every packet, truncated ones included, so it only drops a statement that cannot stop the run on the path
// at hand (a load whose bytes an earlier load on every path to it already reached), or one that could stop it
// only for packets a later load would stop at anyway (`anticipated`).
import type { BlockId, Cfg, Stmt, Term } from '../ir.js';
import { type BlockLookup, BlockTable } from './graph.js';
import type { Regs, ValueId, Values } from './values.js';

/**
 * Bytes known present: `abs` from the packet's start, and past offset x for each X value x, as flat pairs
 * `[x, end, x, end, ...]`, newest last (a few pairs: copying a short array per load costs less than a Map).
 */
export interface Bounds {
  readonly abs: number;
  readonly ind: readonly number[];
}

export const NO_BOUNDS: Bounds = { abs: 0, ind: [] };

/** The bytes known present past X value `x` (0 if none). */
function indEnd(ind: readonly number[], x: ValueId): number {
  for (let i = 0; i < ind.length; i += 2) if (ind[i] === x) return ind[i + 1] as number;
  return 0;
}

/** Per-path cap on the X values remembered (only precision is lost beyond it). */
const MAX_IND = 16;

/** reach()'s result (returned through these: it runs for every statement of every walk). */
let reachX: ValueId | undefined;
let reachEnd = 0;

/**
 * Where `s` reads the packet: false if it reads none; else the end of the read in `reachEnd`, measured from
 * the packet's start (`reachX` undefined) or past X's value `reachX`.
 */
function reach(v: Values, s: Stmt, r: Regs): boolean {
  switch (s.kind) {
    case 'ldAbs':
      reachX = undefined;
      reachEnd = s.k + s.size;
      return true;
    case 'ldxMsh':
      reachX = undefined;
      reachEnd = s.k + 1;
      return true;
    case 'ldInd': {
      const c = v.constOf(r.X);
      reachX = c !== undefined ? undefined : r.X;
      reachEnd = c !== undefined ? c + s.k + s.size : s.k + s.size;
      return true;
    }
    default:
      return false;
  }
}

/** True if `s`, run with registers `r` on a path that has established `b`, may end the program. */
export function mayStop(v: Values, s: Stmt, r: Regs, b: Bounds): boolean {
  if (s.kind === 'walk') return true;
  if (s.kind === 'alu' && (s.op === 'div' || s.op === 'mod')) {
    const k = s.src === 'k' ? s.k : v.constOf(r.X);
    return k === undefined || k === 0;
  }
  if (!reach(v, s, r)) return false;
  return reachX === undefined ? reachEnd > b.abs : reachEnd > indEnd(b.ind, reachX);
}

/** The bounds after `s` has run (and not stopped) with registers `r`. */
export function advance(v: Values, s: Stmt, r: Regs, b: Bounds): Bounds {
  if (!reach(v, s, r)) return b;
  const x = reachX;
  const end = reachEnd;
  if (x === undefined) return end > b.abs ? { abs: end, ind: b.ind } : b;
  if (indEnd(b.ind, x) >= end) return b;
  const ind: number[] = [];
  // The oldest pair goes when the list is full.
  const from = b.ind.length >= 2 * MAX_IND && indEnd(b.ind, x) === 0 ? 2 : 0;
  for (let i = from; i < b.ind.length; i += 2)
    if (b.ind[i] !== x) ind.push(b.ind[i] as number, b.ind[i + 1] as number);
  ind.push(x, end);
  return { abs: b.abs, ind };
}

/** What both paths into a join have established. */
export function meetBounds(a: Bounds, b: Bounds): Bounds {
  if (a === b) return a;
  const ind: number[] = [];
  for (let i = 0; i < a.ind.length; i += 2) {
    const x = a.ind[i] as number;
    for (let j = 0; j < b.ind.length; j += 2)
      if (b.ind[j] === x) {
        ind.push(x, Math.min(a.ind[i + 1] as number, b.ind[j + 1] as number));
        break;
      }
  }
  return { abs: Math.min(a.abs, b.abs), ind };
}

/**
 * Bytes every accepting run from a point on must load: the least, over the paths from the block's entry to a
 * return other than `ret #0`, of the farthest absolute load on the path (Infinity where every path rejects).
 * A statement that could only stop the run for a packet shorter than that can go: such a packet is rejected
 * either way.
 */
export function anticipated(cfg: Cfg, order: readonly BlockId[]): BlockTable<number> {
  const ant = new BlockTable<number>(cfg.blocks.length);
  for (let i = order.length - 1; i >= 0; i--) {
    const b = cfg.blocks[order[i]];
    ant.set(b.id, antBefore(b.stmts, antOut(b.term, ant)));
  }
  return ant;
}

/** The anticipated bound after a block's statements. */
export function antOut(t: Term, ant: BlockLookup<number>): number {
  switch (t.kind) {
    case 'ret':
      return t.k === 0 ? Number.POSITIVE_INFINITY : 0;
    case 'retA':
      return 0;
    case 'goto':
      return ant.get(t.target) ?? 0;
    case 'branch':
      return Math.min(ant.get(t.t) ?? 0, ant.get(t.f) ?? 0);
  }
}

/** The anticipated bound before `stmts`, given the one after them. */
export function antBefore(stmts: readonly Stmt[], after: number): number {
  let a = after;
  for (let i = stmts.length - 1; i >= 0; i--) {
    const s = stmts[i];
    if (s.kind === 'ldAbs') a = Math.max(a, s.k + s.size);
    else if (s.kind === 'ldxMsh') a = Math.max(a, s.k + 1);
  }
  return a;
}

/** True if dropping `s` is invisible given the anticipated bound `ant` after it (it may stop the run only where the run rejects anyway). */
export function coveredLater(s: Stmt, ant: number): boolean {
  if (ant === Number.POSITIVE_INFINITY) return true;
  if (s.kind === 'ldAbs') return s.k + s.size <= ant;
  if (s.kind === 'ldxMsh') return s.k + 1 <= ant;
  return false;
}
