// IPv4 header (RFC 791): options, fragmentation fields, header checksum check.
import { formatIpv4 } from './addr.js';
import { internetChecksum } from './checksum.js';
import { type LayerBase, u16 } from './layer.js';
import type { Printer } from './printer.js';

export interface Ipv4Option {
  type: number;
  /** Option bytes after type and length (empty for EOL/NOP). */
  data: Uint8Array;
}

export interface Ipv4Layer extends LayerBase {
  kind: 'ipv4';
  version: number;
  /** Header length in bytes (IHL * 4). */
  ihl: number;
  tos: number;
  totalLength: number;
  id: number;
  df: boolean;
  mf: boolean;
  /** Fragment offset in bytes (the field times 8). */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  checksum: number;
  /** Whether the header checksum verifies (false also when the header is cut off). */
  checksumValid: boolean;
  src: string;
  dst: string;
  options: Ipv4Option[];
}

/** Decodes an IPv4 header at `off`. `truncated` is set if the header or the declared total length is cut off. */
export function decodeIpv4(b: Uint8Array, off = 0): Ipv4Layer {
  const avail = Math.max(0, b.length - off);
  const ihl = ((b[off] ?? 0) & 0x0f) * 4;
  const totalLength = u16(b, off + 2);
  const frag = u16(b, off + 6);
  const hdrOk = avail >= 20 && ihl >= 20 && avail >= ihl;
  const options: Ipv4Option[] = [];
  if (hdrOk) {
    let i = off + 20;
    const end = off + ihl;
    while (i < end) {
      const type = b[i];
      if (type === 0) {
        options.push({ type, data: new Uint8Array(0) });
        break;
      }
      if (type === 1) {
        options.push({ type, data: new Uint8Array(0) });
        i++;
        continue;
      }
      const len = b[i + 1] ?? 0;
      if (len < 2 || i + len > end) break;
      options.push({ type, data: b.slice(i + 2, i + len) });
      i += len;
    }
  }
  return {
    kind: 'ipv4',
    offset: off,
    headerLength: Math.min(Math.max(ihl, 20), avail),
    truncated: !hdrOk || avail < totalLength,
    version: (b[off] ?? 0) >> 4,
    ihl,
    tos: b[off + 1] ?? 0,
    totalLength,
    id: u16(b, off + 4),
    df: (frag & 0x4000) !== 0,
    mf: (frag & 0x2000) !== 0,
    fragmentOffset: (frag & 0x1fff) * 8,
    ttl: b[off + 8] ?? 0,
    protocol: b[off + 9] ?? 0,
    checksum: u16(b, off + 10),
    checksumValid: hdrOk && internetChecksum(b, off, ihl) === 0,
    src: formatIpv4(b, off + 12),
    dst: formatIpv4(b, off + 16),
    options,
  };
}

export const IPPROTO = {
  HOPOPTS: 0,
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  ROUTING: 43,
  FRAGMENT: 44,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  NONE: 59,
  DSTOPTS: 60,
} as const;

// ---- Printing, as tcpdump's print-ip.c without -v ----

/** ip_print: an IPv4 datagram at `o` with `length` bytes left on the wire. */
export function printIp(p: Printer, o: number, length: number): void {
  p.protocol = 'ip';
  const v = p.u8(o) >> 4;
  if (v !== 4) {
    p.print(v === 6 ? 'IP6, wrong link-layer encapsulation' : `IP${v}`);
    p.invalid();
    return;
  }
  if (!p.eflag) p.print('IP ');
  if (!p.has(o, 20)) {
    p.trunc();
    return;
  }
  if (length < 20) {
    p.print(`truncated-ip ${length}`);
    return;
  }
  const hlen = (p.u8(o) & 0x0f) * 4;
  if (hlen < 20) {
    p.print(`bad-hlen ${hlen}`);
    return;
  }
  let len = p.u16(o + 2);
  if (length < len) p.print(`truncated-ip - ${len - length} bytes missing! `);
  if (len < hlen) {
    p.print(`bad-len ${len}`);
    return;
  }
  p.push(o, len);
  len -= hlen;
  const off = p.u16(o + 6);
  const proto = p.u8(o + 9);
  const src = p.ip4(o + 12);
  const dst = p.ip4(o + 16);
  if ((off & 0x1fff) === 0) {
    if (proto !== 6 && proto !== 17 && proto !== 132 && proto !== 33) p.print(`${src} > ${dst}: `);
    if (!p.has(o, hlen)) {
      p.print(` [remaining caplen(${p.avail(o)}) < header length(${hlen})]`);
      p.stop();
    }
    p.next.printIpDemux(p, o + hlen, len, 4, (off & 0x2000) !== 0, p.u8(o + 8), proto, o);
  } else if (p.qflag <= 1) {
    // -qq leaves a later fragment's line at the link level.
    p.print(`${src} > ${dst}: ip-proto-${proto}`);
  }
  p.pop();
}

/** ipN_print (DLT_RAW): IPv4 or IPv6 by the version nibble. */
export function printIpN(p: Printer, o: number, length: number): void {
  p.protocol = 'ipn';
  if (length < 1) {
    p.print(`truncated-ip ${length}`);
    return;
  }
  const v = p.u8(o) & 0xf0;
  if (v === 0x40) printIp(p, o, length);
  else if (v === 0x60) p.next.printIp6(p, o, length);
  else p.print(`unknown ip ${v >> 4}`);
}
