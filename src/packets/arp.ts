// ARP (RFC 826) for any hardware/protocol address lengths; Ethernet/IPv4 is the common case.

import { formatMac, formatProtoAddr } from './addr.js';
import { ETHERTYPE_NAMES } from './ethertypes.js';
import { q922Text } from './fr.js';
import { type LayerBase, u16 } from './layer.js';
import { type Printer, type Tok, tok2str } from './printer.js';

export interface ArpLayer extends LayerBase {
  kind: 'arp';
  htype: number;
  ptype: number;
  hlen: number;
  plen: number;
  /** 1 request, 2 reply, 3/4 RARP, 8/9 InARP. */
  op: number;
  /** Sender/target hardware addresses as colon hex; protocol addresses as IPv4/IPv6 text or hex. Empty if cut off. */
  sha: string;
  spa: string;
  tha: string;
  tpa: string;
}

/** Decodes an ARP packet at `off`; fields past the end of the bytes are left empty and `truncated` is set. */
export function decodeArp(b: Uint8Array, off = 0): ArpLayer {
  const avail = Math.max(0, b.length - off);
  const hlen = b[off + 4] ?? 0;
  const plen = b[off + 5] ?? 0;
  const need = 8 + 2 * (hlen + plen);
  const has = (start: number, len: number) => start + len <= avail;
  const o = off + 8;
  return {
    kind: 'arp',
    offset: off,
    headerLength: Math.min(need, avail),
    truncated: avail < need,
    htype: u16(b, off),
    ptype: u16(b, off + 2),
    hlen,
    plen,
    op: u16(b, off + 6),
    sha: has(8, hlen) ? formatMac(b, o, hlen) : '',
    spa: has(8 + hlen, plen) ? formatProtoAddr(b, o + hlen, plen) : '',
    tha: has(8 + hlen + plen, hlen) ? formatMac(b, o + hlen + plen, hlen) : '',
    tpa: has(8 + 2 * hlen + plen, plen) ? formatProtoAddr(b, o + 2 * hlen + plen, plen) : '',
  };
}

// ---- Printing, as tcpdump's print-arp.c without -v ----

const ARP_OPS: Tok = new Map([
  [1, 'Request'],
  [2, 'Reply'],
  [3, 'Reverse Request'],
  [4, 'Reverse Reply'],
  [8, 'Inverse Request'],
  [9, 'Inverse Reply'],
  [10, 'NACK Reply'],
]);
const ARP_HRD: Tok = new Map([
  [1, 'Ethernet'],
  [6, 'TokenRing'],
  [7, 'ArcNet'],
  [15, 'FrameRelay'],
  [23, 'Strip'],
  [24, 'IEEE 1394'],
  [19, 'ATM'],
  [32, 'InfiniBand'],
]);

/** linkaddr_string: a MAC for 6 bytes of an Ethernet-style address, `<empty>` for none, else colon hex. */
function linkAddr(p: Printer, o: number, len: number, frelay: boolean): string {
  if (len === 0) return '<empty>';
  if (frelay) return q922Text(p, o, len);
  return p.hexColon(o, len);
}

/** arp_print: an ARP/RARP/InARP packet at `o`. */
export function printArp(p: Printer, o: number, length: number, caplen: number): void {
  p.protocol = 'arp';
  p.need(o, 8);
  const hrd = p.u16(o);
  const pro = p.u16(o + 2);
  const hln = p.u8(o + 4);
  const pln = p.u8(o + 5);
  const op = p.u16(o + 6);
  if (hrd === 19) {
    printAtmArp(p, o, length, caplen);
    return;
  }
  const frelay = hrd === 15;
  const sha = o + 8;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  p.need(tpa, pln);
  if (!p.eflag) p.print('ARP, ');
  const ipProto = pro === 0x0800 || pro === 0x1000;
  if (!ipProto || pln !== 4 || hln === 0) {
    p.print(
      `${tok2str(ARP_HRD, 'Unknown Hardware (%u)', hrd)} (len ${hln}), ${tok2str(ETHERTYPE_NAMES, 'Unknown Protocol (0x%04x)', pro)} (len ${pln}), length ${length}`,
    );
    return;
  }
  p.print(`${tok2str(ARP_OPS, 'Unknown (%u)', op)} `);
  const ip = (a: number) => p.ip4(a);
  switch (op) {
    case 1: {
      p.print(`who-has ${ip(tpa)}`);
      let nonzero = false;
      for (let i = 0; i < hln; i++) if (p.u8(tha + i) !== 0) nonzero = true;
      if (nonzero) p.print(` (${linkAddr(p, tha, hln, frelay)})`);
      p.print(` tell ${ip(spa)}`);
      break;
    }
    case 2:
      p.print(`${ip(spa)} is-at ${linkAddr(p, sha, hln, frelay)}`);
      break;
    case 3:
    case 8:
      p.print(`who-is ${linkAddr(p, tha, hln, frelay)}`);
      p.print(` tell ${linkAddr(p, sha, hln, frelay)}`);
      break;
    case 4:
      p.print(`${linkAddr(p, tha, hln, frelay)} at ${ip(tpa)}`);
      break;
    case 9:
      p.print(`${linkAddr(p, sha, hln, frelay)} at ${ip(spa)}`);
      break;
    default:
      p.defaultPrint(o, caplen, 'never'); // as print-arp.c: unguarded
      return;
  }
  p.print(`, length ${length}`);
}

/** atmarp_print (RFC 2225 ATM ARP): the lengths carry type bits; addresses are ATM numbers. */
function printAtmArp(p: Printer, o: number, length: number, caplen: number): void {
  p.need(o, 12);
  const pro = p.u16(o + 2);
  const shl = p.u8(o + 4) & 0x3f;
  const ssl = p.u8(o + 5) & 0x3f;
  const op = p.u16(o + 6);
  const spl = p.u8(o + 8);
  const thl = p.u8(o + 9) & 0x3f;
  const tsl = p.u8(o + 10) & 0x3f;
  const tpl = p.u8(o + 11);
  const sha = o + 12;
  const ssa = sha + shl;
  const spa = ssa + ssl;
  const tha = spa + spl;
  const tsa = tha + thl;
  const tpa = tsa + tsl;
  p.need(tpa, tpl);
  if (!p.eflag) p.print('ARP, ');
  const ipProto = pro === 0x0800 || pro === 0x1000;
  if (!ipProto || spl !== 4 || tpl !== 4) {
    p.print(
      `${tok2str(ARP_HRD, 'Unknown Hardware (%u)', p.u16(o))}, ${tok2str(ETHERTYPE_NAMES, 'Unknown Protocol (0x%04x)', pro)} (len ${spl}/${tpl}), length ${length}`,
    );
    return;
  }
  const addr = (a: number, alen: number, s: number, slen: number) => {
    if (alen === 0) return '<No address>';
    return `${linkAddr(p, a, alen, false)}${slen !== 0 ? `,${linkAddr(p, s, slen, false)}` : ''}`;
  };
  const sp = () => (!ipProto ? '<wrong proto type>' : spl !== 4 ? '<wrong splen>' : p.ip4(spa));
  const tp = () => (!ipProto ? '<wrong proto type>' : tpl !== 4 ? '<wrong tplen>' : p.ip4(tpa));
  p.print(`${tok2str(ARP_OPS, 'Unknown (%u)', op)} `);
  switch (op) {
    case 1:
      p.print(`who-has ${tp()}`);
      if (thl !== 0) p.print(` (${addr(tha, thl, tsa, tsl)})`);
      p.print(` tell ${sp()}`);
      break;
    case 2:
      p.print(`${sp()} is-at ${addr(sha, shl, ssa, ssl)}`);
      break;
    case 8:
      p.print(`who-is ${addr(tha, thl, tsa, tsl)} tell ${addr(sha, shl, ssa, ssl)}`);
      break;
    case 9:
      p.print(`${addr(sha, shl, ssa, ssl)}at ${sp()}`);
      break;
    case 10:
      p.print(`for ${sp()}`);
      break;
    default:
      p.defaultPrint(o, caplen, 'never'); // as print-arp.c: unguarded
      return;
  }
  p.print(`, length ${length}`);
}
