// The worker thread of a split read (./split-file.ts): the second part of one large classic pcap,
// filtered with the program the main thread compiled and encoded for its output. A file of its own,
// bundled on its own (dist/cli/bundle/split-worker.cjs): it needs only the scanner, the JIT and the
// writers, so it starts in a few milliseconds instead of loading the whole command line.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { compileFilter, type RawInsn } from '../index.js';
import { scanCaptureFile } from '../internal.js';
import { findClassicRecord, PcapngWriter, PcapWriter, parseClassicHeader } from '../pcap.js';

/** What the main thread sends: the file, where the two threads meet, and how to filter and encode. */
export interface SplitTask {
  path: string;
  size: number;
  /**
   * Shared with the main thread (BigInt64Array): [0] the offset up to which it has handed records on,
   * [1] where this worker's part starts once it has claimed one (0 before), [2] 1 once it decided.
   */
  shared: SharedArrayBuffer;
  /** The smallest part worth taking (CBPF_SPLIT_MIN makes tests take small ones). */
  minimum: number;
  /** The file's header. */
  prelude: Uint8Array;
  /** The compiled filter (none: every packet). */
  program?: readonly RawInsn[];
  /** Encode matches for this output (none: only count them). */
  write?: { pcapng: boolean; linktype: number; linkExtension: number; snaplen: number };
}

/** What the worker sends back, in order. */
export type SplitEvent =
  | { kind: 'start'; offset: number }
  | { kind: 'bytes'; data: Uint8Array }
  | { kind: 'done'; count: number; error?: string };

/**
 * The part's first record: half of what the main thread has not reached yet, from a chain of
 * plausible headers in a window of the file there; claimed in the shared array. -1: no part.
 */
function partStart(t: SplitTask): number {
  const shared = new BigInt64Array(t.shared);
  try {
    return claim(t, shared);
  } finally {
    Atomics.store(shared, 2, 1n);
    Atomics.notify(shared, 2);
  }
}

function claim(t: SplitTask, shared: BigInt64Array): number {
  const reached = Number(Atomics.load(shared, 0));
  const from = Math.floor(reached + (t.size - reached) / 2);
  if (t.size - from < t.minimum) return -1;
  const h = parseClassicHeader(t.prelude);
  const fd = openSync(t.path, 'r');
  let at: number;
  try {
    const window = new Uint8Array(Math.min(4 << 20, Math.max(0, t.size - from)));
    const got = readSync(fd, window, 0, window.length, from);
    at = findClassicRecord(window.subarray(0, got), 0, h, from + got >= t.size);
  } finally {
    closeSync(fd);
  }
  if (at < 0) return -1;
  Atomics.store(shared, 1, BigInt(from + at));
  return from + at;
}

async function run(t: SplitTask, post: (e: SplitEvent) => void): Promise<void> {
  const start = partStart(t);
  post({ kind: 'start', offset: start });
  if (start < 0) return post({ kind: 'done', count: 0 });
  const filter = t.program ? compileFilter(t.program, { profile: 'libpcap' }) : undefined;
  const w = t.write;
  const snaplen = w ? w.snaplen || 262_144 : 0;
  const enc = w
    ? w.pcapng
      ? new PcapngWriter({ linktype: w.linktype, snaplen })
      : new PcapWriter({ linktype: (w.linktype | w.linkExtension) >>> 0, snaplen })
    : undefined;
  enc?.header();
  // Encoded in 4 MiB chunks, each handed over (transferred, not copied) when the next record does not fit.
  const CHUNK = 4 << 20;
  let out = new Uint8Array(CHUNK);
  let length = 0;
  const flush = () => {
    if (length > 0) post({ kind: 'bytes', data: out.subarray(0, length) });
    length = 0;
  };
  const reserve = (n: number) => {
    if (length + n <= out.length) return;
    flush();
    out = new Uint8Array(Math.max(CHUNK, n));
  };
  let picked = new Int32Array(0);
  let count = 0;
  try {
    await scanCaptureFile(
      t.path,
      (s, buf) => {
        const b = s.batch;
        let k = b.n;
        if (filter) {
          if (picked.length < b.n) picked = new Int32Array(b.data.length);
          k = filter.count(buf, b.data, b.caplen, b.wirelen, b.n, picked);
        }
        count += k;
        if (!enc) return true;
        if (enc instanceof PcapWriter) {
          // The batch's matches at once, neighbours as one run (copyManyAsPcap).
          if (!filter) {
            if (picked.length < b.n) picked = new Int32Array(b.data.length);
            for (let q = 0; q < k; q++) picked[q] = q;
          }
          reserve(s.pcapSize(0, picked, k, enc.snaplen));
          length += s.copyManyAsPcap(buf, 0, picked, k, enc.snaplen, out, length);
          return true;
        }
        for (let q = 0; q < k; q++) {
          const r = s.record(buf, filter ? (picked[q] as number) : q);
          const bytes = enc.write({ timestampNs: r.timestampNs, data: r.data, wirelen: r.wirelen });
          reserve(bytes.length);
          out.set(bytes, length);
          length += bytes.length;
        }
        return true;
      },
      { range: { start, prelude: t.prelude } },
    );
  } catch (err) {
    // The main thread reads this part again itself, and reports the error where it is.
    return post({ kind: 'done', count, error: String((err as Error)?.message ?? err) });
  }
  flush();
  post({ kind: 'done', count });
}

const port = parentPort;
if (port && (workerData as { kind?: string } | null)?.kind === 'cbpf-split')
  port.once(
    'message',
    (t: SplitTask) =>
      void run(t, (e) =>
        port.postMessage(e, e.kind === 'bytes' ? [e.data.buffer as ArrayBuffer] : []),
      ),
  );
