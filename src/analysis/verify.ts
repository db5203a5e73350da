// Translation validation of one compilation: the optimizer's graph against the unoptimized lowering, and
// the emitted program against the optimizer's graph, each proven with the solver rather than trusted.

import { type CompileOptions, type CompileStages, compileStages } from '../compiler/index.js';
import type { Cfg } from '../compiler/ir.js';
import type { ProfileName } from '../core/profiles.js';
import { type EquivClaim, type EquivDifferent, equivalentFlows } from './equiv.js';
import { AnalysisError } from './errors.js';

/**
 * What the optimizer step claims, as the result states it. libpcap's optimizer (and cbpf's, which keeps its
 * verdicts) may drop a load whose value no test needs, so a packet too short for that load is stopped with
 * 0 by the unoptimized program but not by the optimized one: the claim covers the packets on which the
 * unoptimized program reaches a `ret`.
 */
export const OPTIMIZER_CLAIM =
  'the optimized program returns what the unoptimized lowering returns on every packet on which the unoptimized one runs to a ret (does not stop at a load past the captured bytes or a division by 0)';
export const EMIT_CLAIM =
  'the emitted program returns what the optimized graph returns on every packet';

export type StepOutcome =
  | { readonly status: 'proven'; readonly ms: number }
  | { readonly status: 'different'; readonly ms: number; readonly counterexample: EquivDifferent }
  | { readonly status: 'timeout' | 'unknown'; readonly ms: number; readonly message: string };

export interface VerifyReport {
  readonly stages: CompileStages;
  /** The optimizer's graph against the unoptimized lowering, under OPTIMIZER_CLAIM. */
  readonly optimizer: StepOutcome;
  /** The emitted program against the optimizer's graph, under EMIT_CLAIM. */
  readonly emit: StepOutcome;
}

export interface VerifyOptions extends CompileOptions {
  /** Run-time semantics (default libpcap, the compiler's reference). */
  profile?: ProfileName;
  /** Longest captured packet considered (default 1514). */
  maxLength?: number;
  /** Per-step solver limit in milliseconds (default 60,000). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Compiles `expr` and proves both steps. CompileError for a bad expression; SOLVER_MISSING without
 * z3-solver; a step the solver cannot decide in time is reported, not thrown.
 */
export async function verifyCompile(
  expr: string,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  return verifyStages(compileStages(expr, options), options);
}

/** Proves both steps of stages already compiled (with `options.optimize` as they were compiled). */
export async function verifyStages(
  stages: CompileStages,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const o = {
    profile: options.profile ?? 'libpcap',
    maxLength: options.maxLength,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  } as const;
  // Unoptimized, the "optimized" graph is the lowering itself; the claim then covers every packet.
  const claim = options.optimize === false ? 'all' : 'unless-a-stops';
  const optimizer = await step({ graph: stages.ir }, { graph: stages.optimized }, claim, o);
  const emit = await step({ graph: stages.optimized }, stages.program, 'all', o);
  return { stages, optimizer, emit };
}

async function step(
  a: { graph: Cfg },
  b: { graph: Cfg } | CompileStages['program'],
  claim: EquivClaim,
  o: { profile: ProfileName; maxLength?: number; timeoutMs?: number; signal?: AbortSignal },
): Promise<StepOutcome> {
  const t0 = performance.now();
  try {
    const r = await equivalentFlows(a, Array.isArray(b) ? b : (b as { graph: Cfg }), {
      ...o,
      claim,
    });
    const ms = performance.now() - t0;
    return r.equal ? { status: 'proven', ms } : { status: 'different', ms, counterexample: r };
  } catch (err) {
    if (!(err instanceof AnalysisError)) throw err;
    if (err.code === 'SOLVER_MISSING') throw err;
    const ms = performance.now() - t0;
    return {
      status: err.code === 'SOLVER_TIMEOUT' ? 'timeout' : 'unknown',
      ms,
      message: err.message,
    };
  }
}
