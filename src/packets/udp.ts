// UDP header (RFC 768).

import { printAhcp } from './ahcp.js';
import { printLlap } from './atalk.js';
import { printBabel } from './babel.js';
import { printBcmLi } from './bcm-li.js';
import { printBfd } from './bfd.js';
import { printBootp } from './dhcp.js';
import { printDhcp6 } from './dhcp6.js';
import { printDomain } from './dns.js';
import { printHsrp } from './hsrp.js';
import { printIsakmp, printIsakmpNatT } from './isakmp.js';
import { printKrb } from './krb.js';
import { printL2tp } from './l2tp.js';
import { type LayerBase, u16 } from './layer.js';
import { printLdp } from './ldp.js';
import { printLisp } from './lisp.js';
import { printLspping } from './lspping.js';
import { printNtp } from './ntp.js';
import { printCiscoAutoRp } from './pim.js';
import type { Printer } from './printer.js';
import { printPtp } from './ptp.js';
import { printRadius } from './radius.js';
import { printRip } from './rip.js';
import { printRipng } from './ripng.js';
import { printSflow } from './sflow.js';
import { printSomeip } from './someip.js';
import { printSyslog } from './syslog.js';
import { printTftp } from './tftp.js';
import { printTimed } from './timed.js';
import { printGeneve, printOtv, printVxlan, printVxlanGpe } from './tunnels.js';
import { printSip } from './txtproto.js';
import { printWb } from './wb.js';

export interface UdpLayer extends LayerBase {
  kind: 'udp';
  srcPort: number;
  dstPort: number;
  /** The length field (header + data). */
  length: number;
  checksum: number;
}

/** Decodes the 8-byte UDP header at `off`. */
export function decodeUdp(b: Uint8Array, off = 0): UdpLayer {
  const avail = Math.max(0, b.length - off);
  const length = u16(b, off + 4);
  return {
    kind: 'udp',
    offset: off,
    headerLength: Math.min(8, avail),
    truncated: avail < 8 || avail < length,
    srcPort: u16(b, off),
    dstPort: u16(b, off + 2),
    length,
    checksum: u16(b, off + 6),
  };
}

// ---- Printing, as tcpdump's print-udp.c without -v ----

/** udpipaddr_print: the addresses (and ports) before a UDP payload's text. */
function udpAddrs(p: Printer, ip: number, sport: number, dport: number): void {
  const v6 = p.u8(ip) >> 4 === 6;
  const direct = v6 ? p.u8(ip + 6) === 17 : p.u8(ip + 9) === 17;
  if (direct) {
    const src = v6 ? p.ip6(ip + 8) : p.ip4(ip + 12);
    const dst = v6 ? p.ip6(ip + 24) : p.ip4(ip + 16);
    if (sport === -1) p.print(`${src} > ${dst}: `);
    else p.print(`${src}.${sport} > ${dst}.${dport}: `);
  } else if (sport !== -1) p.print(`${sport} > ${dport}: `);
}

const atalkPort = (x: number) =>
  (x - 16512) >>> 0 < 128 || (x - 200) >>> 0 < 128 || (x - 768) >>> 0 < 128;

/** udp_print: a UDP datagram at `o`, `length` bytes, in the IP datagram whose header is at `ip`. */
export function printUdp(
  p: Printer,
  o: number,
  length: number,
  ip: number,
  fragmented: boolean,
  _ttl: number,
): void {
  p.protocol = 'udp';
  if (!p.has(o + 2, 2)) {
    udpAddrs(p, ip, -1, -1);
    p.trunc();
    return;
  }
  const sport = p.u16(o);
  const dport = p.u16(o + 2);
  if (length < 8) {
    udpAddrs(p, ip, sport, dport);
    p.print(`truncated-udp ${length}`);
    return;
  }
  if (!p.has(o + 4, 2)) {
    udpAddrs(p, ip, sport, dport);
    p.trunc();
    return;
  }
  let ulen = p.u16(o + 4);
  if (ulen === 0 && length > 65535) ulen = length;
  if (ulen < 8) {
    udpAddrs(p, ip, sport, dport);
    p.print(`truncated-udplength ${ulen}`);
    return;
  }
  ulen -= 8;
  let len = length - 8;
  if (ulen < len) len = ulen;
  const cp = o + 8;
  if (cp > p.snapend) {
    udpAddrs(p, ip, sport, dport);
    p.trunc();
    return;
  }
  udpAddrs(p, ip, sport, dport);
  if (!p.qflag && p.has(cp + 4, 4)) {
    // Sun RPC over UDP on the NFS port: tcpdump prints the call or reply.
    const direction = p.u32(cp + 4);
    if ((dport === 2049 && direction === 0) || (sport === 2049 && direction === 1)) {
      printNfsUdp(p, cp, len, dport === 2049, ip);
      return;
    }
  }
  printUdpApp(p, cp, len, ulen, sport, dport, ip, fragmented);
}

/** print-udp.c's port dispatch, in its order (the first match wins). */
function printUdpApp(
  p: Printer,
  cp: number,
  len: number,
  ulen: number,
  sport: number,
  dport: number,
  ip: number,
  fragmented: boolean,
): void {
  const is = (port: number) => sport === port || dport === port;
  const generic = () => {
    if (ulen > len && !fragmented) p.print(`UDP, bad length ${ulen} > ${len}`);
    else p.print(`UDP, length ${ulen}`);
  };
  if (p.qflag) generic();
  else if (is(53)) printDomain(p, cp, len, false, false);
  else if (is(5353)) printDomain(p, cp, len, false, true);
  else if (is(525))
    printTimed(p, cp); // timed
  else if (is(69))
    printTftp(p, cp, len); // TFTP
  else if (is(67) || is(68)) printBootp(p, cp, len);
  else if (is(520))
    printRip(p, cp, len); // RIP
  else if (is(654))
    generic(); // AODV
  else if (is(500))
    printIsakmp(p, cp, len, ip); // ISAKMP
  else if (is(4500))
    printIsakmpNatT(p, cp, len, ip); // ISAKMP NAT-T
  else if (is(7500) || is(8500))
    printIsakmp(p, cp, len, ip); // ISAKMP
  else if (is(161) || is(162))
    generic(); // SNMP
  else if (is(123)) printNtp(p, cp, len);
  else if (is(88) || is(750))
    printKrb(p, cp); // Kerberos
  else if (is(1701))
    printL2tp(p, cp, len); // L2TP
  else if (dport === 3456)
    generic(); // VAT
  else if (is(2103) || is(2104))
    generic(); // Zephyr
  else if ((sport >= 7000 && sport <= 7009) || (dport >= 7000 && dport <= 7009))
    generic(); // AFS RX
  else if (is(521))
    printRipng(p, cp, len); // RIPng
  else if (is(546) || is(547))
    printDhcp6(p, cp, len); // DHCPv6
  else if (is(5359))
    printAhcp(p, cp, len); // AHCP
  else if (is(6696) || is(6697))
    printBabel(p, cp, len); // Babel
  else if (is(8231))
    generic(); // HNCP
  else if (dport === 4567)
    printWb(p, cp, len); // WB
  else if (is(496))
    printCiscoAutoRp(p, cp, len); // Cisco AutoRP
  else if ([1645, 1812, 1646, 1813, 1700, 3799].some(is))
    printRadius(p, cp, len); // RADIUS
  else if (dport === 1985)
    printHsrp(p, cp, len); // HSRP
  else if (is(921))
    generic(); // LWRES
  else if (is(646))
    printLdp(p, cp, len); // LDP
  else if (is(698))
    generic(); // OLSR
  else if (is(3503))
    printLspping(p, cp, len); // MPLS LSP ping
  else if (sport === 49152)
    printBcmLi(p, cp, len); // BCM-LI
  else if (dport === 3784 || dport === 4784 || dport === 6784 || dport === 3785)
    printBfd(p, cp, len, dport); // BFD
  else if (is(701))
    generic(); // LMP
  else if (is(1589))
    generic(); // VQP
  else if (is(6343))
    printSflow(p, cp, len); // sFlow
  else if (dport === 12223 || sport === 12223)
    generic(); // LWAPP control
  else if (is(12222))
    generic(); // LWAPP data
  else if (is(5060))
    printSip(p, cp, len); // SIP
  else if (is(514))
    printSyslog(p, cp, len); // syslog
  else if (is(8472))
    printOtv(p, cp, len); // OTV
  else if (is(4789))
    printVxlan(p, cp, len); // VXLAN
  else if (is(6081))
    printGeneve(p, cp, len); // Geneve
  else if (is(4342))
    printLisp(p, cp, len); // LISP
  else if (is(4790))
    printVxlanGpe(p, cp, len); // VXLAN-GPE
  else if (is(17754))
    generic(); // ZEP
  else if (is(6635)) p.next.printMpls(p, cp, len);
  else if (p.has(cp + 2, 1) && p.u8(cp + 2) === 2 && (atalkPort(sport) || atalkPort(dport)))
    printLlap(p, cp, len);
  else if (is(319) || is(320)) printPtp(p, cp, len);
  else if (is(30490))
    printSomeip(p, cp, len); // SOME/IP
  else generic();
}

function printNfsUdp(p: Printer, o: number, _len: number, request: boolean, _ip: number): void {
  p.print(`NFS ${request ? 'request' : 'reply'} xid ${p.u32(o)} `);
}
