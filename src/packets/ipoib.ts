// IP over InfiniBand (DLT_IPOIB), as tcpdump's print-ipoib.c.
import { ETHERTYPE_NAMES, printEthertype } from './ethernet.js';
import { type Printer, tok2str } from './printer.js';

function hdr(p: Printer, length: number): void {
  const et = p.u16(40);
  const name = tok2str(ETHERTYPE_NAMES, 'Unknown', et);
  p.print(
    p.qflag
      ? `, ethertype ${name}, length ${length}: `
      : `, ethertype ${name} (0x${et.toString(16).padStart(4, '0')}), length ${length}: `,
  );
}

/** ipoib_if_print. */
export function printIpoib(p: Printer, length: number, caplen: number): void {
  p.protocol = 'ipoib';
  if (caplen < 44 || length < 44) {
    p.trunc();
    p.llHdrLen += Math.min(caplen, length);
    return;
  }
  if (p.eflag) {
    p.protocolCaps();
    hdr(p, length);
  }
  p.llHdrLen += 44;
  const et = p.u16(40);
  if (!printEthertype(p, et, 44, length - 44, caplen - 44)) {
    if (!p.eflag) hdr(p, length);
    p.defaultPrint(44, caplen - 44);
  }
}
