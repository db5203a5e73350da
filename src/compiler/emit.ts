// IR → cBPF: lay blocks out in a topological order, patch jumps, and reach far targets through `ja`.
import { assembleOne } from '../core/encode.js';
import type { Insn, RawInsn } from '../core/insn.js';
import type { Block, BlockId, Cfg } from './ir.js';
import { walkInsns, walkLength } from './walk.js';

/** Blocks reachable from the entry, in an order where every edge goes forward (reverse postorder). */
export function layoutOrder(cfg: Cfg): Block[] {
  const seen = new Set<BlockId>();
  const post: BlockId[] = [];
  // Iterative DFS: long host lists make deep graphs, and recursion would overflow the stack.
  const stack: { id: BlockId; next: number }[] = [{ id: cfg.entry, next: 0 }];
  seen.add(cfg.entry);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const succ = successors(cfg.blocks[top.id]);
    if (top.next < succ.length) {
      const s = succ[top.next++];
      if (!seen.has(s)) {
        seen.add(s);
        stack.push({ id: s, next: 0 });
      }
    } else {
      post.push(top.id);
      stack.pop();
    }
  }
  return post.reverse().map((id) => cfg.blocks[id]);
}

export function successors(b: Block): BlockId[] {
  const t = b.term;
  // False edge first, so the true edge's subtree is laid out first and the false target lands later.
  if (t.kind === 'branch') return t.f === t.t ? [t.t] : [t.f, t.t];
  if (t.kind === 'goto') return [t.target];
  return [];
}

/** How each block's terminator is encoded: which of its jumps need a `ja` stub after it. */
interface Plan {
  farT: boolean;
  farF: boolean;
}

/**
 * Emits the program. Conditional jumps reach 255 instructions; a farther target gets a `ja` stub right
 * after the jump. Stubs only lengthen the program, so distances only grow and the loop that adds them
 * ends after at most two stubs per branch.
 */
export function emit(cfg: Cfg): RawInsn[] {
  const order = layoutOrder(cfg);
  const plans = new Map<BlockId, Plan>(order.map((b) => [b.id, { farT: false, farF: false }]));
  for (;;) {
    const start = positions(order, plans);
    let changed = false;
    for (const b of order) {
      if (b.term.kind !== 'branch') continue;
      const p = plans.get(b.id)!;
      const at = start.get(b.id)! + stmtsLength(b); // index of the conditional jump
      const dist = (target: BlockId) => start.get(target)! - at - 1; // jt/jf as encoded
      if (!p.farT && dist(b.term.t) > 255) {
        p.farT = true;
        changed = true;
      }
      if (!p.farF && dist(b.term.f) > 255) {
        p.farF = true;
        changed = true;
      }
    }
    if (!changed) return encode(order, plans, start);
  }
}

/** Instructions a block's statements emit (a protochain walk is many). */
function stmtsLength(b: Block): number {
  let n = 0;
  for (const s of b.stmts) n += s.kind === 'walk' ? walkLength(s) : 1;
  return n;
}

function termLength(b: Block, p: Plan, next: BlockId | undefined): number {
  const t = b.term;
  if (t.kind === 'branch') return 1 + (p.farT ? 1 : 0) + (p.farF ? 1 : 0);
  if (t.kind === 'goto') return t.target === next ? 0 : 1;
  return 1;
}

function positions(order: Block[], plans: Map<BlockId, Plan>): Map<BlockId, number> {
  const start = new Map<BlockId, number>();
  let pc = 0;
  order.forEach((b, i) => {
    start.set(b.id, pc);
    pc += stmtsLength(b) + termLength(b, plans.get(b.id)!, order[i + 1]?.id);
  });
  return start;
}

function encode(order: Block[], plans: Map<BlockId, Plan>, start: Map<BlockId, number>): RawInsn[] {
  const out: RawInsn[] = [];
  const push = (insn: Insn) => out.push(assembleOne(insn, out.length));
  order.forEach((b, i) => {
    for (const s of b.stmts) {
      if (s.kind === 'walk') for (const w of walkInsns(s)) push(w);
      else push(s);
    }
    const t = b.term;
    const p = plans.get(b.id)!;
    if (t.kind === 'ret') push({ kind: 'ret', src: 'k', k: t.k });
    else if (t.kind === 'retA') push({ kind: 'ret', src: 'a' });
    else if (t.kind === 'goto') {
      if (t.target !== order[i + 1]?.id)
        push({ kind: 'ja', k: start.get(t.target)! - out.length - 1 });
    } else {
      const at = out.length;
      // A far target is reached through its stub: the true stub sits at at+1, the false one after it.
      const jt = p.farT ? 0 : start.get(t.t)! - at - 1;
      const jf = p.farF ? (p.farT ? 1 : 0) : start.get(t.f)! - at - 1;
      const cond = { kind: 'jmp', cond: t.cond, jt, jf } as const;
      push(t.src === 'k' ? { ...cond, src: 'k', k: t.k } : { ...cond, src: 'x' });
      if (p.farT) push({ kind: 'ja', k: start.get(t.t)! - out.length - 1 });
      if (p.farF) push({ kind: 'ja', k: start.get(t.f)! - out.length - 1 });
    }
  });
  return out;
}
