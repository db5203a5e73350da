// The decoded-layer data model shared by every decoder: plain objects with a `kind`.
import type { ArpLayer } from './arp.js';
import type { DhcpLayer } from './dhcp.js';
import type { DnsLayer } from './dns.js';
import type { EthernetLayer, LlcLayer, VlanLayer } from './ethernet.js';
import type { IcmpLayer } from './icmp.js';
import type { Icmpv6Layer } from './icmpv6.js';
import type { Ipv4Layer } from './ipv4.js';
import type { Ipv6Layer } from './ipv6.js';
import type { NullLayer, Sll2Layer, SllLayer } from './link.js';
import type { StpLayer } from './stp.js';
import type { TcpLayer } from './tcp.js';
import type { UdpLayer } from './udp.js';

/** Fields every layer has. */
export interface LayerBase {
  /** Offset of the layer's first byte in the frame. */
  offset: number;
  /** Bytes of header this layer decoded (what the next layer starts after). */
  headerLength: number;
  /** True when the bytes ended before the header (or a length it declares) did. */
  truncated: boolean;
}

/** Bytes no decoder claimed (an unknown protocol or application data). */
export interface PayloadLayer extends LayerBase {
  kind: 'payload';
  /** Why decoding stopped: the protocol number/name that has no decoder, or 'data'. */
  protocol: string;
}

/** Any decoded layer. */
export type Layer =
  | EthernetLayer
  | VlanLayer
  | LlcLayer
  | StpLayer
  | SllLayer
  | Sll2Layer
  | NullLayer
  | ArpLayer
  | Ipv4Layer
  | Ipv6Layer
  | UdpLayer
  | TcpLayer
  | IcmpLayer
  | Icmpv6Layer
  | DhcpLayer
  | DnsLayer
  | PayloadLayer;

/** Big-endian u16 at `off`, or 0 past the end (callers check lengths first). */
export function u16(b: Uint8Array, off: number): number {
  return ((b[off] ?? 0) << 8) | (b[off + 1] ?? 0);
}

/** Big-endian u32 at `off` as an unsigned number. */
export function u32(b: Uint8Array, off: number): number {
  return (
    (((b[off] ?? 0) << 24) |
      ((b[off + 1] ?? 0) << 16) |
      ((b[off + 2] ?? 0) << 8) |
      (b[off + 3] ?? 0)) >>>
    0
  );
}
