// UDP header (RFC 768).
import { printBootp } from './dhcp.js';
import { printDomain } from './dns.js';
import { type LayerBase, u16 } from './layer.js';
import { printNtp } from './ntp.js';
import type { Printer } from './printer.js';

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
  if (p.has(cp + 4, 4)) {
    // Sun RPC over UDP on the NFS port: tcpdump prints the call or reply.
    const direction = p.u32(cp + 4);
    if ((dport === 2049 && direction === 0) || (sport === 2049 && direction === 1)) {
      printNfsUdp(p, cp, len, dport === 2049, ip);
      return;
    }
  }
  const is = (port: number) => sport === port || dport === port;
  if (is(53)) printDomain(p, cp, len, false, false);
  else if (is(5353)) printDomain(p, cp, len, false, true);
  else if (is(67) || is(68)) printBootp(p, cp, len);
  else if (is(123)) printNtp(p, cp, len);
  else {
    if (ulen > len && !fragmented) p.print(`UDP, bad length ${ulen} > ${len}`);
    else p.print(`UDP, length ${ulen}`);
  }
  void atalkPort;
}

function printNfsUdp(p: Printer, o: number, _len: number, request: boolean, _ip: number): void {
  p.print(`NFS ${request ? 'request' : 'reply'} xid ${p.u32(o)} `);
}
