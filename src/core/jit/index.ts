// The JIT: classic BPF to JavaScript through `new Function`, with the interpreter as fallback.
import type { AncillaryData } from '../ancillary.js';
import type { Program } from '../encode.js';
import { PROFILES, type ProfileName } from '../profiles.js';
import { assertValid } from '../validate.js';
import { run } from '../vm.js';
import { emitBody } from './emit.js';

export interface JitOptions {
  profile?: ProfileName;
  ancillary?: Partial<AncillaryData>;
  backwardJumpLimit?: number;
}

export interface CompiledFilter {
  (packet: Uint8Array, wirelen?: number): number;
  /** Runs on `buflen` bytes of `buf` from `offset` (a view is made only when the interpreter is needed). */
  at(buf: Uint8Array, offset: number, buflen: number, wirelen: number): number;
  /** Generated JavaScript. */
  readonly source: string;
}

/** Compiles a program (validated first; throws ValidationError) to a JavaScript function. */
export function jit(program: Program, options?: JitOptions): CompiledFilter {
  const profile = options?.profile ?? 'linux';
  if (!Object.hasOwn(PROFILES, profile)) throw new RangeError(`unknown profile ${String(profile)}`);
  assertValid(program, profile);
  const facts = PROFILES[profile];
  const interp = (p: Uint8Array, wl: number): number =>
    run(program, p, { profile, wirelen: wl, ancillary: options?.ancillary, backwardJumpLimit: options?.backwardJumpLimit });
  if (program.length === 0) {
    const r = facts.emptyAcceptsAll ? 0xffffffff : 0;
    return Object.assign((_p: Uint8Array, _w?: number) => r, { at: () => r, source: `return ${r};` });
  }
  const body = emitBody(program, facts);
  // The body reads p[0..len) relative to base `b` only through the at() wrapper's view-free path:
  // at() passes a subarray-free closure by offsetting in the generated function.
  const source = `return function filter(p, len, wl, slow) {\n${body}\n};`;
  const filter = new Function(source)() as (p: Uint8Array, len: number, wl: number, slow: () => number) => number;
  const f = (packet: Uint8Array, wirelen?: number): number => {
    const wl = (wirelen ?? packet.length) >>> 0;
    return filter(packet, packet.length, wl, () => interp(packet, wl));
  };
  const at = (buf: Uint8Array, offset: number, buflen: number, wirelen: number): number => {
    const p = offset === 0 && buflen === buf.length ? buf : buf.subarray(offset, offset + buflen);
    return filter(p, buflen, wirelen >>> 0, () => interp(p, wirelen >>> 0));
  };
  return Object.assign(f, { at, source });
}

/** The ABI run.ts expects. */
export function compile(program: Program, options: { profile: ProfileName }) {
  return jit(program, options);
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

/** The JIT where code generation is allowed, else the interpreter with the same calling forms. */
export function compileFilter(program: Program, options?: JitOptions): CompiledFilter {
  if (isJitAvailable()) return jit(program, options);
  const profile = options?.profile ?? 'linux';
  assertValid(program, profile);
  const o = { profile, ancillary: options?.ancillary, backwardJumpLimit: options?.backwardJumpLimit };
  const f = (p: Uint8Array, wl?: number) => run(program, p, { ...o, wirelen: wl ?? p.length });
  const at = (b: Uint8Array, off: number, n: number, wl: number) => run(program, b.subarray(off, off + n), { ...o, wirelen: wl });
  return Object.assign(f, { at, source: '' });
}
