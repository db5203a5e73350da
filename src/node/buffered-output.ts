// Bytes for a file or a stream gathered in one large buffer and written in big writes, so a caller
// can append many small records synchronously.
import { write, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { AtomicFile, systemReason } from './atomic-file.js';
import { type ErrnoCode, SystemError } from './errors.js';

/** Resolves at the stream's next 'drain', rejects at an 'error' before it. */
export function drain(s: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (e?: Error) => {
      s.off('drain', onDrain);
      s.off('error', done);
      if (e) reject(e);
      else resolve();
    };
    const onDrain = () => done();
    s.once('drain', onDrain);
    s.once('error', done);
  });
}

/**
 * A growable output buffer over a file (written by the thread pool, in order) or a stream (with
 * backpressure). A file is an AtomicFile: it appears under its name, whole, at close(). Callers
 * append whole records between flushes, so every flushed chunk ends at a record boundary.
 */
export class BufferedOutput {
  /** Append at `buf[length]` after reserve(); the bytes before `length` are pending. */
  buf: Uint8Array;
  length = 0;
  private readonly file: AtomicFile | undefined;
  private readonly fd: number | undefined;
  /** Bytes of the file whose writes completed: the end of the last chunk (and record) written whole. */
  private written = 0;
  private readonly stream: Writable | undefined;
  private readonly size: number;
  private failure: Error | undefined;
  private full = false;
  private closed = false;
  /** File writes in flight, oldest first; each is chained after the one before (they must land in order). */
  private writes: Promise<void>[] = [];
  private spare: Uint8Array[] = [];

  /**
   * Opens `target` as an AtomicFile when it is a path; a stream is written, never ended. `buffers`
   * (each `size` long) are filled in turn before any other is made: views of one buffer the caller
   * also reads into, say.
   */
  constructor(target: string | Writable, size = 1 << 20, buffers: readonly Uint8Array[] = []) {
    this.size = size;
    const given = buffers.filter((b) => b.length === size);
    this.buf = given[0] ?? new Uint8Array(size);
    this.spare = given.slice(1).reverse();
    if (typeof target === 'string') {
      this.file = AtomicFile.open(target);
      this.fd = this.file.fd;
    } else {
      this.stream = target;
      target.on('error', (e: Error) => {
        this.failure ??= e;
      });
    }
  }

  /** Makes room for `n` more bytes at `buf[length]`, writing out what is pending if needed. */
  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) {
      // The buffer flush() took up goes back for the next flush.
      if (this.buf.length === this.size) this.spare.push(this.buf);
      this.buf = new Uint8Array(Math.max(n, this.size));
    }
  }

  /** Appends a copy of `bytes`. */
  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /**
   * Hands what is pending on: to the thread pool for the file (written while the caller goes on
   * filling another buffer) or to the stream (which then owns that buffer).
   */
  flush(): void {
    if (this.failure) throw this.reported();
    if (this.length === 0) return;
    const whole = this.buf;
    const out = whole.subarray(0, this.length);
    this.buf = this.spare.pop() ?? new Uint8Array(Math.max(this.size, this.buf.length));
    this.length = 0;
    if (this.fd === undefined) {
      if (!(this.stream as Writable).write(out)) this.full = true;
      return;
    }
    const fd = this.fd;
    const writeFrom = (at: number) =>
      new Promise<number>((resolve, reject) =>
        write(fd, out, at, out.length - at, null, (e, n) => (e ? reject(e) : resolve(n))),
      );
    // The first write starts when writeAll is called (an async function runs up to its first await).
    const writeAll = async () => {
      for (let at = await writeFrom(0); at < out.length; ) at += await writeFrom(at);
      this.written += out.length;
      if (whole.length === this.size) this.spare.push(whole);
    };
    // With no write in flight this one starts now: a caller whose batches make no promise may not give
    // a queued start its turn for a while. Else after the one before, as the writes must land in order.
    const prior = this.writes.at(-1);
    const done = (
      prior === undefined ? writeAll() : prior.then(() => (this.failure ? undefined : writeAll()))
    )
      .catch((e: Error) => {
        this.failure ??= e;
      })
      .finally(() => {
        this.writes.shift();
      });
    this.writes.push(done);
  }

  /**
   * Resolves when the destination can take more: a file once at most one write is in flight (so
   * memory stays bounded while writing overlaps the caller's work), a stream after its 'drain' if it
   * was full. Rejects with a write error. Undefined when it can take more now: a caller that writes
   * every batch then makes no promise per batch.
   */
  drained(): Promise<void> | undefined {
    if (this.writes.length <= 1 && !this.failure && !this.full) return undefined;
    return this.drainedLater();
  }

  private async drainedLater(): Promise<void> {
    while (this.writes.length > 1) await this.writes[0];
    if (this.failure) {
      // What close() will keep: the writes before the failure (none follows it).
      if (this.file) while (this.writes.length > 0) await this.writes[0];
      throw this.reported();
    }
    if (!this.full) return;
    await drain(this.stream as Writable);
    this.full = false;
  }

  /**
   * Flushes; puts a file in place once written, waits until a stream has taken everything (the
   * stream stays open). After a failed write (a full disk) the file keeps the chunks written
   * whole, or is dropped if none was, and the failure is thrown.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.fd === undefined) this.flush();
    } catch {
      // A stream's failure, thrown below.
    } finally {
      if (this.file) {
        while (this.writes.length > 0) await this.writes[0];
        this.writeRest();
        if (!this.failure) this.file.commit();
        else if (this.written > 0) this.file.commit(this.written);
        else this.file.discard();
      }
    }
    if (this.failure) throw this.reported();
    const s = this.stream;
    if (!s) return;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.write(new Uint8Array(0), () => {
        s.off('error', reject);
        resolve();
      });
    });
    if (this.failure) throw this.failure;
  }

  /**
   * A file's last bytes, written on this thread: close() waits for them anyway, and a short run (a small
   * file, a -V list's every file) then never starts the thread pool or waits for its hand-back.
   */
  private writeRest(): void {
    const fd = this.fd as number;
    const out = this.buf.subarray(0, this.length);
    this.length = 0;
    if (this.failure) return;
    try {
      for (let at = 0; at < out.length; ) at += writeSync(fd, out, at, out.length - at);
      this.written += out.length;
    } catch (e) {
      this.failure = e as Error;
    }
  }

  /** The write failure as reported: for a file, its name and what close() keeps of it. */
  private reported(): Error {
    const failure = this.failure as Error;
    if (!this.file) return failure;
    const kept =
      this.written > 0
        ? `kept the ${this.written} bytes of whole records written before it`
        : 'nothing written';
    return new SystemError(
      ((failure as NodeJS.ErrnoException).code ?? 'EIO') as ErrnoCode,
      `${this.file.path}: ${systemReason(failure)} (${kept})`,
    );
  }

  /** Drops a file's output: the destination stays as it was (a stream is left as it is). */
  async discard(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.length = 0;
    while (this.writes.length > 0) await this.writes[0];
    this.file?.discard();
  }
}
