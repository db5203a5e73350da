// A record's time as libpcap hands it to tcpdump: a struct timeval in microseconds whose fraction
// libpcap does not normalise and whose seconds wrap as its integers wrap. tcpdump writes -w records
// and prints times from it, so copies and printed lines that must equal tcpdump's start here, not
// from the exact nanoseconds the readers give (PcapRecord.timestampNs).
import type { PcapngInterface } from './pcapng.js';

/** libpcap's timeval: seconds (a 64-bit time_t) and the fraction in µs (an int, possibly ≥ 10^6). */
export interface Timeval {
  sec: bigint;
  usec: number;
}

const U64 = (1n << 64n) - 1n;
const USER_RESOLUTION = 1_000_000n;

/**
 * A classic record's timeval (sf-pcap.c): both fields as the signed 32-bit numbers the file holds
 * (bpf_int32), the fraction divided by 1000 (C's division, toward zero) from a nanosecond file;
 * nothing carried into the seconds.
 */
export function classicTimeval(sec: number, frac: number, nanosecond: boolean): Timeval {
  const f = frac | 0;
  return { sec: BigInt(sec | 0), usec: nanosecond ? Math.trunc(f / 1000) : f };
}

/**
 * A pcapng packet block's timeval (sf-pcapng.c): `units` (the 64-bit timestamp; 0 for a simple
 * packet block) split by if_tsresol in unsigned 64-bit arithmetic, if_tsoffset added to the
 * seconds, the remainder scaled to µs as libpcap scales it (multiplications wrap at 2^64).
 */
export function pcapngTimeval(i: PcapngInterface, units: bigint): Timeval {
  const res = i.unitsPerSecond;
  const sec = (units / res + BigInt.asUintN(64, i.offsetSec)) & U64;
  let frac = units % res;
  if (res !== USER_RESOLUTION) {
    if (i.binary) frac = ((frac * USER_RESOLUTION) & U64) / res;
    else if (res > USER_RESOLUTION) frac /= res / USER_RESOLUTION;
    else frac = (frac * (USER_RESOLUTION / res)) & U64;
  }
  return { sec: BigInt.asIntN(64, sec), usec: Number(BigInt.asIntN(32, frac)) };
}

/**
 * Stores the seconds and fraction of a pcap record header as pcap_dump() writes them: each cut to
 * 32 bits (bpf_int32), little-endian, at b[p].
 */
export function setPcapTime(b: Uint8Array, p: number, t: Timeval): void {
  const sec = Number(BigInt.asUintN(32, t.sec));
  const usec = t.usec >>> 0;
  b[p] = sec;
  b[p + 1] = sec >>> 8;
  b[p + 2] = sec >>> 16;
  b[p + 3] = sec >>> 24;
  b[p + 4] = usec;
  b[p + 5] = usec >>> 8;
  b[p + 6] = usec >>> 16;
  b[p + 7] = usec >>> 24;
}
