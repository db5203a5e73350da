// decodeFrame: the layer stack of one captured frame, dispatched by link type, ethertype and protocol.
import { DLT } from '../core/opcodes.js';
import type { ArpLayer } from './arp.js';
import { decodeArp } from './arp.js';
import type { DhcpLayer } from './dhcp.js';
import { decodeDhcp } from './dhcp.js';
import type { DnsLayer } from './dns.js';
import { decodeDns } from './dns.js';
import type { EthernetLayer, LlcLayer, VlanLayer } from './ethernet.js';
import { decodeEthernet, decodeLlc, decodeVlan, isVlanTpid } from './ethernet.js';
import type { IcmpLayer } from './icmp.js';
import { decodeIcmp } from './icmp.js';
import type { Icmpv6Layer } from './icmpv6.js';
import { decodeIcmpv6 } from './icmpv6.js';
import type { Ipv4Layer } from './ipv4.js';
import { decodeIpv4 } from './ipv4.js';
import type { Ipv6Layer } from './ipv6.js';
import { decodeIpv6 } from './ipv6.js';
import type { PayloadLayer } from './layer.js';
import type { NullLayer, Sll2Layer, SllLayer } from './link.js';
import { AF_INET, AF_INET6_VALUES, decodeNull, decodeSll, decodeSll2 } from './link.js';
import type { StpLayer } from './stp.js';
import { decodeStp } from './stp.js';
import type { TcpLayer } from './tcp.js';
import { decodeTcp } from './tcp.js';
import type { UdpLayer } from './udp.js';
import { decodeUdp } from './udp.js';

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

/** A decoded frame: the layers outermost first. */
export interface DecodedFrame {
  linktype: number;
  layers: Layer[];
  /** True if any layer was cut off. */
  truncated: boolean;
}

/** At most this many stacked VLAN tags are decoded (a frame of 0x8100 repeated must end). */
const MAX_VLAN_TAGS = 8;

/**
 * Decodes a frame captured with `linktype` (LINKTYPE_*: EN10MB, LINUX_SLL, LINUX_SLL2, NULL, LOOP,
 * RAW, IPV4, IPV6). Never throws: unknown link types and protocols end in a 'payload' layer, short
 * input in layers marked truncated.
 * @example decodeFrame(bytes, DLT.EN10MB).layers.map((l) => l.kind) // ['ethernet', 'arp']
 */
export function decodeFrame(bytes: Uint8Array, linktype: number): DecodedFrame {
  const layers: Layer[] = [];
  const b = bytes;
  const push = (l: Layer) => {
    layers.push(l);
    return l;
  };
  switch (linktype) {
    case DLT.EN10MB: {
      const eth = push(decodeEthernet(b, 0));
      if (!eth.truncated)
        decodeEthertype(b, 14, eth.kind === 'ethernet' ? eth.ethertype : 0, layers, 0);
      break;
    }
    case DLT.LINUX_SLL: {
      const sll = decodeSll(b, 0);
      push(sll);
      if (!sll.truncated) decodeEthertype(b, 16, sll.protocol, layers, 0);
      break;
    }
    case DLT.LINUX_SLL2: {
      const sll = decodeSll2(b, 0);
      push(sll);
      if (!sll.truncated) decodeEthertype(b, 20, sll.protocol, layers, 0);
      break;
    }
    case DLT.NULL:
    case DLT.LOOP: {
      const n = decodeNull(b, 0, linktype === DLT.LOOP);
      push(n);
      if (n.truncated) break;
      if (n.family === AF_INET) decodeIp(b, 4, 4, layers);
      else if (AF_INET6_VALUES.includes(n.family)) decodeIp(b, 4, 6, layers);
      else payload(b, 4, `af-${n.family}`, layers);
      break;
    }
    case DLT.RAW:
      decodeIp(b, 0, (b[0] ?? 0) >> 4, layers);
      break;
    case DLT.IPV4:
      decodeIp(b, 0, 4, layers);
      break;
    case DLT.IPV6:
      decodeIp(b, 0, 6, layers);
      break;
    default:
      payload(b, 0, `linktype-${linktype}`, layers);
  }
  return { linktype, layers, truncated: layers.some((l) => l.truncated) };
}

function payload(b: Uint8Array, off: number, protocol: string, layers: Layer[]): void {
  if (off >= b.length) return;
  layers.push({
    kind: 'payload',
    offset: off,
    headerLength: b.length - off,
    truncated: false,
    protocol,
  });
}

function decodeEthertype(
  b: Uint8Array,
  off: number,
  type: number,
  layers: Layer[],
  depth: number,
): void {
  if (isVlanTpid(type) && depth < MAX_VLAN_TAGS) {
    const v = decodeVlan(b, off, type);
    layers.push(v);
    if (!v.truncated) decodeEthertype(b, off + 4, v.ethertype, layers, depth + 1);
    return;
  }
  if (type < 0x0600) {
    // An 802.3 length field: LLC follows (Linux SLL also uses small ETH_P_* values here; treated alike).
    if (off >= b.length) return;
    const llc = decodeLlc(b, off);
    layers.push(llc);
    if (llc.snap && !llc.truncated && llc.snap.oui === 0)
      decodeEthertype(b, off + 8, llc.snap.ethertype, layers, depth);
    else if (!llc.truncated && llc.dsap === 0x42 && llc.ssap === 0x42)
      layers.push(decodeStp(b, off + 3));
    else if (!llc.truncated) payload(b, off + llc.headerLength, 'llc', layers);
    return;
  }
  if (type === 0x0806 || type === 0x8035) {
    const a = decodeArp(b, off);
    layers.push(a);
    return;
  }
  if (type === 0x0800) decodeIp(b, off, 4, layers);
  else if (type === 0x86dd) decodeIp(b, off, 6, layers);
  else payload(b, off, `ethertype-0x${type.toString(16).padStart(4, '0')}`, layers);
}

function decodeIp(b: Uint8Array, off: number, version: number, layers: Layer[]): void {
  if (version === 4) {
    const ip = decodeIpv4(b, off);
    layers.push(ip);
    if (ip.headerLength < 20 || ip.ihl < 20 || b.length - off < ip.ihl) return;
    // Bytes beyond the IP total length are link padding, not payload.
    const end = Math.min(b.length, off + Math.max(ip.totalLength, ip.ihl));
    if (ip.fragmentOffset !== 0) payload(b.subarray(0, end), off + ip.ihl, 'fragment', layers);
    else decodeTransport(b.subarray(0, end), off + ip.ihl, ip.protocol, layers, 4);
  } else if (version === 6) {
    const ip = decodeIpv6(b, off);
    layers.push(ip);
    if (b.length - off < 40) return;
    const end = Math.min(b.length, off + 40 + ip.payloadLength);
    const start = off + ip.headerLength;
    if (ip.fragment && ip.fragment.offset !== 0)
      payload(b.subarray(0, end), start, 'fragment', layers);
    else decodeTransport(b.subarray(0, end), start, ip.protocol, layers, 6);
  } else payload(b, off, `ip-version-${version}`, layers);
}

function decodeTransport(
  b: Uint8Array,
  off: number,
  proto: number,
  layers: Layer[],
  ipVersion: number,
): void {
  if (off > b.length) return;
  switch (proto) {
    case 17: {
      const u = decodeUdp(b, off);
      layers.push(u);
      if (u.headerLength < 8) return;
      const start = off + 8;
      if (start >= b.length) return;
      const end = Math.min(b.length, u.length >= 8 ? off + u.length : b.length);
      const data = b.subarray(0, end);
      const ports = [u.srcPort, u.dstPort];
      if (ipVersion === 4 && (ports.includes(67) || ports.includes(68)))
        layers.push(decodeDhcp(data, start));
      else if (ports.includes(53) || ports.includes(5353)) layers.push(decodeDns(data, start));
      else payload(data, start, 'data', layers);
      return;
    }
    case 6: {
      const t = decodeTcp(b, off);
      layers.push(t);
      if (!t.truncated) payload(b, off + t.dataOffset, 'data', layers);
      return;
    }
    case 1:
      if (ipVersion === 4) {
        const i = decodeIcmp(b, off);
        layers.push(i);
        if (!i.truncated) payload(b, off + i.headerLength, 'data', layers);
        return;
      }
      break;
    case 58: {
      const i = decodeIcmpv6(b, off);
      layers.push(i);
      if (!i.truncated) payload(b, off + i.headerLength, 'data', layers);
      return;
    }
  }
  payload(b, off, `ip-proto-${proto}`, layers);
}
