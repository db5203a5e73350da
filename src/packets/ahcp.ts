// AHCP (the Ad-Hoc Configuration Protocol), as tcpdump's print-ahcp.c without -v.
import type { Printer } from './printer.js';

/** ahcp_print: `AHCP Version 1`. */
export function printAhcp(p: Printer, o: number, len0: number): void {
  p.protocol = 'ahcp';
  p.protocolCaps();
  let cp = o;
  let len = len0;
  const invalid = () => {
    p.invalid();
    p.need(cp, len);
  };
  if (len < 2) {
    invalid();
    return;
  }
  if (p.u8(cp) !== 43) {
    invalid();
    return;
  }
  const version = p.u8(cp + 1);
  cp += 2;
  len -= 2;
  if (version !== 1) {
    p.print(` Version ${version} (unknown)`);
    p.need(cp, len);
    return;
  }
  p.print(' Version 1');
  if (len < 22) {
    invalid();
    return;
  }
  p.need(cp, 22);
  cp += 22;
  len -= 22;
  if (len < 4) {
    invalid();
    return;
  }
  const bodyLen = p.u16(cp + 2);
  cp += 4;
  len -= 4;
  if (bodyLen > len) {
    invalid();
    return;
  }
  p.need(cp, bodyLen);
}
