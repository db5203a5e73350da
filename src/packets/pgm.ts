// PGM (RFC 3208), as tcpdump's print-pgm.c prints it without -v.
import type { Printer } from './printer.js';

/** pgm_print: the ports (when PGM is the IP protocol) and `PGM, length N`. */
export function printPgm(p: Printer, o: number, ip: number): void {
  p.protocol = 'pgm';
  const v6 = p.u8(ip) >> 4 === 6;
  const src = () => (v6 ? p.ip6(ip + 8) : p.ip4(ip + 12));
  const dst = () => (v6 ? p.ip6(ip + 24) : p.ip4(ip + 16));
  if (!p.has(o + 2, 2)) {
    p.print(`${src()} > ${dst()}:`);
    p.trunc();
    return;
  }
  const sport = p.u16(o);
  const dport = p.u16(o + 2);
  if ((v6 ? p.u8(ip + 6) : p.u8(ip + 9)) === 113)
    p.print(`${src()}.${sport} > ${dst()}.${dport}: `);
  else p.print(`${sport} > ${dport}: `);
  if (!p.has(o, 16)) {
    p.trunc();
    return;
  }
  p.print(`PGM, length ${p.u16(o + 14)}`);
}
