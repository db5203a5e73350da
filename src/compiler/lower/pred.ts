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

/**
 * How deep the walks below recurse before they go on with a stack instead: `a or b and c or d ...` nests
 * one level per switch of operator, thousands deep, but most predicates are a few levels deep, where
 * recursion makes no objects (a stack each time cost 3% of the compile time).
 */
const SHALLOW = 100;
/** The recursive walks' answer past SHALLOW levels. */
const TOO_DEEP = 3;

/** Whether some leaf of `p` (not an and/or/not) satisfies `at`: by recursion, with a stack past SHALLOW. */
function some(p: Pred, at: (leaf: Pred) => boolean): boolean {
  const r = someShallow(p, at, 0);
  return r === TOO_DEEP ? someDeep(p, at) : r === 1;
}

/** some() by recursion: 1 yes, 0 no, TOO_DEEP past SHALLOW levels. */
function someShallow(p: Pred, at: (leaf: Pred) => boolean, depth: number): number {
  switch (p.kind) {
    case 'and':
    case 'or':
      if (depth >= SHALLOW) return TOO_DEEP;
      for (const q of p.items) {
        const r = someShallow(q, at, depth + 1);
        if (r !== 0) return r;
      }
      return 0;
    case 'not':
      return depth >= SHALLOW ? TOO_DEEP : someShallow(p.p, at, depth + 1);
    default:
      return at(p) ? 1 : 0;
  }
}

/** some() with a stack. */
function someDeep(p: Pred, at: (leaf: Pred) => boolean): boolean {
  const todo: Pred[] = [p];
  for (let q = todo.pop(); q !== undefined; q = todo.pop()) {
    if (q.kind === 'and' || q.kind === 'or') for (const r of q.items) todo.push(r);
    else if (q.kind === 'not') todo.push(q.p);
    else if (at(q)) return true;
  }
  return false;
}

/**
 * `p` evaluated bottom-up with a stack (a tree of any depth): `leaf` gives a leaf's value, `node` an
 * and/or's or not's from its operands' values, in order.
 */
function bottomUp<T>(
  p: Pred,
  leaf: (q: Pred) => T,
  node: (q: Pred & { kind: 'and' | 'or' | 'not' }, kids: T[]) => T,
): T {
  const value = new Map<Pred, T>();
  const todo: { q: Pred; expanded: boolean }[] = [{ q: p, expanded: false }];
  while (todo.length > 0) {
    const top = todo[todo.length - 1] as { q: Pred; expanded: boolean };
    const q = top.q;
    if (q.kind !== 'and' && q.kind !== 'or' && q.kind !== 'not') {
      value.set(q, leaf(q));
      todo.pop();
      continue;
    }
    const kids = q.kind === 'not' ? [q.p] : q.items;
    if (!top.expanded) {
      top.expanded = true;
      for (const r of kids) if (!value.has(r)) todo.push({ q: r, expanded: false });
      continue;
    }
    todo.pop();
    value.set(
      q,
      node(
        q,
        kids.map((r) => value.get(r) as T),
      ),
    );
  }
  return value.get(p) as T;
}

const isGraph = (q: Pred) => q.kind === 'graph';

/** Whether `p` holds a hand-built subgraph (protochain's walk). */
export function hasGraph(p: Pred): boolean {
  return some(p, isGraph);
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
  const r = foldShallow(p, 0);
  return r === TOO_DEEP ? foldDeep(p) : r === 2 ? undefined : r === 1;
}

/** foldsTo() by recursion: 0 false, 1 true, 2 neither, TOO_DEEP past SHALLOW levels. */
function foldShallow(p: Pred, depth: number): number {
  switch (p.kind) {
    case 'const':
      return p.value ? 1 : 0;
    case 'and':
    case 'or': {
      if (depth >= SHALLOW) return TOO_DEEP;
      // An absorbing item decides it; else it is the other constant if every item is.
      const absorbing = p.kind === 'or' ? 1 : 0;
      let all = true;
      for (const q of p.items) {
        const c = foldShallow(q, depth + 1);
        if (c === TOO_DEEP || c === absorbing) return c;
        if (c === 2) all = false;
      }
      return all ? 1 - absorbing : 2;
    }
    case 'not': {
      if (depth >= SHALLOW) return TOO_DEEP;
      const c = foldShallow(p.p, depth + 1);
      return c === 0 || c === 1 ? 1 - c : c;
    }
    default:
      return 2;
  }
}

/** foldsTo() with a stack. */
function foldDeep(p: Pred): boolean | undefined {
  return bottomUp<boolean | undefined>(
    p,
    (q) => (q.kind === 'const' ? q.value : undefined),
    (q, kids) => {
      if (q.kind === 'not') return kids[0] === undefined ? undefined : !kids[0];
      // An absorbing item decides it; else it is the other constant if every item is.
      const absorbing = q.kind === 'or';
      if (kids.includes(absorbing)) return absorbing;
      return kids.includes(undefined) ? undefined : !absorbing;
    },
  );
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
  // Each sub-predicate is built once its exits are known: an and/or's items from the last to the first,
  // each entered where the one after it starts. With a stack of the lists being built, not recursion
  // (alternations of `and` and `or` nest thousands deep); blocks are added in the order recursion added them.
  type Frame = {
    q: Pred & { kind: 'and' | 'or' };
    i: number;
    next: BlockId;
    t: BlockId;
    f: BlockId;
  };
  const gen = (root: Pred, rootT: BlockId, rootF: BlockId): BlockId => {
    const frames: Frame[] = [];
    let q = root;
    let t = rootT;
    let f = rootF;
    for (;;) {
      // Down to a leaf (a `not` swaps the exits), opening a frame at each and/or with items.
      let built: BlockId | undefined;
      while (built === undefined) {
        switch (q.kind) {
          case 'const':
            built = q.value ? t : f;
            break;
          case 'not': {
            const swap = t;
            t = f;
            f = swap;
            q = q.p;
            break;
          }
          case 'and':
          case 'or': {
            const n = q.items.length;
            const next = q.kind === 'and' ? t : f;
            if (n === 0) {
              built = next;
              break;
            }
            frames.push({ q, i: n - 1, next, t, f });
            if (q.kind === 'and') t = next;
            else f = next;
            q = q.items[n - 1] as Pred;
            break;
          }
          case 'test':
            built = add([...q.stmts], { kind: 'branch', cond: q.cond, src: q.src, k: q.k, t, f });
            break;
          case 'graph':
            built = q.build(add, t, f);
            break;
        }
      }
      // Up: the item just built is where the one before it goes on; a finished list is its own entry.
      for (;;) {
        const top = frames[frames.length - 1];
        if (top === undefined) return built;
        top.next = built;
        if (top.i === 0) {
          frames.pop();
          continue;
        }
        top.i--;
        q = top.q.items[top.i] as Pred;
        t = top.q.kind === 'and' ? top.next : top.t;
        f = top.q.kind === 'and' ? top.f : top.next;
        break;
      }
    }
  };
  // By recursion where the predicate is shallow (no frames to make), with the stack below SHALLOW levels.
  const genShallow = (q: Pred, t: BlockId, f: BlockId, depth: number): BlockId => {
    switch (q.kind) {
      case 'const':
        return q.value ? t : f;
      case 'not':
        return depth >= SHALLOW ? gen(q, t, f) : genShallow(q.p, f, t, depth + 1);
      case 'and': {
        if (depth >= SHALLOW) return gen(q, t, f);
        let next = t;
        for (let i = q.items.length - 1; i >= 0; i--)
          next = genShallow(q.items[i] as Pred, next, f, depth + 1);
        return next;
      }
      case 'or': {
        if (depth >= SHALLOW) return gen(q, t, f);
        let next = f;
        for (let i = q.items.length - 1; i >= 0; i--)
          next = genShallow(q.items[i] as Pred, t, next, depth + 1);
        return next;
      }
      case 'test':
        return add([...q.stmts], { kind: 'branch', cond: q.cond, src: q.src, k: q.k, t, f });
      case 'graph':
        return q.build(add, t, f);
    }
  };
  const entry = genShallow(p, yes, no, 0);
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
  return some(p, isBadTest);
}

const isBadTest = (q: Pred) => q.kind === 'test' && badLoad(q.stmts);

/** `p` with every test that loads past 2^31 replaced by ABORT. */
function replaceBadLoads(p: Pred): Pred {
  return bottomUp<Pred>(
    p,
    (q) => (isBadTest(q) ? ABORT : q),
    (q, kids) =>
      q.kind === 'not' ? { kind: 'not', p: kids[0] as Pred } : { kind: q.kind, items: kids },
  );
}
