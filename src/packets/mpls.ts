// MPLS label stacks (RFC 3032), as tcpdump's print-mpls.c without -v.

import type { Printer } from './printer.js';

/** mpls_print: `MPLS (label L, tc T, [S], ttl N)` per entry, then the payload it can recognise. */
export function printMpls(p: Printer, o: number, length0: number): void {
  p.protocol = 'mpls';
  p.protocolCaps();
  let q = o;
  let length = length0;
  let entry: number;
  do {
    if (length < 4) {
      p.invalid();
      p.need(q, length);
      return;
    }
    entry = p.u32(q);
    p.print(` (label ${entry >>> 12}, tc ${(entry >> 9) & 7}`);
    if ((entry >> 8) & 1) p.print(', [S]');
    p.print(`, ttl ${entry & 0xff})`);
    q += 4;
    length -= 4;
  } while (!((entry >> 8) & 1));
  let pt: 'ip' | 'ip6' | 'osi' | 'unknown';
  const label = entry >>> 12;
  if (label === 0 || label === 3) pt = 'ip';
  else if (label === 2) pt = 'ip6';
  else {
    if (length < 1) return;
    const first = p.u8(q);
    pt =
      first >= 0x45 && first <= 0x4f
        ? 'ip'
        : first >= 0x60 && first <= 0x6f
          ? 'ip6'
          : first >= 0x81 && first <= 0x83
            ? 'osi'
            : 'unknown';
  }
  if (pt === 'unknown') p.defaultPrint(q, length);
  else {
    p.print(' ');
    if (pt === 'ip') p.next.printIp(p, q, length);
    else if (pt === 'ip6') p.next.printIp6(p, q, length);
    else p.next.printIsoclns(p, q, length);
  }
}
