// MPLS LSP ping (RFC 8029), as tcpdump's print-lspping.c without -v.
import type { Printer } from './printer.js';

/** lspping_print: `LSP-PINGv1, MPLS Echo Request, seq N, length: L`. */
export function printLspping(p: Printer, o: number, len: number): void {
  p.protocol = 'lspping';
  if (len < 32) {
    p.print('\n\t\t packet is too short');
    return;
  }
  p.need(o, 32);
  const version = p.u16(o);
  if (version !== 1) {
    p.print(`LSP-PING version ${version} packet not supported`);
    return;
  }
  const type = p.u8(o + 4);
  const name =
    type === 1 ? 'MPLS Echo Request' : type === 2 ? 'MPLS Echo Reply' : `unknown (${type})`;
  p.print(`LSP-PINGv${version}, ${name}, seq ${p.u32(o + 12)}, length: ${len}`);
}
