// Per-call lowering state: the link layer being compiled for and the offsets that `vlan`, `mpls` and `pppoes`
// move for everything lowered after them (libpcap's documented left-to-right behaviour).
import type { Span } from '../ast.js';
import { fail } from '../errors.js';
import type { Pred } from './pred.js';

/** What one link type provides; each link/*.ts file makes one. */
export interface LinkLayer {
  /** Name used in error messages. */
  readonly name: string;
  /** Ethernet MAC addresses at offsets 0 (dst) and 6 (src): only EN10MB here. */
  readonly hasMac: boolean;
  /** Whether `vlan` and `mpls` are supported (libpcap: EN10MB among ours). */
  readonly hasVlan: boolean;
  /** Initial absolute offset of the protocol-type field (-1 when there is none, as RAW). */
  readonly offLinkType: number;
  /** Initial absolute offset of the link payload (the network header). */
  readonly offLinkPl: number;
  /** Offset of an OSI network header (after an LLC header without SNAP) from the payload (libpcap off_nl_nosnap). */
  readonly offNlNosnap: number;
  /** Test that the network protocol is `ethertype` (an ETHERTYPE_* value, or an LLC SAP when <= 1500). */
  linktype(ctx: Ctx, ethertype: number, span: Span): Pred;
  /** Test of the Linux packet type being PACKET_OUTGOING (for inbound/outbound). */
  outgoing(ctx: Ctx): Pred;
  /** Test of the interface index (for ifindex). */
  ifindex(ctx: Ctx, index: number, span: Span): Pred;
}

export interface Ctx {
  readonly link: LinkLayer;
  /** Netmask for `ip broadcast`; tcpdump compiling without a device uses 0. */
  readonly netmask: number | null;
  readonly resolve: ((name: string) => string[]) | undefined;
  /** Start of the current link header, base of `link[...]`/`ether[...]` (moves to the PPP header after `pppoes`). */
  offLinkHdr: number;
  offLinkType: number;
  offLinkPl: number;
  /** Network header offset relative to offLinkPl (MPLS labels push it). */
  offNl: number;
  /** OSI network header offset relative to offLinkPl (libpcap off_nl_nosnap). */
  offNlNosnap: number;
  mplsDepth: number;
  /** After `pppoes`, the protocol field is PPP's, and values are PPP protocol numbers. */
  ppp: boolean;
  /**
   * Set once protochain is lowered, even where a constant then absorbs it (`not host 10.0.0.1 or
   * protochain 17` on IPV6): libpcap's no_optimize, so its program keeps every load and is never
   * "rejects all packets".
   */
  noOptimize?: boolean;
}

/** Absolute offset of the network-layer header. */
export function nl(ctx: Ctx): number {
  return ctx.offLinkPl + ctx.offNl;
}

export function unsupported(ctx: Ctx, what: string, span: Span): never {
  return fail('UNSUPPORTED_FOR_LINKTYPE', `${what} not supported on ${ctx.link.name}`, span);
}
