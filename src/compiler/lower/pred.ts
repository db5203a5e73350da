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
 * Whether some node of `p` satisfies `at` (looked at before its children). Iterative, as every walk of a
 * predicate here: `a or b and c or d ...` nests one level per switch of operator, thousands deep.
 */
function some(p: Pred, at: (q: Pred) => boolean): boolean {
  const todo: Pred[] = [p];
  for (let q = todo.pop(); q !== undefined; q = todo.pop()) {
    if (at(q)) return true;
    if (q.kind === 'and' || q.kind === 'or') for (const r of q.items) todo.push(r);
    else if (q.kind === 'not') todo.push(q.p);
  }
  return false;
}

/** Whether `p` holds a hand-built subgraph (protochain's walk). */
export function hasGraph(p: Pred): boolean {
  return some(p, (q) => q.kind === 'graph');
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
  // Bottom-up with a stack: each and/or waits for its items' answers, each `not` for its operand's.
  const value = new Map<Pred, boolean | undefined>();
  const todo: { q: Pred; expanded: boolean }[] = [{ q: p, expanded: false }];
  while (todo.length > 0) {
    const top = todo[todo.length - 1] as { q: Pred; expanded: boolean };
    const q = top.q;
    if (q.kind === 'const' || q.kind === 'test' || q.kind === 'graph') {
      value.set(q, q.kind === 'const' ? q.value : undefined);
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
    if (q.kind === 'not') {
      const c = value.get(q.p);
      value.set(q, c === undefined ? undefined : !c);
      continue;
    }
    // An absorbing item decides it; else it is the other constant if every item is.
    const absorbing = q.kind === 'or';
    let answer: boolean | undefined = !absorbing;
    for (const r of q.items) {
      const c = value.get(r);
      if (c === absorbing) {
        answer = absorbing;
        break;
      }
      if (c === undefined) answer = undefined;
    }
    value.set(q, answer);
  }
  return value.get(p);
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
          case 'not':
            [q, t, f] = [q.p, f, t];
            break;
          case 'and':
          case 'or': {
            const n = q.items.length;
            const next = q.kind === 'and' ? t : f;
            if (n === 0) {
              built = next;
              break;
            }
            frames.push({ q, i: n - 1, next, t, f });
            [q, t, f] =
              q.kind === 'and'
                ? [q.items[n - 1] as Pred, next, f]
                : [q.items[n - 1] as Pred, t, next];
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
        const item = top.q.items[top.i] as Pred;
        [q, t, f] = top.q.kind === 'and' ? [item, top.next, top.f] : [item, top.t, top.next];
        break;
      }
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
  return some(p, (q) => q.kind === 'test' && badLoad(q.stmts));
}

/** `p` with every test that loads past 2^31 replaced by ABORT (bottom-up with a stack, as foldsTo). */
function replaceBadLoads(p: Pred): Pred {
  const out = new Map<Pred, Pred>();
  const todo: { q: Pred; expanded: boolean }[] = [{ q: p, expanded: false }];
  while (todo.length > 0) {
    const top = todo[todo.length - 1] as { q: Pred; expanded: boolean };
    const q = top.q;
    if (q.kind !== 'and' && q.kind !== 'or' && q.kind !== 'not') {
      out.set(q, q.kind === 'test' && badLoad(q.stmts) ? ABORT : q);
      todo.pop();
      continue;
    }
    const kids = q.kind === 'not' ? [q.p] : q.items;
    if (!top.expanded) {
      top.expanded = true;
      for (const r of kids) if (!out.has(r)) todo.push({ q: r, expanded: false });
      continue;
    }
    todo.pop();
    out.set(
      q,
      q.kind === 'not'
        ? { kind: 'not', p: out.get(q.p) as Pred }
        : { kind: q.kind, items: q.items.map((r) => out.get(r) as Pred) },
    );
  }
  return out.get(p) as Pred;
}
