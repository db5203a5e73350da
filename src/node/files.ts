// Capture files on disk or stdin/stdout: streaming Node adapters over the pure src/pcap readers and writers.
import { createReadStream, createWriteStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import {
  type CaptureParserOptions,
  PcapngWriter,
  type PcapRecord,
  type PcapRecordInput,
  PcapWriter,
  readCapture,
} from '../pcap/index.js';
import { AtomicFile, systemReason } from './atomic-file.js';
import { drain } from './buffered-output.js';
import { type ErrnoCode, FileError, SystemError } from './errors.js';

export interface OpenCaptureOptions extends CaptureParserOptions {
  /** Read size; default 1 MiB. Only this much plus the record in progress is held at once. */
  chunkSize?: number;
  /** The stream '-' means; default process.stdin. */
  stdin?: Readable;
}

/**
 * Streams the records of a pcap or pcapng file ('-' for stdin) without loading it whole; yields the
 * records before a malformed part, then throws PcapFormatError. Each chunk is a fresh Buffer, so
 * record data are views of it (no copy).
 */
export async function* openCaptureFile(
  path: string,
  options: OpenCaptureOptions = {},
): AsyncGenerator<PcapRecord> {
  const stream: Readable =
    path === '-'
      ? (options.stdin ?? process.stdin)
      : createReadStream(path, { highWaterMark: options.chunkSize ?? 1 << 20 });
  try {
    yield* readCapture(stream as AsyncIterable<Uint8Array>, options);
  } finally {
    // Stop reading if the consumer broke off early (never close the process's stdin).
    if (path !== '-') stream.destroy();
  }
}

export interface CaptureFileWriterOptions {
  format?: 'pcap' | 'pcapng';
  /** LINKTYPE_*; default 1 (Ethernet). */
  linktype?: number;
  /** Default 262144. */
  snaplen?: number;
  /** Nanosecond timestamps; default false. */
  nanosecond?: boolean;
  /** Default true. */
  littleEndian?: boolean;
  /** The stream '-' means; default process.stdout. */
  stdout?: Writable;
}

export interface CaptureFileWriter {
  /** Appends a record; resolves when the stream can take more (backpressure). */
  write(record: PcapRecordInput): Promise<void>;
  /**
   * Writes the header if nothing was written, flushes and closes (stdout is flushed, not closed).
   * A file appears under its name only now, whole (see AtomicFile); after a failed write it keeps
   * the records written whole before the failure, which is thrown.
   */
  close(): Promise<void>;
}

/**
 * A pcap or pcapng file writer ('-' for stdout) that respects the stream's backpressure. A file is
 * written to a temporary file beside it and renamed over it by close().
 */
export function createCaptureFileWriter(
  path: string,
  options: CaptureFileWriterOptions = {},
): CaptureFileWriter {
  const toStdout = path === '-';
  const file = toStdout ? undefined : AtomicFile.open(path);
  const out: Writable = file
    ? createWriteStream('', { fd: file.fd, autoClose: false })
    : (options.stdout ?? process.stdout);
  const enc =
    options.format === 'pcapng'
      ? new PcapngWriter({
          linktype: options.linktype,
          snaplen: options.snaplen,
          nanosecond: options.nanosecond,
          littleEndian: options.littleEndian,
        })
      : new PcapWriter({
          linktype: options.linktype,
          snaplen: options.snaplen,
          nanosecond: options.nanosecond,
          littleEndian: options.littleEndian,
        });
  let failure: Error | undefined;
  out.on('error', (e: Error) => {
    failure ??= e;
  });
  /** Bytes the file took whole: each write() holds whole records, so this is a record boundary. */
  let written = 0;

  function put(bytes: Uint8Array): Promise<void> {
    if (failure) return Promise.reject(failure);
    const n = bytes.length;
    const counted = (e?: Error | null) => {
      if (!e) written += n;
    };
    if (n === 0 || out.write(bytes, counted)) return Promise.resolve();
    return drain(out);
  }

  let closed = false;
  return {
    write(record) {
      if (closed) return Promise.reject(new FileError('WRITE_AFTER_CLOSE', 'write after close()'));
      return put(enc.write(record));
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await put(enc.header());
        await new Promise<void>((resolve, reject) => {
          if (failure) return reject(failure);
          out.once('error', reject);
          if (toStdout) out.write(new Uint8Array(0), () => resolve());
          else out.end(() => resolve());
        });
      } catch (e) {
        failure ??= e as Error;
      }
      if (!file) {
        if (failure) throw failure;
        return;
      }
      if (!failure) return file.commit();
      if (written > 0) file.commit(written);
      else file.discard();
      const kept =
        written > 0
          ? `kept the ${written} bytes of whole records written before it`
          : 'nothing written';
      throw new SystemError(
        ((failure as NodeJS.ErrnoException).code ?? 'EIO') as ErrnoCode,
        `${path}: ${systemReason(failure)} (${kept})`,
      );
    },
  };
}
