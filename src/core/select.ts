// Picks an engine for a program: the JIT where code generation is allowed, else the interpreter
// behind the same calling forms. The engines themselves never refer to one another; this is the
// one module that knows more than one.
import type { Program } from './encode.js';
import { interpreter } from './fast-vm.js';
import type { CompiledFilter } from './filter.js';
import { isJitAvailable, type JitOptions, jit } from './jit/index.js';
import { type PreparedProgram, prepare } from './prepare.js';

/** The JIT where code generation is allowed, else the interpreter behind the same calling forms. */
export function compileFilter(
  program: Program | PreparedProgram,
  options?: JitOptions,
): CompiledFilter {
  const prepared = prepare(program, options);
  if (isJitAvailable()) {
    try {
      return jit(prepared);
    } catch (err) {
      // A CSP can also forbid eval after the probe (e.g. a policy applied later): fall back then too.
      if (!(err instanceof EvalError)) throw err;
    }
  }
  return interpreted(prepared);
}

/** The interpreter with the CompiledFilter calling forms (the CSP fallback), pre-decoded once. */
export function interpreted(
  program: Program | PreparedProgram,
  options?: JitOptions,
): CompiledFilter {
  const f = interpreter(program, options);
  return Object.assign((p: Uint8Array, wl?: number) => f(p, wl), {
    at: f.at,
    count: f.count,
    source: '',
    batchSource: '',
  });
}
