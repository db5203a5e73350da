// UDP header (RFC 768).
import { type LayerBase, u16 } from './layer.js';

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
