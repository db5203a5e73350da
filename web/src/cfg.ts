// The program's control-flow graph as basic blocks, laid out in layers for drawing. cBPF on Linux
// jumps forward only, so block order is a topological order and the longest path from the entry
// gives each block its layer; within a layer blocks sit near their predecessors (one barycenter pass).
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

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface Placed {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly layer: number;
}

export interface LayoutOptions {
  gapX?: number;
  gapY?: number;
  margin?: number;
}

/** Positions (top-left corners) for blocks of the given sizes; also the whole drawing's size. */
export function layoutGraph(
  g: Graph,
  sizes: readonly Size[],
  options: LayoutOptions = {},
): { placed: Placed[]; width: number; height: number } {
  const gapX = options.gapX ?? 28;
  const gapY = options.gapY ?? 44;
  const margin = options.margin ?? 12;
  const preds: number[][] = g.blocks.map(() => []);
  for (const e of g.edges) if (e.from < e.to) preds[e.to].push(e.from);
  const layer = new Int32Array(g.blocks.length);
  for (const b of g.blocks)
    for (const p of preds[b.id]) layer[b.id] = Math.max(layer[b.id], layer[p] + 1);
  const layers: number[][] = [];
  for (const b of g.blocks) {
    layers[layer[b.id]] ??= [];
    layers[layer[b.id]].push(b.id);
  }

  const cx = new Float64Array(g.blocks.length);
  const x = new Float64Array(g.blocks.length);
  const y = new Float64Array(g.blocks.length);
  let top = margin;
  for (const row of layers) {
    if (!row) continue;
    const want = (id: number) =>
      preds[id].length ? preds[id].reduce((s, p) => s + cx[p], 0) / preds[id].length : 0;
    const ordered = [...row].sort((a, b) => want(a) - want(b) || a - b);
    let right = Number.NEGATIVE_INFINITY;
    let rowHeight = 0;
    for (const id of ordered) {
      const w = sizes[id].width;
      x[id] = Math.max(want(id) - w / 2, right + gapX);
      right = x[id] + w;
      cx[id] = x[id] + w / 2;
      y[id] = top;
      rowHeight = Math.max(rowHeight, sizes[id].height);
    }
    top += rowHeight + gapY;
  }
  let minX = Number.POSITIVE_INFINITY;
  let maxX = 0;
  for (const b of g.blocks) minX = Math.min(minX, x[b.id]);
  const shift = g.blocks.length ? margin - minX : 0;
  const placed = g.blocks.map((b) => {
    maxX = Math.max(maxX, x[b.id] + shift + sizes[b.id].width);
    return {
      x: x[b.id] + shift,
      y: y[b.id],
      width: sizes[b.id].width,
      height: sizes[b.id].height,
      layer: layer[b.id],
    };
  });
  return { placed, width: maxX + margin, height: Math.max(top - gapY + margin, 2 * margin) };
}
