// The JIT: classic BPF to JavaScript through `new Function`, with the interpreter as the fallback.
import { type AncillaryData, ancillaryValue, headerRelative, withDefaults } from '../ancillary.js';
import type { Program } from '../encode.js';
import {
  type Accepted,
  checkSpan,
  constantFilter,
  type InterpretedFilter,
  type InterpreterOptions,
  interpreter,
} from '../fast-vm.js';
import type { RawInsn } from '../insn.js';
import { PROFILES } from '../profiles.js';
import { assertValid } from '../validate.js';
import { DEFAULT_BACKWARD_JUMP_LIMIT } from '../vm.js';
import { buildCfg } from './cfg.js';
import { type Body, type EmitInput, emitBody } from './emit.js';
import { isConstLoad, planGuards, resolveConstLoad, type StaticLoad } from './guards.js';

/**
 * The interpreter's options; the JIT reads `ancillary` once, at compile time (its values become
 * constants in the generated code).
 */
export type JitOptions = InterpreterOptions;

/** A compiled filter: the interpreter's calling forms (no view or copy per call), plus its source. */
export interface CompiledFilter extends InterpretedFilter {
  /** The generated one-packet function, for reading (`cbpf jit --print`). */
  readonly source: string;
  /** The generated batch function behind count(). */
  readonly batchSource: string;
}

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
  /** Linux header-relative load of u32 offset `u` (vm.ts rdRel): the value, or -1 when it fails. */
  rel(u: number, size: number, p: Uint8Array, b: number, len: number): number;
  /** SKF_AD_NLATTR / SKF_AD_NLATTR_NEST on the packet's bytes. */
  ad(k: number, A: number, X: number, p: Uint8Array, b: number, len: number): number;
}

function runtime(anc: Readonly<AncillaryData>): Runtime {
  return {
    rel(u, size, p, b, len) {
      const o = headerRelative(u, anc);
      if (o === undefined) return -1;
      const h = anc.headroom;
      if (o + size > len || (o < 0 && (h === undefined || o < -h.length))) return -1;
      let v = 0;
      for (let i = o; i < o + size; i++)
        v = v * 256 + (i < 0 ? (h as Uint8Array)[h!.length + i] : p[b + i]);
      return v;
    },
    ad: (k, A, X, p, b, len) => ancillaryValue(k, A, X, anc, p.subarray(b, b + len)),
  };
}

/** Copies the fields once, so what is validated is exactly what is compiled (no getters re-read). */
function snapshot(program: Program): Program {
  if (!Array.isArray(program)) return program;
  return program.map((x: unknown) => {
    if (typeof x !== 'object' || x === null) return x as RawInsn;
    const { code, jt, jf, k } = x as RawInsn;
    return { code, jt, jf, k };
  });
}

function checkAncillary(anc: Readonly<AncillaryData>): void {
  for (const key of ['netOffset', 'llOffset'] as const) {
    const v = anc[key];
    if (v !== undefined && !Number.isSafeInteger(v))
      throw new RangeError(`ancillary.${key}: expected an integer or undefined, got ${String(v)}`);
  }
  if (anc.headroom !== undefined && !(anc.headroom instanceof Uint8Array))
    throw new TypeError('ancillary.headroom: expected a Uint8Array or undefined');
}

const scratchWords = (program: Program): number[] => {
  const used = new Set<number>();
  for (const { code, k } of program) {
    const cls = code & 7;
    if (cls === 2 || cls === 3 || ((cls === 0 || cls === 1) && (code & 0xe0) === 0x60)) used.add(k);
  }
  return [...used].sort((a, b) => a - b);
};

/** The module source: `filter` (one packet) and `count` (the batch loop around the same body). */
function moduleSource(program: Program, one: Body, many: Body): { filter: string; count: string } {
  const regs = ['let A = 0, X = 0;', ...scratchWords(program).map((m) => `let M${m} = 0;`)];
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
 * profile. Validates first and throws the first ValidationError.
 * @example
 * const f = jit(program, { profile: 'libpcap' });
 * f(frame); f.at(fileBytes, 40, 60, 60); f.count(fileBytes, offsets, lengths, wirelens, n);
 */
export function jit(program: Program, options?: JitOptions): CompiledFilter {
  const profile = options?.profile ?? 'linux';
  if (!Object.hasOwn(PROFILES, profile)) throw new RangeError(`unknown profile ${String(profile)}`);
  const prog = snapshot(program);
  assertValid(prog, profile);
  const facts = PROFILES[profile];
  const anc = withDefaults(options?.ancillary);
  checkAncillary(anc);
  const limit = options?.backwardJumpLimit ?? DEFAULT_BACKWARD_JUMP_LIMIT;
  if (!(limit >= 0) || !(Number.isSafeInteger(limit) || limit === Infinity))
    throw new RangeError(
      `backwardJumpLimit: expected a non-negative integer, got ${String(limit)}`,
    );
  if (prog.length === 0) return constant(facts.emptyAcceptsAll ? 0xffffffff : 0);

  const loads: (StaticLoad | undefined)[] = prog.map(({ code, k }) =>
    isConstLoad(code) ? resolveConstLoad(code, k, facts, anc) : undefined,
  );
  const cfg = buildCfg(prog, facts);
  const input: EmitInput = {
    program: prog,
    facts,
    anc,
    backwardJumpLimit: limit,
    cfg,
    plan: planGuards(prog, cfg, loads),
    loads,
  };
  const src = moduleSource(prog, emitBody(input, 'value'), emitBody(input, 'count'));
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
  const source = `function filter(p, b, len, wl) {\n  return ${r};\n}`;
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

/** The JIT where code generation is allowed, else the interpreter behind the same calling forms. */
export function compileFilter(program: Program, options?: JitOptions): CompiledFilter {
  if (isJitAvailable()) {
    try {
      return jit(program, options);
    } catch (err) {
      // A CSP can also forbid eval after the probe (e.g. a policy applied later): fall back then too.
      if (!(err instanceof EvalError)) throw err;
    }
  }
  return interpreted(program, options);
}

/** The interpreter with the CompiledFilter calling forms (the CSP fallback): fast-vm's, pre-decoded once. */
export function interpreted(program: Program, options?: JitOptions): CompiledFilter {
  const f = interpreter(snapshot(program), options);
  return Object.assign((p: Uint8Array, wl?: number) => f(p, wl), {
    at: f.at,
    count: f.count,
    source: '',
    batchSource: '',
  });
}
