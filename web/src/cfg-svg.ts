// Draws the control-flow graph as SVG: one box per block with its -d lines, green true edges, red
// false edges, grey fall-through and `ja`; accept/drop leaves coloured. highlight() marks a pc.
import { type Program, printTcpdumpDLine } from '../../src/index.js';
import { buildGraph, layoutGraph } from './cfg.js';
import { svg } from './dom.js';

const LINE = 16;
const CHAR = 7.3;
const PAD = 6;

export interface GraphView {
  readonly element: SVGSVGElement;
  readonly blocks: number;
  /**
   * Marks the instruction at `pc` as current (-1: none), and the instructions and edges of `path`
   * (the pcs executed so far, in order, then the current one) as taken.
   */
  highlight(pc: number, path?: readonly number[]): void;
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
            markerUnits: 'userSpaceOnUse',
            markerWidth: 9,
            markerHeight: 9,
            orient: 'auto',
          },
          svg('path', { d: 'M0,0 L8,4 L0,8 z', class: `arrow ${k}` }),
        ),
      ),
    ),
  );
  const edgeLayer = svg('g', { class: 'edges' });
  root.append(edgeLayer);
  const edgeEls = new Map<string, SVGPathElement[]>();
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
    const path = svg(
      'path',
      { d, class: `edge ${e.kind}`, 'marker-end': `url(#arrow-${e.kind})` },
      svg('title', {}, e.kind),
    );
    edgeLayer.append(path);
    const key = `${e.from}>${e.to}`;
    edgeEls.set(key, [...(edgeEls.get(key) ?? []), path]);
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
    highlight(pc, path = []) {
      for (const m of marked) m.classList.remove('current', 'visited', 'taken');
      marked = [];
      const mark = (e: Element | undefined, cls: string) => {
        if (!e) return;
        e.classList.add(cls);
        marked.push(e);
      };
      for (let i = 0; i < path.length; i++) {
        if (path[i] !== pc) mark(byPc.get(path[i]), 'visited');
        const from = g.blockOf[path[i - 1]];
        const to = g.blockOf[path[i]];
        if (i > 0 && from !== to)
          for (const e of edgeEls.get(`${from}>${to}`) ?? []) mark(e, 'taken');
      }
      const cur = byPc.get(pc);
      mark(cur, 'current');
      cur?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    },
  };
}
