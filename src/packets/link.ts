// Non-Ethernet link headers: Linux cooked v1/v2 (SLL, SLL2) and BSD loopback (NULL host order, LOOP network order).
import { formatMac } from './addr.js';
import { type LayerBase, u16, u32 } from './layer.js';

export interface SllLayer extends LayerBase {
  kind: 'sll';
  /** 0 to us, 1 broadcast, 2 multicast, 3 other host, 4 outgoing. */
  packetType: number;
  arphrd: number;
  address: string;
  /** Protocol (an ethertype, or a Linux ETH_P_* value below 0x0600). */
  protocol: number;
}

export interface Sll2Layer extends LayerBase {
  kind: 'sll2';
  protocol: number;
  ifindex: number;
  arphrd: number;
  packetType: number;
  address: string;
}

export interface NullLayer extends LayerBase {
  kind: 'null';
  /** The address family (AF_INET = 2; AF_INET6 is 10, 24, 28 or 30 depending on the OS). */
  family: number;
}

/** Decodes a 16-byte Linux cooked v1 header. */
export function decodeSll(b: Uint8Array, off = 0): SllLayer {
  const avail = Math.max(0, b.length - off);
  const alen = Math.min(u16(b, off + 4), 8);
  return {
    kind: 'sll',
    offset: off,
    headerLength: Math.min(16, avail),
    truncated: avail < 16,
    packetType: u16(b, off),
    arphrd: u16(b, off + 2),
    address: formatMac(b, off + 6, Math.min(alen, Math.max(0, avail - 6))),
    protocol: u16(b, off + 14),
  };
}

/** Decodes a 20-byte Linux cooked v2 header. */
export function decodeSll2(b: Uint8Array, off = 0): Sll2Layer {
  const avail = Math.max(0, b.length - off);
  const alen = Math.min(b[off + 11] ?? 0, 8);
  return {
    kind: 'sll2',
    offset: off,
    headerLength: Math.min(20, avail),
    truncated: avail < 20,
    protocol: u16(b, off),
    ifindex: u32(b, off + 4),
    arphrd: u16(b, off + 8),
    packetType: b[off + 10] ?? 0,
    address: formatMac(b, off + 12, Math.min(alen, Math.max(0, avail - 12))),
  };
}

/**
 * Decodes the 4-byte family of DLT_NULL (host byte order of the capturing machine) or DLT_LOOP
 * (network order). For NULL, as tcpdump's null_if_print, a value with bits in the upper half is read
 * the other way round.
 */
export function decodeNull(b: Uint8Array, off: number, networkOrder: boolean): NullLayer {
  const avail = Math.max(0, b.length - off);
  let family = networkOrder
    ? u32(b, off)
    : ((b[off] ?? 0) |
        ((b[off + 1] ?? 0) << 8) |
        ((b[off + 2] ?? 0) << 16) |
        ((b[off + 3] ?? 0) << 24)) >>>
      0;
  if (!networkOrder && (family & 0xffff0000) !== 0) family = u32(b, off);
  return {
    kind: 'null',
    offset: off,
    headerLength: Math.min(4, avail),
    truncated: avail < 4,
    family,
  };
}

/** Address families that mean IPv4 / IPv6 in NULL/LOOP headers (BSD, Linux, FreeBSD, Darwin values). */
export const AF_INET = 2;
export const AF_INET6_VALUES: readonly number[] = [10, 24, 28, 30];
