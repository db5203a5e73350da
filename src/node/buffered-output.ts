// Bytes for a file or a stream gathered in one large buffer and written in big writes, so a caller
// can append many small records synchronously.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';

/** A growable output buffer over a file (written synchronously) or a stream (with backpressure). */
export class BufferedOutput {
  /** Append at `buf[length]` after reserve(); the bytes before `length` are pending. */
  buf: Uint8Array;
  length = 0;
  private readonly fd: number | undefined;
  private readonly stream: Writable | undefined;
  private readonly size: number;
  private failure: Error | undefined;
  private full = false;
  private closed = false;

  /** Opens (creates or truncates) `target` when it is a path; a stream is written, never ended. */
  constructor(target: string | Writable, size = 1 << 20) {
    this.size = size;
    this.buf = new Uint8Array(size);
    if (typeof target === 'string') {
      this.fd = openSync(target, 'w');
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
    if (n > this.buf.length) this.buf = new Uint8Array(Math.max(n, this.size));
  }

  /** Appends a copy of `bytes`. */
  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Writes out what is pending: to the file now, or handed to the stream (which then owns that buffer). */
  flush(): void {
    if (this.failure) throw this.failure;
    if (this.length === 0) return;
    if (this.fd !== undefined) {
      let at = 0;
      while (at < this.length) at += writeSync(this.fd, this.buf, at, this.length - at);
      this.length = 0;
      return;
    }
    const out = this.buf.subarray(0, this.length);
    this.buf = new Uint8Array(Math.max(this.size, this.buf.length));
    this.length = 0;
    if (!(this.stream as Writable).write(out)) this.full = true;
  }

  /** Resolves when a stream can take more (after its 'drain' if it was full); rejects on its error. */
  async drained(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.full) return;
    const s = this.stream as Writable;
    await new Promise<void>((resolve, reject) => {
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
    this.full = false;
  }

  /** Flushes; closes a file, waits until a stream has taken everything (the stream stays open). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      if (this.fd !== undefined) closeSync(this.fd);
    }
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
}
