// Broadcom lawful-intercept shim (UDP source port 49152), as tcpdump's print-bcm-li.c without -v.
import { type Printer, type Tok, tok2str } from './printer.js';

const DIRECTIONS: Tok = new Map([
  [1, 'unused'],
  [2, 'egress'],
  [3, 'ingress'],
]);
const TYPES: Tok = new Map([
  [4, 'undecided'],
  [5, 'ipv4'],
  [6, 'ipv6'],
  [7, 'ethernet'],
]);
const SUBTYPES: Tok = new Map([
  [1, 'single VLAN tag'],
  [2, 'double VLAN tag'],
  [3, 'untagged'],
]);

/** bcm_li_print. */
export function printBcmLi(p: Printer, o: number, length: number): void {
  p.protocol = 'bcm_li';
  if (length < 4) {
    p.print(` (length ${length} < 4)`);
    p.invalid();
    return;
  }
  const shim = p.u32(o);
  p.print(
    `BCM-LI-SHIM: direction ${tok2str(DIRECTIONS, 'unknown', (shim >>> 29) & 7)}, pkt-type ${tok2str(TYPES, 'unknown', (shim >>> 25) & 0xf)}, pkt-subtype ${tok2str(SUBTYPES, 'unknown', (shim >>> 22) & 7)}, li-id ${shim & 0x3fffff}`,
  );
  p.need(o + 4, length - 4);
}
