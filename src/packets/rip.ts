// RIP (RFC 1058/2453), as tcpdump's print-rip.c without -v.
import { printUnknownData } from './icmpv6.js';
import { type Printer, type Tok, tok2str } from './printer.js';

const COMMANDS: Tok = new Map([
  [1, 'Request'],
  [2, 'Response'],
  [3, 'Trace on'],
  [4, 'Trace off'],
  [5, 'Poll'],
  [6, 'Poll Entry'],
]);

/** rip_print: `RIPv2, Response, length: N`. */
export function printRip(p: Printer, o: number, length: number): void {
  p.protocol = 'rip';
  if (p.snapend < o) {
    p.trunc();
    return;
  }
  const len = Math.min(p.avail(o), length);
  if (len < 4) {
    p.trunc();
    return;
  }
  const vers = p.u8(o + 1);
  p.print(`RIPv${vers}`);
  if (vers === 0) {
    printUnknownData(p, o, '\n\t', length);
    return;
  }
  p.print(`, ${tok2str(COMMANDS, 'unknown command (%u)', p.u8(o))}, length: ${length}`);
}
