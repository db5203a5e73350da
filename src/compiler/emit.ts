// IR → cBPF: lay blocks out in a topological order, patch jumps, and reach far targets through `ja`.
import { assembleOne } from '../core/encode.js';
import type { Insn, RawInsn } from '../core/insn.js';
import type { Block, BlockId, Cfg } from './ir.js';
import { walkInsns, walkLength } from './walk.js';

/** Blocks reachable from the entry, in an order where every edge goes forward (reverse postorder). */
export function layoutOrder(cfg: Cfg): Block[] {
  const seen = new Uint8Array(cfg.blocks.length);
  const post: BlockId[] = [];
  // Iterative DFS: long host lists make deep graphs, and recursion would overflow the stack. A block's
  // successors are pushed false edge first (successor()), so the true edge's subtree is laid out first.
  const ids: BlockId[] = [cfg.entry];
  const next: number[] = [0];
  seen[cfg.entry] = 1;
  while (ids.length) {
    const top = ids.length - 1;
    const s = successor(cfg.blocks[ids[top]], next[top]);
    if (s !== undefined) {
      next[top]++;
      if (!seen[s]) {
        seen[s] = 1;
        ids.push(s);
        next.push(0);
      }
    } else {
      post.push(ids[top]);
      ids.pop();
      next.pop();
    }
  }
  const order: Block[] = [];
  for (let i = post.length - 1; i >= 0; i--) order.push(cfg.blocks[post[i]]);
  return order;
}

/**
 * Block `b`'s successor `i`: the false edge first (so the true edge's subtree is laid out first and the
 * false target lands later), undefined past the last. One at a time: the layout asks at every step.
 */
function successor(b: Block, i: number): BlockId | undefined {
  const t = b.term;
  if (t.kind === 'branch') return i === 0 ? t.f : i === 1 && t.t !== t.f ? t.t : undefined;
  if (t.kind === 'goto') return i === 0 ? t.target : undefined;
  return undefined;
}

/** Which of a branch's jumps need a `ja` stub after it (bits, indexed by block id). */
const FAR_T = 1;
const FAR_F = 2;

/**
 * Emits the program. Conditional jumps reach 255 instructions; a farther target gets a `ja` stub right
 * after the jump. Stubs only lengthen the program, so distances only grow and the loop that adds them
 * ends after at most two stubs per branch.
 */
export function emit(cfg: Cfg): RawInsn[] {
  const order = layoutOrder(cfg);
  const far = new Uint8Array(cfg.blocks.length);
  const start = new Int32Array(cfg.blocks.length);
  for (;;) {
    positions(order, far, start);
    let changed = false;
    for (const b of order) {
      const t = b.term;
      if (t.kind !== 'branch') continue;
      const at = start[b.id] + stmtsLength(b); // index of the conditional jump
      // jt/jf as encoded
      if ((far[b.id] & FAR_T) === 0 && start[t.t] - at - 1 > 255) {
        far[b.id] |= FAR_T;
        changed = true;
      }
      if ((far[b.id] & FAR_F) === 0 && start[t.f] - at - 1 > 255) {
        far[b.id] |= FAR_F;
        changed = true;
      }
    }
    if (!changed) return encode(order, far, start);
  }
}

/** Instructions a block's statements emit (a protochain walk is many). */
function stmtsLength(b: Block): number {
  let n = 0;
  for (const s of b.stmts) n += s.kind === 'walk' ? walkLength(s) : 1;
  return n;
}

function termLength(b: Block, far: number, next: BlockId | undefined): number {
  const t = b.term;
  if (t.kind === 'branch') return 1 + (far & FAR_T ? 1 : 0) + (far & FAR_F ? 1 : 0);
  if (t.kind === 'goto') return t.target === next ? 0 : 1;
  return 1;
}

/** Fills `start` with each laid-out block's first instruction index. */
function positions(order: Block[], far: Uint8Array, start: Int32Array): void {
  let pc = 0;
  for (let i = 0; i < order.length; i++) {
    const b = order[i];
    start[b.id] = pc;
    pc += stmtsLength(b) + termLength(b, far[b.id], order[i + 1]?.id);
  }
}

function encode(order: Block[], far: Uint8Array, start: Int32Array): RawInsn[] {
  const out: RawInsn[] = [];
  const push = (insn: Insn) => out.push(assembleOne(insn, out.length));
  for (let i = 0; i < order.length; i++) {
    const b = order[i];
    for (const s of b.stmts) {
      if (s.kind === 'walk') for (const w of walkInsns(s)) push(w);
      else push(s);
    }
    const t = b.term;
    const farT = (far[b.id] & FAR_T) !== 0;
    const farF = (far[b.id] & FAR_F) !== 0;
    if (t.kind === 'ret') push({ kind: 'ret', src: 'k', k: t.k });
    else if (t.kind === 'retA') push({ kind: 'ret', src: 'a' });
    else if (t.kind === 'goto') {
      if (t.target !== order[i + 1]?.id) push({ kind: 'ja', k: start[t.target] - out.length - 1 });
    } else {
      const at = out.length;
      // A far target is reached through its stub: the true stub sits at at+1, the false one after it.
      const jt = farT ? 0 : start[t.t] - at - 1;
      const jf = farF ? (farT ? 1 : 0) : start[t.f] - at - 1;
      push(
        t.src === 'k'
          ? { kind: 'jmp', cond: t.cond, src: 'k', k: t.k, jt, jf }
          : { kind: 'jmp', cond: t.cond, src: 'x', jt, jf },
      );
      if (farT) push({ kind: 'ja', k: start[t.t] - out.length - 1 });
      if (farF) push({ kind: 'ja', k: start[t.f] - out.length - 1 });
    }
  }
  return out;
}
