// The time column of tcpdump's packet lines.

/** `HH:MM:SS.uuuuuu` in local time, as tcpdump prints a timestamp (microseconds, truncated). */
export function stampText(ns: bigint): string {
  const d = new Date(Number(ns / 1_000_000n));
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const us = Number((ns / 1000n) % 1_000_000n);
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(us, 6)}`;
}
