// Linux socket-buffer metadata that SKF_AD_* loads read (cbpf-reference.md 5.1): inputs, not packet bytes.
import { SKF_AD, SKF_AD_OFF, SKF_LL_OFF, SKF_NET_OFF } from './opcodes.js';

/**
 * What the kernel would read from `struct sk_buff` for an ancillary load. Every number defaults to
 * 0 (no VLAN tag, PACKET_HOST, ifindex 0 ...); CPU, RXHASH, RANDOM and PAY_OFFSET are not
 * reproducible on a real system, so tests pass them explicitly.
 */
export interface AncillaryData {
  /** `skb->protocol` in host order: the EtherType (0x0800 for IPv4). */
  protocol: number;
  /** PACKET_HOST 0, BROADCAST 1, MULTICAST 2, OTHERHOST 3, OUTGOING 4. */
  pkttype: number;
  ifindex: number;
  mark: number;
  /** `skb->queue_mapping`. */
  queue: number;
  /** Device type, ARPHRD_* (1 = Ethernet). */
  hatype: number;
  rxhash: number;
  cpu: number;
  /** The stripped VLAN TCI (PCP, DEI, VID). */
  vlanTci: number;
  /** 1 if a tag was stripped into metadata, else 0. */
  vlanPresent: number;
  /** TPID of the stripped tag (0x8100 / 0x88a8), 0 without one. */
  vlanTpid: number;
  /** What `ld #rand` yields (the kernel's is a fresh pseudo-random u32 each time). */
  random: number;
  /** What `ld #poff` yields (the kernel asks its flow dissector). */
  payOffset: number;
  /**
   * Offset of the network header in the packet, for SKF_NET_OFF loads. Undefined (the default)
   * means "not set": such loads fail and the program returns 0, as for an skb whose header was
   * never set. Negative when the header lies in `headroom` (e.g. -20 on a UDP socket, whose
   * packet starts at the UDP header).
   */
  netOffset: number | undefined;
  /** Offset of the link-layer header, for SKF_LL_OFF loads; undefined (default) = not set, loads fail. */
  llOffset: number | undefined;
  /**
   * Bytes in front of the packet's first byte that only header-relative loads can reach (the
   * skb's headroom): the Ethernet header on a SOCK_DGRAM packet socket, the IP header on a UDP
   * socket. Its last byte sits at offset -1. Undefined (default): nothing before offset 0.
   */
  headroom: Uint8Array | undefined;
}

export const DEFAULT_ANCILLARY: Readonly<AncillaryData> = Object.freeze({
  protocol: 0,
  pkttype: 0,
  ifindex: 0,
  mark: 0,
  queue: 0,
  hatype: 0,
  rxhash: 0,
  cpu: 0,
  vlanTci: 0,
  vlanPresent: 0,
  vlanTpid: 0,
  random: 0,
  payOffset: 0,
  netOffset: undefined,
  llOffset: undefined,
  headroom: undefined,
});

/** Fills in defaults; one object per run, only when the caller gave any metadata. */
export function withDefaults(partial: Partial<AncillaryData> | undefined): Readonly<AncillaryData> {
  return partial === undefined ? DEFAULT_ANCILLARY : { ...DEFAULT_ANCILLARY, ...partial };
}

/**
 * Packet offset addressed by a negative (as signed 32-bit) Linux offset `u` (given as u32), or
 * undefined: [SKF_NET_OFF, 0) is network-header relative, [SKF_LL_OFF, SKF_NET_OFF) link-layer
 * relative, anything lower fails. The offset is negative when the header lies in the headroom.
 */
export function headerRelative(u: number, anc: Readonly<AncillaryData>): number | undefined {
  if (u >= SKF_NET_OFF)
    return anc.netOffset === undefined ? undefined : anc.netOffset + (u - SKF_NET_OFF);
  if (u >= SKF_LL_OFF)
    return anc.llOffset === undefined ? undefined : anc.llOffset + (u - SKF_LL_OFF);
  return undefined;
}

/**
 * Linux: the big-endian value of the `size` bytes a load at negative offset `u` (given as u32)
 * reads from the packet's `len` bytes at p[b], reaching back into `anc.headroom` when the header lies
 * there; -1 when the load fails (no such header, or bytes outside headroom and packet).
 */
export function relativeLoad(
  u: number,
  size: number,
  p: Uint8Array,
  b: number,
  len: number,
  anc: Readonly<AncillaryData>,
): number {
  const o = headerRelative(u, anc);
  if (o === undefined) return -1;
  const h = anc.headroom;
  if (o + size > len || (o < 0 && (h === undefined || o < -h.length))) return -1;
  let v = 0;
  for (let i = o; i < o + size; i++)
    v = v * 256 + (i < 0 ? (h as Uint8Array)[h!.length + i] : p[b + i]);
  return v;
}

/**
 * Value of the ancillary load at absolute offset `k` (>= SKF_AD_OFF) given the registers, or -1 for
 * an unknown field (the Linux validator rejects those; run() then drops). The load size is ignored,
 * as in the kernel. SKF_AD_ALU_XOR_X is not a load; the interpreter handles it.
 */
export function ancillaryValue(
  k: number,
  A: number,
  X: number,
  anc: Readonly<AncillaryData>,
  p: Uint8Array,
): number {
  switch (k - SKF_AD_OFF) {
    case SKF_AD.protocol:
      return anc.protocol >>> 0;
    case SKF_AD.pkttype:
      return anc.pkttype >>> 0;
    case SKF_AD.ifindex:
      return anc.ifindex >>> 0;
    case SKF_AD.nlattr:
      return nlattr(p, A, X);
    case SKF_AD.nlattr_nest:
      return nlattrNest(p, A, X);
    case SKF_AD.mark:
      return anc.mark >>> 0;
    case SKF_AD.queue:
      return anc.queue >>> 0;
    case SKF_AD.hatype:
      return anc.hatype >>> 0;
    case SKF_AD.rxhash:
      return anc.rxhash >>> 0;
    case SKF_AD.cpu:
      return anc.cpu >>> 0;
    case SKF_AD.vlan_tag:
      return anc.vlanTci >>> 0;
    case SKF_AD.vlan_tag_present:
      return anc.vlanPresent ? 1 : 0;
    case SKF_AD.pay_offset:
      return anc.payOffset >>> 0;
    case SKF_AD.random:
      return anc.random >>> 0;
    case SKF_AD.vlan_tpid:
      return anc.vlanTpid >>> 0;
    default:
      return -1;
  }
}

// Netlink attributes: {u16 nla_len, u16 nla_type} in host order (little-endian here), 4-byte aligned.
const NLA_HDRLEN = 4;
const NLA_TYPE_MASK = 0x3fff;
const u16le = (p: Uint8Array, o: number): number => p[o]! | (p[o + 1]! << 8);

/** nla_find over [start, start+len): offset of the first attribute of type `type`, or 0. */
function nlaFind(p: Uint8Array, start: number, len: number, type: number): number {
  let o = start;
  let rem = len;
  while (rem >= NLA_HDRLEN) {
    const l = u16le(p, o);
    if (l < NLA_HDRLEN || l > rem) break;
    if ((u16le(p, o + 2) & NLA_TYPE_MASK) === type) return o;
    const step = (l + 3) & ~3;
    o += step;
    rem -= step;
  }
  return 0;
}

/** SKF_AD_NLATTR: A = offset of attribute type X, searching from offset A; 0 if none. */
function nlattr(p: Uint8Array, A: number, X: number): number {
  if (p.length < NLA_HDRLEN || A > p.length - NLA_HDRLEN) return 0;
  return nlaFind(p, A, p.length - A, X);
}

/** SKF_AD_NLATTR_NEST: the same inside the nested attribute at offset A. */
function nlattrNest(p: Uint8Array, A: number, X: number): number {
  if (p.length < NLA_HDRLEN || A > p.length - NLA_HDRLEN) return 0;
  const l = u16le(p, A);
  if (l > p.length - A || l < NLA_HDRLEN) return 0;
  return nlaFind(p, A + NLA_HDRLEN, l - NLA_HDRLEN, X);
}
