// Finding where a classic pcap record starts in the middle of a file, without reading what comes
// before: a file split across threads starts each part at a guess, which the thread that reads the
// part before checks (it ends exactly where the next record starts).
import type { ClassicHeader } from './classic.js';
import { DEFAULT_CAPLEN_LIMIT } from './record.js';

const u32 = (b: Uint8Array, p: number, le: boolean): number =>
  le
    ? ((b[p] as number) |
        ((b[p + 1] as number) << 8) |
        ((b[p + 2] as number) << 16) |
        ((b[p + 3] as number) << 24)) >>>
      0
    : (((b[p] as number) << 24) |
        ((b[p + 1] as number) << 16) |
        ((b[p + 2] as number) << 8) |
        (b[p + 3] as number)) >>>
      0;

/**
 * The first offset at or after `from` in `window` (bytes of the file after its header; `final` when
 * they reach the file's end) where `chain` records in a row have plausible headers: a captured length
 * neither 0 nor above the reader's limit or the wire length, a fraction below one second, seconds not 0
 * and within a day of the record before, each record ending where the next begins (or exactly at the
 * file's end; at least 2 records either way: seconds that agree tie them). Zero padding at the end of a frame looks like a header with nothing captured; hence the
 * zeros refused. A guess is only a guess: the caller checks it.
 * A chain cut short by the window's end counts after 2 records. -1 when there is none.
 */
export function findClassicRecord(
  window: Uint8Array,
  from: number,
  h: ClassicHeader,
  final: boolean,
  chain = 16,
): number {
  const le = h.littleEndian;
  const hl = h.recordHeaderLength;
  const limit = Math.max(h.snaplen, DEFAULT_CAPLEN_LIMIT);
  const second = h.nanosecond ? 1e9 : 1e6;
  for (let p = from; p + hl <= window.length; p++) {
    let q = p;
    let ok = 0;
    let sec = -1;
    // Read 4 bytes late, a record's header shows its fraction where the captured length should be and
    // its captured length where the wire length should be; with the two lengths equal (as they mostly
    // are) and fractions that move little, such a chain looks right. It shows in fraction = length.
    let shifted = 0;
    const good = () => ok >= 2 && shifted * 2 <= ok;
    while (ok < chain) {
      if (q === window.length && final && good()) return p;
      if (q + hl > window.length) {
        if (!final && good()) return p;
        break;
      }
      const s = u32(window, q, le);
      const frac = u32(window, q + 4, le);
      const caplen = u32(window, q + 8, le);
      const len = u32(window, q + 12, le);
      if (caplen === 0 || caplen > limit || caplen > len || frac >= second || s === 0) break;
      if (sec >= 0 && Math.abs(s - sec) > 86_400) break;
      sec = s;
      if (frac === caplen) shifted++;
      q += hl + caplen;
      ok++;
    }
    if (ok >= chain && good()) return p;
  }
  return -1;
}
