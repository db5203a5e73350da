// The time column of tcpdump's packet lines.
import type { Timeval } from '../../pcap.js';

const p2 = (n: number) => String(n).padStart(2, '0');

/** `HH:MM:SS.uuuuuu` in local time, as tcpdump prints a timestamp (microseconds, truncated). */
export function stampText(ns: bigint): string {
  const sec = ns >= 0n ? ns / 1_000_000_000n : (ns - 999_999_999n) / 1_000_000_000n;
  return stampTimeval({ sec, usec: Number((ns - sec * 1_000_000_000n) / 1000n) });
}

/** What glibc's localtime() still converts: years that fit its int (about ±2^31). */
const LOCALTIME_LIMIT = 67_767_976_233_316_800n;
/** What a Date holds: ±8.64e12 s. */
const DATE_LIMIT = 8_640_000_000_000n;

/**
 * A timeval (as libpcap hands it over, see pcap/timeval.ts) as tcpdump 4.99 prints it by default
 * (util-print.c ts_date_hmsfrac_print): "[Error converting time]" when the seconds' low 32 bits
 * have the sign bit set (2038 and later, negative times) or localtime() cannot convert them, else
 * local HH:MM:SS and the fraction as "%06u" of its 32 bits (so an unnormalised one shows as is).
 */
export function stampTimeval(t: Timeval): string {
  if (BigInt.asUintN(32, t.sec) & 0x8000_0000n) return '[Error converting time]';
  const frac = String(t.usec >>> 0).padStart(6, '0');
  if (t.sec >= -DATE_LIMIT && t.sec <= DATE_LIMIT) {
    const d = new Date(Number(t.sec) * 1000);
    return `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${frac}`;
  }
  if (t.sec < -LOCALTIME_LIMIT || t.sec > LOCALTIME_LIMIT) return '[Error converting time]';
  // Past what a Date holds, glibc still converts: the time of day under the zone's last offset.
  const offset = BigInt(-new Date(Number(DATE_LIMIT) * 1000).getTimezoneOffset() * 60);
  const day = Number((((t.sec + offset) % 86_400n) + 86_400n) % 86_400n);
  return `${p2(Math.floor(day / 3600))}:${p2(Math.floor(day / 60) % 60)}:${p2(day % 60)}.${frac}`;
}
