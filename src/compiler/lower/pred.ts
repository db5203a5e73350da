// Predicates: the boolean structure lowering builds (tests, and/or/not, constants), and their translation to
// the CFG by continuation: gen(p, onTrue, onFalse). Same shape as libpcap's back-patched true/false exits,
// without patching: each sub-predicate is emitted once, so the graph stays linear in the expression size.
import type { JumpCond, LoadSize } from '../../core/insn.js';
import type { BlockId, Cfg, Stmt, Term } from '../ir.js';

export type Pred =
  | { readonly kind: 'const'; readonly value: boolean }
  | { readonly kind: 'and'; readonly items: readonly Pred[] }
  | { readonly kind: 'or'; readonly items: readonly Pred[] }
  | { readonly kind: 'not'; readonly p: Pred }
  /** Run `stmts`, then branch on `A cond k` (or `A cond X`). */
  | {
      readonly kind: 'test';
      readonly stmts: readonly Stmt[];
      readonly cond: JumpCond;
      readonly src: 'k' | 'x';
      readonly k: number;
    }
  /** A hand-built subgraph (protochain's unrolled walk): `build` adds blocks and returns its entry. */
  | { readonly kind: 'graph'; readonly build: (add: AddBlock, t: BlockId, f: BlockId) => BlockId };

/** Appends a block to the CFG under construction and returns its id. */
export type AddBlock = (stmts: Stmt[], term: Term) => BlockId;

export const TRUE: Pred = { kind: 'const', value: true };
export const FALSE: Pred = { kind: 'const', value: false };

/** Whether `p` holds a hand-built subgraph (protochain's walk). */
export function hasGraph(p: Pred): boolean {
  switch (p.kind) {
    case 'graph':
      return true;
    case 'and':
    case 'or':
      return p.items.some(hasGraph);
    case 'not':
      return hasGraph(p.p);
    default:
      return false;
  }
}

/** An absorbing constant ends the list; the items before it still run (their loads can reject short packets). */
function absorb(kind: 'and' | 'or', before: Pred[], c: Pred): Pred {
  return before.length === 0 ? c : { kind, items: [...before, c] };
}

/**
 * The constant `p` folds to, if it does (absorbing constants: `x and false` is false, whatever the tests
 * before it), else undefined. Read in place: only the answer is wanted, not the folded tree.
 */
export function foldsTo(p: Pred): boolean | undefined {
  switch (p.kind) {
    case 'const':
      return p.value;
    case 'and':
    case 'or': {
      // An absorbing item decides it; else it is the other constant if every item is.
      const absorbing = p.kind === 'or';
      let all = true;
      for (const q of p.items) {
        const c = foldsTo(q);
        if (c === absorbing) return absorbing;
        if (c === undefined) all = false;
      }
      return all ? !absorbing : undefined;
    }
    case 'not': {
      const c = foldsTo(p.p);
      return c === undefined ? undefined : !c;
    }
    default:
      return undefined;
  }
}

/** Conjunction, dropping `true` items and collapsing on `false`. */
export function and(...items: Pred[]): Pred {
  const out: Pred[] = [];
  for (const p of items) {
    if (p.kind === 'const') {
      if (!p.value) return absorb('and', out, FALSE);
      continue;
    }
    if (p.kind === 'and') out.push(...p.items);
    else out.push(p);
  }
  return out.length === 0
    ? TRUE
    : out.length === 1
      ? (out[0] as Pred)
      : { kind: 'and', items: out };
}

/** Disjunction, dropping `false` items and collapsing on `true`. */
export function or(...items: Pred[]): Pred {
  const out: Pred[] = [];
  for (const p of items) {
    if (p.kind === 'const') {
      if (p.value) return absorb('or', out, TRUE);
      continue;
    }
    if (p.kind === 'or') out.push(...p.items);
    else out.push(p);
  }
  return out.length === 0
    ? FALSE
    : out.length === 1
      ? (out[0] as Pred)
      : { kind: 'or', items: out };
}

export function not(p: Pred): Pred {
  if (p.kind === 'const') return p.value ? FALSE : TRUE;
  if (p.kind === 'not') return p.p;
  return { kind: 'not', p };
}

/** P[off:size] == k */
export function cmp(off: number, size: LoadSize, k: number, cond: JumpCond = 'jeq'): Pred {
  return {
    kind: 'test',
    stmts: [{ kind: 'ldAbs', size, k: off >>> 0 }],
    cond,
    src: 'k',
    k: k >>> 0,
  };
}

/** (P[off:size] & mask) == k; a full mask needs no `and`. */
export function mcmp(off: number, size: LoadSize, mask: number, k: number): Pred {
  const full = size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
  if (mask >>> 0 === full) return cmp(off, size, k);
  return {
    kind: 'test',
    stmts: [
      { kind: 'ldAbs', size, k: off >>> 0 },
      { kind: 'alu', op: 'and', src: 'k', k: mask >>> 0 },
    ],
    cond: 'jeq',
    src: 'k',
    k: k >>> 0,
  };
}

/** A test of arbitrary statements. */
export function test(
  stmts: readonly Stmt[],
  cond: JumpCond,
  k: number,
  src: 'k' | 'x' = 'k',
): Pred {
  return { kind: 'test', stmts, cond, src, k: k >>> 0 };
}

/**
 * Builds the CFG: the predicate's true exit returns `accept`, its false exit returns 0. `prefix` adds code
 * that runs first (a link layer's header-length computations); it gets the predicate's entry and the
 * rejecting block.
 */
export function toCfg(
  p: Pred,
  accept: number,
  prefix?: (add: AddBlock, next: BlockId, reject: BlockId) => BlockId,
): Cfg {
  const blocks: Cfg['blocks'] = [];
  const add: AddBlock = (stmts, term) => {
    const id = blocks.length;
    blocks.push({ id, stmts, term });
    return id;
  };
  const yes = add([], { kind: 'ret', k: accept >>> 0 });
  const no = add([], { kind: 'ret', k: 0 });
  const gen = (q: Pred, t: BlockId, f: BlockId): BlockId => {
    switch (q.kind) {
      case 'const':
        return q.value ? t : f;
      case 'not':
        return gen(q.p, f, t);
      case 'and': {
        let next = t;
        for (let i = q.items.length - 1; i >= 0; i--) next = gen(q.items[i] as Pred, next, f);
        return next;
      }
      case 'or': {
        let next = f;
        for (let i = q.items.length - 1; i >= 0; i--) next = gen(q.items[i] as Pred, t, next);
        return next;
      }
      case 'test':
        return add([...q.stmts], { kind: 'branch', cond: q.cond, src: q.src, k: q.k, t, f });
      case 'graph':
        return q.build(add, t, f);
    }
  };
  const entry = gen(p, yes, no);
  return { blocks, entry: prefix ? prefix(add, entry, no) : entry };
}

/** Returns 0 from the program, whatever the context (a load that can never succeed). */
export const ABORT: Pred = { kind: 'graph', build: (add) => add([], { kind: 'ret', k: 0 }) };

/** Where a statement list loads from at an offset known when compiling, or undefined. */
function badLoad(stmts: readonly Stmt[]): boolean {
  let x: number | undefined;
  for (const s of stmts) {
    let at: number | undefined;
    if (s.kind === 'ldAbs' || s.kind === 'ldxMsh') at = s.k;
    else if (s.kind === 'ldInd' && x !== undefined) at = (x + s.k) >>> 0;
    if (at !== undefined && at >= 0x80000000) return true;
    if (s.kind === 'ldxImm') x = s.k;
    else if (s.kind === 'ldxMem' || s.kind === 'tax' || s.kind === 'ldxLen' || s.kind === 'ldxMsh')
      x = undefined;
  }
  return false;
}

/**
 * Tests that load at an offset past 2^31 (libpcap's arithmetic on offsets a link type does not have wraps
 * there) become ABORT: such a load stops libpcap's filter with 0, while a kernel would read other data at
 * those negative offsets.
 */
export function abortBadLoads(p: Pred): Pred {
  return hasBadLoad(p) ? replaceBadLoads(p) : p;
}

/** Whether a test of `p` loads past 2^31 (almost never: then `p` is rebuilt). */
function hasBadLoad(p: Pred): boolean {
  switch (p.kind) {
    case 'test':
      return badLoad(p.stmts);
    case 'and':
    case 'or':
      for (const q of p.items) if (hasBadLoad(q)) return true;
      return false;
    case 'not':
      return hasBadLoad(p.p);
    default:
      return false;
  }
}

function replaceBadLoads(p: Pred): Pred {
  switch (p.kind) {
    case 'test':
      return badLoad(p.stmts) ? ABORT : p;
    case 'and':
    case 'or':
      return { kind: p.kind, items: p.items.map(replaceBadLoads) };
    case 'not':
      return { kind: 'not', p: replaceBadLoads(p.p) };
    default:
      return p;
  }
}
