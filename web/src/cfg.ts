// The program's control-flow graph as basic blocks and edges, and the graph as drawn (leaves that
// many blocks return through are drawn once per edge). graph-layout.ts places it.
import type { Program } from '../../src/index.js';

export type EdgeKind = 'true' | 'false' | 'always';

export interface Block {
  readonly id: number;
  /** First and last instruction (inclusive). */
  readonly start: number;
  readonly end: number;
  /** Set when the block ends in `ret`: #0 drops, any other constant accepts, `ret a` depends on A. */
  readonly leaf?: 'accept' | 'drop' | 'ret A';
}

export interface Edge {
  readonly from: number;
  readonly to: number;
  readonly kind: EdgeKind;
}

export interface Graph {
  readonly blocks: readonly Block[];
  readonly edges: readonly Edge[];
  /** Block id of each instruction. */
  readonly blockOf: Int32Array;
}

const isJump = (code: number) => (code & 7) === 5;
const isRet = (code: number) => (code & 7) === 6;

/** Instruction targets of the jump at `pc` (those inside the program), with their kinds. */
function targets(program: Program, pc: number): { pc: number; kind: EdgeKind }[] {
  const { code, jt, jf, k } = program[pc];
  const out =
    code === 0x05
      ? [{ pc: pc + 1 + (k | 0), kind: 'always' as const }]
      : [
          { pc: pc + 1 + jt, kind: 'true' as const },
          { pc: pc + 1 + jf, kind: 'false' as const },
        ];
  return out.filter((t) => t.pc >= 0 && t.pc < program.length);
}

export function buildGraph(program: Program): Graph {
  const n = program.length;
  const leader = new Uint8Array(n + 1);
  if (n > 0) leader[0] = 1;
  for (let pc = 0; pc < n; pc++) {
    const code = program[pc].code;
    if (isJump(code)) for (const t of targets(program, pc)) leader[t.pc] = 1;
    if (isJump(code) || isRet(code)) leader[pc + 1] = 1;
  }
  const blocks: Block[] = [];
  const blockOf = new Int32Array(n);
  for (let pc = 0; pc < n; ) {
    let end = pc;
    while (end + 1 < n && !leader[end + 1]) end++;
    const last = program[end];
    const leaf = !isRet(last.code)
      ? undefined
      : last.code === 0x16
        ? ('ret A' as const)
        : last.k === 0
          ? ('drop' as const)
          : ('accept' as const);
    const id = blocks.length;
    blocks.push({ id, start: pc, end, leaf });
    blockOf.fill(id, pc, end + 1);
    pc = end + 1;
  }
  const edges: Edge[] = [];
  for (const b of blocks) {
    const code = program[b.end].code;
    if (isRet(code)) continue;
    if (isJump(code)) {
      for (const t of targets(program, b.end))
        edges.push({ from: b.id, to: blockOf[t.pc], kind: t.kind });
    } else if (b.end + 1 < n) edges.push({ from: b.id, to: b.id + 1, kind: 'always' });
  }
  return { blocks, edges, blockOf };
}

/** One box of the drawing: a block, or one of the copies of a split leaf. */
export interface DrawNode {
  readonly block: number;
}

/** An edge of the drawing between two of its nodes, and the CFG edge it draws. */
export interface DrawEdge {
  readonly from: number;
  readonly to: number;
  readonly kind: EdgeKind;
  readonly edge: number;
}

export interface Drawing {
  readonly nodes: readonly DrawNode[];
  readonly edges: readonly DrawEdge[];
  /** Node of each block (for a split leaf, its first copy). */
  readonly nodeOf: Int32Array;
}

/**
 * The graph as it is drawn: a leaf that is a lone `ret` reached from several blocks is drawn once
 * beside each of them. A compiled filter sends most of its exits to one `ret #0` and one accept, and
 * drawn once, those two pull long edges across the whole graph (the unoptimized 12-host list: 154
 * blocks, most edges ending at the same two leaves). A copy keeps its instruction's pc, so it still
 * reads as the same instruction.
 */
export function splitLeaves(g: Graph): Drawing {
  const preds = new Int32Array(g.blocks.length);
  for (const e of g.edges) preds[e.to]++;
  const split = (b: Block) => b.leaf !== undefined && b.start === b.end && preds[b.id] > 1;
  const nodes: DrawNode[] = [];
  const nodeOf = new Int32Array(g.blocks.length).fill(-1);
  for (const b of g.blocks) {
    if (split(b)) continue;
    nodeOf[b.id] = nodes.length;
    nodes.push({ block: b.id });
  }
  const edges = g.edges.map((e, i) => {
    let to = nodeOf[e.to];
    if (split(g.blocks[e.to])) {
      to = nodes.length;
      nodes.push({ block: e.to });
      if (nodeOf[e.to] < 0) nodeOf[e.to] = to;
    }
    return { from: nodeOf[e.from], to, kind: e.kind, edge: i };
  });
  return { nodes, edges, nodeOf };
}
