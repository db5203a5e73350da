// Benchmark (not a test): cbpf's compile() against libpcap's pcap_compile, both in process, in the same run.
// libpcap runs in bench/c/compile-runner.c (gcc -O2 -lpcap, built here), which serves one timed pass per
// request, so every round times libpcap and cbpf back to back on the same expressions; cbpf runs the
// compiler as it ships (bundled by esbuild, not through tsx), once warm (warmUp()). Time is CPU
// time summed over all threads of each process (process.cpuUsage(); CLOCK_PROCESS_CPUTIME_ID in C), so time
// spent descheduled on a shared machine is not counted.
//
// Sets: the differential expressions (test/differential/exprs/*.tsv, every link type, valid and invalid), a
// seeded mixed batch of random compositions over 8 link types (like the issue's held-out batch), and long
// lists, each compiled once per round (libpcap's 1,000-host list takes about a minute: one round).
// Ratios: per round, cbpf's pass over libpcap's, each timed as a whole (refusals included); the median over
// rounds. Per expression (a second pass each round, a clock read around every compile): the median over
// rounds of the ratio of the two times within a round. Each batch runs in Node processes of its own (as one
// `cbpf compile --batch` would, and as libpcap's runner does: after the differential set in one process
// the mixed batch took 1.0-1.15x its time alone), several taking turns (--processes: a warm process
// settles at one of two speeds, see PROCESSES).
// Run: npx tsx bench/compile.ts [--rounds N] [--processes P] [--no-lists] [--no-write] [--compiler OTHER/src/compiler/index.ts].
// Writes bench/COMPILE-RESULTS.md (not with --compiler).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  cpuNs,
  median,
  shippedCompiler,
  timedPass,
  WARMUP_MIN,
  WARMUP_MIN_NS,
  WARMUP_SETTLED,
  warmUp,
} from './compile-passes.js';
import { differentialSet, LISTS, mixedBatch, type Row } from './compile-sets.js';
import { buildRunner, libpcapRunner, OUT as out } from './libpcap-compile.js';

const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string' },
    'no-lists': { type: 'boolean' },
    'no-write': { type: 'boolean' },
    /** Another checkout's src/compiler/index.ts (an older commit, from git archive) to time instead. */
    compiler: { type: 'string' },
    /** Internal: time batch N of BATCHES with the bundle already built, and print its result as JSON. */
    'only-batch': { type: 'string' },
    /** Processes per batch (default 3): the batch's figures are those of the process with the median ratio. */
    processes: { type: 'string' },
  },
});
const child = opt['only-batch'] !== undefined;
const ROUNDS = Number(opt.rounds ?? 5);
const here = new URL('.', import.meta.url).pathname;

// Build the C runner and the compiler as it ships (a batch's process takes them as built).
if (!child) buildRunner();
type Compile = typeof import('../src/compiler/index.js').compile;
const compile: Compile = child
  ? ((await import(`${out}/compiler.mjs`)) as { compile: Compile }).compile
  : await shippedCompiler(opt.compiler ?? `${here}../src/compiler/index.ts`, `${out}/compiler.mjs`);

/** cbpf's CPU ns for one pass over every row, timed as a whole (libpcap's `total`). */
const cbpfTotal = (rows: readonly Row[]): number => timedPass(compile, rows);

/** cbpf's CPU ns per row for one pass (errors count: libpcap's refusals are timed too). */
function cbpfPass(rows: readonly Row[]): number[] {
  return rows.map(({ dlt, expr }) => {
    const t0 = cpuNs();
    try {
      compile(expr, { linktype: dlt });
    } catch {
      // A refusal is an answer: timed like one.
    }
    return cpuNs() - t0;
  });
}

interface BatchResult {
  name: string;
  /** Warm-up passes cbpf ran (warmUp). */
  warm: number;
  n: number;
  cbpfMs: number;
  libpcapMs: number;
  ratio: number;
  worst: { expr: string; ratio: number; cbpfUs: number; libpcapUs: number }[];
  slowerThanLibpcap: number;
}

async function batch(name: string, rows: readonly Row[]): Promise<BatchResult> {
  const lp = await libpcapRunner(rows, name.replace(/\W+/g, '-'));
  /**
   * Round `r`: both whole passes, then both per-row passes. Who goes first alternates, so neither always
   * runs on a machine the other just warmed.
   */
  const round = async (r: number) => {
    const both = async <O, T>(ours: () => O, theirs: () => Promise<T>): Promise<[O, T]> => {
      if (r % 2 === 0) {
        const t = await theirs();
        return [ours(), t];
      }
      const o = ours();
      return [o, await theirs()];
    };
    const [ourTotal, theirTotal] = await both(() => cbpfTotal(rows), lp.total);
    const [our, their] = await both(() => cbpfPass(rows), lp.pass);
    return { ourTotal, theirTotal, our, their };
  };
  // Untimed rounds as the timed ones are, waits for libpcap's runner included (warmUp).
  let warmRounds = 0;
  const warm = await warmUp(async () => (await round(warmRounds++)).ourTotal);
  const ours: number[][] = [];
  const theirs: number[][] = [];
  const ourTotals: number[] = [];
  const theirTotals: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const x = await round(r);
    ourTotals.push(x.ourTotal);
    theirTotals.push(x.theirTotal);
    ours.push(x.our);
    theirs.push(x.their);
  }
  lp.close();
  // The batch: whole passes, refusals included on both sides and no clock read per expression (a
  // process.cpuUsage() is a microsecond, 3% of a differential pass).
  const ratio = median(ourTotals.map((o, r) => o / (theirTotals[r] as number)));
  // libpcap's pass marks its refusals -1 (an error is not timed there); compare rows it compiled.
  const per = rows
    .map((row, i) => ({
      expr: `${row.dlt} ${row.expr}`,
      ratio: median(
        ours.map((o, r) => (o[i] as number) / Math.max((theirs[r] as number[])[i] as number, 1)),
      ),
      cbpfUs: median(ours.map((o) => o[i] as number)) / 1000,
      libpcapUs: median(theirs.map((t) => t[i] as number)) / 1000,
    }))
    .filter((p) => p.libpcapUs > 0)
    .sort((a, b) => b.ratio - a.ratio);
  return {
    name,
    warm,
    n: rows.length,
    cbpfMs: median(ourTotals) / 1e6,
    libpcapMs: median(theirTotals) / 1e6,
    ratio,
    worst: per.slice(0, 5),
    slowerThanLibpcap: per.filter((p) => p.ratio > 1).length,
  };
}

interface ListResult {
  name: string;
  cbpfMs: number;
  libpcapMs: number;
  cbpfInsns: string;
  libpcapInsns: string;
}

/** libpcap's run on one list is stopped past this wall time (its optimizer is quadratic or worse on long lists). */
const LIBPCAP_LIMIT_MS = 300_000;

async function lists(): Promise<ListResult[]> {
  const results: ListResult[] = [];
  for (const l of LISTS) {
    let cbpfInsns: string;
    try {
      cbpfInsns = String(compile(l.expr).length);
    } catch (e) {
      cbpfInsns = `error: ${(e as Error).message}`;
    }
    // A runner per list, so one that runs past the limit can be stopped.
    const lp = await libpcapRunner([{ dlt: 'EN10MB', expr: l.expr }], 'list');
    const timeout = new Promise<undefined>((done) => setTimeout(done, LIBPCAP_LIMIT_MS, undefined));
    const first = await Promise.race([lp.count(0), timeout]);
    if (!first) lp.kill();
    const libpcapOnce = first ? first.ns / 1e6 : Number.POSITIVE_INFINITY;
    // libpcap's long lists take minutes: time those once.
    const rounds = libpcapOnce > 5000 ? 1 : ROUNDS;
    const ours: number[] = [];
    const theirs: number[] = [libpcapOnce];
    for (let r = 0; r < rounds; r++) {
      const t0 = cpuNs();
      try {
        compile(l.expr);
      } catch {
        // Counted above.
      }
      ours.push((cpuNs() - t0) / 1e6);
      if (r > 0) theirs.push((await lp.one(0)) / 1e6);
    }
    if (first) lp.close();
    results.push({
      name: l.name,
      cbpfMs: median(ours),
      libpcapMs: median(theirs),
      cbpfInsns,
      libpcapInsns: first ? first.what : `not done in ${LIBPCAP_LIMIT_MS / 1000} s`,
    });
    console.log(
      `${l.name}: cbpf ${median(ours).toFixed(0)} ms, libpcap ${median(theirs).toFixed(0)} ms`,
    );
  }
  return results;
}

const started = new Date().toISOString().slice(0, 16);
const load0 = loadavg()[0] as number;
const BATCHES: [string, () => readonly Row[]][] = [
  ['differential set (test/differential/exprs)', differentialSet],
  ['mixed batch (915 random compositions, 8 link types)', () => mixedBatch(915)],
];
if (child) {
  const [name, rows] = BATCHES[Number(opt['only-batch'])] as (typeof BATCHES)[number];
  console.log(JSON.stringify(await batch(name, rows())));
  process.exit(0);
}
/** Batch `i` timed in a process of its own (the bundle and the runner built above). */
function batchApart(i: number): BatchResult {
  const r = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      '--only-batch',
      String(i),
      '--rounds',
      String(ROUNDS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const last = r.stdout.trim().split('\n').at(-1);
  if (r.status !== 0 || !last) throw new Error(`batch ${i} failed (status ${r.status})`);
  return JSON.parse(last) as BatchResult;
}
/**
 * A warm process settles at one of two speeds, whichever it lands on (the mixed batch at 58-63 ms a pass
 * in some, 85-110 ms in others, nothing else running): one process per batch reports either. Several
 * processes per batch, taking turns between batches; the figures are those of the median process.
 */
const PROCESSES = Number(opt.processes ?? 3);
const runs: BatchResult[][] = BATCHES.map(() => []);
for (let p = 0; p < PROCESSES; p++)
  for (let i = 0; i < BATCHES.length; i++) (runs[i] as BatchResult[]).push(batchApart(i));
const batches = runs.map((rs) => {
  const sorted = [...rs].sort((a, b) => a.ratio - b.ratio);
  return { ...(sorted[(sorted.length - 1) >> 1] as BatchResult), ratios: rs.map((r) => r.ratio) };
});
for (const b of batches)
  console.log(
    `${b.name}: cbpf ${b.cbpfMs.toFixed(0)} ms, libpcap ${b.libpcapMs.toFixed(1)} ms, ${b.ratio.toFixed(1)}x (processes: ${b.ratios.map((r) => `${r.toFixed(1)}x`).join(' ')})`,
  );
// The lists run in this process: warm the compiler up first (on the differential set, which has every
// path a list takes: after the mixed batch alone, protochain's took 3.4 ms a list against 0.7-1.2).
if (!opt['no-lists']) await warmUp(() => timedPass(compile, differentialSet()));
const listRows = opt['no-lists'] ? [] : await lists();

/** An instruction count, marked where it is past what Linux loads (compile() leaves that limit to the loader). */
const insns = (what: string) => (Number(what) > 4096 ? `${what} (past Linux's 4,096)` : what);
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const report = [
  '# Compile benchmark',
  '',
  `Written by \`npx tsx bench/compile.ts --rounds ${ROUNDS} --processes ${PROCESSES}\` on ${started}Z, ${cpus().length} CPUs, load average ${load0.toFixed(1)} at the start and ${(loadavg()[0] as number).toFixed(1)} at the end (a shared machine: the ratios are within one run).`,
  `cbpf: \`compile()\` of the esbuild bundle of src/compiler, in process, once warm (untimed passes, at least ${WARMUP_MIN} and ${WARMUP_MIN_NS / 1e9} s of CPU, until the median of the last three is within ${WARMUP_SETTLED * 100}% of the three before: ${batches.map((b) => b.warm).join(' and ')} passes here); libpcap 1.10: \`pcap_compile\` (optimizer on) in bench/c/compile-runner.c, after one untimed pass. CPU time of each process (all threads). Each batch in ${PROCESSES} processes of its own, taking turns; the row is the process with the median ratio, and the last column lists every process's.`,
  '',
  '| batch | expressions | cbpf ms | libpcap ms | cbpf / libpcap | expressions slower than libpcap | every process |',
  '|---|--:|--:|--:|--:|--:|--:|',
  ...batches.map(
    (b) =>
      `| ${b.name} | ${b.n} | ${fmt(b.cbpfMs)} | ${fmt(b.libpcapMs)} | ${b.ratio.toFixed(1)}× | ${b.slowerThanLibpcap} | ${b.ratios.map((r) => `${r.toFixed(1)}×`).join(' ')} |`,
  ),
  '',
  'Slowest against libpcap (median over rounds of the ratio within a round):',
  '',
  ...batches.flatMap((b) =>
    b.worst.map(
      (w) =>
        `- ${w.ratio.toFixed(0)}× (${fmt(w.cbpfUs / 1000)} ms vs ${fmt(w.libpcapUs / 1000)} ms) \`${w.expr.slice(0, 100)}\``,
    ),
  ),
  '',
  ...(listRows.length
    ? [
        '| list (EN10MB) | cbpf ms | libpcap ms | cbpf / libpcap | cbpf instructions | libpcap instructions |',
        '|---|--:|--:|--:|--:|--:|',
        ...listRows.map(
          (l) =>
            `| ${l.name} | ${fmt(l.cbpfMs)} | ${Number.isFinite(l.libpcapMs) ? fmt(l.libpcapMs) : `> ${LIBPCAP_LIMIT_MS}`} | ${Number.isFinite(l.libpcapMs) ? `${(l.cbpfMs / l.libpcapMs).toFixed(2)}×` : '< 0.01×'} | ${insns(l.cbpfInsns)} | ${l.libpcapInsns} |`,
        ),
      ]
    : []),
  '',
].join('\n');
console.log(report);
if (!opt['no-write'] && !opt.compiler) writeFileSync(`${here}COMPILE-RESULTS.md`, report);
