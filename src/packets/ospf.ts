// OSPFv2 (RFC 2328) and OSPFv3 (RFC 5340) as tcpdump's print-ospf.c/print-ospf6.c print them without
// -v: version, packet type and length.
import { type Printer, type Tok, tok2str } from './printer.js';

const TYPES: Tok = new Map([
  [1, 'Hello'],
  [2, 'Database Description'],
  [3, 'LS-Request'],
  [4, 'LS-Update'],
  [5, 'LS-Ack'],
]);

/** ospf_print. */
export function printOspf(p: Printer, o: number, length0: number): void {
  p.protocol = 'ospf2';
  let length = length0;
  if (p.u16(o + 14) === 2) {
    // The MD5 trailer is not part of the packet tcpdump describes.
    length = (length - 16) >>> 0;
    p.snapend -= 16;
  }
  p.print(
    `OSPFv${p.u8(o)}, ${tok2str(TYPES, 'unknown LS-type %u', p.u8(o + 1))}, length ${length}`,
  );
}

/** ospf6_print. */
export function printOspf6(p: Printer, o: number, length: number): void {
  p.protocol = 'ospf3';
  const type = tok2str(TYPES, 'unknown packet type (%u)', p.u8(o + 1));
  p.print(`OSPFv${p.u8(o)}, ${type}, length ${length}`);
}
