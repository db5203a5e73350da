// Capture files scanned in large chunks: a file (or a descriptor) read synchronously, or stdin as a
// stream, into one reused buffer, handed batch by batch to a callback with the records' positions in it.
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  type CaptureScanner,
  type CaptureScannerOptions,
  createCaptureScanner,
} from '../pcap/scanner.js';

export interface ScanCaptureFileOptions extends CaptureScannerOptions {
  /** Read size and initial buffer; default 512 KiB (large reads into a buffer that stays in L2 while it is scanned). */
  chunkSize?: number;
  /** The stream '-' means; default process.stdin. */
  stdin?: Readable;
  /** A descriptor '-' means instead of a stream (read as a file is, from where it stands; left open). */
  stdinFd?: number;
  /**
   * The scanner to use (default: a new one with these options): the caller can then read the file
   * header it saw even when there were no records, or the scan threw.
   */
  scanner?: CaptureScanner;
  /**
   * Stops the scan (it returns as if the handler had returned false) between batches and during a
   * read that waits (a pipe, a FIFO, a terminal). The scan also yields to the event loop between
   * reads when given one, so the signal handler that aborts it gets to run.
   */
  signal?: AbortSignal;
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

/** Fills buf[at..] with what comes next; 0 at the end of the input, -1 when the signal aborted the wait. */
interface ByteSource {
  read(buf: Uint8Array, at: number): number | Promise<number>;
  close(): void;
}

/**
 * Plain blocking reads on this thread: the kernel's copy leaves the chunk in this core's cache for
 * the scan. Reading ahead on the thread pool measured more CPU and no less wall time.
 */
function fileSource(fd: number, owned: boolean): ByteSource {
  return {
    read: (buf, at) => readSync(fd, buf, at, buf.length - at, null),
    close: () => {
      if (owned) closeSync(fd);
    },
  };
}

/**
 * A named input: a regular file is read synchronously (fileSource); anything else (a FIFO,
 * /dev/stdin on a pipe, a terminal) as a stream, since a synchronous read there could wait forever
 * with no way for a signal to end it.
 */
function pathSource(path: string, chunk: number, signal: AbortSignal | undefined): ByteSource {
  const fd = openSync(path, 'r');
  let regular = true;
  try {
    regular = fstatSync(fd).isFile();
  } catch {
    // Unknown: read it as a file.
  }
  return regular
    ? fileSource(fd, true)
    : streamSource(createReadStream('', { fd, highWaterMark: chunk }), signal);
}

function streamSource(stream: Readable, signal: AbortSignal | undefined): ByteSource {
  const it = (stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  let pending: Uint8Array = new Uint8Array(0);
  let done = false;
  // Settles when the signal aborts: a read that waits for input races it.
  const aborted =
    signal &&
    new Promise<undefined>((resolve) => {
      if (signal.aborted) resolve(undefined);
      else signal.addEventListener('abort', () => resolve(undefined), { once: true });
    });
  return {
    async read(buf, at) {
      while (pending.length === 0) {
        if (done) return 0;
        const r = aborted ? await Promise.race([it.next(), aborted]) : await it.next();
        if (r === undefined) return -1;
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
  const chunk = options.chunkSize ?? 1 << 19;
  const signal = options.signal;
  const src =
    path !== '-'
      ? pathSource(path, chunk, signal)
      : options.stdinFd !== undefined
        ? fileSource(options.stdinFd, false)
        : streamSource(options.stdin ?? process.stdin, signal);
  const scanner = options.scanner ?? createCaptureScanner(options);
  let buf = new Uint8Array(chunk);
  let start = 0;
  let end = 0;
  try {
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
      if (signal) {
        // A file is read without waiting: let a pending signal's handler run between reads.
        await new Promise((resolve) => setImmediate(resolve));
        if (signal.aborted) return;
      }
      const got = await src.read(buf, end);
      if (got < 0) return;
      end += got;
      for (;;) {
        const used = scanner.scan(buf, start, end);
        start += used;
        if (scanner.batch.n > 0 && !(await onBatch(scanner, buf, used))) return;
        if (signal?.aborted) return;
        if (scanner.error) throw scanner.error;
        if (used === 0) break;
      }
      if (got === 0) {
        scanner.end(end - start);
        return;
      }
    }
  } finally {
    src.close();
  }
}
