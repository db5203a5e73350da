// RSVP (RFC 2205), as tcpdump's print-rsvp.c without -v.
import { type Printer, type Tok, tok2str } from './printer.js';

const TYPES: Tok = new Map([
  [1, 'Path'],
  [2, 'Resv'],
  [3, 'PathErr'],
  [4, 'ResvErr'],
  [5, 'PathTear'],
  [6, 'ResvTear'],
  [7, 'ResvConf'],
  [12, 'Bundle'],
  [13, 'Acknowledgement'],
  [14, 'Hello (Old)'],
  [15, 'Refresh'],
  [20, 'Hello'],
]);

/** rsvp_print: `RSVPv1 Path Message, length: N`. */
export function printRsvp(p: Printer, o: number, len: number): void {
  p.protocol = 'rsvp';
  if (!p.has(o, 8)) {
    p.trunc();
    return;
  }
  const v = (p.u8(o) & 0xf0) >> 4;
  if (v !== 1) {
    p.print(`ERROR: RSVP version ${v} packet not supported`);
    return;
  }
  p.print(`RSVPv${v} ${tok2str(TYPES, 'unknown (%u)', p.u8(o + 1))} Message, length: ${len}`);
}
