// RADIUS (RFC 2865/2866/5176), as tcpdump's print-radius.c without -v.
import { type Printer, type Tok, tok2str } from './printer.js';

const CODES: Tok = new Map([
  [1, 'Access-Request'],
  [2, 'Access-Accept'],
  [3, 'Access-Reject'],
  [4, 'Accounting-Request'],
  [5, 'Accounting-Response'],
  [11, 'Access-Challenge'],
  [12, 'Status-Server'],
  [13, 'Status-Client'],
  [40, 'Disconnect-Request'],
  [41, 'Disconnect-ACK'],
  [42, 'Disconnect-NAK'],
  [43, 'CoA-Request'],
  [44, 'CoA-ACK'],
  [45, 'CoA-NAK'],
  [255, 'Reserved'],
]);

/** radius_print: `RADIUS, Access-Request (1), id: 0x01 length: N`. */
export function printRadius(p: Printer, o: number, length: number): void {
  p.protocol = 'radius';
  if (!p.has(o, 20)) {
    p.trunc();
    return;
  }
  let len = p.u16(o + 2);
  if (len < 20) {
    p.trunc();
    return;
  }
  if (len > length) len = length;
  const code = p.u8(o);
  p.print(
    `RADIUS, ${tok2str(CODES, 'Unknown Command', code)} (${code}), id: 0x${p
      .u8(o + 1)
      .toString(16)
      .padStart(2, '0')} length: ${len}`,
  );
}
