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

/** Warm-up: passes at least and at most, CPU time at least, and the spread that counts as settled. */
export const WARMUP_MIN = 30;
export const WARMUP_MAX = 80;
export const WARMUP_MIN_NS = 5e9;
export const WARMUP_SETTLED = 0.05;

/**
 * Untimed passes until V8 has compiled the hot code: at least WARMUP_MIN passes and WARMUP_MIN_NS of CPU
 * time, then until the median of the last three passes is within WARMUP_SETTLED of the median of the
 * three before (at most WARMUP_MAX). V8 optimizes a function once it is hot, and the compiler's rarer
 * paths (deep groups, 802.11, protochain) get there only after 20-30 passes over the differential set;
 * each such optimization runs on a thread of its own, and its CPU time (up to 16 ms for one function)
 * counts in the pass. Stopping at the first two passes within 5% of each other, as this did before,
 * stopped on the way: after 4 passes of the differential set, at 190-215 ms a pass against 105-130 ms
 * after 30 in a quiet process. One pass alone left the first rounds paying for the optimizing compiler
 * (on the mixed batch, the five passes after the first took 4.8, 2.1, 1.9, 1.4 and 1.1 times the settled
 * time). `pass` runs one and returns the CPU ns settling is judged on; returns how many ran.
 *
 * A benchmark whose timed rounds wait (for libpcap's runner, say) warms up with rounds shaped like them:
 * `pass` is then such a round, and what counts towards WARMUP_MIN_NS is all of this process's CPU time
 * during it. A process's first waits let V8 finish a full garbage collection (incremental marking ends
 * in a task on the event loop), and until src/compiler/resident.ts kept the compiler's per-compile
 * classes alive that collection threw away 70 of its optimized functions: the pass after the first wait
 * took 160-235 ms against 57-62 before, the next ten 75-110 ms, and every timed round of
 * bench/compile.ts, warmed up without waiting, came in that stretch. Whatever else a first wait changes
 * now comes before the timed rounds too.
 */
export async function warmUp(pass: () => number | Promise<number>): Promise<number> {
  const times: number[] = [];
  let spent = 0;
  while (times.length < WARMUP_MAX) {
    const t0 = cpuNs();
    times.push(await pass());
    spent += cpuNs() - t0;
    if (settled(times, spent)) return times.length;
  }
  return WARMUP_MAX;
}

/** warmUp's rule: enough passes and CPU time, and the last three passes' median within WARMUP_SETTLED of the three before. */
function settled(times: readonly number[], spent: number): boolean {
  const n = times.length;
  if (n < WARMUP_MIN || spent < WARMUP_MIN_NS) return false;
  const last = median(times.slice(n - 3));
  const before = median(times.slice(n - 6, n - 3));
  return Math.abs(last - before) <= WARMUP_SETTLED * before;
}
