// The JIT: classic BPF to JavaScript through `new Function`. Everything it emits comes from a
// prepared program (prepare.ts): a private copy whose fields were validated as integers, so only
// numbers reach the generated source, whatever object the caller passed.

import { analyze } from '../analysis/index.js';
import { type AncillaryData, ancillaryValue, relativeLoad } from '../ancillary.js';
import type { Program } from '../encode.js';
import {
  type Accepted,
  type CompiledFilter,
  checkSpan,
  constantFilter,
  emptyProgramResult,
} from '../filter.js';
import { type PreparedProgram, type PrepareOptions, prepare } from '../prepare.js';
import { type Body, type EmitInput, emitBody, lit } from './emit.js';

export type { CompiledFilter } from '../filter.js';

/**
 * The options prepare() takes; the JIT reads `ancillary` once, at compile time (its values become
 * constants in the generated code).
 */
export type JitOptions = PrepareOptions;

type FilterFn = (p: Uint8Array, b: number, len: number, wl: number) => number;
type CountFn = (
  p: Uint8Array,
  offs: ArrayLike<number>,
  lens: ArrayLike<number>,
  wls: ArrayLike<number>,
  n: number,
  out?: Accepted,
) => number;

/** What generated code may call: the rare loads that depend on run-time data beyond the packet. */
interface Runtime {
  /** Linux header-relative load of u32 offset `u` (ancillary.ts relativeLoad): the value, or -1 when it fails. */
  rel(u: number, size: number, p: Uint8Array, b: number, len: number): number;
  /** SKF_AD_NLATTR / SKF_AD_NLATTR_NEST on the packet's bytes. */
  ad(k: number, A: number, X: number, p: Uint8Array, b: number, len: number): number;
}

function runtime(anc: Readonly<AncillaryData>): Runtime {
  return {
    rel: (u, size, p, b, len) => relativeLoad(u, size, p, b, len, anc),
    ad: (k, A, X, p, b, len) => ancillaryValue(k, A, X, anc, p.subarray(b, b + len)),
  };
}

/** The module source: `filter` (one packet) and `count` (the batch loop around the same body). */
function moduleSource(
  scratch: readonly number[],
  one: Body,
  many: Body,
): { filter: string; count: string } {
  const regs = ['let A = 0, X = 0;', ...scratch.map((m) => `let M${lit(m)} = 0;`)];
  const indent = (lines: readonly string[], n: number) => lines.map((l) => `${' '.repeat(n)}${l}`);
  const filter = [
    'function filter(p, b, len, wl) {',
    ...indent(regs, 2),
    ...indent(one.lines, 2),
    '}',
  ].join('\n');
  const count = [
    'function count(p, offs, lens, wls, n, out) {',
    ...(many.dataView ? ['  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);'] : []),
    '  const plen = p.length;',
    '  let c = 0;',
    '  pkt: for (let i = 0; i < n; i++) {',
    '    const b = offs[i], len = lens[i];',
    ...(many.wirelen ? ['    const wl = wls[i] >>> 0;'] : []),
    "    if (b < 0 || len < 0 || b + len > plen) throw new RangeError('count: packet ' + i + ' lies outside the buffer');",
    ...indent(regs, 4),
    ...indent(many.lines, 4),
    '  }',
    '  return c;',
    '}',
  ].join('\n');
  return { filter, count };
}

/**
 * Compiles a program to a JavaScript function with the interpreter's exact semantics for the
 * profile. A plain program is prepared first (throws the first ValidationError).
 * @example
 * const f = jit(program, { profile: 'libpcap' });
 * f(frame); f.at(fileBytes, 40, 60, 60); f.count(fileBytes, offsets, lengths, wirelens, n);
 */
export function jit(program: Program | PreparedProgram, options?: JitOptions): CompiledFilter {
  const prepared = prepare(program, options);
  const { program: prog, facts, ancillary: anc } = prepared;
  if (prog.length === 0) return constant(emptyProgramResult(facts.emptyAcceptsAll));
  const analysis = analyze(prog, facts, anc);
  const input: EmitInput = {
    ...analysis,
    program: prog,
    facts,
    anc,
    backwardJumpLimit: prepared.backwardJumpLimit,
  };
  const src = moduleSource(analysis.scratch, emitBody(input, 'value'), emitBody(input, 'count'));
  const made = new Function(
    'rt',
    `'use strict';\n${src.filter}\n${src.count}\nreturn { filter, count };`,
  )(runtime(anc)) as {
    filter: FilterFn;
    count: CountFn;
  };
  const filter = made.filter;
  const f = (packet: Uint8Array, wirelen?: number): number =>
    filter(packet, 0, packet.length, (wirelen ?? packet.length) >>> 0);
  const at = (buf: Uint8Array, offset: number, buflen: number, wirelen: number): number => {
    checkSpan(buf, offset, buflen);
    return filter(buf, offset, buflen, wirelen >>> 0);
  };
  return Object.assign(f, { at, count: made.count, source: src.filter, batchSource: src.count });
}

function constant(r: number): CompiledFilter {
  const source = `function filter(p, b, len, wl) {\n  return ${lit(r)};\n}`;
  return Object.assign(constantFilter(r), { source, batchSource: '' });
}

let available: boolean | undefined;
/** Whether `new Function` works here (false under a CSP without 'unsafe-eval'). */
export function isJitAvailable(): boolean {
  if (available === undefined) {
    try {
      available = new Function('return 1')() === 1;
    } catch {
      available = false;
    }
  }
  return available;
}
