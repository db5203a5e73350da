// Cisco HDLC and its SLARP keepalives, as tcpdump's print-chdlc.c.

import { ETHERTYPE_NAMES } from './ethertypes.js';
import { printUnknownData } from './icmpv6.js';
import { type Printer, tok2str } from './printer.js';

/** chdlc_print: returns the header length. */
export function printChdlc(p: Printer, o: number, length: number): number {
  p.protocol = 'chdlc';
  const trunc = () => {
    p.trunc();
    return p.avail(o);
  };
  if (length < 4) return trunc();
  const proto = p.u16(o + 2);
  if (p.eflag) {
    const cast = p.u8(o);
    p.print(
      `${cast === 0x0f ? 'unicast' : cast === 0x8f ? 'bcast' : `0x${cast.toString(16).padStart(2, '0')}`}, ethertype ${tok2str(ETHERTYPE_NAMES, 'Unknown', proto)} (0x${proto.toString(16).padStart(4, '0')}), length ${length}: `,
    );
  }
  const q = o + 4;
  const len = length - 4;
  switch (proto) {
    case 0x0800:
      p.next.printIp(p, q, len);
      break;
    case 0x86dd:
      p.next.printIp6(p, q, len);
      break;
    case 0x8035:
      printSlarp(p, q, len);
      break;
    case 0x8847:
    case 0x8848:
      p.next.printMpls(p, q, len);
      break;
    case 0xfefe: {
      if (len < 2) return trunc();
      const b = p.u8(q + 1);
      if (b === 0x81 || b === 0x82 || b === 0x83) p.next.printIsoclns(p, q + 1, len - 1);
      else p.next.printIsoclns(p, q, len);
      break;
    }
    default:
      if (!p.eflag) p.print(`unknown CHDLC protocol (0x${proto.toString(16).padStart(4, '0')})`);
  }
  return 4;
}

function printSlarp(p: Printer, o: number, length: number): void {
  p.protocol = 'chdlc_slarp';
  p.print(`SLARP (length: ${length}), `);
  if (length < 14 || !p.has(o, 14)) {
    p.trunc();
    return;
  }
  const code = p.u32(o);
  switch (code) {
    case 0:
      p.print('request');
      break;
    case 1:
      p.print(`reply ${p.ip4(o + 4)}/${p.ip4(o + 8)}`);
      break;
    case 2: {
      const h8 = (v: number, w: number) => v.toString(16).padStart(w, '0');
      p.print(
        `keepalive: mineseen=0x${h8(p.u32(o + 4), 8)}, yourseen=0x${h8(p.u32(o + 8), 8)}, reliability=0x${h8(p.u16(o + 12), 4)}`,
      );
      if (length >= 18) {
        let sec = Math.floor(p.u32(o + 14) / 1000);
        let min = Math.floor(sec / 60);
        sec -= min * 60;
        let hrs = Math.floor(min / 60);
        min -= hrs * 60;
        const days = Math.floor(hrs / 24);
        hrs -= days * 24;
        p.print(`, link uptime=${days}d${hrs}h${min}m${sec}s`);
      }
      break;
    }
    default:
      p.print(`0x${code.toString(16).padStart(2, '0')} unknown`);
      printUnknownData(p, o + 4, '\n\t', length - 4);
  }
}
