// Multicast Listener Discovery for IPv6 (RFC 2710 MLDv1, RFC 3810 MLDv2), as tcpdump's print-icmp6.c
// prints them without -v: the group address, and for MLDv2 the record or source counts.
import type { Printer } from './printer.js';

/** mld6_print: `max resp delay: N addr: G` when the 24-byte message is captured, else nothing. */
export function printMld(p: Printer, o: number): void {
  if (o + 24 > p.snapend) return;
  p.print(`max resp delay: ${p.u16(o + 4)} `);
  p.print(`addr: ${p.ip6(o + 8)}`);
}

/** mldv2_query_print: ` [gaddr G, N source(s)]`. */
export function printMldv2Query(p: Printer, o: number, len: number): void {
  if (len < 28) {
    p.print(` [invalid len ${len}]`);
    return;
  }
  p.u16(o + 4);
  p.print(` [gaddr ${p.ip6(o + 8)}`);
  const nsrcs = p.u16(o + 26);
  if (nsrcs > 0) {
    if (len < 28 + nsrcs * 16) p.print(' [invalid number of sources]');
    else p.print(`, ${nsrcs} source(s)`);
  }
  p.print(']');
}

/** mldv2_report_print: `, N group record(s)`. */
export function printMldv2Report(p: Printer, o: number, len: number): void {
  if (len < 8) {
    p.print(` [invalid len ${len}]`);
    return;
  }
  p.print(`, ${p.u16(o + 6)} group record(s)`);
}
