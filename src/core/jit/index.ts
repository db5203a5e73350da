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

const registers = (scratch: readonly number[]) => [
  'let A = 0, X = 0;',
  ...scratch.map((m) => `let M${lit(m)} = 0;`),
];
const indent = (lines: readonly string[], n: number) => lines.map((l) => `${' '.repeat(n)}${l}`);

/** The source of `filter`: one packet. */
function filterSource(scratch: readonly number[], one: Body): string {
  return [
    'function filter(p, b, len, wl) {',
    ...indent(registers(scratch), 2),
    ...indent(one.lines, 2),
    '}',
  ].join('\n');
}

/** The source of `count`: the batch loop around the same body. */
function countSource(scratch: readonly number[], many: Body): string {
  const regs = registers(scratch);
  return [
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
}

/** The function `name` the source declares, made with the runtime in scope. */
function made(rt: Runtime, source: string, name: 'filter' | 'count'): unknown {
  return new Function('rt', `'use strict';\n${source}\nreturn ${name};`)(rt);
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
  const rt = runtime(anc);
  const batchSource = countSource(analysis.scratch, emitBody(input, 'count'));
  const count = made(rt, batchSource, 'count') as CountFn;
  // The one-packet function is made at its first use: `cbpf -r` filters batches only, and making it
  // was a fifth of the JIT's time in a run's still-cold code.
  let filter: FilterFn | undefined;
  let source = '';
  const one = (): FilterFn => {
    if (filter === undefined) {
      source = filterSource(analysis.scratch, emitBody(input, 'value'));
      filter = made(rt, source, 'filter') as FilterFn;
    }
    return filter;
  };
  const f = (packet: Uint8Array, wirelen?: number): number =>
    one()(packet, 0, packet.length, (wirelen ?? packet.length) >>> 0);
  const at = (buf: Uint8Array, offset: number, buflen: number, wirelen: number): number => {
    checkSpan(buf, offset, buflen);
    return one()(buf, offset, buflen, wirelen >>> 0);
  };
  return Object.defineProperty(Object.assign(f, { at, count, batchSource }), 'source', {
    get: () => {
      one();
      return source;
    },
    enumerable: true,
  }) as CompiledFilter;
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
