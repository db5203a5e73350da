// `cbpf -r`'s view of a capture: the walker's record positions in the caller's buffer, plus what
// tcpdump -w and its printed lines need of a record without decoding it: the copy as a pcap record,
// and its time as libpcap hands it to tcpdump.
import { type ClassicHeader, copyClassicRecord, NOT_SWAPPED, setU32LE, u32 } from './classic.js';
import { BT_EPB, BT_SPB, type PcapngSection } from './pcapng.js';
import { classicTimeval, pcapngTimeval, setPcapTime, type Timeval } from './timeval.js';
import { type CaptureWalker, type CaptureWalkerOptions, createCaptureWalker } from './walker.js';

export type { RecordBatch } from './walker.js';

export interface CaptureScannerOptions extends Omit<CaptureWalkerOptions, 'onBlock'> {}

/** See createCaptureScanner. */
export interface CaptureScanner extends CaptureWalker {
  /**
   * Writes record `i` to `dst[to]` as tcpdump -w writes it with its first `caplen` bytes: a
   * little-endian µs pcap record whose time is libpcap's timeval of it cut to 32 bits (see
   * timeval.ts and copyClassicRecord), without decoding the record. Returns 16 + caplen.
   */
  copyAsPcap(buf: Uint8Array, i: number, caplen: number, dst: Uint8Array, to: number): number;
  /**
   * copyAsPcap for records `base + picked[q]`, q < k, each with its first min(caplen, snaplen) bytes,
   * one after another from `dst[to]`; returns the bytes written. Records a little-endian µs file
   * already holds as they are written go out as runs of neighbours, one copy per run; when `dst` and
   * `buf` are views of one buffer, each run is moved within it (copyWithin), with no view made per run.
   */
  copyManyAsPcap(
    buf: Uint8Array,
    base: number,
    picked: Int32Array,
    k: number,
    snaplen: number,
    dst: Uint8Array,
    to: number,
  ): number;
  /** The bytes copyManyAsPcap writes for the same records and snap length (room to reserve first). */
  pcapSize(base: number, picked: Int32Array, k: number, snaplen: number): number;
  /** Record `i`'s time as libpcap hands it to tcpdump (timeval.ts), for printing it as tcpdump does. */
  timeval(buf: Uint8Array, i: number): Timeval;
}

/** Microseconds from 2^53 on are past what a double holds exactly (the high word's bit 21). */
const EXACT_US_HIGH_WORD = 2 ** 21;
const TWO_32 = 2 ** 32;

/**
 * A scanner for callers that hold large chunks of a capture and want record positions rather than
 * record objects, e.g. to run a filter over the chunk and copy the matching byte ranges.
 * @example
 * const s = createCaptureScanner();
 * for (let at = 0, used; (used = s.scan(bytes, at, bytes.length)) > 0; at += used)
 *   for (let i = 0; i < s.batch.n; i++) filter.at(bytes, s.batch.data[i], s.batch.caplen[i], s.batch.wirelen[i]);
 */
export function createCaptureScanner(options: CaptureScannerOptions = {}): CaptureScanner {
  const w = createCaptureWalker(options);
  const batch = w.batch;

  /** Record i's time as libpcap hands it to tcpdump. */
  function timeval(buf: Uint8Array, i: number): Timeval {
    const at = batch.start[i];
    if (w.format === 'pcap') {
      const h = w.classic as ClassicHeader;
      return classicTimeval(
        u32(buf, at, h.littleEndian),
        u32(buf, at + 4, h.littleEndian),
        h.nanosecond,
      );
    }
    const sec = w.section as PcapngSection;
    const le = sec.littleEndian;
    const type = u32(buf, at, le);
    if (type === BT_SPB) return pcapngTimeval(sec.interfaces[0], 0n);
    // EPB: interface, then the timestamp; the obsolete PB: a 16-bit interface and drops count.
    const id =
      type === BT_EPB
        ? u32(buf, at + 8, le)
        : le
          ? buf[at + 8] | (buf[at + 9] << 8)
          : (buf[at + 8] << 8) | buf[at + 9];
    const units = (BigInt(u32(buf, at + 12, le)) << 32n) | BigInt(u32(buf, at + 16, le));
    return pcapngTimeval(sec.interfaces[id], units);
  }

  return {
    get format() {
      return w.format;
    },
    get classic() {
      return w.classic;
    },
    get section() {
      return w.section;
    },
    get firstInterface() {
      return w.firstInterface;
    },
    get records() {
      return w.records;
    },
    batch,
    get offset() {
      return w.offset;
    },
    get need() {
      return w.need;
    },
    get error() {
      return w.error;
    },
    scan: (buf, start, end) => w.scan(buf, start, end),
    end: (rest) => w.end(rest),
    record: (buf, i) => w.record(buf, i),
    copyAsPcap(buf, i, caplen, dst, to) {
      const at = batch.start[i];
      if (w.format === 'pcap')
        return copyClassicRecord(buf, at, w.classic as ClassicHeader, caplen, dst, to);
      const sec = w.section as PcapngSection;
      const le = sec.littleEndian;
      const type = u32(buf, at, le);
      const iface = sec.interfaces[type === BT_EPB ? u32(buf, at + 8, le) : 0];
      const hi = u32(buf, at + 12, le);
      if (
        type === BT_EPB &&
        iface.unitsPerSecond === 1_000_000n &&
        iface.offsetSec === 0n &&
        hi < EXACT_US_HIGH_WORD
      ) {
        // The common case without BigInt: microseconds, no offset.
        const units = hi * TWO_32 + u32(buf, at + 16, le);
        const usec = units % 1e6;
        setU32LE(dst, to, ((units - usec) / 1e6) % TWO_32);
        setU32LE(dst, to + 4, usec);
      } else setPcapTime(dst, to, timeval(buf, i));
      setU32LE(dst, to + 8, caplen);
      setU32LE(dst, to + 12, batch.wirelen[i]);
      dst.set(buf.subarray(batch.data[i], batch.data[i] + caplen), to + 16);
      return 16 + caplen;
    },
    copyManyAsPcap(buf, base, picked, k, snaplen, dst, to) {
      const { start, caplen } = batch;
      const h = w.format === 'pcap' ? (w.classic as ClassicHeader) : undefined;
      let p = to;
      if (
        !h?.littleEndian ||
        h.nanosecond ||
        h.recordHeaderLength !== 16 ||
        h.lengthsSwapped !== NOT_SWAPPED
      ) {
        for (let q = 0; q < k; q++) {
          const i = base + (picked[q] as number);
          p += this.copyAsPcap(buf, i, Math.min(caplen[i] as number, snaplen), dst, p);
        }
        return p - to;
      }
      // A view per run (buf.subarray) cost twice the copy on 100-byte records, and a young-generation
      // collection every few thousand: one buffer for both lets a run move within it instead.
      const whole = dst.buffer === buf.buffer ? new Uint8Array(buf.buffer) : undefined;
      const put = (from: number, end: number, at: number) => {
        if (whole)
          whole.copyWithin(dst.byteOffset + at, buf.byteOffset + from, buf.byteOffset + end);
        else dst.set(buf.subarray(from, end), at);
      };
      // The run of adjacent records copied so far as they stand: buf[from..end).
      let from = -1;
      let end = -1;
      for (let q = 0; q < k; q++) {
        const i = base + (picked[q] as number);
        const at = start[i] as number;
        const cap = caplen[i] as number;
        if (cap <= snaplen && cap === u32(buf, at + 8, true)) {
          if (at !== end) {
            if (from >= 0) {
              put(from, end, p);
              p += end - from;
            }
            from = at;
          }
          end = at + 16 + cap;
          continue;
        }
        if (from >= 0) {
          put(from, end, p);
          p += end - from;
          from = end = -1;
        }
        p += copyClassicRecord(buf, at, h, Math.min(cap, snaplen), dst, p);
      }
      if (from >= 0) {
        put(from, end, p);
        p += end - from;
      }
      return p - to;
    },
    pcapSize(base, picked, k, snaplen) {
      let bytes = 0;
      for (let q = 0; q < k; q++)
        bytes += 16 + Math.min(batch.caplen[base + (picked[q] as number)] as number, snaplen);
      return bytes;
    },
    timeval,
  };
}
