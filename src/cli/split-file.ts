// One large classic pcap read on two threads: this thread filters the first part as it would the whole
// file (its output goes out first), while a worker thread (./split-worker.ts), started at once, finds
// the first record after the split point and filters from there to the end with the program this
// thread compiled, encoding what matches for the same output. The worker's part is taken only if it
// starts exactly where this thread's part ended (which proves its guess of a record boundary);
// otherwise this thread goes on alone from there. This thread takes the larger share, as the worker
// spends its first milliseconds starting.
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { linktypeByName } from '../compiler/index.js';
import type { Program } from '../core/encode.js';
import { classicMagic, parseClassicHeader } from '../pcap/classic.js';
import type { CaptureScanner } from '../pcap/scanner.js';
import {
  classicFirst,
  type OfflineOptions,
  type OutputHeader,
  offline,
  type RecordSink,
} from './commands/offline.js';
import type { CliIo } from './io.js';
import type { SplitEvent, SplitTask } from './split-worker.js';

/** Bytes this thread reads while the worker starts (about 20 ms at 1.6 GB/s). */
const LEAD = 32 << 20;

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
  const from = Math.floor((size + (process.env.CBPF_SPLIT_MIN ? 0 : LEAD)) / 2);
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
    worker.on('error', () => {
      failed = true;
      wake?.();
    });
    const next = async (): Promise<SplitEvent | undefined> => {
      while (events.length === 0 && !failed) await new Promise<void>((r) => (wake = r));
      return events.shift();
    };
    // The file's line, then the filter (an error in the expression comes after the line, as tcpdump's).
    run.onHeader(header, { classic: h } as CaptureScanner);
    const expr = run.expression();
    const forced =
      run.base.dlt === undefined
        ? undefined
        : (linktypeByName(String(run.base.dlt)) ?? Number(run.base.dlt));
    const { resolveFilter } = await import('../node/resolve-filter.js');
    const program: Program | undefined = await resolveFilter(
      expr || undefined,
      forced ?? header.linktype,
      { swapped: !h.littleEndian },
      !run.base.noOptimize,
    );
    const task: SplitTask = {
      path,
      size,
      from,
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
    await offline(path, expr, { ...base, range: { end: from }, onStop: (at) => (ended = at) }, io);
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
