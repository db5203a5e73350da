// IPv6 mobility header (RFC 6275), as tcpdump's print-mobility.c without -v.
import { bittok2str, type Printer, type Tok, tok2str } from './printer.js';

const MH_TYPES: Tok = new Map([
  [0, 'BRR'],
  [1, 'HoTI'],
  [2, 'CoTI'],
  [3, 'HoT'],
  [4, 'CoT'],
  [5, 'BU'],
  [6, 'BA'],
  [7, 'BE'],
]);
const MH_MIN_LEN = [8, 16, 16, 24, 24, 12, 12, 24];
const BU_BITS: Tok = new Map([
  [0x08, 'A'],
  [0x04, 'H'],
  [0x02, 'L'],
  [0x01, 'K'],
]);

/** mobility_print: returns the header length, -1 when cut off. */
export function printMobility(p: Printer, o: number): number {
  p.protocol = 'mobility';
  if (!p.has(o + 1, 1)) {
    p.trunc();
    return -1;
  }
  const mhlen = (p.u8(o + 1) + 1) << 3;
  const type = p.u8(o + 2);
  if (type <= 7 && mhlen < MH_MIN_LEN[type]) {
    p.print(`(header length ${mhlen} is too small for type ${type})`);
    p.trunc();
    return -1;
  }
  p.print(`mobility: ${tok2str(MH_TYPES, 'type-#%u', type)}`);
  switch (type) {
    case 0:
    case 1:
    case 2:
      break;
    case 3:
    case 4:
      p.print(` nonce id=0x${p.u16(o + 6).toString(16)}`);
      break;
    case 5: {
      p.print(` seq#=${p.u16(o + 6)}`);
      if (!p.has(o + 8, 2)) {
        p.trunc();
        return -1;
      }
      const bits = (p.u8(o + 8) & 0xf0) >> 4;
      if (bits) p.print(` ${bittok2str(BU_BITS, 'bits-#0x%x', bits, '')}`);
      p.print(` lifetime=${p.u16(o + 10) << 2}`);
      break;
    }
    case 6:
      p.print(` status=${p.u8(o + 6)}`);
      if (p.u8(o + 7) & 0x80) p.print(' K');
      p.print(` seq#=${p.u16(o + 8)}`);
      p.print(` lifetime=${p.u16(o + 10) << 2}`);
      break;
    case 7:
      p.print(` status=${p.u8(o + 6)}`);
      p.print(` homeaddr ${p.ip6(o + 8)}`);
      break;
    default:
      p.print(` len=${p.u8(o + 1)}`);
  }
  return mhlen;
}
