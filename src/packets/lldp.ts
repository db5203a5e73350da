// LLDP (IEEE 802.1AB) as tcpdump's print-lldp.c prints it without -v: the length and the system name.
import type { Printer } from './printer.js';

/** lldp_print. */
export function printLldp(p: Printer, o: number, len: number): void {
  p.protocol = 'lldp';
  p.print(`LLDP, length ${len}`);
  let tptr = o;
  let tlen = len;
  while (tlen >= 2) {
    if (!p.has(tptr, 2)) {
      p.trunc();
      return;
    }
    const tlv = p.u16(tptr);
    const type = tlv >> 9;
    const tlvLen = tlv & 0x1ff;
    tlen -= 2;
    tptr += 2;
    if (!type || !tlvLen) break;
    if (!p.has(tptr, tlvLen)) {
      p.trunc();
      return;
    }
    if (tlen < tlvLen) {
      p.trunc();
      return;
    }
    if (type === 5) {
      p.print(': ');
      p.printjnp(tptr, tlvLen);
    }
    tlen -= tlvLen;
    tptr += tlvLen;
  }
}
