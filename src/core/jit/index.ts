// The JIT: classic BPF to JavaScript through `new Function`, with the interpreter as fallback.
import type { AncillaryData } from '../ancillary.js';
import type { Program } from '../encode.js';
import { PROFILES, type ProfileName } from '../profiles.js';
import { assertValid } from '../validate.js';
import { run } from '../vm.js';
import { emitBody } from './emit.js';

type Slow = (p: Uint8Array, b: number, len: number, wl: number) => number;

export interface JitOptions {
  profile?: ProfileName;
  ancillary?: Partial<AncillaryData>;
  backwardJumpLimit?: number;
}

export interface CompiledFilter {
  (packet: Uint8Array, wirelen?: number): number;
  /** Runs on `buflen` bytes of `buf` from `offset` (a view is made only when the interpreter is needed). */
  at(buf: Uint8Array, offset: number, buflen: number, wirelen: number): number;
  /** How many of `n` packets (buf[offsets[i] .. + lengths[i]]) the filter accepts. */
  count(buf: Uint8Array, offsets: ArrayLike<number>, lengths: ArrayLike<number>, wirelens: ArrayLike<number>, n: number): number;
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
    return Object.assign((_p: Uint8Array, _w?: number) => r, { at: () => r, count: (_b: Uint8Array, _o: ArrayLike<number>, _l: ArrayLike<number>, _w: ArrayLike<number>, n: number) => (r === 0 ? 0 : n), source: `return ${r};` });
  }
  const body = emitBody(program, facts);
  // The batch loop is generated in the same source as the body so V8 inlines the filter into it.
  const source = `function filter(p, b, len, wl, slow) {\n${body}\n}\nfunction count(buf, offsets, lengths, wirelens, n, slow) {\n  let c = 0;\n  for (let i = 0; i < n; i++) if (filter(buf, offsets[i], lengths[i], wirelens[i], slow) !== 0) c++;\n  return c;\n}\nreturn { filter, count };`;
  const made = new Function(source)() as {
    filter: (p: Uint8Array, b: number, len: number, wl: number, slow: Slow) => number;
    count: (buf: Uint8Array, o: ArrayLike<number>, l: ArrayLike<number>, w: ArrayLike<number>, n: number, slow: Slow) => number;
  };
  const filter = made.filter;
  const slow: Slow = (p, b, len, wl) => interp(p.subarray(b, b + len), wl);
  const f = (packet: Uint8Array, wirelen?: number): number =>
    filter(packet, 0, packet.length, (wirelen ?? packet.length) >>> 0, slow);
  const at = (buf: Uint8Array, offset: number, buflen: number, wirelen: number): number =>
    filter(buf, offset, buflen, wirelen >>> 0, slow);
  const count = (buf: Uint8Array, offsets: ArrayLike<number>, lengths: ArrayLike<number>, wirelens: ArrayLike<number>, n: number): number =>
    made.count(buf, offsets, lengths, wirelens, n, slow);
  return Object.assign(f, { at, count, source });
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
  const count = (b: Uint8Array, offs: ArrayLike<number>, lens: ArrayLike<number>, wls: ArrayLike<number>, n: number) => {
    let c = 0;
    for (let i = 0; i < n; i++) if (at(b, offs[i], lens[i], wls[i]) !== 0) c++;
    return c;
  };
  return Object.assign(f, { at, count, source: '' });
}
