// LDP (RFC 5036), as tcpdump's print-ldp.c without -v: the PDU header.
import type { Printer } from './printer.js';

/** ldp_print: `LDP, Label-Space-ID: a.b.c.d:n, pdu-length: N`. */
export function printLdp(p: Printer, o: number, len: number): void {
  p.protocol = 'ldp';
  if (len <= 18) return;
  if (!p.has(o, 10)) {
    p.trunc();
    return;
  }
  const version = p.u16(o);
  if (version !== 1) {
    p.print(`LDP version ${version} packet not supported`);
    return;
  }
  const pduLen = p.u16(o + 2);
  if (pduLen < 6) {
    p.print(`LDP, pdu-length: ${pduLen} (too short, < 6)`);
    return;
  }
  p.print(`LDP, Label-Space-ID: ${p.ip4(o + 4)}:${p.u16(o + 8)}, pdu-length: ${pduLen}`);
}
