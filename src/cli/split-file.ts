// One large classic pcap read on two threads: this thread filters the file from the start as it would
// the whole (its output goes out first), while a worker thread (./split-worker.ts), started at once,
// takes half of what this thread has not reached yet once it has started: it finds the first record
// there, claims it in a shared array (this thread then stops before it) and filters from there to
// the end with the program this thread compiled, encoding what matches for the same output. So the
// split adapts to how long the worker takes to start and how fast the file goes. The worker's part
// is taken only if it starts exactly where this thread's part ended (which proves its guess of a
// record boundary); otherwise this thread goes on alone from there.
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { parseLinktype } from '../compiler.js';
import type { Program } from '../index.js';
import { type CaptureScanner, classicMagic, parseClassicHeader } from '../pcap.js';
import {
  classicFirst,
  type OfflineOptions,
  type OutputHeader,
  offline,
  type RecordSink,
} from './commands/offline.js';
import type { CliIo } from './io.js';
import type { SplitEvent, SplitTask } from './split-worker.js';

/** The file's classic pcap header (24 bytes), or undefined when it is not one. */
export function classicPrelude(path: string): Uint8Array | undefined {
  const fd = openSync(path, 'r');
  try {
    const b = new Uint8Array(24);
    if (readSync(fd, b, 0, 24, 0) < 24) return undefined;
    return classicMagic(new DataView(b.buffer).getUint32(0, true)) ? b : undefined;
  } finally {
    closeSync(fd);
  }
}

/** The part of tsx's package.json that says where its ES module API is. */
interface TsxPackage {
  exports: { './esm/api': { import: { default: string } } };
}

/** Starts the split worker from its bundle, the dist/ build, or the TypeScript source (through tsx). */
function startSplitWorker(WorkerClass: typeof Worker): Worker {
  const self = import.meta.url;
  const options = { workerData: { kind: 'cbpf-split' }, stdout: true, stderr: false };
  if (self.endsWith('.cjs'))
    return new WorkerClass(join(dirname(fileURLToPath(self)), 'split-worker.cjs'), options);
  if (!self.endsWith('.ts'))
    return new WorkerClass(fileURLToPath(new URL('./split-worker.js', self)), options);
  const pkg = createRequire(self).resolve('tsx/package.json');
  const api = (JSON.parse(readFileSyncUtf8(pkg)) as TsxPackage).exports['./esm/api'].import.default;
  const tsx = JSON.stringify(pathToFileURL(join(dirname(pkg), api)).href);
  const entry = JSON.stringify(new URL('./split-worker.ts', self).href);
  return new WorkerClass(
    `import(${tsx}).then((m) => { m.register(); return import(${entry}); });`,
    {
      ...options,
      eval: true,
    },
  );
}

function readFileSyncUtf8(path: string): string {
  return (createRequire(import.meta.url)('node:fs') as typeof import('node:fs')).readFileSync(
    path,
    'utf8',
  );
}

export interface SplitRun {
  path: string;
  size: number;
  prelude: Uint8Array;
  expression: () => string;
  base: OfflineOptions;
  /** Where the matches go: it takes the worker's encoded records (appendEncoded). */
  sink: RecordSink;
  /** -w: the output's pcapng-ness (the header comes from the file's). */
  write?: { pcapng: boolean };
  /** Prints the file's line (called once, before the expression is compiled). */
  onHeader: NonNullable<OfflineOptions['onHeader']>;
  /** Packets the worker's part matched are added here (--count). */
  addCount?: (n: number) => void;
}

/** Reads the file in two parts; resolves when every match went to the sink. */
export async function splitOffline(run: SplitRun, io: CliIo): Promise<void> {
  const { path, size, prelude } = run;
  const h = parseClassicHeader(prelude);
  const header: OutputHeader = classicFirst(h);
  const shared = new SharedArrayBuffer(24);
  // Tests (CBPF_SPLIT_MIN) make this thread wait for the worker's claim, so small files split too.
  const test = Number(process.env.CBPF_SPLIT_MIN) > 0;
  const progress = new BigInt64Array(shared);
  const { Worker } = createRequire(import.meta.url)(
    'node:worker_threads',
  ) as typeof import('node:worker_threads');
  const worker = startSplitWorker(Worker);
  try {
    const events: SplitEvent[] = [];
    let wake: (() => void) | undefined;
    let failed = false;
    worker.on('message', (e: SplitEvent) => {
      events.push(e);
      wake?.();
    });
    // An error, or an exit before its part was done (then this thread reads the rest itself).
    const fail = () => {
      failed = true;
      wake?.();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    const next = async (): Promise<SplitEvent | undefined> => {
      while (events.length === 0 && !failed) await new Promise<void>((r) => (wake = r));
      return events.shift();
    };
    // The file's line, then the filter (an error in the expression comes after the line, as tcpdump's).
    run.onHeader(header, { classic: h } as CaptureScanner);
    const expr = run.expression();
    const forced =
      run.base.dlt === undefined ? undefined : (parseLinktype(String(run.base.dlt)) ?? Number.NaN);
    const { resolveFilter } = await import('../internal.js');
    const program: Program | undefined = await resolveFilter(
      expr || undefined,
      forced ?? header.linktype,
      { swapped: !h.littleEndian },
      !run.base.noOptimize,
    );
    const task: SplitTask = {
      path,
      size,
      shared,
      minimum: test ? 1 : 8 << 20,
      prelude,
      program: program && [...program],
      write: run.write && {
        pcapng: run.write.pcapng,
        linktype: header.linktype,
        linkExtension: header.linkExtension,
        snaplen: header.snaplen,
      },
    };
    worker.postMessage(task);
    const base = { ...run.base, sink: run.sink, program: async () => program };
    let ended: number | undefined;
    let refused = false;
    // Asked before each scan: publish how far this thread has come; stop where the worker claimed,
    // unless records past it were handed on already (then this thread reads to the end alone).
    const end = (reached: number): number | undefined => {
      Atomics.store(progress, 0, BigInt(reached));
      if (test) Atomics.wait(progress, 2, 0n, 60_000);
      const claimed = Number(Atomics.load(progress, 1));
      if (claimed === 0 || refused) return undefined;
      if (claimed >= reached) return claimed;
      refused = true;
      return undefined;
    };
    await offline(path, expr, { ...base, range: { end }, onStop: (at) => (ended = at) }, io);
    if (ended === undefined) return;
    const start = await next();
    let taken = false;
    if (start?.kind === 'start' && start.offset === ended) {
      // The worker's part follows on: what it encoded goes out in order once it is complete.
      const chunks: Uint8Array[] = [];
      for (let e = await next(); e; e = e.kind === 'done' ? undefined : await next()) {
        if (e.kind === 'bytes') chunks.push(e.data);
        if (e.kind === 'done' && e.error === undefined) {
          for (const c of chunks) await run.sink.appendEncoded?.(c, header);
          run.addCount?.(e.count);
          taken = true;
        }
      }
    }
    // No part from the worker, or not one that starts where this one ended: go on alone.
    if (!taken) await offline(path, expr, { ...base, range: { start: ended, prelude } }, io);
  } finally {
    void worker.terminate();
  }
}
