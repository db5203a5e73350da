// 802.1X EAPOL frames, as tcpdump's print-eap.c prints them without -v.
import { type Printer, type Tok, tok2str } from './printer.js';

const TYPES: Tok = new Map([
  [0, 'EAP packet'],
  [1, 'EAPOL start'],
  [2, 'EAPOL logoff'],
  [3, 'EAPOL key'],
  [4, 'Encapsulated ASF alert'],
]);

/** eapol_print: `EAP packet (0) v1, len 5`. */
export function printEapol(p: Printer, o: number): void {
  p.protocol = 'eap';
  if (!p.has(o, 4)) {
    p.trunc();
    return;
  }
  const type = p.u8(o + 1);
  p.print(`${tok2str(TYPES, 'unknown', type)} (${type}) v${p.u8(o)}, len ${p.u16(o + 2)}`);
}
