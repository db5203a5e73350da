// The IP protocol dispatch shared by IPv4 and IPv6, as tcpdump's print-ip-demux.c.
import { printDccp } from './dccp.js';
import { printEigrp } from './eigrp.js';
import { printGre } from './gre.js';
import { printIcmp } from './icmp.js';
import { printIcmp6 } from './icmpv6.js';
import { printIgmp } from './igmp.js';
import { printIgrp } from './igrp.js';
import { printOspf, printOspf6 } from './ospf.js';
import { printPgm } from './pgm.js';
import { printPim } from './pim.js';
import { type Printer, type Tok, tok2str } from './printer.js';
import { printRsvp } from './rsvp.js';
import { printSctp } from './sctp.js';
import { printTcp } from './tcp.js';
import { printUdp } from './udp.js';
import { printVrrp } from './vrrp.js';

export const IPPROTO_NAMES: Tok = new Map([
  [0, 'Options'],
  [1, 'ICMP'],
  [2, 'IGMP'],
  [4, 'IPIP'],
  [6, 'TCP'],
  [8, 'EGP'],
  [9, 'IGRP'],
  [17, 'UDP'],
  [33, 'DCCP'],
  [41, 'IPv6'],
  [43, 'Routing'],
  [44, 'Fragment'],
  [46, 'RSVP'],
  [47, 'GRE'],
  [50, 'ESP'],
  [51, 'AH'],
  [55, 'Mobile IP'],
  [58, 'ICMPv6'],
  [62, 'Mobile IP (old)'],
  [88, 'EIGRP'],
  [89, 'OSPF'],
  [103, 'PIM'],
  [108, 'Compressed IP'],
  [112, 'VRRP'],
  [113, 'PGM'],
  [132, 'SCTP'],
  [135, 'Mobility'],
  [143, 'Ethernet'],
]);

/**
 * ip_demux_print: the payload of an IP datagram (`ver` 4 or 6) at `o`, `length` bytes; `ip` is the
 * offset of the IP header (TCP and UDP print its addresses).
 */
export function printIpDemux(
  p: Printer,
  o: number,
  length: number,
  ver: number,
  fragmented: boolean,
  ttl: number,
  nh: number,
  ip: number,
): void {
  // AH is followed by the protocol it names: tcpdump's `goto again`.
  while (nh === 51) {
    if (!p.has(o, 1)) {
      p.protocol = 'ah';
      p.trunc();
      return;
    }
    const next = p.u8(o);
    const advance = printAh(p, o);
    o += advance;
    length -= advance;
    nh = next;
  }
  switch (nh) {
    case 50:
      p.protocol = 'esp';
      if (o + 8 >= p.snapend) {
        p.trunc();
        return;
      }
      p.print(
        `ESP(spi=0x${p.u32(o).toString(16).padStart(8, '0')},seq=0x${p.u32(o + 4).toString(16)}), length ${length}`,
      );
      return;
    case 6:
      printTcp(p, o, length, ip, fragmented);
      return;
    case 17:
      printUdp(p, o, length, ip, fragmented, ttl);
      return;
    case 1:
      if (ver === 4) printIcmp(p, o, length, ip, fragmented);
      else requires(p, nh, 'IPv4');
      return;
    case 58:
      if (ver === 6) printIcmp6(p, o, length, ip, fragmented);
      else requires(p, nh, 'IPv6');
      return;
    case 4:
      p.next.printIp(p, o, length);
      return;
    case 41:
      p.next.printIp6(p, o, length);
      return;
    case 88:
      printEigrp(p, o, length);
      return;
    case 89:
      if (ver === 6) printOspf6(p, o, length);
      else printOspf(p, o, length);
      return;
    case 46:
      printRsvp(p, o, length);
      return;
    case 112:
      printVrrp(p, o, length, ttl);
      return;
    case 113:
      printPgm(p, o, ip);
      return;
    case 9:
      printIgrp(p, o, length);
      return;
    case 143:
      if (ver === 6) p.next.printEther(p, o, length, p.avail(o));
      else requires(p, nh, 'IPv6');
      return;
    case 33:
      printDccp(p, o, ip, length);
      return;
    case 132:
      printSctp(p, o, ip, length);
      return;
    case 2:
      if (ver === 4) printIgmp(p, o, length);
      else requires(p, nh, 'IPv4');
      return;
    case 103:
      printPim(p, o, length);
      return;
    case 47:
      printGre(p, o, length);
      return;
    case 108:
      p.protocol = 'ipcomp';
      p.print(
        `IPComp(cpi=0x${p
          .u16(o + 2)
          .toString(16)
          .padStart(4, '0')})`,
      );
      return;
    case 77:
      p.print(` nd ${length}`);
      return;
    case 59:
      p.print('no next header');
      return;
    default:
      p.print(` ip-proto-${nh} ${length}`);
  }
}

/** ah_print: `AH(spi=...,seq=...,icv=...): `; returns the header length. */
function printAh(p: Printer, o: number): number {
  p.protocol = 'ah';
  p.protocolCaps();
  const hdrLen = (p.u8(o + 1) + 2) * 4;
  p.print('(');
  const reserved = p.u16(o + 2);
  if (reserved) p.print(`reserved=0x${reserved.toString(16)}[MustBeZero],`);
  p.print(
    `spi=0x${p
      .u32(o + 4)
      .toString(16)
      .padStart(8, '0')},`,
  );
  p.print(`seq=0x${p.u32(o + 8).toString(16)},`);
  p.print('icv=0x');
  for (let q = o + 12; q < o + hdrLen; q++) p.print(p.u8(q).toString(16).padStart(2, '0'));
  p.print('): ');
  return hdrLen;
}

function requires(p: Printer, nh: number, v: string): void {
  p.print(`[${tok2str(IPPROTO_NAMES, 'unknown', nh)} requires ${v}]`);
  p.invalid();
}
