// Path facts: what each edge knows about A, X and packet fields, used to skip reloads and decided tests.
//
// Blocks are first split so that every test sits alone in a block with no statements. Then, along each
// edge, a forward analysis tracks which packet field A and X hold and which equalities the path has
// established. An edge into a test whose outcome it already knows goes straight to that outcome; an edge
// into a lone reload of the value A (or X) already holds goes past it. Neither changes a verdict: the
// skipped statements are loads that already succeeded on that path, and the skipped test's outcome is
// the one it would have computed.
import type { Block, BlockId, Cfg, Stmt, Term } from '../ir.js';
import { layoutOrder, successors } from '../emit.js';

/** A value a register can hold: a packet field (`b4:12` = 4 bytes at 12, `msh:14`), a constant or unknown. */
type Val = string | undefined;

interface Facts {
  A: Val;
  X: Val;
  /** Known field values (only fields whose load succeeded on every path here). */
  eq: Map<string, number>;
  /** Known non-values. */
  ne: Map<string, Set<number>>;
  /** Bits known to be 0 in a field (a `jset` that went false). */
  clear: Map<string, number>;
}

const fieldKey = (s: Stmt): string | undefined => {
  if (s.kind === 'ldAbs') return `b${s.size}:${s.k}`;
  return undefined;
};

function transfer(stmts: readonly Stmt[], f: Facts): Facts {
  let { A, X } = f;
  for (const s of stmts) {
    switch (s.kind) {
      case 'ldAbs':
        A = fieldKey(s);
        break;
      case 'ldImm':
        A = `c:${s.k >>> 0}`;
        break;
      case 'ldxImm':
        X = `c:${s.k >>> 0}`;
        break;
      case 'ldxMsh':
        X = `msh:${s.k}`;
        break;
      case 'tax':
        X = A;
        break;
      case 'txa':
        A = X;
        break;
      case 'st':
      case 'stx':
        break;
      case 'ldxLen':
      case 'ldxMem':
        X = undefined;
        break;
      default:
        A = undefined;
    }
  }
  return { ...f, A, X };
}

/** The value of A if known: a constant, or a field with a known value. */
function valueOf(f: Facts, v: Val): number | undefined {
  if (v === undefined) return undefined;
  if (v.startsWith('c:')) return Number(v.slice(2));
  return f.eq.get(v);
}

/** The outcome of `term` under `f`, if the facts decide it. */
function decide(term: Term, f: Facts): boolean | undefined {
  if (term.kind !== 'branch') return undefined;
  const a = valueOf(f, f.A);
  const b = term.src === 'k' ? term.k >>> 0 : valueOf(f, f.X);
  if (a !== undefined && b !== undefined) {
    switch (term.cond) {
      case 'jeq': return a === b;
      case 'jgt': return a > b;
      case 'jge': return a >= b;
      case 'jset': return (a & b) !== 0;
    }
  }
  if (term.cond === 'jeq' && b !== undefined && f.A !== undefined && f.ne.get(f.A)?.has(b)) return false;
  if (term.cond === 'jset' && b !== undefined && f.A !== undefined && ((f.clear.get(f.A) ?? 0) & b) >>> 0 === b) return false;
  return undefined;
}

/** Facts on the edge taken when `term` goes `outcome` (true/false), starting from `f`. */
function edgeFacts(term: Term, f: Facts, outcome: boolean): Facts {
  if (term.kind !== 'branch' || term.src !== 'k' || f.A === undefined || f.A.startsWith('c:')) return f;
  const k = term.k >>> 0;
  if (term.cond === 'jset') {
    if (outcome) return f;
    const clear = new Map(f.clear);
    clear.set(f.A, ((f.clear.get(f.A) ?? 0) | k) >>> 0);
    return { ...f, clear };
  }
  if (term.cond !== 'jeq') return f;
  if (outcome) {
    const eq = new Map(f.eq);
    eq.set(f.A, k);
    return { ...f, eq };
  }
  const ne = new Map(f.ne);
  ne.set(f.A, new Set([...(f.ne.get(f.A) ?? []), k]));
  return { ...f, ne };
}

function meet(a: Facts, b: Facts): Facts {
  const eq = new Map<string, number>();
  for (const [k, v] of a.eq) if (b.eq.get(k) === v) eq.set(k, v);
  const ne = new Map<string, Set<number>>();
  for (const [k, s] of a.ne) {
    const t = b.ne.get(k);
    if (t) {
      const both = new Set([...s].filter((x) => t.has(x)));
      if (both.size) ne.set(k, both);
    }
  }
  const clear = new Map<string, number>();
  for (const [k, m] of a.clear) {
    const both = (m & (b.clear.get(k) ?? 0)) >>> 0;
    if (both) clear.set(k, both);
  }
  return { A: a.A === b.A ? a.A : undefined, X: a.X === b.X ? a.X : undefined, eq, ne, clear };
}

/** Moves every branch into a block of its own (no statements), so edges can target the test alone. */
export function splitTests(cfg: Cfg): boolean {
  let changed = false;
  const n = cfg.blocks.length;
  for (let i = 0; i < n; i++) {
    const b = cfg.blocks[i];
    if (b.term.kind !== 'branch' || b.stmts.length === 0) continue;
    const test: Block = { id: cfg.blocks.length, stmts: [], term: b.term };
    cfg.blocks.push(test);
    b.term = { kind: 'goto', target: test.id };
    changed = true;
  }
  return changed;
}

/** Where an edge carrying `f` into block `id` can go instead, or `id` itself. */
function bypass(cfg: Cfg, id: BlockId, f: Facts): BlockId {
  let cur = id;
  for (let steps = 0; steps <= cfg.blocks.length; steps++) {
    const b = cfg.blocks[cur];
    if (b.stmts.length === 0 && b.term.kind === 'branch') {
      const d = decide(b.term, f);
      if (d === undefined) return cur;
      cur = d ? b.term.t : b.term.f;
      continue;
    }
    // A lone reload of what A (or X) already holds, followed by a goto, adds nothing on this path.
    if (b.stmts.length === 1 && b.term.kind === 'goto') {
      const s = b.stmts[0];
      const same = (s.kind === 'ldAbs' && fieldKey(s) === f.A) || (s.kind === 'ldxMsh' && `msh:${s.k}` === f.X);
      if (same) {
        cur = b.term.target;
        continue;
      }
      // A reload of a field whose value the path knows: if the tests after it are then decided and
      // land where A is not read, the load (which cannot fail here) can be skipped along with them.
      const key = fieldKey(s);
      if (key !== undefined && f.eq.has(key)) {
        const dest = bypass(cfg, b.term.target, { ...f, A: key });
        if (dest !== b.term.target && aDeadAt(cfg, dest, 8)) return dest;
      }
    }
    return cur;
  }
  return cur;
}

const DEFINES_A = new Set(['ldAbs', 'ldInd', 'ldImm', 'ldLen', 'ldMem', 'ldExt']);
const READS_A = new Set(['st', 'tax', 'alu', 'neg']);

/** True if A's value on entry to `id` is never read (checked a few gotos deep; unknown counts as read). */
function aDeadAt(cfg: Cfg, id: BlockId, depth: number): boolean {
  const b = cfg.blocks[id];
  for (const s of b.stmts) {
    if (READS_A.has(s.kind)) return false;
    if (DEFINES_A.has(s.kind)) return true;
    if (s.kind === 'txa') return true;
  }
  if (b.term.kind === 'ret') return true;
  if (b.term.kind === 'goto' && depth > 0) return aDeadAt(cfg, b.term.target, depth - 1);
  return false;
}

/** One round of edge threading over the facts of the current graph; true if an edge moved. */
export function threadKnownValues(cfg: Cfg): boolean {
  const order = layoutOrder(cfg);
  const incoming = new Map<BlockId, Facts>();
  const empty: Facts = { A: undefined, X: undefined, eq: new Map(), ne: new Map(), clear: new Map() };
  incoming.set(cfg.entry, empty);
  let changed = false;
  for (const b of order) {
    const f = transfer(b.stmts, incoming.get(b.id) ?? empty);
    const t = b.term;
    const redirect = (target: BlockId, ef: Facts) => {
      const to = bypass(cfg, target, ef);
      const prev = incoming.get(to);
      incoming.set(to, prev ? meet(prev, ef) : ef);
      return to;
    };
    if (t.kind === 'branch') {
      const tt = redirect(t.t, edgeFacts(t, f, true));
      const ff = redirect(t.f, edgeFacts(t, f, false));
      if (tt !== t.t || ff !== t.f) {
        b.term = { ...t, t: tt, f: ff };
        changed = true;
      }
    } else if (t.kind === 'goto') {
      const to = redirect(t.target, f);
      if (to !== t.target) {
        b.term = { kind: 'goto', target: to };
        changed = true;
      }
    }
  }
  return changed;
}

export { successors };
