// Draws a laid-out control-flow graph as SVG in a scrolling viewport: zoom (buttons, keys, ctrl +
// wheel), pan (drag, scroll bars), fit (shrinks, never enlarges), and the stepper's position: the
// current line, the lines and edges taken, the leaf the run ends in, kept in view by scrolling the
// viewport alone (never the page).
import type { EdgeKind } from './cfg.js';
import { scrollRegion } from './dom.js';
import { LINE, PAD } from './graph-geometry.js';
import type { GraphLayout } from './graph-layout.js';

export interface GraphView {
  show(layout: GraphLayout): void;
  /** Replaces the drawing with a note (and optional button). */
  clear(note: string, action?: { label: string; run: () => void }): void;
  /**
   * Marks the run so far: `path` is the pcs executed in order (the last is current unless `done`).
   * When `done`, the last pc is the `ret` the run ended in.
   */
  highlight(path: readonly number[], done: boolean): void;
  zoom(factor: number): void;
  fit(): void;
  actual(): void;
  readonly scale: number;
  onScale(listener: (scale: number) => void): void;
}

const MIN_SCALE = 0.05;
const MAX_SCALE = 2.5;
/** A graph is first shown fitted if fitting keeps its text at least this large; else at 100 %. */
const READABLE = 0.7;

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The route as straight runs joined by small arcs (a curve through dagre's points could clip a box). */
function routePath(p: readonly number[]): string {
  let d = `M${p[0]},${p[1]}`;
  for (let i = 2; i + 2 < p.length; i += 2) {
    const [x0, y0, x1, y1, x2, y2] = [p[i - 2], p[i - 1], p[i], p[i + 1], p[i + 2], p[i + 3]];
    const a = Math.hypot(x1 - x0, y1 - y0);
    const b = Math.hypot(x2 - x1, y2 - y1);
    const r = Math.min(10, a / 2, b / 2);
    if (r < 1) {
      d += ` L${x1},${y1}`;
      continue;
    }
    d += ` L${(x1 - ((x1 - x0) * r) / a).toFixed(1)},${(y1 - ((y1 - y0) * r) / a).toFixed(1)}`;
    d += ` Q${x1},${y1} ${(x1 + ((x2 - x1) * r) / b).toFixed(1)},${(y1 + ((y2 - y1) * r) / b).toFixed(1)}`;
  }
  return `${d} L${p[p.length - 2]},${p[p.length - 1]}`;
}

const LABEL: Record<EdgeKind, string> = { true: 'T', false: 'F', always: '' };

/** Below this scale text is too small to read: boxes are drawn without it. */
const TEXT_SCALE = 0.35;
/** How far beyond the visible area elements are drawn, in screen pixels. */
const OVERSCAN = 300;

/** What the stepper has marked, kept apart from the drawing, which is redrawn as the view moves. */
interface Marks {
  /** Per node, its lit lines: pc and class. */
  lines: Map<number, { pc: number; cls: string }[]>;
  taken: Set<number>;
  reached: number;
}

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function edgeBox(p: readonly number[]): Rect {
  const r = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  for (let i = 0; i < p.length; i += 2) {
    r.x0 = Math.min(r.x0, p[i]);
    r.x1 = Math.max(r.x1, p[i]);
    r.y0 = Math.min(r.y0, p[i + 1]);
    r.y1 = Math.max(r.y1, p[i + 1]);
  }
  return r;
}

/**
 * The part of the drawing inside `view` (graph units). Only what is in view exists in the DOM, so a
 * graph of hundreds of blocks costs the page no more than the few dozen on screen.
 */
function drawVisible(
  l: GraphLayout,
  boxes: readonly Rect[],
  view: Rect,
  marks: Marks,
  withText: boolean,
): string {
  const out: string[] = ['<g class="edges">'];
  const inView = (r: Rect) =>
    r.x1 >= view.x0 && r.x0 <= view.x1 && r.y1 >= view.y0 && r.y0 <= view.y1;
  const labels: string[] = [];
  l.edges.forEach((e, i) => {
    if (!inView(boxes[i])) return;
    const taken = marks.taken.has(i) ? ' taken' : '';
    out.push(
      `<path class="edge ${e.kind}${taken}" data-edge="${i}" d="${routePath(e.points)}" marker-end="url(#arrow-${e.kind})"/>`,
    );
    const text = LABEL[e.kind];
    if (!text || !withText) return;
    // Beside the edge's first run, on the side it turns away to, so two labels never share a spot.
    const [x0, y0, x1] = e.points;
    const x = (e.side ?? (x1 < x0 - 2 ? 'left' : 'right')) === 'left' ? x0 - 14 : x0 + 3;
    labels.push(
      `<g class="elabel ${e.kind}${taken}" data-edge="${i}" transform="translate(${x},${y0 + 3})"><rect width="11" height="13" rx="2"/><text x="2.2" y="10.5">${text}</text></g>`,
    );
  });
  out.push('</g><g class="nodes">');
  l.nodes.forEach((n, i) => {
    const b = boxes[l.edges.length + i];
    if (!inView(b)) return;
    const cls = `node${n.leaf ? ` leaf ${n.leaf.replace(' ', '-')}` : ''}${marks.reached === i ? ' reached' : ''}`;
    out.push(
      `<g class="${cls}" data-node="${i}" data-block="${n.block}" transform="translate(${n.x},${n.y})">`,
      `<rect class="box" width="${n.width}" height="${n.height}" rx="${n.leaf ? 12 : 3}"/>`,
    );
    for (const m of marks.lines.get(i) ?? [])
      out.push(
        `<rect class="hl ${m.cls}" data-pc="${m.pc}" x="2" y="${PAD + (m.pc - n.start) * LINE}" width="${n.width - 4}" height="${LINE}"/>`,
      );
    if (withText) {
      out.push('<text>');
      n.lines.forEach((t, k) => {
        const tag = n.leaf && k === n.lines.length - 1;
        out.push(
          `<tspan x="${PAD}" y="${PAD + k * LINE + 12}"${tag ? ' class="tag"' : ''}>${esc(t)}</tspan>`,
        );
      });
      out.push('</text>');
    }
    out.push('</g>');
  });
  // Labels last, so no box covers them.
  out.push('</g><g class="labels" aria-hidden="true">', ...labels, '</g>');
  return out.join('');
}

const DEFS = `<defs>${(['true', 'false', 'always'] as const)
  .map(
    (k) =>
      `<marker id="arrow-${k}" viewBox="0 0 8 8" refX="7" refY="4" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M0,0 L8,4 L0,8 z" class="arrow ${k}"/></marker>`,
  )
  .join('')}</defs>`;

export function createGraphView(viewport: HTMLElement): GraphView {
  scrollRegion(
    viewport,
    'control-flow graph: drag or scroll to pan; + and − zoom, f fits, 0 is actual size',
  );
  let layout: GraphLayout | undefined;
  let svg: SVGSVGElement | undefined;
  let content: SVGGElement | undefined;
  /** Bounding boxes: the edges', then the nodes'. */
  let boxes: Rect[] = [];
  let scale = 1;
  /** Set once the user zooms, so a recompile keeps their zoom. */
  let userScale = false;
  let pcNodes = new Map<number, number[]>();
  let edgeIndex = new Map<string, number[]>();
  let marks: Marks = { lines: new Map(), taken: new Set(), reached: -1 };
  let frame = 0;
  const listeners: ((s: number) => void)[] = [];

  const draw = () => {
    frame = 0;
    if (!layout || !content) return;
    const o = OVERSCAN / scale;
    const view = {
      x0: viewport.scrollLeft / scale - o,
      y0: viewport.scrollTop / scale - o,
      x1: (viewport.scrollLeft + viewport.clientWidth) / scale + o,
      y1: (viewport.scrollTop + viewport.clientHeight) / scale + o,
    };
    content.innerHTML = drawVisible(layout, boxes, view, marks, scale >= TEXT_SCALE);
  };
  const redraw = () => {
    if (!frame) frame = requestAnimationFrame(draw);
  };
  viewport.addEventListener('scroll', redraw, { passive: true });
  new ResizeObserver(redraw).observe(viewport);

  const setScale = (s: number, ax = viewport.clientWidth / 2, ay = viewport.clientHeight / 2) => {
    if (!layout || !svg) return;
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));
    const gx = (viewport.scrollLeft + ax) / scale;
    const gy = (viewport.scrollTop + ay) / scale;
    scale = next;
    svg.setAttribute('width', String(layout.width * scale));
    svg.setAttribute('height', String(layout.height * scale));
    viewport.scrollLeft = gx * scale - ax;
    viewport.scrollTop = gy * scale - ay;
    for (const l of listeners) l(scale);
    draw();
  };
  const fitScale = () =>
    layout
      ? Math.min(
          1,
          (viewport.clientWidth - 4) / layout.width,
          (viewport.clientHeight - 4) / layout.height,
        )
      : 1;

  /** Scrolls the viewport (only it) so the rectangle, in graph units, is in view. */
  const reveal = (x: number, y: number, w: number, h: number) => {
    const m = 24;
    const [l, t, r, b] = [x * scale, y * scale, (x + w) * scale, (y + h) * scale];
    const vw = viewport.clientWidth;
    const vh = viewport.clientHeight;
    let left = viewport.scrollLeft;
    let top = viewport.scrollTop;
    if (l < left + m || r > left + vw - m) left = (l + r) / 2 - vw / 2;
    if (t < top + m || b > top + vh - m) top = (t + b) / 2 - vh / 2;
    if (left !== viewport.scrollLeft || top !== viewport.scrollTop)
      viewport.scrollTo({ left, top });
  };

  // Pan by dragging with a mouse (touch scrolls natively).
  let drag: { x: number; y: number; left: number; top: number } | undefined;
  viewport.addEventListener('pointerdown', (e) => {
    if (e.pointerType !== 'mouse' || e.button !== 0 || !svg) return;
    drag = { x: e.clientX, y: e.clientY, left: viewport.scrollLeft, top: viewport.scrollTop };
    viewport.setPointerCapture(e.pointerId);
    viewport.classList.add('dragging');
  });
  viewport.addEventListener('pointermove', (e) => {
    if (!drag) return;
    viewport.scrollLeft = drag.left - (e.clientX - drag.x);
    viewport.scrollTop = drag.top - (e.clientY - drag.y);
  });
  const endDrag = () => {
    drag = undefined;
    viewport.classList.remove('dragging');
  };
  viewport.addEventListener('pointerup', endDrag);
  viewport.addEventListener('pointercancel', endDrag);
  viewport.addEventListener(
    'wheel',
    (e) => {
      if (!(e.ctrlKey || e.metaKey) || !svg) return;
      e.preventDefault();
      const r = viewport.getBoundingClientRect();
      userScale = true;
      setScale(scale * Math.exp(-e.deltaY / 300), e.clientX - r.left, e.clientY - r.top);
    },
    { passive: false },
  );
  viewport.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '+' || e.key === '=') view.zoom(1.25);
    else if (e.key === '-') view.zoom(0.8);
    else if (e.key === '0') view.actual();
    else if (e.key === 'f') view.fit();
    else return;
    e.preventDefault();
  });

  const view: GraphView = {
    show(l) {
      layout = l;
      boxes = [
        ...l.edges.map((e) => edgeBox(e.points)),
        ...l.nodes.map((n) => ({ x0: n.x, y0: n.y, x1: n.x + n.width, y1: n.y + n.height })),
      ];
      viewport.innerHTML = `<svg xmlns="http://www.w3.org/2000/svg" class="cfg" viewBox="0 0 ${l.width} ${l.height}" role="img" aria-label="control-flow graph: ${l.blocks} block${l.blocks === 1 ? '' : 's'}, ${l.nodes.length} boxes">${DEFS}<g class="content"></g></svg>`;
      svg = viewport.querySelector('svg') ?? undefined;
      content = svg?.querySelector<SVGGElement>('g.content') ?? undefined;
      pcNodes = new Map();
      l.nodes.forEach((n, i) => {
        for (let pc = n.start; pc <= n.end; pc++) pcNodes.set(pc, [...(pcNodes.get(pc) ?? []), i]);
      });
      edgeIndex = new Map();
      l.edges.forEach((e, i) => {
        const key = `${e.fromBlock}>${e.toBlock}`;
        edgeIndex.set(key, [...(edgeIndex.get(key) ?? []), i]);
      });
      marks = { lines: new Map(), taken: new Set(), reached: -1 };
      const f = fitScale();
      const s = userScale ? scale : f >= READABLE ? f : 1;
      scale = 1;
      viewport.scrollTop = 0;
      viewport.scrollLeft = 0;
      setScale(s, 0, 0);
      // The entry block at the top, centred.
      const entry = l.nodes[0];
      if (entry)
        viewport.scrollLeft = (entry.x + entry.width / 2) * scale - viewport.clientWidth / 2;
      draw();
    },
    clear(note, action) {
      layout = undefined;
      svg = undefined;
      content = undefined;
      const p = document.createElement('p');
      p.className = 'graph-note';
      p.textContent = note;
      if (action) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = action.label;
        b.addEventListener('click', action.run);
        p.append(' ', b);
      }
      viewport.replaceChildren(p);
    },
    highlight(path, done) {
      marks = { lines: new Map(), taken: new Set(), reached: -1 };
      if (!layout) return;
      const l = layout;
      if (path.length === 0) {
        draw();
        return;
      }
      const blockOf = (pc: number) => l.nodes[pcNodes.get(pc)?.[0] ?? -1]?.block ?? -1;
      let node = pcNodes.get(path[0])?.[0] ?? -1;
      const lit = (n: number, pc: number, cls: string) => {
        const list = marks.lines.get(n) ?? [];
        list.push({ pc, cls });
        marks.lines.set(n, list);
      };
      for (let i = 0; i < path.length; i++) {
        const pc = path[i];
        if (i > 0) {
          const from = blockOf(path[i - 1]);
          const to = blockOf(pc);
          if (from !== to) {
            // The edge taken; into a split leaf it picks the copy the run reaches.
            const candidates = edgeIndex.get(`${from}>${to}`) ?? [];
            const e = candidates.find((k) => l.edges[k].from === node) ?? candidates[0];
            if (e !== undefined) {
              marks.taken.add(e);
              node = l.edges[e].to;
            } else node = pcNodes.get(pc)?.[0] ?? -1;
          }
        }
        const last = i === path.length - 1;
        lit(node, pc, last ? (done ? 'current final' : 'current') : 'visited');
      }
      if (done) marks.reached = node;
      const box = l.nodes[node];
      const pc = path[path.length - 1];
      if (box)
        reveal(
          box.x,
          done ? box.y : box.y + PAD + (pc - box.start) * LINE,
          box.width,
          done ? box.height : LINE,
        );
      draw();
    },
    zoom(factor) {
      userScale = true;
      setScale(scale * factor);
    },
    fit() {
      userScale = true;
      setScale(fitScale());
    },
    actual() {
      userScale = true;
      setScale(1);
    },
    get scale() {
      return scale;
    },
    onScale(l) {
      listeners.push(l);
    },
  };
  return view;
}
