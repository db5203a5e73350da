// Non-Ethernet link headers: Linux cooked v1/v2 (SLL, SLL2) and BSD loopback (NULL host order, LOOP network order).

import { formatMac } from './addr.js';
import { ETHERTYPE_NAMES, etherTypeText } from './ethertypes.js';
import { printIpx } from './ipx.js';
import { type LayerBase, u16, u32 } from './layer.js';
import { type Printer, type Tok, tok2str } from './printer.js';

export interface SllLayer extends LayerBase {
  kind: 'sll';
  /** 0 to us, 1 broadcast, 2 multicast, 3 other host, 4 outgoing. */
  packetType: number;
  arphrd: number;
  address: string;
  /** Protocol (an ethertype, or a Linux ETH_P_* value below 0x0600). */
  protocol: number;
}

export interface Sll2Layer extends LayerBase {
  kind: 'sll2';
  protocol: number;
  ifindex: number;
  arphrd: number;
  packetType: number;
  address: string;
}

export interface NullLayer extends LayerBase {
  kind: 'null';
  /** The address family (AF_INET = 2; AF_INET6 is 10, 24, 28 or 30 depending on the OS). */
  family: number;
}

/** Decodes a 16-byte Linux cooked v1 header. */
export function decodeSll(b: Uint8Array, off = 0): SllLayer {
  const avail = Math.max(0, b.length - off);
  const alen = Math.min(u16(b, off + 4), 8);
  return {
    kind: 'sll',
    offset: off,
    headerLength: Math.min(16, avail),
    truncated: avail < 16,
    packetType: u16(b, off),
    arphrd: u16(b, off + 2),
    address: formatMac(b, off + 6, Math.min(alen, Math.max(0, avail - 6))),
    protocol: u16(b, off + 14),
  };
}

/** Decodes a 20-byte Linux cooked v2 header. */
export function decodeSll2(b: Uint8Array, off = 0): Sll2Layer {
  const avail = Math.max(0, b.length - off);
  const alen = Math.min(b[off + 11] ?? 0, 8);
  return {
    kind: 'sll2',
    offset: off,
    headerLength: Math.min(20, avail),
    truncated: avail < 20,
    protocol: u16(b, off),
    ifindex: u32(b, off + 4),
    arphrd: u16(b, off + 8),
    packetType: b[off + 10] ?? 0,
    address: formatMac(b, off + 12, Math.min(alen, Math.max(0, avail - 12))),
  };
}

/**
 * Decodes the 4-byte family of DLT_NULL (host byte order of the capturing machine) or DLT_LOOP
 * (network order). For NULL, as tcpdump's null_if_print, a value with bits in the upper half is read
 * the other way round.
 */
export function decodeNull(b: Uint8Array, off: number, networkOrder: boolean): NullLayer {
  const avail = Math.max(0, b.length - off);
  let family = networkOrder
    ? u32(b, off)
    : ((b[off] ?? 0) |
        ((b[off + 1] ?? 0) << 8) |
        ((b[off + 2] ?? 0) << 16) |
        ((b[off + 3] ?? 0) << 24)) >>>
      0;
  if (!networkOrder && (family & 0xffff0000) !== 0) family = u32(b, off);
  return {
    kind: 'null',
    offset: off,
    headerLength: Math.min(4, avail),
    truncated: avail < 4,
    family,
  };
}

/** Address families that mean IPv4 / IPv6 in NULL/LOOP headers (BSD, Linux, FreeBSD, Darwin values). */
export const AF_INET = 2;
export const AF_INET6_VALUES: readonly number[] = [10, 24, 28, 30];

// ---- Printing, as tcpdump's print-null.c and print-sll.c ----

const BSD_AF_NAMES: Tok = new Map([
  [2, 'IPv4'],
  [6, 'NS'],
  [7, 'ISO'],
  [16, 'Appletalk'],
  [23, 'IPX'],
  [24, 'IPv6'],
  [28, 'IPv6'],
  [30, 'IPv6'],
]);

/** null_if_print (DLT_NULL and DLT_LOOP): a 4-byte address family, in either byte order. */
export function printNull(p: Printer, length: number, caplen: number): void {
  p.protocol = 'null';
  p.need(0, 4);
  p.llHdrLen += 4;
  let family = p.le32(0);
  if ((family & 0xffff0000) !== 0) family = p.u32(0);
  // null_hdr_print: the family by name and number, or under -q by name alone.
  const hdr = (len: number) => {
    p.print(
      !p.qflag
        ? `AF ${tok2str(BSD_AF_NAMES, 'Unknown', family)} (${family}), length ${len}: `
        : `${tok2str(BSD_AF_NAMES, 'Unknown AF %u', family)}, length ${len}: `,
    );
  };
  if (p.eflag) hdr(length);
  switch (family) {
    case 2:
      p.next.printIp(p, 4, length - 4);
      break;
    case 24:
    case 28:
    case 30:
      p.next.printIp6(p, 4, length - 4);
      break;
    default:
      if (!p.eflag) hdr(length);
      p.defaultPrint(4, caplen - 4);
  }
}

const SLL_TYPES: Tok = new Map([
  [0, 'In'],
  [1, 'B'],
  [2, 'M'],
  [3, 'P'],
  [4, 'Out'],
]);

function sllProtoText(type: number, length: number): string {
  let s: string;
  if (type <= 1500) {
    s =
      type === 1
        ? '802.3'
        : type === 4
          ? '802.2'
          : `ethertype Unknown (0x${type.toString(16).padStart(4, '0')})`;
  } else s = etherTypeText(type);
  return `${s}, length ${length}: `;
}

/** sll_if_print (DLT_LINUX_SLL): the 16-byte cooked header, then the protocol it names. */
export function printSll(p: Printer, length: number, caplen: number): void {
  p.protocol = 'sll';
  p.need(0, 16);
  const header = (len: number) => {
    p.protocol = 'sll';
    p.print(`${tok2str(SLL_TYPES, '?', p.u16(0)).padStart(3)} `);
    if (p.u16(4) === 6) p.print(`${p.mac(6)} `);
    if (!p.qflag) p.print(sllProtoText(p.u16(14), len));
  };
  if (p.eflag) header(length);
  let hdrlen = 16;
  if (p.u16(2) === 803) {
    p.llHdrLen += 16;
    printRadiotapStub(p, 16, length - 16, caplen - 16);
    return;
  }
  hdrlen += cookedPayload(p, 16, length - 16, caplen - 16, p.u16(14), () => {
    if (!p.eflag) header(length);
  });
  p.llHdrLen += hdrlen;
}

/** sll2_if_print (DLT_LINUX_SLL2): interface name and packet type always, the rest with -e. */
export function printSll2(p: Printer, length: number, caplen: number): void {
  p.protocol = 'sll2';
  p.need(0, 20);
  const ifindex = p.u32(4);
  p.print(`${(p.interfaceName?.(ifindex) ?? '?').padEnd(5)} `);
  p.print(`${tok2str(SLL_TYPES, '?', p.u8(10)).padEnd(3)} `);
  const header = (len: number) => {
    p.protocol = 'sll2';
    p.print(`ifindex ${ifindex} `);
    if (p.u8(11) === 6) p.print(`${p.mac(12)} `);
    if (!p.qflag) p.print(sllProtoText(p.u16(0), len));
  };
  if (p.eflag) header(length);
  if (p.u16(8) === 803) {
    p.llHdrLen += 20;
    printRadiotapStub(p, 20, length - 20, caplen - 20);
    return;
  }
  const n = cookedPayload(p, 20, length - 20, caplen - 20, p.u16(0), () => {
    if (!p.eflag) header(length);
  });
  p.llHdrLen += 20 + n;
}

/** The shared tail of the SLL printers: 802.3/802.2 values, VLAN tags and ethertypes. */
function cookedPayload(
  p: Printer,
  o0: number,
  length0: number,
  caplen0: number,
  type0: number,
  unknownHeader: () => void,
): number {
  let o = o0;
  let length = length0;
  let caplen = caplen0;
  let type = type0;
  let extra = 0;
  for (;;) {
    if (type <= 1500) {
      if (type === 1) printIpx(p, o, length);
      else if (type === 4) {
        const n = p.next.printLlc(p, o, length, caplen);
        if (n < 0) p.defaultPrint(o, caplen);
        else extra += n;
      } else p.defaultPrint(o, caplen);
      return extra;
    }
    if (type === 0x8100) {
      if (caplen < 4) {
        p.protocol = 'vlan';
        p.trunc();
        return extra + caplen;
      }
      if (p.eflag) {
        const tag = p.u16(o);
        p.print(`vlan ${tag & 0xfff}, p ${tag >> 13}${tag & 0x1000 ? ', DEI' : ''}, `);
      }
      type = p.u16(o + 2);
      if (type <= 1500) type = 4;
      if (!p.qflag) p.print(`ethertype ${tok2str(ETHERTYPE_NAMES, 'Unknown', type)}, `);
      o += 4;
      length -= 4;
      caplen -= 4;
      extra += 4;
      continue;
    }
    if (!p.next.printEthertype(p, type, o, length, caplen)) {
      unknownHeader();
      p.defaultPrint(o, caplen);
    }
    return extra;
  }
}

function printRadiotapStub(p: Printer, _o: number, length: number, _caplen: number): void {
  p.print(`802.11 radiotap, length ${length}`);
}
