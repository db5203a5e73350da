// Measures the two layered-graph layout libraries the playground could use (issue 18) on the
// control-flow graphs of real filters: drawing quality (edge segments through a block, edge
// crossings, bends, edge length, area), layout time, and what each adds to the page (minified by
// esbuild, as scripts/build-web.mjs builds). dagre runs as the playground runs it
// (web/src/graph-layout.ts); elkjs gets the same boxes and edges with its layered algorithm and
// orthogonal routing. Each filter is measured with shared leaves drawn once and split per edge.
// Usage: npx tsx bench/graph-layout.ts   (ROUNDS=n: timing rounds, default 5)

import elkModule from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import * as esbuild from 'esbuild';
import { compile } from '../src/compiler/index.js';
import { segmentCrosses } from '../test/helpers/geometry.js';
import { type GraphLayout, layoutProgram } from '../web/src/graph-layout.js';

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Drawn {
  boxes: Box[];
  edges: { from: number; to: number; points: number[] }[];
  width: number;
  height: number;
}

const hosts = (n: number) =>
  Array.from({ length: n }, (_, i) => `host 10.0.0.${i + 1}`).join(' or ');
const CASES: [string, boolean][] = [
  ['arp and arp[6:2] = 2', true],
  ['tcp port 80 or udp port 53', true],
  ['tcp port 80 or udp port 53', false],
  ['ip6 and (tcp or udp) and not port 22', true],
  ['host 10.0.0.1 and (tcp port 22 or tcp port 443)', false],
  ['vlan and ip host 10.0.0.1', false],
  ['tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 and not src net 10.0.0.0/8', false],
  [hosts(12), true],
  [hosts(12), false],
];
const ROUNDS = Number(process.env.ROUNDS ?? 5);

const fromLayout = (l: GraphLayout): Drawn => ({
  boxes: l.nodes.map((n) => ({ x: n.x, y: n.y, w: n.width, h: n.height })),
  edges: l.edges.map((e) => ({ from: e.from, to: e.to, points: [...e.points] })),
  width: l.width,
  height: l.height,
});

// The bundle is CommonJS whose module.exports is the constructor; its types describe an ES default.
const ELK = ((elkModule as { default?: unknown }).default ?? elkModule) as new () => {
  layout(graph: ElkNode): Promise<ElkNode>;
};
const elk = new ELK();
async function runElk(l: GraphLayout): Promise<Drawn> {
  const out = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
      'elk.padding': '[top=14,left=14,bottom=14,right=14]',
    },
    children: l.nodes.map((n, i) => ({ id: String(i), width: n.width, height: n.height })),
    edges: l.edges.map((e, i) => ({
      id: `e${i}`,
      sources: [String(e.from)],
      targets: [String(e.to)],
    })),
  });
  const byId = new Map((out.children ?? []).map((n) => [n.id, n]));
  const boxes = l.nodes.map((_, i) => {
    const n = byId.get(String(i));
    return { x: n?.x ?? 0, y: n?.y ?? 0, w: n?.width ?? 0, h: n?.height ?? 0 };
  });
  const edges = (out.edges ?? []).map((e, i) => {
    const s = e.sections?.[0];
    const pts = s
      ? [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].flatMap((p) => [p.x, p.y])
      : [];
    return { from: l.edges[i].from, to: l.edges[i].to, points: pts };
  });
  return { boxes, edges, width: out.width ?? 0, height: out.height ?? 0 };
}

type Seg = [number, number, number, number];
const segs = (p: number[]): Seg[] => {
  const out: Seg[] = [];
  for (let i = 0; i + 3 < p.length; i += 2) out.push([p[i], p[i + 1], p[i + 2], p[i + 3]]);
  return out;
};

/** Does segment s pass through box b's inside (touching a border is no hit)? */
const through = (s: Seg, b: Box): boolean =>
  segmentCrosses(s, { x: b.x, y: b.y, width: b.w, height: b.h });

function cross(a: Seg, b: Seg): boolean {
  const o = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) =>
    Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
  const d1 = o(b[0], b[1], b[2], b[3], a[0], a[1]);
  const d2 = o(b[0], b[1], b[2], b[3], a[2], a[3]);
  const d3 = o(a[0], a[1], a[2], a[3], b[0], b[1]);
  const d4 = o(a[0], a[1], a[2], a[3], b[2], b[3]);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

function quality(d: Drawn) {
  let hits = 0;
  let crossings = 0;
  let length = 0;
  let bends = 0;
  const all = d.edges.map((e) => segs(e.points));
  d.edges.forEach((e, i) => {
    bends += Math.max(0, e.points.length / 2 - 2);
    for (const s of all[i]) {
      length += Math.hypot(s[2] - s[0], s[3] - s[1]);
      d.boxes.forEach((b, k) => {
        if (k !== e.from && k !== e.to && through(s, b)) hits++;
      });
    }
    for (let j = i + 1; j < d.edges.length; j++)
      for (const s of all[i]) for (const t of all[j]) if (cross(s, t)) crossings++;
  });
  return {
    hits,
    crossings,
    bends,
    length: Math.round(length),
    size: `${Math.round(d.width)}×${Math.round(d.height)}`,
  };
}

async function bundleBytes(entry: string): Promise<number> {
  const r = await esbuild.build({
    stdin: { contents: entry, resolveDir: process.cwd() },
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    platform: 'browser',
  });
  return r.outputFiles[0].contents.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(
  '| filter | insns | boxes | through a block (dagre / elk) | crossings | bends | edge length px | size px | layout ms |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [expr, optimize] of CASES)
  for (const split of [false, true]) {
    const program = compile(expr, { optimize });
    const td: number[] = [];
    const te: number[] = [];
    let dd: GraphLayout | undefined;
    let de: Drawn | undefined;
    for (let r = 0; r < ROUNDS; r++) {
      let t = performance.now();
      dd = layoutProgram(program, { splitLeaves: split });
      td.push(performance.now() - t);
      t = performance.now();
      de = await runElk(dd);
      te.push(performance.now() - t);
    }
    if (!dd || !de) throw new Error('ROUNDS must be at least 1');
    const qd = quality(fromLayout(dd));
    const qe = quality(de);
    const name = `${expr.length > 36 ? `${expr.slice(0, 33)}...` : expr}${optimize ? '' : ' -O0'}${split ? ', split' : ''}`;
    // A | in a filter would end the table cell.
    const cell = name.replace(/\|/g, '\\|');
    const pair = (k: keyof typeof qd) => `${qd[k]} / ${qe[k]}`;
    console.log(
      `| \`${cell}\` | ${program.length} | ${dd.nodes.length} | ${pair('hits')} | ${pair('crossings')} | ${pair('bends')} | ${pair('length')} | ${pair('size')} | ${median(td).toFixed(0)} / ${median(te).toFixed(0)} |`,
    );
  }
const sd = await bundleBytes("import dagre from '@dagrejs/dagre'; console.log(dagre.layout);");
const se = await bundleBytes("import ELK from 'elkjs/lib/elk.bundled.js'; console.log(new ELK());");
console.log(
  `\nminified, bundled: @dagrejs/dagre ${(sd / 1024).toFixed(0)} KiB, elkjs ${(se / 1024).toFixed(0)} KiB`,
);
