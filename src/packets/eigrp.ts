// Cisco EIGRP (RFC 7868), as tcpdump's print-eigrp.c without -v.
import { type Printer, type Tok, tok2str } from './printer.js';

const OPCODES: Tok = new Map([
  [1, 'Update'],
  [3, 'Query'],
  [4, 'Reply'],
  [5, 'Hello'],
  [6, 'IPX SAP'],
  [7, 'Probe'],
]);

/** eigrp_print: `EIGRP Hello, length: N`. */
export function printEigrp(p: Printer, o: number, len: number): void {
  p.protocol = 'eigrp';
  if (!p.has(o, 20)) {
    p.trunc();
    return;
  }
  const version = p.u8(o);
  if (version !== 2) {
    p.print(`EIGRP version ${version} packet not supported`);
    return;
  }
  p.print(`EIGRP ${tok2str(OPCODES, 'unknown (%u)', p.u8(o + 1))}, length: ${len}`);
}
