// What the worker does with the editor's text: the program (for an expression, both the optimized
// and the unoptimized one), its tcpdump -d lines and the graph's layout. Compiling a long list of
// hosts takes seconds, so none of this runs on the page's thread.

import { type ProfileName, printTcpdumpDLine } from '../../src/index.js';
import { type GraphLayout, layoutProgram } from './graph-layout.js';
import { buildProgram, type SourceMode, type SourceResult } from './source.js';

export interface BuildParams {
  text: string;
  mode: SourceMode;
  linktype: string;
  optimize: boolean;
  profile: ProfileName;
}

/** A built program with its listing, or why there is none. */
export type Built = SourceResult & { lines?: string[] };

/** Programs longer than this are not laid out unless asked: the drawing would be too big to read. */
export const GRAPH_LIMIT = 600;

export type GraphOutcome =
  | { drawn: true; layout: GraphLayout }
  | { drawn: false; reason: 'none' | 'too-large'; instructions: number };

const cache = new Map<string, Built>();
const CACHE_SIZE = 16;

/** Builds one variant, remembering the last few, so toggling the optimizer recompiles nothing. */
export function buildVariant(p: BuildParams, optimize: boolean): Built {
  const key = JSON.stringify([p.text, p.mode, p.linktype, p.profile, optimize]);
  const hit = cache.get(key);
  if (hit) return hit;
  const r: Built = buildProgram(p.text, { ...p, optimize });
  if (r.ok) r.lines = compactListing(r.program.map((x, pc) => printTcpdumpDLine(x, pc)));
  cache.set(key, r);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return r;
}

export function graphFor(r: Built, force = false): GraphOutcome {
  if (!r.ok) return { drawn: false, reason: 'none', instructions: 0 };
  if (r.program.length > GRAPH_LIMIT && !force)
    return { drawn: false, reason: 'too-large', instructions: r.program.length };
  return { drawn: true, layout: layoutProgram(r.program) };
}

/**
 * tcpdump -d lines with its wide fixed columns narrowed to what the program needs, so two listings
 * fit side by side: `(001) jeq      #0x800           jt 2\tjf 10` → `(001) jeq  #0x800  jt 2  jf 10`.
 */
export function compactListing(lines: readonly string[]): string[] {
  const parts = lines.map((l) => {
    const m = /^(\(\d+\)) (\S+) *(.*?)(?: +(jt \d+)\t(jf \d+))?$/.exec(l);
    return m ? [m[1], m[2], m[3], m[4] ?? '', m[5] ?? ''] : [l, '', '', '', ''];
  });
  const width = (i: number) => Math.max(0, ...parts.map((p) => (p[3] || i < 2 ? p[i].length : 0)));
  const opW = Math.max(0, ...parts.map((p) => p[1].length));
  const argW = width(2);
  return parts.map((p) => {
    const [idx, op, arg, jt, jf] = p;
    if (!op) return idx;
    if (!jt) return `${idx} ${op.padEnd(opW)}  ${arg}`.trimEnd();
    return `${idx} ${op.padEnd(opW)}  ${arg.padEnd(argW)}  ${jt.padEnd(6)} ${jf}`;
  });
}
