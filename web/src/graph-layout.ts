// Places the control-flow graph with dagre (a layered, Sugiyama-style layout: ranks by network
// simplex, crossing reduction, Brandes–Köpf coordinates), so long edges run between blocks through
// the gaps dagre reserves for them. Runs in the worker: the result is plain data the page draws.
// Why dagre and not elkjs: bench/graph-layout.ts (results in bench/GRAPH-LAYOUT.md).
import dagre from '@dagrejs/dagre';
import type { Program } from '../../src/index.js';
import { buildGraph, type EdgeKind, splitLeaves } from './cfg.js';
import { blockLines, blockSize } from './graph-geometry.js';

export interface LaidNode {
  readonly block: number;
  /** Top-left corner and size. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** First and last instruction. */
  readonly start: number;
  readonly end: number;
  readonly leaf?: 'accept' | 'drop' | 'ret A';
  readonly lines: readonly string[];
}

export interface LaidEdge {
  /** Drawn nodes at either end. */
  readonly from: number;
  readonly to: number;
  readonly kind: EdgeKind;
  /** Blocks at either end (an edge into a split leaf goes to one copy of the block). */
  readonly fromBlock: number;
  readonly toBlock: number;
  /** The route: x0, y0, x1, y1, … from the source's bottom to the target's top. */
  readonly points: readonly number[];
  /** For one of a jump's two edges: which of the two it is, left or right (its label goes there). */
  readonly side?: 'left' | 'right';
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly blocks: number;
  readonly nodes: readonly LaidNode[];
  readonly edges: readonly LaidEdge[];
}

/** Gaps between boxes in a rank, between ranks, and around the drawing. */
const NODE_SEP = 28;
const RANK_SEP = 40;
const MARGIN = 14;

export interface LayoutOptions {
  /** Draw a shared `ret` once per edge into it (default true; false only to measure the difference). */
  splitLeaves?: boolean;
}

export function layoutProgram(program: Program, options: LayoutOptions = {}): GraphLayout {
  const g = buildGraph(program);
  const d =
    options.splitLeaves === false
      ? {
          nodes: g.blocks.map((b) => ({ block: b.id })),
          edges: g.edges.map((e, i) => ({ ...e, edge: i })),
        }
      : splitLeaves(g);
  const dg = new dagre.graphlib.Graph({ multigraph: true });
  // align 'UL': the balanced default spreads the unoptimized 12-host list over 8,000 px; UL keeps
  // it 579 px wide with no more crossings (bench/GRAPH-LAYOUT.md).
  dg.setGraph({
    rankdir: 'TB',
    nodesep: NODE_SEP,
    ranksep: RANK_SEP,
    edgesep: 12,
    marginx: MARGIN,
    marginy: MARGIN,
    align: 'UL',
  });
  dg.setDefaultEdgeLabel(() => ({}));
  const lines = d.nodes.map((n) => blockLines(program, g.blocks[n.block]));
  d.nodes.forEach((_, i) => {
    dg.setNode(String(i), blockSize(lines[i]));
  });
  d.edges.forEach((e, i) => {
    // The true edge weighs more, so dagre keeps the taken-when-true path straighter.
    dg.setEdge(String(e.from), String(e.to), { weight: e.kind === 'false' ? 1 : 2 }, String(i));
  });
  dagre.layout(dg);
  const nodes: LaidNode[] = d.nodes.map((n, i) => {
    const v = dg.node(String(i));
    const b = g.blocks[n.block];
    return {
      block: n.block,
      x: v.x - v.width / 2,
      y: v.y - v.height / 2,
      width: v.width,
      height: v.height,
      start: b.start,
      end: b.end,
      leaf: b.leaf,
      lines: lines[i],
    };
  });
  const edges: LaidEdge[] = d.edges.map((e, i) => {
    const pts: { x: number; y: number }[] =
      dg.edge(String(e.from), String(e.to), String(i)).points ?? [];
    return {
      from: e.from,
      to: e.to,
      kind: e.kind,
      fromBlock: d.nodes[e.from].block,
      toBlock: d.nodes[e.to].block,
      points: anchor(
        pts.flatMap((p) => [p.x, p.y]),
        nodes[e.from],
        nodes[e.to],
      ),
    };
  });
  spreadExits(edges, nodes);
  const gl = dg.graph();
  return { width: gl.width ?? 0, height: gl.height ?? 0, blocks: g.blocks.length, nodes, edges };
}

/**
 * dagre ends an edge where the line to the box's centre crosses its border, often on a side. A
 * downward edge reads better leaving the bottom and entering the top, so its ends move there (kept
 * inside the box's width, near where dagre had them).
 */
function anchor(points: number[], a: LaidNode, b: LaidNode): number[] {
  // Between neighbouring ranks dagre's middle point only marks where a label would go: the edge
  // runs straight, through the gap between the ranks.
  const p = points.length === 6 ? [points[0], points[1], points[4], points[5]] : points;
  const n = p.length;
  if (n < 4) return p;
  const inset = (x: number, box: LaidNode) =>
    Math.min(box.x + box.width - 10, Math.max(box.x + 10, x));
  const out = [...p];
  const aBottom = a.y + a.height;
  if (n >= 6 ? p[3] > aBottom : p[n - 1] > aBottom) {
    out[0] = inset(n >= 6 ? p[2] : p[0], a);
    out[1] = aBottom;
  }
  if (n >= 6 ? p[n - 3] < b.y : p[1] < b.y) {
    out[n - 2] = inset(n >= 6 ? p[n - 4] : p[n - 2], b);
    out[n - 1] = b.y;
  }
  return out;
}

/**
 * A jump's two edges leave its box apart, the one heading left from the left of centre, so their
 * T and F labels (drawn beside each edge's start) never meet. Edge objects are rebuilt, not edited.
 */
function spreadExits(edges: LaidEdge[], nodes: readonly LaidNode[]): void {
  const out = new Map<number, number[]>();
  edges.forEach((e, i) => {
    out.set(e.from, [...(out.get(e.from) ?? []), i]);
  });
  for (const [from, list] of out) {
    if (list.length !== 2) continue;
    const a = nodes[from];
    // Where each edge heads: its second point (or its end).
    const heading = (i: number) =>
      edges[i].points[edges[i].points.length > 4 ? 2 : edges[i].points.length - 2];
    const [left, right] = [...list].sort(
      (i, j) => heading(i) - heading(j) || (edges[i].kind === 'true' ? -1 : 1),
    );
    const cx = a.x + a.width / 2;
    const d = Math.min(a.width / 4, 24);
    for (const [i, x] of [
      [left, cx - d],
      [right, cx + d],
    ] as const) {
      const p = [...edges[i].points];
      if (p[1] !== a.y + a.height) continue;
      p[0] = x;
      edges[i] = { ...edges[i], points: p, side: i === left ? 'left' : 'right' };
    }
  }
}
