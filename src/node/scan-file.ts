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
  /**
   * The buffer to read into while the records fit (its length is the read size): one the caller
   * shares with its output, say (scanner.copyManyAsPcap). A record longer than it moves the scan to a
   * larger buffer of its own.
   */
  buffer?: Uint8Array;
  /** The stream '-' means; default process.stdin. */
  stdin?: Readable;
  /** A descriptor '-' means instead of a stream (read as a file is, from where it stands; left open). */
  stdinFd?: number;
  /**
   * The scanner to use (default: a new one with these options): the caller can then read the file
   * header it saw even when there were no records, or the scan threw.
   */
  scanner?: CaptureScanner;
  /** A part of a named file: from a record's start (after scanning its header), up to an offset. */
  range?: ScanRange;
  /**
   * Stops the scan (it returns as if the handler had returned false) between batches and during a
   * read that waits (a pipe, a FIFO, a terminal). The scan also yields to the event loop between
   * reads when given one, so the signal handler that aborts it gets to run.
   */
  signal?: AbortSignal;
}

/**
 * Where in a file a scan starts and ends, for reading one file on several threads: `start` is a
 * record's file offset and `prelude` the file's header, scanned first; the scan stops before the first
 * record that starts at or after `end`. A function `end` is asked before each scan with the offset up
 * to which records were handed on, and may name an end later (another thread taking the rest).
 */
export interface ScanRange {
  start?: number;
  prelude?: Uint8Array;
  end?: number | ((reached: number) => number | undefined);
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

/** How long a scan of a file reads without letting the event loop turn (a stop signal waits that long at most). */
const TURN_MS = 20;

/**
 * Plain blocking reads on this thread: the kernel's copy leaves the chunk in this core's cache for
 * the scan. Reading ahead on the thread pool measured more CPU and no less wall time.
 */
function fileSource(fd: number, owned: boolean, from?: number): ByteSource {
  let position = from;
  return {
    read: (buf, at) => {
      const n = readSync(fd, buf, at, buf.length - at, position ?? null);
      if (position !== undefined) position += n;
      return n;
    },
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
function pathSource(
  path: string,
  chunk: number,
  signal: AbortSignal | undefined,
  from?: number,
): ByteSource {
  const fd = openSync(path, 'r');
  let regular = true;
  try {
    regular = fstatSync(fd).isFile();
  } catch {
    // Unknown: read it as a file.
  }
  return regular
    ? fileSource(fd, true, from)
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
 * (as openCaptureFile yields the records before it), and fs errors as they are. With `range.end`,
 * resolves to the file offset of the first record it did not scan (undefined: the input ended first).
 */
export async function scanCaptureFile(
  path: string,
  onBatch: ScanBatchHandler,
  options: ScanCaptureFileOptions = {},
): Promise<number | undefined> {
  const chunk = options.chunkSize ?? 1 << 19;
  const range = options.range ?? {};
  const signal = options.signal;
  const src =
    path !== '-'
      ? pathSource(path, chunk, signal, range.start)
      : options.stdinFd !== undefined
        ? fileSource(options.stdinFd, false)
        : streamSource(options.stdin ?? process.stdin, signal);
  const scanner = options.scanner ?? createCaptureScanner(options);
  const prelude = range.prelude?.length ?? 0;
  let buf =
    options.buffer && options.buffer.length > prelude
      ? options.buffer
      : new Uint8Array(Math.max(chunk, prelude + 1));
  let start = 0;
  let end = 0;
  /** The file offset of buf[0] (before a prelude, the offset it stands in for). */
  let base = 0;
  if (range.prelude) {
    buf.set(range.prelude);
    end = range.prelude.length;
    base = (range.start ?? 0) - end;
  }
  const endAt = range.end;
  /** When the scan last let the event loop turn (the first turn comes TURN_MS after the start). */
  let turned = Date.now();
  try {
    // Stopped before it began: nothing is read.
    if (signal?.aborted) return undefined;
    for (;;) {
      // What is left is less than one record: move it to the front, and make room for all of that record.
      if (start > 0) {
        buf.copyWithin(0, start, end);
        end -= start;
        base += start;
        start = 0;
      }
      if (scanner.need > buf.length) {
        const bigger = new Uint8Array(Math.max(scanner.need, 2 * buf.length));
        bigger.set(buf.subarray(0, end));
        buf = bigger;
      }
      if (signal && Date.now() - turned >= TURN_MS) {
        // A file is read without waiting: let a pending signal's handler run between reads, every
        // TURN_MS (a turn of the event loop per 512 KiB read was a twentieth of the time on large files;
        // Date.now, as performance.now would load perf_hooks at the first read).
        await new Promise((resolve) => setImmediate(resolve));
        turned = Date.now();
        if (signal.aborted) return undefined;
      }
      // A file's read and a handler that had nothing to wait for answer at once: no await per batch.
      const read = src.read(buf, end);
      const got = typeof read === 'number' ? read : await read;
      if (got < 0) return undefined;
      end += got;
      for (;;) {
        // A function end is asked where the records handed on so far end (this scan's are not yet).
        const stop = typeof endAt === 'function' ? endAt(base + start) : endAt;
        const used = scanner.scan(buf, start, end);
        start += used;
        if (stop !== undefined) {
          // Only the records that start before `stop`; the first that does not is where this part ends.
          const b = scanner.batch;
          let i = 0;
          while (i < b.n && base + (b.start[i] as number) < stop) i++;
          const at = i < b.n ? base + (b.start[i] as number) : base + start;
          if (at >= stop) {
            b.n = i;
            if (i > 0) {
              const handled = onBatch(scanner, buf, used);
              if (typeof handled !== 'boolean') await handled;
            }
            return at;
          }
        }
        if (scanner.batch.n > 0) {
          const handled = onBatch(scanner, buf, used);
          if (!(typeof handled === 'boolean' ? handled : await handled)) return undefined;
        }
        if (signal?.aborted) return undefined;
        if (scanner.error) throw scanner.error;
        if (used === 0) break;
      }
      if (got === 0) {
        scanner.end(end - start);
        return undefined;
      }
    }
  } finally {
    src.close();
  }
}
