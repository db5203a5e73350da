// Capture files scanned in large chunks: a file read ahead into two alternating buffers (stdin as a
// stream into one), handed batch by batch to a callback with the records' positions in it.
import { closeSync, openSync, read, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  type CaptureScanner,
  type CaptureScannerOptions,
  createCaptureScanner,
} from '../pcap/scanner.js';

export interface ScanCaptureFileOptions extends CaptureScannerOptions {
  /** Read size and initial buffer; default 1 MiB (large reads, and a buffer that stays in cache while it is scanned). */
  chunkSize?: number;
  /** The stream '-' means; default process.stdin. */
  stdin?: Readable;
  /** A descriptor '-' means instead of a stream (read as a file is, left open). */
  stdinFd?: number;
}

/**
 * Called with each batch: `scanner.batch` indexes `buf`, which is valid only until the callback
 * returns (or its promise settles); `bytes` is how much of the stream the batch covers. Return false
 * to stop reading.
 */
export type ScanBatchHandler = (
  scanner: CaptureScanner,
  buf: Uint8Array,
  bytes: number,
) => boolean | Promise<boolean>;

/** Fills buf[at..] with what comes next; 0 at the end of the input. */
interface ByteSource {
  read(buf: Uint8Array, at: number): Promise<number>;
  close(): void;
}

function streamSource(stream: Readable): ByteSource {
  const it = (stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  let pending: Uint8Array = new Uint8Array(0);
  let done = false;
  return {
    async read(buf, at) {
      while (pending.length === 0) {
        if (done) return 0;
        const r = await it.next();
        if (r.done) done = true;
        else pending = r.value;
      }
      const n = Math.min(pending.length, buf.length - at);
      buf.set(pending.subarray(0, n), at);
      pending = pending.subarray(n);
      return n;
    },
    close() {
      // As the record iterator did on an early stop: ends the stream's iteration (and the stream).
      if (!done) void it.return?.();
    },
  };
}

/** Scans buf[start, end) to the last whole record; returns where the rest starts, or -1 if onBatch stopped. */
async function drain(
  scanner: CaptureScanner,
  buf: Uint8Array,
  start: number,
  end: number,
  onBatch: ScanBatchHandler,
): Promise<number> {
  for (;;) {
    const used = scanner.scan(buf, start, end);
    start += used;
    if (scanner.batch.n > 0 && !(await onBatch(scanner, buf, used))) return -1;
    if (scanner.error) throw scanner.error;
    if (used === 0) return start;
  }
}

/** Room before each chunk for the unscanned end of the previous one: a whole record at libpcap's usual limit. */
const HEADROOM = 262144 + 64;

const readAt = (fd: number, buf: Uint8Array, at: number, n: number) =>
  new Promise<number>((resolve, reject) =>
    read(fd, buf, at, n, null, (e, got) => (e ? reject(e) : resolve(got))),
  );

/**
 * A file in two buffers: the thread pool reads the next chunk into one while the other is scanned
 * (the read overlaps the filtering); the unscanned end of a chunk is copied into the headroom in
 * front of the next. A record longer than the headroom gets a buffer of its own.
 */
async function scanFile(
  fd: number,
  chunk: number,
  scanner: CaptureScanner,
  onBatch: ScanBatchHandler,
): Promise<void> {
  let a = new Uint8Array(HEADROOM + chunk);
  let b = new Uint8Array(HEADROOM + chunk);
  let start = HEADROOM;
  let end = start + (await readAt(fd, a, HEADROOM, chunk));
  let eof = end === start;
  let ahead: Promise<number> | undefined;
  try {
    for (;;) {
      ahead = eof ? undefined : readAt(fd, b, HEADROOM, chunk);
      start = await drain(scanner, a, start, end, onBatch);
      if (start < 0) return;
      const got = ahead ? await ahead : 0;
      ahead = undefined;
      const rest = end - start;
      if (got === 0) {
        scanner.end(rest);
        return;
      }
      if (rest <= HEADROOM) {
        b.set(a.subarray(start, end), HEADROOM - rest);
        [a, b] = [b, a];
        start = HEADROOM - rest;
        end = HEADROOM + got;
        continue;
      }
      const size = Math.max(scanner.need, rest + got, chunk);
      const c = new Uint8Array(HEADROOM + size);
      c.set(a.subarray(start, end), HEADROOM);
      c.set(b.subarray(HEADROOM, HEADROOM + got), HEADROOM + rest);
      start = HEADROOM;
      end = HEADROOM + rest + got;
      while (end < HEADROOM + scanner.need) {
        const n = readSync(fd, c, end, c.length - end, null);
        if (n === 0) break;
        end += n;
      }
      eof = end < HEADROOM + scanner.need;
      a = c;
    }
  } finally {
    // Never close the descriptor under a read still in flight.
    await ahead?.catch(() => 0);
  }
}

/** The stream '-' reads: chunks as they come, appended to one buffer. */
async function scanStream(
  src: ByteSource,
  chunk: number,
  scanner: CaptureScanner,
  onBatch: ScanBatchHandler,
): Promise<void> {
  let buf = new Uint8Array(chunk);
  let start = 0;
  let end = 0;
  for (;;) {
    // What is left is less than one record: move it to the front, and make room for all of that record.
    if (start > 0) {
      buf.copyWithin(0, start, end);
      end -= start;
      start = 0;
    }
    if (scanner.need > buf.length) {
      const bigger = new Uint8Array(Math.max(scanner.need, 2 * buf.length));
      bigger.set(buf.subarray(0, end));
      buf = bigger;
    }
    const got = await src.read(buf, end);
    end += got;
    start = await drain(scanner, buf, start, end, onBatch);
    if (start < 0) return;
    if (got === 0) {
      scanner.end(end - start);
      return;
    }
  }
}

/**
 * Scans a pcap or pcapng file ('-' for stdin) and calls `onBatch` for each batch of records, in
 * order. Throws the PcapFormatError of a malformed or truncated file after the batches before it
 * (as openCaptureFile yields the records before it), and fs errors as they are.
 */
export async function scanCaptureFile(
  path: string,
  onBatch: ScanBatchHandler,
  options: ScanCaptureFileOptions = {},
): Promise<void> {
  const chunk = options.chunkSize ?? 1 << 20;
  const scanner = createCaptureScanner(options);
  if (path === '-' && options.stdinFd !== undefined) {
    await scanFile(options.stdinFd, chunk, scanner, onBatch);
    return;
  }
  if (path === '-') {
    const src = streamSource(options.stdin ?? process.stdin);
    try {
      await scanStream(src, chunk, scanner, onBatch);
    } finally {
      src.close();
    }
    return;
  }
  const fd = openSync(path, 'r');
  try {
    await scanFile(fd, chunk, scanner, onBatch);
  } finally {
    closeSync(fd);
  }
}
