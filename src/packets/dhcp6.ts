// DHCPv6 (RFC 8415), as tcpdump's print-dhcp6.c prints it without -v: the message type.
import { type Printer, type Tok, tok2str } from './printer.js';

const MSG_TYPES: Tok = new Map([
  [1, 'solicit'],
  [2, 'advertise'],
  [3, 'request'],
  [4, 'confirm'],
  [5, 'renew'],
  [6, 'rebind'],
  [7, 'reply'],
  [8, 'release'],
  [9, 'decline'],
  [10, 'reconfigure'],
  [11, 'inf-req'],
  [12, 'relay-fwd'],
  [13, 'relay-reply'],
  [14, 'leasequery'],
  [15, 'leasequery-reply'],
]);

/** dhcp6_print: `dhcp6 solicit`. */
export function printDhcp6(p: Printer, o: number, _length: number): void {
  p.protocol = 'dhcp6';
  p.print('dhcp6');
  if (!p.has(o + 1, 3)) {
    p.trunc();
    return;
  }
  p.print(` ${tok2str(MSG_TYPES, 'msgtype-%u', p.u8(o))}`);
}
