// One large classic pcap read on two threads: this thread filters the first part as it would the whole
// file (its output goes out first), while a worker thread, started at once, finds the first record
// after the split point and filters from there to the end, encoding what matches for the same output.
// The worker's part is taken only if it starts exactly where this thread's part ended (which proves
// its guess of a record boundary); otherwise this thread goes on alone from there. This thread takes
// the larger share, as the worker spends its first tens of milliseconds starting.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { classicMagic, parseClassicHeader } from '../pcap/classic.js';
import {
  classicFirst,
  type OfflineOptions,
  type OutputHeader,
  offline,
  type RecordSink,
} from './commands/offline.js';
import { startWorker } from './file-list.js';
import type { FileEvent, FileListSetup } from './file-list-worker.js';
import type { CliIo } from './io.js';

/** Bytes this thread reads while a worker starts (about 40 ms at 1.6 GB/s). */
const LEAD = 64 << 20;

/** The file's classic pcap header (24 bytes), or undefined when it is not one. */
export function classicPrelude(path: string): Uint8Array | undefined {
  const fd = openSync(path, 'r');
  try {
    const b = new Uint8Array(24);
    if (readSync(fd, b, 0, 24, 0) < 24) return undefined;
    const magic =
      (b[0] as number) |
      ((b[1] as number) << 8) |
      ((b[2] as number) << 16) |
      ((b[3] as number) << 24);
    return classicMagic(magic >>> 0) ? b : undefined;
  } finally {
    closeSync(fd);
  }
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
  onHeader: NonNullable<OfflineOptions['onHeader']>;
  /** Packets the worker's part matched are added here (--count). */
  addCount?: (n: number) => void;
}

/** Reads the file in two parts; resolves when every match went to the sink. */
export async function splitOffline(run: SplitRun, io: CliIo): Promise<void> {
  const { path, size, prelude } = run;
  const header: OutputHeader = classicFirst(parseClassicHeader(prelude));
  // Tests and benchmarks that set CBPF_SPLIT_MIN split small files in the middle.
  const lead = process.env.CBPF_SPLIT_MIN ? 0 : LEAD;
  const from = Math.floor((size + lead) / 2);
  const expr = run.expression();
  const setup: FileListSetup = {
    kind: 'cbpf-file-list',
    expr,
    count: Infinity,
    dlt: run.base.dlt,
    noOptimize: !!run.base.noOptimize,
    link: run.base.link,
    write: run.write && { pcapng: run.write.pcapng, header },
  };
  const worker: Worker = startWorker(setup);
  const events: FileEvent[] = [];
  let wake: (() => void) | undefined;
  let failed = false;
  worker.on('message', (e: FileEvent) => {
    events.push(e);
    wake?.();
  });
  worker.on('error', () => {
    failed = true;
    wake?.();
  });
  const next = async (): Promise<FileEvent | undefined> => {
    while (events.length === 0 && !failed) await new Promise<void>((r) => (wake = r));
    return events.shift();
  };
  worker.postMessage({ index: 0, path, size, split: { from, prelude } });
  try {
    let ended: number | undefined;
    await offline(
      path,
      expr,
      {
        ...run.base,
        sink: run.sink,
        onHeader: run.onHeader,
        range: { end: from },
        onStop: (at) => (ended = at),
      },
      io,
    );
    if (ended === undefined) return;
    const start = await next();
    let taken = false;
    if (start?.kind === 'start' && start.offset === ended) {
      // The worker's part follows on: append what it encoded, in order, as it arrives.
      const chunks: Uint8Array[] = [];
      let count = 0;
      let ok = false;
      for (let e = await next(); e; e = e.kind === 'done' ? undefined : await next()) {
        if (e.kind === 'bytes') chunks.push(e.data);
        if (e.kind === 'done') {
          ok = e.error === undefined;
          count = e.count;
        }
      }
      if (ok) {
        for (const c of chunks) await run.sink.appendEncoded?.(c, header);
        run.addCount?.(count);
        taken = true;
      }
    }
    // No part from the worker, or not one that starts where this one ended: go on alone.
    if (!taken)
      await offline(
        path,
        expr,
        { ...run.base, sink: run.sink, range: { start: ended, prelude } },
        io,
      );
  } finally {
    void worker.terminate();
  }
}
