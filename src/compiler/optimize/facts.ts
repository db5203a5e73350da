// Path facts: what the tests taken so far prove about value ids (a range, excluded values, bits known 0 or
// 1, a small set of possible values), and how a test's outcome follows from them. Facts are a persistent
// list, newest first: a test adds one node on its edge instead of copying a table, and two paths that meet
// share the facts of their common start. Lists are compacted to the newest MAX_FACTS values so long
// alternations (host lists of thousands) stay linear.
//
// The value set is what makes joins useful: after `proto == 6 or proto == 17 or proto == 132` the paths meet
// knowing proto is one of the three, so a later test of the same alternation is decided on each edge.
import type { JumpCond } from '../../core/insn.js';
import { SlotCache } from './slot-cache.js';
import type { ValueId, Values } from './values.js';

/** What is known about one value. */
export interface Fact {
  readonly lo: number;
  readonly hi: number;
  /** Values it is known not to be (a few, most recent last). */
  readonly ne: readonly number[];
  /**
   * Bits known to be 0, as a signed 32-bit number (only its bits are read): a small integer to V8, where
   * an unsigned mask with the top bit set is a heap number, one more allocation per fact.
   */
  readonly zeros: number;
  /** Bits known to be 1, signed as `zeros`. */
  readonly ones: number;
  /** The only values it can have, ascending (undefined: no such list). */
  readonly set: readonly number[] | undefined;
  /** Masks known to have a bit set in it (a `jset` that went true). */
  readonly hits: readonly number[] | undefined;
  /**
   * At libpcap's strength only: the `jgt`, `jge` and `jset` tests of it taken so far, as `[cond, k, outcome]`.
   * libpcap's fold_edge decides a test that repeats one on the path, whatever its kind (`port 80 or not
   * port 80` repeats the fragment test `jset #0x1fff`), but draws nothing else from ranges or bits.
   */
  readonly seen: readonly Seen[] | undefined;
}

type Seen = readonly [JumpCond, number, boolean];

/**
 * lo and hi are kept 2^31 below their values: then every bound of a range that is not empty (0 to 2^32 - 1)
 * is a signed 32-bit number, a small integer to V8, where the unsigned top (0xffffffff, the bound of most
 * facts) is a heap number, one more allocation per fact.
 */
const BIAS = 0x80000000;

class FactRecord implements Fact {
  private readonly lb: number;
  private readonly hb: number;
  readonly zeros: number;
  readonly ones: number;
  constructor(
    lo: number,
    hi: number,
    readonly ne: readonly number[],
    zeros: number,
    ones: number,
    readonly set: readonly number[] | undefined,
    readonly hits: readonly number[] | undefined,
    readonly seen: readonly Seen[] | undefined,
  ) {
    this.lb = lo - BIAS;
    this.hb = hi - BIAS;
    this.zeros = zeros | 0;
    this.ones = ones | 0;
  }
  get lo(): number {
    return this.lb + BIAS;
  }
  get hi(): number {
    return this.hb + BIAS;
  }
}

/** A fact; every fact is made here, so all have one shape (V8 then reads them fast). */
function fact(
  lo: number,
  hi: number,
  ne: readonly number[],
  zeros: number,
  ones: number,
  set: readonly number[] | undefined,
  hits: readonly number[] | undefined,
  seen: readonly Seen[] | undefined,
): Fact {
  return new FactRecord(lo, hi, ne, zeros, ones, set, hits, seen);
}

/** A node of the list: the fact about `id` (undefined: nothing known, hiding older nodes), then older ones. */
export interface Facts {
  readonly id: ValueId;
  readonly fact: Fact | undefined;
  readonly next: Facts | undefined;
  /** Nodes in the list, this one included. */
  readonly length: number;
  /**
   * Bit `id & 31` of every id in the list, this one included: most lookups are of values no test has
   * touched, and this answers them without walking a list of up to 2 × MAX_FACTS nodes.
   */
  readonly ids: number;
}

/** No facts. */
export const NO_FACTS: Facts = { id: -1, fact: undefined, next: undefined, length: 0, ids: 0 };

/** The bit of `id` in Facts.ids. */
const idBit = (id: ValueId): number => 1 << (id & 31);

/** The newest fact about `id`. */
export function factAbout(f: Facts, id: ValueId): Fact | undefined {
  if ((f.ids & idBit(id)) === 0) return undefined;
  for (let n: Facts | undefined = f; n !== undefined && n.length > 0; n = n.next)
    if (n.id === id) return n.fact;
  return undefined;
}

const TOP: Fact = fact(0, 0xffffffff, [], 0, 0, undefined, undefined, undefined);
/** Bounds that keep lookups and joins cheap; facts beyond them are forgotten (only precision is lost). */
const MAX_FACTS = 64;
const MAX_NE = 16;
const MAX_SET = 16;

/** defBits' result (two numbers: returned through these instead of an object per call), signed as Fact's. */
let bitsZeros = 0;
let bitsOnes = 0;

/** Bits known from how a value is computed (load widths, masks, shifts), a few levels deep. */
function defBits(v: Values, f: Facts, id: ValueId, depth: number): void {
  const d = v.def(id);
  const own = factAbout(f, id);
  let zeros = own?.zeros ?? 0;
  let ones = own?.ones ?? 0;
  if (d.kind === 'const') {
    zeros |= ~d.k;
    ones |= d.k;
  } else if (d.kind === 'load' || d.kind === 'ind') {
    if (d.size !== 4) zeros |= ~(0xffffffff >>> (32 - 8 * d.size));
  } else if (d.kind === 'alu' && depth > 0) {
    defBits(v, f, d.a, depth - 1);
    const az = bitsZeros;
    const ao = bitsOnes;
    defBits(v, f, d.b, depth - 1);
    const bz = bitsZeros;
    const bo = bitsOnes;
    const c = v.constOf(d.b);
    if (d.op === 'and') {
      zeros |= az | bz;
      ones |= ao & bo;
    } else if (d.op === 'or') {
      zeros |= az & bz;
      ones |= ao | bo;
    } else if (d.op === 'lsh' && c !== undefined && c < 32) {
      zeros |= (az << c) | ((1 << c) - 1);
      ones |= ao << c;
    } else if (d.op === 'rsh' && c !== undefined && c < 32) {
      zeros |= c === 0 ? az : (az >>> c) | ~(0xffffffff >>> c);
      ones |= ao >>> c;
    }
  }
  bitsZeros = zeros | 0;
  bitsOnes = ones | 0;
}

/** The outcome of `n cond k` for a known `n`. */
function evalCond(cond: JumpCond, n: number, k: number): boolean {
  switch (cond) {
    case 'jeq':
      return n === k;
    case 'jgt':
      return n > k;
    case 'jge':
      return n >= k;
    case 'jset':
      return (n & k) !== 0;
  }
}

/**
 * Tests decided at `equalities` by a value set paths met with (Values.joinedSets), counted so compile()
 * can tell a proof that never leaned on one (it then holds without them, unchanged).
 */
export let setDecisions = 0;

/** The outcome of `a cond b` if the facts decide it. */
export function decide(
  v: Values,
  f: Facts,
  cond: JumpCond,
  a: ValueId,
  b: ValueId,
): boolean | undefined {
  const k = v.constOf(b);
  if (k === undefined) {
    if (a !== b || v.strength === 'constants') return undefined;
    return cond === 'jeq' || cond === 'jge' ? true : cond === 'jgt' ? false : undefined;
  }
  const ka = v.constOf(a);
  if (ka !== undefined) {
    switch (cond) {
      case 'jeq':
        return ka === k;
      case 'jgt':
        return ka > k;
      case 'jge':
        return ka >= k;
      case 'jset':
        return (ka & k) !== 0;
    }
  }
  if (v.strength === 'constants') return undefined;
  const own = factAbout(f, a) ?? TOP;
  if (!v.precise) {
    // libpcap's strength (for its "rejects all packets" verdict): equalities, excluded values and repeats.
    if (cond !== 'jeq') return own.seen?.find((s) => s[0] === cond && s[1] === k)?.[2];
    if (own.lo === own.hi) return own.lo === k;
    // The values of the equalities that met here (libpcap keeps `tcp`, `udp` and `sctp` apart as paths,
    // each knowing its own; `port 80` tests the protocol once for the three).
    if (v.joinedSets && own.set !== undefined) {
      const d = !own.set.includes(k) ? false : own.set.length === 1 ? true : undefined;
      if (d !== undefined) {
        setDecisions++;
        return d;
      }
    }
    return own.ne.includes(k) ? false : undefined;
  }
  // Most tests are of a field loaded and not yet tested on the path: then only its width bounds it (what
  // defBits and the ranges below would find, without them).
  if (own === TOP) {
    const d = v.def(a);
    if (d.kind === 'load' || d.kind === 'ind') {
      const max = d.size === 4 ? 0xffffffff : (1 << (8 * d.size)) - 1;
      switch (cond) {
        case 'jeq':
          return k > max ? false : undefined;
        case 'jgt':
          return k >= max ? false : undefined;
        case 'jge':
          return k === 0 ? true : k > max ? false : undefined;
        case 'jset':
          return (k & max) === 0 ? false : undefined;
      }
    }
  }
  // Everything known about A: its own facts combined with the bits its computation implies (in locals:
  // this runs at every test of every sweep).
  defBits(v, f, a, 4);
  const zeros = bitsZeros;
  const ones = bitsOnes;
  // The bits bound the range: at least the known ones, at most everything not known zero.
  let lo = Math.max(own.lo, ones >>> 0);
  let hi = Math.min(own.hi, ~zeros >>> 0);
  if (own.set) {
    // The set's values the range, bits and exclusions leave; decided if all give one outcome (none: the
    // path cannot be taken, and the test is decided false).
    let left = 0;
    let first = false;
    let same = true;
    let min = 0;
    let max = 0;
    for (const n of own.set) {
      if (n < lo || n > hi || (n & zeros) !== 0 || (~n & ones) !== 0 || own.ne.includes(n))
        continue;
      const o = evalCond(cond, n, k);
      if (left++ === 0) {
        first = o;
        min = n;
      } else if (o !== first) same = false;
      max = n;
    }
    if (left === 0) return false;
    if (same) return first;
    lo = min;
    hi = max;
  }
  switch (cond) {
    case 'jeq':
      if (lo === k && hi === k) return true;
      if (k < lo || k > hi || own.ne.includes(k) || (k & zeros) !== 0 || (~k & ones) !== 0)
        return false;
      return undefined;
    case 'jgt':
      return lo > k ? true : hi <= k ? false : undefined;
    case 'jge':
      return lo >= k ? true : hi < k ? false : undefined;
    case 'jset':
      if ((k & ~zeros) === 0) return false;
      if ((k & ones) !== 0 || own.hits?.some((m) => (m & ~k & ~zeros) === 0)) return true;
      return undefined;
  }
}

function put(f: Facts, id: ValueId, fact: Fact | undefined): Facts {
  const out: Facts = { id, fact, next: f, length: f.length + 1, ids: f.ids | idBit(id) };
  return out.length > 2 * MAX_FACTS ? compact(out) : out;
}

/** The newest MAX_FACTS known values of `f` in a fresh list (older ones are forgotten: only precision is lost). */
function compact(f: Facts): Facts {
  const seen = new Set<ValueId>();
  const keep: Facts[] = [];
  for (let n: Facts | undefined = f; n !== undefined && n.length > 0; n = n.next) {
    if (seen.has(n.id)) continue;
    seen.add(n.id);
    if (n.fact) keep.push(n);
    if (keep.length === MAX_FACTS) break;
  }
  let out = NO_FACTS;
  for (let i = keep.length - 1; i >= 0; i--) {
    const n = keep[i] as Facts;
    out = { id: n.id, fact: n.fact, next: out, length: out.length + 1, ids: out.ids | idBit(n.id) };
  }
  return out;
}

/** `list` without `n`, then `n` last, at most MAX_NE long. */
function pushLast(list: readonly number[] | undefined, n: number): readonly number[] {
  const out: number[] = [];
  if (list) for (const m of list) if (m !== n) out.push(m);
  out.push(n);
  return out.length > MAX_NE ? out.slice(-MAX_NE) : out;
}

/** The facts on the edge where `a cond b` came out `outcome`. */
export function learn(
  v: Values,
  f: Facts,
  cond: JumpCond,
  a: ValueId,
  b: ValueId,
  outcome: boolean,
): Facts {
  const k = v.constOf(b);
  if (k === undefined || v.constOf(a) !== undefined) return f;
  if (v.strength === 'constants') return f;
  const x = factAbout(f, a) ?? TOP;
  // libpcap's strength: what a jeq proves, and that a test of another kind came out `outcome`.
  if (!v.precise && cond !== 'jeq') {
    const seen = (x.seen ?? []).filter((s) => s[0] !== cond || s[1] !== k);
    seen.push([cond, k, outcome]);
    return put(f, a, fact(x.lo, x.hi, x.ne, x.zeros, x.ones, x.set, x.hits, seen.slice(-MAX_NE)));
  }
  let out = put(f, a, x === TOP ? fromNothing(cond, k, outcome) : narrowed(x, cond, k, outcome));
  // A masked value's test says something about the unmasked one: (v & m) == c sets c's bits, clears m's others.
  const d = v.def(a);
  const m = d.kind === 'alu' && d.op === 'and' ? v.constOf(d.b) : undefined;
  if (
    d.kind === 'alu' &&
    m !== undefined &&
    ((cond === 'jeq' && outcome) || (cond === 'jset' && !outcome))
  ) {
    const y = factAbout(out, d.a) ?? TOP;
    const z = cond === 'jeq' ? ~k & m : k & m;
    const o = cond === 'jeq' ? k & m : 0;
    out = put(out, d.a, fact(y.lo, y.hi, y.ne, y.zeros | z, y.ones | o, y.set, y.hits, y.seen));
  }
  return out;
}

/**
 * What `n cond k` coming out `outcome` teaches about a value nothing was known of: the same fact for every
 * value, so kept once made (facts are never changed) in a small direct-mapped cache: most tests are a
 * value's first on their path, and each made a fact and its arrays.
 */
function fromNothing(cond: JumpCond, k: number, outcome: boolean): Fact {
  const how =
    (cond === 'jeq' ? 0 : cond === 'jgt' ? 2 : cond === 'jge' ? 4 : 6) + (outcome ? 1 : 0);
  const slot = learnt.slot(k ^ (how << 7));
  const kept = learnt.get(slot, how, k);
  if (kept !== undefined) return kept;
  const made = narrowed(TOP, cond, k, outcome);
  learnt.set(slot, how, k, made);
  return made;
}

/** Facts learnt from nothing, tagged with their condition and outcome. */
const learnt = new SlotCache<Fact>(1024);

/** Fact `x` narrowed by `n cond k` coming out `outcome`. */
function narrowed(x: Fact, cond: JumpCond, k: number, outcome: boolean): Fact {
  let { lo, hi, ne, zeros, ones, hits } = x;
  // Values of the set that agree with the outcome (the set of a jeq's true edge is {k}).
  let set = x.set?.filter((n) => evalCond(cond, n, k) === outcome);
  let seen = x.seen;
  switch (cond) {
    case 'jeq':
      if (outcome) {
        lo = hi = ones = k;
        zeros = ~k;
        ne = [];
        set = [k];
        hits = seen = undefined;
      } else {
        ne = pushLast(ne, k);
        if (lo === k) lo++;
        if (hi === k) hi--;
      }
      break;
    case 'jgt':
      if (outcome) lo = Math.max(lo, k + 1);
      else hi = Math.min(hi, k);
      break;
    case 'jge':
      if (outcome) lo = Math.max(lo, k);
      else hi = Math.min(hi, k - 1);
      break;
    case 'jset':
      if (!outcome) zeros |= k;
      else if ((k & (k - 1)) === 0) ones |= k;
      else hits = pushLast(hits, k);
      break;
  }
  return fact(lo, hi, ne, zeros, ones, set, hits, seen);
}

/** What both paths into a merge know. */
export function meetFacts(a: Facts, b: Facts): Facts {
  if (a === b) return a;
  // The nodes both lists share hold facts both paths know; only the newer ones need joining.
  let x: Facts | undefined = a;
  let y: Facts | undefined = b;
  while (x && y && x.length > y.length) x = x.next;
  while (x && y && y.length > x.length) y = y.next;
  while (x && y && x !== y) {
    x = x.next;
    y = y.next;
  }
  const tail = x ?? NO_FACTS;
  const ids: ValueId[] = [];
  const listed = new Set<ValueId>();
  for (const l of [a, b])
    for (let n: Facts | undefined = l; n !== undefined && n !== tail && n.length > 0; n = n.next)
      if (!listed.has(n.id)) {
        listed.add(n.id);
        ids.push(n.id);
      }
  let out = tail;
  for (let i = ids.length - 1; i >= 0; i--) {
    const id = ids[i] as ValueId;
    const fa = factAbout(a, id);
    const fb = factAbout(b, id);
    const joined = fa && fb ? join(fa, fb) : undefined;
    if (joined !== factAbout(tail, id)) out = put(out, id, joined);
  }
  return out;
}

/** What is known of a value known as `x` on one path and as `y` on the other (undefined: nothing). */
function join(x: Fact, y: Fact): Fact | undefined {
  if (x === y) return x;
  const j = fact(
    Math.min(x.lo, y.lo),
    Math.max(x.hi, y.hi),
    x.ne.length && y.ne.length ? x.ne.filter((n) => y.ne.includes(n)) : [],
    x.zeros & y.zeros,
    x.ones & y.ones,
    unionSet(x.set, y.set),
    x.hits?.filter((n) => y.hits?.includes(n)),
    x.seen?.filter((s) => y.seen?.some((t) => t[0] === s[0] && t[1] === s[1] && t[2] === s[2])),
  );
  return j.lo !== 0 ||
    j.hi !== 0xffffffff ||
    j.ne.length ||
    j.zeros ||
    j.ones ||
    j.set ||
    j.hits?.length ||
    j.seen?.length
    ? j
    : undefined;
}

/** Either set's values, or undefined when one side has no set or the union is too large to keep. */
function unionSet(
  a: readonly number[] | undefined,
  b: readonly number[] | undefined,
): readonly number[] | undefined {
  if (!a || !b) return undefined;
  if (a === b) return a;
  // Sets are ascending without repeats ([k], filters of a set, these unions): merged as such.
  const u: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (u.length === MAX_SET) return undefined;
    const x = i < a.length ? (a[i] as number) : Number.POSITIVE_INFINITY;
    const y = j < b.length ? (b[j] as number) : Number.POSITIVE_INFINITY;
    if (x <= y) {
      u.push(x);
      i++;
      if (x === y) j++;
    } else {
      u.push(y);
      j++;
    }
  }
  return u;
}
