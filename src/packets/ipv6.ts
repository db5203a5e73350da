// IPv6 header (RFC 8200) and its extension header chain: hop-by-hop, routing, fragment, destination options, AH.
import { formatIpv6 } from './addr.js';
import { type LayerBase, u16, u32 } from './layer.js';

export interface Ipv6Extension {
  /** The header's own protocol number (0, 43, 44, 60, 51). */
  type: number;
  offset: number;
  length: number;
  nextHeader: number;
}

export interface Ipv6Layer extends LayerBase {
  kind: 'ipv6';
  version: number;
  trafficClass: number;
  flowLabel: number;
  payloadLength: number;
  /** The fixed header's next-header field. */
  nextHeader: number;
  hopLimit: number;
  src: string;
  dst: string;
  extensions: Ipv6Extension[];
  /** The protocol after the last extension header (what `headerLength` leads to). */
  protocol: number;
  /** Present when a fragment header was seen. */
  fragment?: { offset: number; more: boolean; id: number };
}

const EXT = new Set([0, 43, 44, 51, 60]);

/** Decodes an IPv6 header and walks its extension headers (at most 16, so a loop of garbage ends). */
export function decodeIpv6(b: Uint8Array, off = 0): Ipv6Layer {
  const avail = Math.max(0, b.length - off);
  const w = u32(b, off);
  const payloadLength = u16(b, off + 4);
  const layer: Ipv6Layer = {
    kind: 'ipv6',
    offset: off,
    headerLength: Math.min(40, avail),
    truncated: avail < 40 || avail < 40 + payloadLength,
    version: w >>> 28,
    trafficClass: (w >>> 20) & 0xff,
    flowLabel: w & 0xfffff,
    payloadLength,
    nextHeader: b[off + 6] ?? 0,
    hopLimit: b[off + 7] ?? 0,
    src: formatIpv6(b, off + 8),
    dst: formatIpv6(b, off + 24),
    extensions: [],
    protocol: b[off + 6] ?? 0,
  };
  if (avail < 40) return layer;
  let nh = layer.nextHeader;
  let p = off + 40;
  for (let n = 0; n < 16 && EXT.has(nh); n++) {
    if (p + 8 > b.length) {
      layer.truncated = true;
      break;
    }
    const next = b[p];
    let len: number;
    if (nh === 44) len = 8;
    else if (nh === 51) len = (b[p + 1] + 2) * 4;
    else len = (b[p + 1] + 1) * 8;
    if (nh === 44) {
      const fo = u16(b, p + 2);
      layer.fragment = { offset: fo & 0xfff8, more: (fo & 1) === 1, id: u32(b, p + 4) };
    }
    layer.extensions.push({ type: nh, offset: p, length: len, nextHeader: next });
    if (p + len > b.length) {
      layer.truncated = true;
      p = b.length;
      nh = next;
      break;
    }
    p += len;
    nh = next;
    // A non-first fragment carries no upper-layer header.
    if (layer.fragment && layer.fragment.offset !== 0) break;
  }
  layer.protocol = nh;
  layer.headerLength = p - off;
  return layer;
}
