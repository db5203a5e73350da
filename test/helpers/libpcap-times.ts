// Captures whose record times libpcap hands over unlike the exact nanoseconds cbpf's readers give:
// a fraction of a second or more, seconds past 2^31 or negative, if_tsresol/if_tsoffset arithmetic
// that wraps. tcpdump prints and writes those times as libpcap gives them (src/pcap/timeval.ts), so
// tests compare them with tcpdump rather than with a record-at-a-time oracle.
import { createCaptureScanner } from '../../src/pcap/scanner.js';

/** Whether any record of `bytes` has a libpcap time other than its exact time in microseconds. */
export function hasLibpcapTimes(bytes: Uint8Array): boolean {
  const s = createCaptureScanner();
  for (let at = 0, used = 1; used > 0 && !s.error; at += used) {
    used = s.scan(bytes, at, bytes.length);
    for (let i = 0; i < s.batch.n; i++) {
      const t = s.timeval(bytes, i);
      const ns = s.record(bytes, i).timestampNs;
      const us = (ns - (((ns % 1000n) + 1000n) % 1000n)) / 1000n;
      if (t.usec < 0 || t.usec >= 1e6 || t.sec < 0n || t.sec >= 2n ** 31n) return true;
      if (t.sec * 1_000_000n + BigInt(t.usec) !== us) return true;
    }
  }
  return false;
}
