// The one place that loads Z3 (the optional z3-solver package, Z3 built to WebAssembly): lazily, once, and
// only for the commands that prove things. Everything else in cbpf runs without it.
import type { Context } from 'z3-solver';
import { AnalysisError } from './errors.js';

/** What a query needs read back from a model. */
export interface ModelRequest {
  /** 32-bit constants by name. */
  readonly words: readonly string[];
  /** Booleans by name. */
  readonly bools: readonly string[];
  /** Offsets of the `pkt` function to read (as u32). */
  readonly bytes: (words: ReadonlyMap<string, number>) => readonly number[];
}

export interface ModelValues {
  readonly words: ReadonlyMap<string, number>;
  readonly bools: ReadonlyMap<string, boolean>;
  readonly bytes: ReadonlyMap<number, number>;
}

export type SolveResult =
  | { readonly status: 'unsat' }
  | { readonly status: 'sat'; readonly model: ModelValues }
  | { readonly status: 'unknown'; readonly reason: string };

interface Z3 {
  ctx: Context<'cbpf'>;
}

let loading: Promise<Z3> | undefined;

/**
 * Set once Z3 stopped answering (see check()): its WebAssembly instance is one per process and cannot
 * be restarted, so every later query fails at once rather than waiting for an answer that never comes.
 */
let stalled: string | undefined;

/** Past its own time limit, how long Z3 gets to answer before it is taken for stalled. */
export const STALL_GRACE_MS = 10_000;

/**
 * Settles as `work` does, or, when `ms` pass first, with `late()`. The timer holds the process open
 * (a stalled Z3 thread may not), and is cleared as soon as `work` settles.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export const SOLVER_MISSING_MESSAGE =
  'proving needs the optional z3-solver package (Z3 in WebAssembly): npm install z3-solver';

type Z3Module = typeof import('z3-solver');

// A specifier bundlers do not follow: cbpf bundled without z3-solver builds, and fails here only.
const Z3_PACKAGE = 'z3-solver';
const importZ3 = (): Promise<Z3Module> => import(Z3_PACKAGE);

/**
 * Loads Z3 on first use; throws AnalysisError SOLVER_MISSING when the package is not installed.
 * `importer` replaces the import (tests use it to see the message without uninstalling anything).
 */
export function loadSolver(importer?: () => Promise<Z3Module>): Promise<Z3> {
  if (importer) return load(importer);
  loading ??= load(importZ3).catch((err) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

async function load(importer: () => Promise<Z3Module>): Promise<Z3> {
  let mod: Z3Module;
  try {
    mod = await importer();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new AnalysisError('SOLVER_MISSING', SOLVER_MISSING_MESSAGE, { cause: err });
    throw err;
  }
  const api = await mod.init();
  // Emscripten's threads: a query that stalled holds one, which keeps a Node process alive.
  const em = (api as { em?: { PThread?: { terminateAllThreads?: () => void } } }).em;
  stopThreads = () => em?.PThread?.terminateAllThreads?.();
  return { ctx: api.Context('cbpf') };
}

/** Ends Z3's worker threads (set once it is loaded). */
let stopThreads: (() => void) | undefined;

/**
 * Checks the SMT-LIB `query`. Satisfiable: the requested values of a model (array bytes it leaves free
 * read as 0). `timeoutMs` bounds the solver; `signal` interrupts it.
 */
export async function solve(
  query: string,
  request: ModelRequest,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<SolveResult> {
  if (stalled !== undefined) return { status: 'unknown', reason: stalled };
  const { ctx } = await loadSolver();
  const t0 = performance.now();
  // Loads are applications of the packet function: ackermannize them away and bit-blast. The general
  // solver takes the rest of the time where that pipeline gives up without an answer (too many lemmas).
  let solver = ctx.AndThen('simplify', 'solve-eqs', 'ackermannize_bv', 'bit-blast', 'sat').solver();
  let r = await check(ctx, solver, query, options.timeoutMs, options.signal);
  if (
    r.status === 'unknown' &&
    stalled === undefined &&
    !/timeout|canceled|cancelled|interrupted/i.test(r.reason)
  ) {
    solver.release();
    solver = new ctx.Solver();
    const left =
      options.timeoutMs === undefined ? undefined : options.timeoutMs - (performance.now() - t0);
    r =
      left !== undefined && left < 1
        ? { status: 'unknown', reason: 'timeout' }
        : await check(ctx, solver, query, left, options.signal);
  }
  try {
    if (r.status !== 'sat') return r;
    const m = solver.model();
    const words = new Map<string, number>();
    for (const name of request.words) {
      const v = m.eval(ctx.BitVec.const(name, 32), true);
      words.set(name, Number((v as unknown as { value(): bigint }).value()));
    }
    const bools = new Map<string, boolean>();
    for (const name of request.bools)
      bools.set(name, ctx.isTrue(m.eval(ctx.Bool.const(name), true)));
    const pkt = ctx.Function.declare('pkt', ctx.BitVec.sort(32), ctx.BitVec.sort(8));
    const bytes = new Map<number, number>();
    for (const at of request.bytes(words)) {
      const v = m.eval(pkt.call(ctx.BitVec.val(at >>> 0, 32)), true);
      bytes.set(at >>> 0, ctx.isBitVecVal(v) ? Number(v.value()) : 0);
    }
    return { status: 'sat', model: { words, bools, bytes } };
  } finally {
    // A stalled instance is left alone: its thread may still hold the solver.
    if (stalled === undefined) solver.release();
  }
}

type Answer = { status: 'sat' } | { status: 'unsat' } | { status: 'unknown'; reason: string };

async function check(
  ctx: Z3['ctx'],
  solver: InstanceType<Z3['ctx']['Solver']>,
  query: string,
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
): Promise<Answer> {
  if (timeoutMs !== undefined) solver.set('timeout', Math.max(1, Math.round(timeoutMs)));
  solver.fromString(query);
  if (signal?.aborted) return { status: 'unknown', reason: 'interrupted' };
  const onAbort = () => ctx.interrupt();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Z3 that runs out of WebAssembly memory (2 GB) prints "Cannot enlarge memory arrays" in its
    // thread and never settles the promise; past its time limit and a grace, give up on it.
    const STALLED = 'stalled';
    const r =
      timeoutMs === undefined
        ? await solver.check()
        : await withDeadline<Awaited<ReturnType<typeof solver.check>> | typeof STALLED>(
            solver.check(),
            timeoutMs + STALL_GRACE_MS,
            () => STALLED,
          );
    if (r === STALLED) {
      ctx.interrupt();
      // Nothing more can be asked of it; its threads would keep the process from ending.
      stopThreads?.();
      stalled = `it stopped answering ${STALL_GRACE_MS / 1000} s past its time limit; out of memory?`;
      return { status: 'unknown', reason: stalled };
    }
    if (r !== 'unknown') return { status: r };
    return { status: 'unknown', reason: signal?.aborted ? 'interrupted' : solver.reasonUnknown() };
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
