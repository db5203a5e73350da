// How the compile benchmarks (bench/compile.ts, bench/compile-ab.ts, bench/long-exprs.ts) build and time
// cbpf: the compiler as it ships, whole passes over a set in CPU time, after warming up until V8 has
// compiled the hot code.
import { build } from 'esbuild';
import type { Row } from './compile-sets.js';

/** The compiler as it ships: an esbuild bundle of `entry` (a src/compiler/index.ts) at `outfile`. */
export async function bundleCompiler(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: ['node20'],
    logLevel: 'warning',
  });
}

/** bundleCompiler(), then that bundle's compile(). */
export async function shippedCompiler(
  entry: string,
  outfile: string,
): Promise<typeof import('../src/compiler/index.js').compile> {
  await bundleCompiler(entry, outfile);
  return ((await import(outfile)) as typeof import('../src/compiler/index.js')).compile;
}

/** What the benchmarks call: compile() of the bundle under test (a refusal throws). */
export type CompileFn = (expr: string, options: { linktype: string }) => unknown;

/** CPU nanoseconds of this process so far, all threads. */
export const cpuNs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

/** CPU ns of one pass of `compile` over every row, timed as a whole (refusals too: each is an answer). */
export function timedPass(compile: CompileFn, rows: readonly Row[]): number {
  const t0 = cpuNs();
  for (const { dlt, expr } of rows) {
    try {
      compile(expr, { linktype: dlt });
    } catch {
      // A refusal is an answer: timed like one.
    }
  }
  return cpuNs() - t0;
}

/** Warm-up passes at most, and the change between two passes that counts as settled. */
export const WARMUP_MAX = 12;
export const WARMUP_SETTLED = 0.05;

/**
 * Untimed passes until V8 has compiled the hot code: until a pass's CPU time (V8's compiler threads
 * included) is within WARMUP_SETTLED of the one before, at least 2, at most WARMUP_MAX. A single pass
 * left the first rounds paying for the optimizing compiler (once on the mixed batch, the five passes
 * after the first took 4.8, 2.1, 1.9, 1.4 and 1.1 times the settled time). `pass` runs one and returns
 * its time; returns how many ran.
 */
export function warmUp(pass: () => number): number {
  let last = pass();
  for (let n = 2; n <= WARMUP_MAX; n++) {
    const t = pass();
    if (Math.abs(t - last) <= WARMUP_SETTLED * last) return n;
    last = t;
  }
  return WARMUP_MAX;
}
