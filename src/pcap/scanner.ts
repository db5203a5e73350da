// `cbpf -r`'s view of a capture: the walker's record positions in the caller's buffer, plus a copy of
// a record as a default PcapWriter writes it, without decoding it (the -w fast path).
import { type ClassicHeader, copyClassicRecord, setU32LE, u32 } from './classic.js';
import { BT_EPB, type PcapngSection } from './pcapng.js';
import { type CaptureWalker, type CaptureWalkerOptions, createCaptureWalker } from './walker.js';

export type { RecordBatch } from './walker.js';

export interface CaptureScannerOptions extends Omit<CaptureWalkerOptions, 'onBlock'> {}

/** See createCaptureScanner. */
export interface CaptureScanner extends CaptureWalker {
  /**
   * Writes record `i` to `dst[to]` as a default PcapWriter (little-endian, µs) writes it with its
   * first `caplen` bytes, without decoding it (see copyClassicRecord). Returns 16 + caplen, or 0 when
   * the record needs the writer: a fraction of a second or more (pcap), a packet block that is not
   * an EPB, timestamps other than plain microseconds (if_tsresol, if_tsoffset), or a time past 2106.
   */
  copyAsPcap(buf: Uint8Array, i: number, caplen: number, dst: Uint8Array, to: number): number;
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
      if (u32(buf, at, le) !== BT_EPB) return 0;
      const iface = sec.interfaces[u32(buf, at + 8, le)];
      if (iface.mul !== 1000n || iface.div !== 1n || iface.offsetNs !== 0n) return 0;
      const hi = u32(buf, at + 12, le);
      if (hi >= EXACT_US_HIGH_WORD) return 0;
      const units = hi * TWO_32 + u32(buf, at + 16, le);
      const usec = units % 1e6;
      const secs = (units - usec) / 1e6;
      if (secs >= TWO_32) return 0; // the writer refuses it
      setU32LE(dst, to, secs);
      setU32LE(dst, to + 4, usec);
      setU32LE(dst, to + 8, caplen);
      setU32LE(dst, to + 12, batch.wirelen[i]);
      dst.set(buf.subarray(batch.data[i], batch.data[i] + caplen), to + 16);
      return 16 + caplen;
    },
  };
}
