// Draws the control-flow graph as SVG: one box per block with its -d lines, green true edges, red
// false edges, grey fall-through and `ja`; accept/drop leaves coloured. highlight() marks a pc.
import type { Program } from '../../src/core/encode.js';
import { printTcpdumpDLine } from '../../src/core/text/tcpdump.js';
import { buildGraph, layoutGraph } from './cfg.js';
import { svg } from './dom.js';

const LINE = 16;
const CHAR = 7.3;
const PAD = 6;

export interface GraphView {
  readonly element: SVGSVGElement;
  readonly blocks: number;
  /** Marks the instruction at `pc` as current (-1: none) and the pcs in `visited` as executed. */
  highlight(pc: number, visited?: ReadonlySet<number>): void;
}

const label = (x: Program[number], pc: number) =>
  printTcpdumpDLine(x, pc).replace(/\s+/g, ' ').trim();

export function drawGraph(program: Program): GraphView {
  const g = buildGraph(program);
  const lines = g.blocks.map((b) => {
    const out: string[] = [];
    for (let pc = b.start; pc <= b.end; pc++) out.push(label(program[pc], pc));
    return out;
  });
  const sizes = lines.map((ls) => ({
    width: Math.max(...ls.map((l) => l.length)) * CHAR + 2 * PAD,
    height: ls.length * LINE + 2 * PAD,
  }));
  const { placed, width, height } = layoutGraph(g, sizes);
  const root = svg('svg', {
    class: 'cfg',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `control-flow graph: ${g.blocks.length} blocks`,
  });
  root.append(
    svg(
      'defs',
      {},
      ...(['true', 'false', 'always'] as const).map((k) =>
        svg(
          'marker',
          {
            id: `arrow-${k}`,
            viewBox: '0 0 8 8',
            refX: 7,
            refY: 4,
            markerWidth: 7,
            markerHeight: 7,
            orient: 'auto',
          },
          svg('path', { d: 'M0,0 L8,4 L0,8 z', class: `arrow ${k}` }),
        ),
      ),
    ),
  );
  const edgeLayer = svg('g', { class: 'edges' });
  root.append(edgeLayer);
  for (const e of g.edges) {
    const a = placed[e.from];
    const b = placed[e.to];
    const x1 = a.x + a.width * (e.kind === 'true' ? 0.3 : e.kind === 'false' ? 0.7 : 0.5);
    const y1 = a.y + a.height;
    const x2 = b.x + b.width / 2;
    const y2 = b.y;
    const d =
      e.to > e.from
        ? `M${x1},${y1} C${x1},${y1 + 30} ${x2},${y2 - 30} ${x2},${y2 - 1}`
        : `M${x1},${y1} C${x1 + 80},${y1 + 60} ${x2 + 80},${y2 - 60} ${x2},${y2 - 1}`;
    edgeLayer.append(
      svg(
        'path',
        { d, class: `edge ${e.kind}`, 'marker-end': `url(#arrow-${e.kind})` },
        svg('title', {}, e.kind),
      ),
    );
  }
  const byPc = new Map<number, SVGRectElement>();
  for (const b of g.blocks) {
    const p = placed[b.id];
    const group = svg('g', {
      class: `block${b.leaf ? ` leaf ${b.leaf.replace(' ', '-')}` : ''}`,
      'data-block': b.id,
      transform: `translate(${p.x},${p.y})`,
    });
    group.append(
      svg('rect', { class: 'box', width: p.width, height: p.height, rx: b.leaf ? 10 : 3 }),
    );
    lines[b.id].forEach((text, i) => {
      const pc = b.start + i;
      const hl = svg('rect', {
        class: 'line',
        x: 2,
        y: PAD + i * LINE,
        width: p.width - 4,
        height: LINE,
        'data-pc': pc,
      });
      byPc.set(pc, hl);
      group.append(hl, svg('text', { x: PAD, y: PAD + i * LINE + 12 }, text));
    });
    root.append(group);
  }
  let marked: Element[] = [];
  return {
    element: root,
    blocks: g.blocks.length,
    highlight(pc, visited) {
      for (const m of marked) m.classList.remove('current', 'visited');
      marked = [];
      for (const v of visited ?? []) {
        const r = byPc.get(v);
        if (r) {
          r.classList.add('visited');
          marked.push(r);
        }
      }
      const cur = byPc.get(pc);
      if (cur) {
        cur.classList.add('current');
        marked.push(cur);
        cur.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
      }
    },
  };
}
