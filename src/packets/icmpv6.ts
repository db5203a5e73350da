// ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861): echo id/seq, NS/NA/redirect target address.
import { formatIpv6 } from './addr.js';
import { type LayerBase, u16 } from './layer.js';

export interface Icmpv6Layer extends LayerBase {
  kind: 'icmpv6';
  type: number;
  code: number;
  checksum: number;
  id?: number;
  seq?: number;
  /** Target address of neighbor solicitation/advertisement and redirect. */
  target?: string;
  /** Number of multicast address records of an MLDv2 report (type 143). */
  records?: number;
}

export const ICMPV6_TYPE = {
  ECHO_REQUEST: 128,
  ECHO_REPLY: 129,
  ROUTER_SOLICIT: 133,
  ROUTER_ADVERT: 134,
  NEIGHBOR_SOLICIT: 135,
  NEIGHBOR_ADVERT: 136,
  REDIRECT: 137,
} as const;

/** Decodes an ICMPv6 header (8 bytes; 24 for ND messages with a target) at `off`. */
export function decodeIcmpv6(b: Uint8Array, off = 0): Icmpv6Layer {
  const avail = Math.max(0, b.length - off);
  const type = b[off] ?? 0;
  const layer: Icmpv6Layer = {
    kind: 'icmpv6',
    offset: off,
    headerLength: Math.min(8, avail),
    truncated: avail < 8,
    type,
    code: b[off + 1] ?? 0,
    checksum: u16(b, off + 2),
  };
  if (avail >= 8 && (type === 128 || type === 129)) {
    layer.id = u16(b, off + 4);
    layer.seq = u16(b, off + 6);
  }
  if (avail >= 8 && type === 143) layer.records = u16(b, off + 6);
  if (type >= 135 && type <= 137) {
    layer.headerLength = Math.min(24, avail);
    if (avail >= 24) layer.target = formatIpv6(b, off + 8);
    else layer.truncated = true;
  }
  return layer;
}
