// Ethernet II / 802.3 headers, 802.1Q/802.1ad/0x9100 VLAN tags, and 802.2 LLC.
import { formatMac } from './addr.js';
import { printAoe } from './aoe.js';
import { printArp } from './arp.js';
import { printAarp, printAtalk } from './atalk.js';
import { printCalmFast } from './calm-fast.js';
import { printDecnet } from './decnet.js';
import { printEapol } from './eapol.js';
import { etherTypeText, type LinkAddrs } from './ethertypes.js';
import { printGeonet } from './geonet.js';
import { printIpx } from './ipx.js';
import { type LayerBase, u16 } from './layer.js';
import { printLldp } from './lldp.js';
import { printLoopback } from './loopback.js';
import { printMsnlb } from './msnlb.js';
import { printNsh } from './nsh.js';
import { printPppoe } from './pppoe.js';
import { bittok2str, type Printer, type Tok } from './printer.js';
import { printPtp } from './ptp.js';
import { printSlow } from './slow.js';
import { printTipc } from './tipc.js';

export const ETHERTYPE = {
  IPV4: 0x0800,
  ARP: 0x0806,
  RARP: 0x8035,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  QINQ: 0x88a8,
  QINQ_OLD: 0x9100,
} as const;

/** TPIDs that introduce a VLAN tag, as tcpdump's ethertype printer knows them. */
export function isVlanTpid(t: number): boolean {
  return t === 0x8100 || t === 0x88a8 || t === 0x9100 || t === 0x9200;
}

export interface EthernetLayer extends LayerBase {
  kind: 'ethernet';
  dst: string;
  src: string;
  /** The type/length field: an ethertype if >= 0x0600, else an 802.3 length (then an LLC layer follows). */
  ethertype: number;
}

export interface VlanLayer extends LayerBase {
  kind: 'vlan';
  /** The TPID that introduced this tag (0x8100, 0x88a8, 0x9100). */
  tpid: number;
  pcp: number;
  dei: boolean;
  vid: number;
  /** The type field after the tag. */
  ethertype: number;
}

export interface LlcLayer extends LayerBase {
  kind: 'llc';
  dsap: number;
  ssap: number;
  control: number;
  /** SNAP OUI and type when dsap = ssap = 0xaa. */
  snap?: { oui: number; ethertype: number };
}

/** Decodes the 14-byte Ethernet header at `off`. */
export function decodeEthernet(b: Uint8Array, off = 0): EthernetLayer {
  const truncated = b.length - off < 14;
  return {
    kind: 'ethernet',
    offset: off,
    headerLength: Math.min(14, Math.max(0, b.length - off)),
    truncated,
    dst: formatMac(b, off),
    src: formatMac(b, off + 6),
    ethertype: u16(b, off + 12),
  };
}

/** Decodes a 4-byte VLAN tag whose TPID was `tpid`; `off` points at the TCI. */
export function decodeVlan(b: Uint8Array, off: number, tpid: number): VlanLayer {
  const tci = u16(b, off);
  return {
    kind: 'vlan',
    offset: off,
    headerLength: Math.min(4, Math.max(0, b.length - off)),
    truncated: b.length - off < 4,
    tpid,
    pcp: tci >> 13,
    dei: (tci & 0x1000) !== 0,
    vid: tci & 0xfff,
    ethertype: u16(b, off + 2),
  };
}

/** Decodes an 802.2 LLC header (3 bytes; 8 with SNAP). */
export function decodeLlc(b: Uint8Array, off: number): LlcLayer {
  const avail = Math.max(0, b.length - off);
  const dsap = b[off] ?? 0;
  const ssap = b[off + 1] ?? 0;
  const layer: LlcLayer = {
    kind: 'llc',
    offset: off,
    headerLength: Math.min(3, avail),
    truncated: avail < 3,
    dsap,
    ssap,
    control: b[off + 2] ?? 0,
  };
  if (dsap === 0xaa && ssap === 0xaa) {
    layer.headerLength = Math.min(8, avail);
    layer.truncated = avail < 8;
    layer.snap = { oui: ((b[off + 3] ?? 0) << 16) | u16(b, off + 4), ethertype: u16(b, off + 6) };
  }
  return layer;
}

// ---- Printing, as tcpdump's print-ether.c ----

export { ETHERTYPE_NAMES, etherTypeText, type LinkAddrs } from './ethertypes.js';

function tciText(tci: number): string {
  return `vlan ${tci & 0xfff}, p ${tci >> 13}${tci & 0x1000 ? ', DEI' : ''}`;
}

/**
 * ether_print: an Ethernet frame at `o` of wire length `length` with `caplen` bytes captured (the
 * tail of the capture from `o`). Returns the link header length.
 */
export function printEther(
  p: Printer,
  o: number,
  length: number,
  caplen: number,
  switchTag?: { len: number; print: (p: Printer, o: number) => void },
): number {
  p.protocol = 'ether';
  const tagLen = switchTag?.len ?? 0;
  if (length < caplen) {
    p.print(`[length ${length} < caplen ${caplen}]`);
    p.invalid();
    return length;
  }
  if (caplen < 14 + tagLen) {
    p.trunc();
    return caplen;
  }
  const addrs: LinkAddrs = { src: o + 6, dst: o };
  const origLength = length;
  let len = length - 12;
  let cap = caplen - 12;
  let q = o + 12;
  let hdrlen = 12;
  if (p.eflag) p.print(`${p.mac(o + 6)} > ${p.mac(o)}, `);
  if (switchTag) {
    switchTag.print(p, q);
    len -= tagLen;
    cap -= tagLen;
    q += tagLen;
    hdrlen += tagLen;
  }
  for (;;) {
    let type = p.u16(q);
    len -= 2;
    cap -= 2;
    q += 2;
    hdrlen += 2;
    let printedLength = false;
    if (type === 0x88e5) {
      if (p.eflag) {
        p.print(`${etherTypeText(type, p.qflag)}, length ${origLength}: `);
        printedLength = true;
      }
      const r = printMacsec(p, q, len, cap, o);
      if (r.result === 'raw') {
        p.defaultPrint(r.q, r.cap);
        return hdrlen + r.used;
      }
      if (r.result === 'stop') return hdrlen + cap;
      q = r.q;
      len = r.len;
      cap = r.cap;
      hdrlen += r.used;
      type = p.u16(q);
      if (cap < 2) {
        p.print(` [caplen ${cap} < 2]`);
        return hdrlen;
      }
      len -= 2;
      cap -= 2;
      q += 2;
      hdrlen += 2;
    }
    while (type === 0x8100 || type === 0x9100 || type === 0x9200 || type === 0x88a8) {
      if (cap < 4 || len < 4) {
        p.protocol = 'vlan';
        p.trunc();
        return hdrlen + Math.min(cap, len);
      }
      if (p.eflag) {
        const tag = p.u16(q);
        p.print(etherTypeText(type, p.qflag));
        if (!printedLength) {
          p.print(`, length ${origLength}: `);
          printedLength = true;
        } else p.print(', ');
        p.print(`${tciText(tag)}, `);
      }
      type = p.u16(q + 2);
      q += 4;
      len -= 4;
      cap -= 4;
      hdrlen += 4;
    }
    if (type <= 1500) {
      // A length field: an LLC header follows; the snapshot ends where the length says.
      if (type < len) {
        len = type;
        if (cap > len) cap = len;
      }
      p.push(q, len);
      if (p.eflag) {
        p.print('802.3');
        if (!printedLength) p.print(`, length ${len}: `);
      }
      let llcLen = p.next.printLlc(p, q, len, cap, addrs);
      if (llcLen < 0) {
        p.defaultPrint(q, cap);
        llcLen = -llcLen;
      }
      hdrlen += llcLen;
      p.pop();
    } else if (type === 0x8870) {
      let llcLen = p.next.printLlc(p, q, len, cap, addrs);
      if (llcLen < 0) {
        p.defaultPrint(q, cap);
        llcLen = -llcLen;
      }
      hdrlen += llcLen;
    } else if (type === 0xd28b) {
      // Arista's timestamp header; the frame's own type follows it (tcpdump's `goto recurse`).
      if (cap < 2 || len < 2) {
        p.print('[|arista]');
        return hdrlen + Math.min(cap, len);
      }
      p.print(`${etherTypeText(type, p.qflag)}, length ${origLength}: `);
      const used = printArista(p, q);
      if (used > 0) {
        q += used;
        len -= used;
        cap -= used;
        hdrlen += used;
        continue;
      }
      if (!p.eflag)
        p.print(
          `${p.mac(o + 6)} > ${p.mac(o)}, ${etherTypeText(type, p.qflag)}, length ${origLength}: `,
        );
      p.defaultPrint(q, cap);
    } else {
      if (p.eflag) {
        p.print(etherTypeText(type, p.qflag));
        p.print(printedLength ? ', ' : `, length ${origLength}: `);
      }
      if (!printEthertype(p, type, q, len, cap, addrs)) {
        if (!p.eflag)
          p.print(
            `${p.mac(o + 6)} > ${p.mac(o)}, ${etherTypeText(type, p.qflag)}, length ${origLength}: `,
          );
        p.defaultPrint(q, cap);
      }
    }
    return hdrlen;
  }
}

/** ethertype_print: the payload of an ethertype; false when tcpdump has no printer for it. */
export function printEthertype(
  p: Printer,
  type: number,
  o: number,
  length: number,
  caplen: number,
  addrs?: LinkAddrs,
): boolean {
  switch (type) {
    case 0x0800:
      p.next.printIp(p, o, length);
      return true;
    case 0x86dd:
      p.next.printIp6(p, o, length);
      return true;
    case 0x0806:
    case 0x8035:
      printArp(p, o, length, caplen);
      return true;
    case 0x8847:
    case 0x8848:
      p.next.printMpls(p, o, length);
      return true;
    case 0x8137:
      p.print('(NOV-ETHII) ');
      printIpx(p, o, length);
      return true;
    case 0x809b:
      printAtalk(p, o, length);
      return true;
    case 0x80f3:
      printAarp(p, o, length);
      return true;
    case 0x88ca:
      printTipc(p, o);
      return true;
    case 0x886f:
      printMsnlb(p, o);
      return true;
    case 0x894f:
      printNsh(p, o, length);
      return true;
    case 0xfefe:
      // One byte (of unknown purpose) before the OSI PDU.
      if (length === 0 || caplen === 0) {
        p.protocol = 'isoclns';
        p.trunc();
        return true;
      }
      p.need(o, 1);
      p.next.printIsoclns(p, o + 1, length - 1);
      return true;
    case 0x8863:
    case 0x8864:
    case 0x3c12:
    case 0x3c13:
      printPppoe(p, o, length);
      return true;
    case 0x88a2:
      printAoe(p, o, length);
      return true;
    case 0x0707:
    case 0x8947:
      printGeonet(p, o, length, addrs);
      return true;
    case 0x1111:
      printCalmFast(p, o, length, addrs);
      return true;
    case 0x880b:
      if (length) {
        p.print(': ');
        p.next.printPpp(p, o, length);
      }
      return true;
    case 0x6003:
      printDecnet(p, o, length, caplen);
      return true;
    case 0x9000:
      printLoopback(p, o, length);
      return true;
    case 0x8809:
      printSlow(p, o, length);
      return true;
    case 0x888e:
      printEapol(p, o);
      return true;
    case 0x88f7:
      printPtp(p, o, length);
      return true;
    case 0x88cc:
      printLldp(p, o, length);
      return true;
    default:
      return false;
  }
}

const MACSEC_FLAGS: Tok = new Map([
  [0x08, 'E'],
  [0x04, 'C'],
  [0x40, 'S'],
  [0x10, 'B'],
  [0x20, 'I'],
]);

/**
 * macsec_print (IEEE 802.1AE SecTAG): 'raw' when the payload is encrypted (dumped as data), 'stop' when
 * the header is bad or cut off, else the payload bounds with the ICV removed.
 */
function printMacsec(
  p: Printer,
  q: number,
  len: number,
  cap: number,
  eth: number,
): { result: 'raw' | 'stop' | 'ok'; q: number; len: number; cap: number; used: number } {
  const saved = p.protocol;
  p.protocol = 'macsec';
  const stop = () => {
    p.protocol = saved;
    return { result: 'stop' as const, q, len, cap, used: 0 };
  };
  if (cap < 6 || len < 6) {
    p.trunc();
    return stop();
  }
  const tci = p.u8(q);
  const tagLen = tci & 0x20 ? 14 : 6;
  if (cap < tagLen || len < tagLen) {
    p.trunc();
    return stop();
  }
  const slField = p.u8(q + 1);
  if ((slField & ~0x3f) !== 0 || tci & 0x80) {
    p.invalid();
    return stop();
  }
  const sl = slField & 0x3f;
  const header = () => {
    p.print(
      `an ${tci & 3}, pn ${p.u32(q + 2)}, flags ${bittok2str(MACSEC_FLAGS, 'none', tci & 0x7c, '')}`,
    );
    if (sl !== 0) p.print(`, sl ${sl}`);
    if (tci & 0x20)
      p.print(
        `, sci ${p
          .u64(q + 6)
          .toString(16)
          .padStart(16, '0')}`,
      );
    p.print(', ');
  };
  if (p.eflag) header();
  let nq = q + tagLen;
  let nlen = len - tagLen;
  let ncap = cap - tagLen;
  if (tci & 0x0c) {
    if (!p.eflag) {
      p.print(`${p.mac(eth + 6)} > ${p.mac(eth)} `);
      p.print('802.1AE MACsec, ');
      header();
    }
    p.protocol = saved;
    return { result: 'raw', q: nq, len: nlen, cap: ncap, used: tagLen };
  }
  if (nlen < 16 || ncap < 16) {
    p.trunc();
    return stop();
  }
  nlen -= 16;
  ncap -= 16;
  p.snapend -= 16;
  if (sl !== 0) {
    if (sl > nlen || sl > ncap) {
      p.trunc();
      return stop();
    }
    nlen = Math.min(nlen, sl);
    ncap = Math.min(ncap, sl);
  }
  p.protocol = saved;
  nq = q + tagLen;
  return { result: 'ok', q: nq, len: nlen, cap: ncap, used: tagLen };
}

/** arista_ethertype_print: the TapAgg timestamp header; returns its length, or -1 when not decoded. */
function printArista(p: Printer, o: number): number {
  p.protocol = 'arista';
  const sub = p.u16(o);
  p.print(
    `SubType ${sub === 1 ? 'Timestamp' : 'Unknown'} (0x${sub.toString(16).padStart(4, '0')}), `,
  );
  if (sub !== 1) return -1;
  const scale = p.u8(o + 2);
  p.print(`Timescale ${scale === 0 ? 'TAI' : scale === 1 ? 'UTC' : 'Unknown'} (${scale}), `);
  const format = p.u8(o + 3) >> 4;
  const hw = p.u8(o + 3) & 0x0f;
  p.print(
    `Format ${format === 1 ? '64-bit' : format === 2 ? '48-bit' : 'Unknown'} (${format}), HwInfo ${hw === 0 ? 'R/R2' : hw === 1 ? 'R3' : 'Unknown'} (${hw}), Timestamp `,
  );
  let used = 4;
  if (format === 1) {
    const secs = p.u32(o + 4);
    let ns = p.u32(o + 8);
    const ts = secs + Math.floor(ns / 1e9);
    ns %= 1e9;
    const d = new Date(ts * 1000);
    const two = (n: number) => String(n).padStart(2, '0');
    p.print(
      `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(ns).padStart(9, '0')}`,
    );
    used += 8;
  } else if (format === 2) {
    let secs = p.u16(o + 4);
    let ns = p.u32(o + 6);
    secs += Math.floor(ns / 1e9);
    ns %= 1e9;
    p.print(`${secs}.${String(ns).padStart(9, '0')}`);
    used += 6;
  } else return -1;
  p.print(': ');
  return used;
}
