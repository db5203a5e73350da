// Programs and compiler graphs as one loop-free node list in topological order, what the solver encoding
// and the replay walk: each node is one instruction with its successors named by index.

import type { Block, BlockId, Cfg } from '../compiler/ir.js';
import { walkInsns, walkLength } from '../compiler/walk.js';
import type { Program } from '../core/encode.js';
import { assembleOne } from '../core/encode.js';
import type { RawInsn } from '../core/insn.js';
import { PROFILES, type ProfileName } from '../core/profiles.js';
import { AnalysisError } from './errors.js';

/** Successor that leaves the program (a jump past the end, or falling off it): the run returns 0. */
export const OFF_PROGRAM = -1;
/** Successor past the unrolling bound of libpcap's backward `ja`: the encoding knows nothing beyond it. */
export const PAST_BOUND = -2;

export interface FlowNode {
  /** The instruction this node executes (for a graph: a statement, its test or its return). */
  readonly insn: RawInsn;
  /** Next node for straight-line code and `ja`; [true, false] targets for conditional jumps. */
  readonly succ: readonly number[];
  /** Where the node comes from: the instruction index in a program, the block id in a graph. */
  readonly label: number;
}

/**
 * Nodes in topological order (every successor index is larger than its node's), node 0 the entry; empty
 * for an empty program. `emptyResult` is what an empty program returns (FreeBSD accepts everything).
 */
export interface Flow {
  readonly nodes: readonly FlowNode[];
  readonly source: 'program' | 'graph';
  readonly emptyResult: number;
}

/** Default number of backward `ja` a libpcap run may take in the encoding. */
export const DEFAULT_UNROLL = 16;

const JA = 0x05;

/**
 * A program as a flow. Forward jumps keep the program's order. Under libpcap a `ja` with a negative k
 * jumps back (protochain's loop); each backward jump taken moves to a fresh copy of the program, at most
 * `unroll` copies deep, and a jump beyond that goes to PAST_BOUND.
 */
export function programFlow(program: Program, profile: ProfileName, unroll = DEFAULT_UNROLL): Flow {
  const n = program.length;
  const facts = PROFILES[profile];
  const emptyResult = n === 0 && facts.emptyAcceptsAll ? 0xffffffff : 0;
  const targets = (pc: number): { to: number; back: boolean }[] => {
    const { code, jt, jf, k } = program[pc];
    if ((code & 0x07) === 0x06) return [];
    if (code === JA) {
      if (facts.backwardJa && (k | 0) < 0) return [{ to: pc + 1 + (k | 0), back: true }];
      return [{ to: pc + 1 + k, back: false }];
    }
    if (COND_JUMPS.has(code))
      return [
        { to: pc + 1 + jt, back: false },
        { to: pc + 1 + jf, back: false },
      ];
    return [{ to: pc + 1, back: false }];
  };
  // Without backward jumps the flow is the program itself.
  let hasBack = false;
  if (facts.backwardJa)
    for (const ins of program) if (ins.code === JA && (ins.k | 0) < 0) hasBack = true;
  if (!hasBack) {
    const nodes = program.map((insn, pc) => ({
      insn,
      succ: targets(pc).map(({ to }) => (to >= 0 && to < n ? to : OFF_PROGRAM)),
      label: pc,
    }));
    return { nodes, source: 'program', emptyResult };
  }
  // Copies of the program by how many backward jumps were taken: (level, pc) in lexicographic order is
  // topological, since forward edges stay in a level and backward ones go one level down.
  const key = (level: number, pc: number) => level * n + pc;
  const seen = new Set<number>([0]);
  const work = [0];
  while (work.length > 0) {
    const id = work.pop()!;
    const level = Math.floor(id / n);
    for (const { to, back } of targets(id % n)) {
      if (to < 0 || to >= n) continue;
      const l = back ? level + 1 : level;
      if (l > unroll) continue;
      const kk = key(l, to);
      if (!seen.has(kk)) {
        seen.add(kk);
        work.push(kk);
      }
    }
  }
  const order = [...seen].sort((a, b) => a - b);
  const index = new Map(order.map((kk, i) => [kk, i]));
  const nodes = order.map((id) => {
    const level = Math.floor(id / n);
    const pc = id % n;
    const succ = targets(pc).map(({ to, back }) => {
      if (to < 0 || to >= n) return OFF_PROGRAM;
      const l = back ? level + 1 : level;
      return l > unroll ? PAST_BOUND : index.get(key(l, to))!;
    });
    return { insn: program[pc], succ, label: pc };
  });
  return { nodes, source: 'program', emptyResult };
}

/** jeq/jgt/jge/jset with k or X: the conditional jumps the machine knows (any other code stops it). */
const COND_JUMPS = new Set([0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d]);

/**
 * A compiler graph as a flow: each reachable block's statements, then its test or return; a goto is an
 * edge. Throws AnalysisError for a cycle (the lowerings produce none).
 */
export function cfgFlow(cfg: Cfg): Flow {
  const order = topoBlocks(cfg);
  // First node of each block: gotos chain through blocks that have no statements.
  const firstNode = new Map<BlockId, number>();
  let count = 0;
  for (const id of order) {
    const b = cfg.blocks[id];
    firstNode.set(id, count);
    count += stmtNodes(b) + (b.term.kind === 'goto' ? 0 : 1);
  }
  const entryOf = (id: BlockId): number => {
    const seen = new Set<BlockId>();
    let b = id;
    for (;;) {
      const blk = cfg.blocks[b];
      if (blk.stmts.length > 0 || blk.term.kind !== 'goto') return firstNode.get(b)!;
      if (seen.has(b)) throw new AnalysisError('CYCLE', `block ${b} is a loop of gotos`);
      seen.add(b);
      b = blk.term.target;
    }
  };
  const nodes: FlowNode[] = [];
  for (const id of order) {
    const b = cfg.blocks[id];
    b.stmts.forEach((s, i) => {
      const size = s.kind === 'walk' ? walkLength(s) : 1;
      const last = i === b.stmts.length - 1;
      const next = !last
        ? nodes.length + size
        : b.term.kind === 'goto'
          ? entryOf(b.term.target)
          : nodes.length + size;
      if (s.kind !== 'walk') {
        nodes.push({ insn: assembleOne(s, nodes.length), succ: [next], label: id });
        return;
      }
      // Protochain's walk is one statement in the graph and straight-line code with forward jumps
      // when emitted: its instructions become nodes here, and what falls out of it goes to `next`.
      const base = nodes.length;
      const to = (j: number) => (j >= size ? next : base + j);
      walkInsns(s).forEach((w, j) => {
        const raw = assembleOne(w, base + j);
        const succ =
          w.kind === 'jmp'
            ? [to(j + 1 + w.jt), to(j + 1 + w.jf)]
            : w.kind === 'ja'
              ? [to(j + 1 + w.k)]
              : [to(j + 1)];
        nodes.push({ insn: raw, succ, label: id });
      });
    });
    const t = b.term;
    if (t.kind === 'goto') continue;
    if (t.kind === 'ret')
      nodes.push({ insn: { code: 0x06, jt: 0, jf: 0, k: t.k >>> 0 }, succ: [], label: id });
    else if (t.kind === 'retA')
      nodes.push({ insn: { code: 0x16, jt: 0, jf: 0, k: 0 }, succ: [], label: id });
    else {
      const op = { jeq: 0x10, jgt: 0x20, jge: 0x30, jset: 0x40 }[t.cond];
      const code = 0x05 | op | (t.src === 'x' ? 0x08 : 0);
      nodes.push({
        insn: { code, jt: 0, jf: 0, k: t.src === 'k' ? t.k >>> 0 : 0 },
        succ: [entryOf(t.t), entryOf(t.f)],
        label: id,
      });
    }
  }
  // The entry block may itself be an empty goto.
  const start = entryOf(cfg.entry);
  if (start !== 0) throw new AnalysisError('CYCLE', 'the entry is not first in the order');
  nodes.forEach((node, i) => {
    for (const s of node.succ)
      if (s <= i) throw new AnalysisError('CYCLE', `block ${node.label} jumps backward`);
  });
  return { nodes, source: 'graph', emptyResult: 0 };
}

/** Reachable blocks in reverse postorder from the entry; blocks holding only a goto are kept too. */
function topoBlocks(cfg: Cfg): BlockId[] {
  const succ = (id: BlockId): BlockId[] => {
    const t = cfg.blocks[id].term;
    return t.kind === 'branch' ? [t.f, t.t] : t.kind === 'goto' ? [t.target] : [];
  };
  const state = new Map<BlockId, 1 | 2>();
  const post: BlockId[] = [];
  const stack: { id: BlockId; next: number }[] = [{ id: cfg.entry, next: 0 }];
  state.set(cfg.entry, 1);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const s = succ(top.id);
    if (top.next < s.length) {
      const c = s[top.next++];
      const st = state.get(c);
      if (st === 1) throw new AnalysisError('CYCLE', `the graph has a cycle through block ${c}`);
      if (st === undefined) {
        state.set(c, 1);
        stack.push({ id: c, next: 0 });
      }
    } else {
      state.set(top.id, 2);
      post.push(top.id);
      stack.pop();
    }
  }
  return post.reverse().filter((id) => {
    const b = cfg.blocks[id];
    return b.stmts.length > 0 || b.term.kind !== 'goto';
  });
}

/** Nodes a block's statements make (a protochain walk is many, as emitted). */
function stmtNodes(b: Block): number {
  let n = 0;
  for (const s of b.stmts) n += s.kind === 'walk' ? walkLength(s) : 1;
  return n;
}
