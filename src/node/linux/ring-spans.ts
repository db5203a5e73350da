// pcap records written straight from the ring: each record's 16-byte header goes into the free room the
// kernel leaves before the frame (PACKET_RESERVE), and writev(2) takes the (header + frame) spans where
// they lie, so the kernel copies the frames to the file and JavaScript touches 20 bytes per frame.
import { writeSync } from 'node:fs';
import type { CaptureBatch } from '../capture-batch.js';
import * as libc from '../ffi/libc.js';

const IOV_MAX = 1024;
const RECORD_HEADER = 16;

/** Writes batches of a ring capture to a file descriptor as pcap records (microseconds, little-endian). */
export class RingSpanWriter {
  readonly #fd: number;
  readonly #iov = new Uint8Array(16 * IOV_MAX);
  readonly #iv = new DataView(this.#iov.buffer);
  #ring: Uint8Array | undefined;
  #rv: DataView | undefined;

  constructor(fd: number) {
    this.#fd = fd;
  }

  /** Whether `b` can be written this way: frames in mapped memory with room for a record header. */
  static fits(b: CaptureBatch): boolean {
    return b.address !== undefined && b.headroom >= RECORD_HEADER;
  }

  /** Writes frames [0, n) of `b` (fits(b) must hold); synchronous, as tcpdump's fwrite. */
  write(b: CaptureBatch, n: number): void {
    if (b.buffer !== this.#ring) {
      this.#ring = b.buffer;
      this.#rv = new DataView(b.buffer.buffer, b.buffer.byteOffset, b.buffer.byteLength);
    }
    const rv = this.#rv as DataView;
    const iv = this.#iv;
    const base = b.address as bigint;
    const lo = Number(base & 0xffffffffn);
    const hi = Number(base >> 32n);
    const data = b.data;
    const caplens = b.caplen;
    let k = 0;
    let bytes = 0;
    let first = 0;
    for (let i = 0; i < n; i++) {
      const caplen = caplens[i] as number;
      const h = (data[i] as number) - RECORD_HEADER;
      rv.setUint32(h, b.sec[i] as number, true);
      rv.setUint32(h + 4, ((b.nsec[i] as number) / 1000) | 0, true);
      rv.setUint32(h + 8, caplen, true);
      rv.setUint32(h + 12, b.wirelen[i] as number, true);
      const a = lo + h;
      const e = 16 * k;
      iv.setUint32(e, a >>> 0, true);
      iv.setUint32(e + 4, hi + (a > 0xffffffff ? 1 : 0), true);
      iv.setUint32(e + 8, RECORD_HEADER + caplen, true);
      iv.setUint32(e + 12, 0, true);
      bytes += RECORD_HEADER + caplen;
      if (++k === IOV_MAX) {
        this.#flush(b, first, k, bytes);
        first = i + 1;
        k = 0;
        bytes = 0;
      }
    }
    if (k > 0) this.#flush(b, first, k, bytes);
  }

  /** One writev of spans for frames [first, first + k); a short write is finished by plain writes. */
  #flush(b: CaptureBatch, first: number, k: number, bytes: number): void {
    let done = libc.writev(this.#fd, this.#iov, k);
    if (done === bytes) return;
    for (let i = first; i < first + k; i++) {
      const start = (b.data[i] as number) - RECORD_HEADER;
      const len = RECORD_HEADER + (b.caplen[i] as number);
      if (done >= len) {
        done -= len;
        continue;
      }
      let at = start + done;
      done = 0;
      while (at < start + len) at += writeSync(this.#fd, b.buffer, at, start + len - at);
    }
  }
}
