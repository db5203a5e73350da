// The IP protocol dispatch shared by IPv4 and IPv6, as tcpdump's print-ip-demux.c.
import { printGre } from './gre.js';
import { printIcmp } from './icmp.js';
import { printIcmp6 } from './icmpv6.js';
import { printIgmp } from './igmp.js';
import { printIp } from './ipv4.js';
import { printIp6 } from './ipv6.js';
import { printPim } from './pim.js';
import { type Printer, type Tok, tok2str } from './printer.js';
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
  switch (nh) {
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
      printIp(p, o, length);
      return;
    case 41:
      printIp6(p, o, length);
      return;
    case 112:
      printVrrp(p, o, length, ttl);
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

function requires(p: Printer, nh: number, v: string): void {
  p.print(`[${tok2str(IPPROTO_NAMES, 'unknown', nh)} requires ${v}]`);
  p.invalid();
}
