// IEEE 802.3 slow protocols (LACP, Marker, OAM), as tcpdump's print-slow.c without -v.
import { printUnknownData } from './icmpv6.js';
import type { Printer } from './printer.js';

const NAMES = ['', 'LACP', 'MARKER', 'OAM'];

/** slow_print: `LACPv1, length N`. */
export function printSlow(p: Printer, o: number, len: number): void {
  p.protocol = 'slow';
  const short = () => p.print(' (packet is too short)');
  if (len < 1) {
    short();
    return;
  }
  const subtype = p.u8(o);
  const name = subtype >= 1 && subtype <= 3 ? NAMES[subtype] : `unknown (${subtype})`;
  if (subtype === 1 || subtype === 2) {
    if (len < 2) {
      short();
      return;
    }
    const v = p.u8(o + 1);
    if (v !== 1) {
      p.print(`${subtype === 1 ? 'LACP' : 'MARKER'} version ${v} packet not supported`);
      return;
    }
    p.print(`${name}v${v}, length ${len}`);
    return;
  }
  p.print(`${name}, length ${len}`);
  if (subtype !== 3) printUnknownData(p, o, '\n\t', len);
}
