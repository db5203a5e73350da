// ICMP for IPv4 (RFC 792): type, code, and the echo identifier/sequence.
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
  return layer;
}
