// Frame Relay (Q.922 addresses), as tcpdump's print-fr.c.
import type { Printer } from './printer.js';

/** parse_q922_header: the DLCI, address length and flags; 0 for an invalid address, -1 if cut off. */
export function parseQ922(
  p: Printer,
  o: number,
  length: number,
): { dlci: number; addrLen: number; flags: number } | 0 | -1 {
  let q = o;
  let len = length;
  if (!p.has(q, 1) || len < 1) return -1;
  if (p.u8(q) & 1) return 0;
  if (!p.has(q + 1, 1) || len < 2) return -1;
  let addrLen = 2;
  let dlci = ((p.u8(q) & 0xfc) << 2) | ((p.u8(q + 1) & 0xf0) >> 4);
  let flags = (((p.u8(q) & 0x02) << 24) | ((p.u8(q + 1) & 0x0e) << 16)) >>> 0;
  if (p.u8(q + 1) & 1) return { dlci, addrLen, flags };
  q += 2;
  len -= 2;
  if (!p.has(q, 1) || len < 1) return -1;
  addrLen++;
  if ((p.u8(q) & 1) === 0) {
    dlci = (dlci << 7) | (p.u8(q) >> 1);
    addrLen++;
    q++;
    len--;
  }
  if (!p.has(q, 1) || len < 1) return -1;
  if ((p.u8(q) & 1) === 0) return 0;
  flags = (flags | (p.u8(q) & 0x02)) >>> 0;
  dlci = ((dlci << 6) | (p.u8(q) >> 2)) >>> 0;
  return { dlci, addrLen, flags };
}

/** q922_string. */
export function q922Text(p: Printer, o: number, length: number): string {
  const r = parseQ922(p, o, length);
  if (r === 0) return '<Invalid DLCI>';
  if (r === -1) return '<Truncated>';
  return `DLCI ${r.dlci}`;
}
