// ICMP for IPv4 (RFC 792): type, code, and the echo identifier/sequence.
import { formatIpv4 } from './addr.js';
import { type LayerBase, u16 } from './layer.js';

export interface IcmpLayer extends LayerBase {
  kind: 'icmp';
  type: number;
  code: number;
  checksum: number;
  /** Echo, timestamp and information messages carry an identifier and sequence number. */
  id?: number;
  seq?: number;
  /** Redirect gateway (type 5). */
  gateway?: string;
  /** Error messages (unreachable, time exceeded, redirect): the start of the offending datagram, if present. */
  inner?: { src: string; dst: string; protocol: number; srcPort?: number; dstPort?: number };
}

export const ICMP_TYPE = {
  ECHO_REPLY: 0,
  UNREACH: 3,
  REDIRECT: 5,
  ECHO: 8,
  TIME_EXCEEDED: 11,
} as const;

/** Decodes the 8-byte ICMP header at `off`. */
export function decodeIcmp(b: Uint8Array, off = 0): IcmpLayer {
  const avail = Math.max(0, b.length - off);
  const type = b[off] ?? 0;
  const layer: IcmpLayer = {
    kind: 'icmp',
    offset: off,
    headerLength: Math.min(8, avail),
    truncated: avail < 8,
    type,
    code: b[off + 1] ?? 0,
    checksum: u16(b, off + 2),
  };
  if (avail >= 8 && [0, 8, 13, 14, 15, 16].includes(type)) {
    layer.id = u16(b, off + 4);
    layer.seq = u16(b, off + 6);
  }
  if (avail >= 8 && type === 5)
    layer.gateway = `${b[off + 4]}.${b[off + 5]}.${b[off + 6]}.${b[off + 7]}`;
  if (avail >= 28 && (type === 3 || type === 5 || type === 11 || type === 12)) {
    const ip = off + 8;
    const ihl = (b[ip] & 0x0f) * 4;
    const protocol = b[ip + 9];
    layer.inner = { src: formatIpv4(b, ip + 12), dst: formatIpv4(b, ip + 16), protocol };
    if ((protocol === 6 || protocol === 17) && ihl >= 20 && avail >= 8 + ihl + 4) {
      layer.inner.srcPort = u16(b, ip + ihl);
      layer.inner.dstPort = u16(b, ip + ihl + 2);
    }
  }
  return layer;
}
