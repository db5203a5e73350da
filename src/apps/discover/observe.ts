// What one Ethernet frame says about who has which address: ARP senders, neighbour solicitations and
// advertisements (with their link-layer address options), echo replies, DHCPv4 leases and DHCPv6 IA
// addresses bound to a DUID that carries the client's MAC.
import { DLT } from '../../core/opcodes.js';
import { formatMac } from '../../packets/addr.js';
import { decodeFrame, type Layer } from '../../packets/decode.js';
import { decodeDhcp6 } from '../dhcp-watch/events6.js';

/** How an address was learned. */
export type Learned =
  | 'arp' // an ARP request or reply from the address
  | 'arp-announce' // a gratuitous ARP (sender = target address)
  | 'arp-probe' // ARP address conflict detection: sender 0.0.0.0, target = the address wanted
  | 'nd' // a neighbour solicitation or advertisement
  | 'dad' // IPv6 duplicate address detection: an NS from :: for the address wanted
  | 'echo' // an ICMPv6 echo reply (to our all-nodes ping)
  | 'dhcp' // a DHCPv4 ACK (or the client's own address in its messages)
  | 'dhcpv6'; // a DHCPv6 REPLY's IA address for a client whose DUID holds its MAC

export interface Observation {
  readonly mac: string;
  readonly ip: string;
  readonly family: 4 | 6;
  readonly how: Learned;
}

const NS = 135;
const NA = 136;
const ECHO_REPLY = 129;

const find = <K extends Layer['kind']>(layers: Layer[], kind: K) =>
  layers.find((l) => l.kind === kind) as Extract<Layer, { kind: K }> | undefined;

/** The address in an ND option of `type` (1 source, 2 target link-layer address), if present. */
function ndLinkAddress(frame: Uint8Array, icmpAt: number, type: number): string | undefined {
  for (let o = icmpAt + 24; o + 8 <= frame.length; ) {
    const len = frame[o + 1] * 8;
    if (len === 0) return undefined; // malformed: a zero length would loop
    if (frame[o] === type && len >= 8) return formatMac(frame, o + 2);
    o += len;
  }
  return undefined;
}

const UNSPECIFIED4 = '0.0.0.0';
const UNSPECIFIED6 = '::';
const isMulticast6 = (ip: string) => ip.toLowerCase().startsWith('ff');

/** Every (MAC, address) pair `frame` shows, or none. Never throws on malformed frames. */
export function observe(frame: Uint8Array): Observation[] {
  const { layers } = decodeFrame(frame, DLT.EN10MB);
  const eth = find(layers, 'ethernet');
  if (!eth) return [];
  const out: Observation[] = [];
  const arp = find(layers, 'arp');
  if (arp && !arp.truncated && arp.hlen === 6 && arp.plen === 4) {
    if (arp.spa === UNSPECIFIED4) {
      if (arp.op === 1) out.push({ mac: arp.sha, ip: arp.tpa, family: 4, how: 'arp-probe' });
    } else
      out.push({
        mac: arp.sha,
        ip: arp.spa,
        family: 4,
        how: arp.spa === arp.tpa ? 'arp-announce' : 'arp',
      });
    return out;
  }
  const ip6 = find(layers, 'ipv6');
  const icmp6 = find(layers, 'icmpv6');
  if (ip6 && icmp6 && !icmp6.truncated) {
    if (icmp6.type === NS && icmp6.target) {
      // From :: it is DAD for the target; otherwise the sender owns its source address.
      if (ip6.src === UNSPECIFIED6)
        out.push({ mac: eth.src, ip: icmp6.target, family: 6, how: 'dad' });
      else
        out.push({
          mac: ndLinkAddress(frame, icmp6.offset, 1) ?? eth.src,
          ip: ip6.src,
          family: 6,
          how: 'nd',
        });
    } else if (icmp6.type === NA && icmp6.target && !isMulticast6(icmp6.target)) {
      out.push({
        mac: ndLinkAddress(frame, icmp6.offset, 2) ?? eth.src,
        ip: icmp6.target,
        family: 6,
        how: 'nd',
      });
    } else if (icmp6.type === ECHO_REPLY && ip6.src !== UNSPECIFIED6 && !isMulticast6(ip6.src)) {
      out.push({ mac: eth.src, ip: ip6.src, family: 6, how: 'echo' });
    }
    return out;
  }
  const dhcp = find(layers, 'dhcp');
  if (dhcp && dhcp.hlen === 6 && dhcp.chaddr) {
    // ACK (5) gives the lease; a client's own messages name the address it already has.
    if (dhcp.messageType === 5 && dhcp.yiaddr !== UNSPECIFIED4)
      out.push({ mac: dhcp.chaddr, ip: dhcp.yiaddr, family: 4, how: 'dhcp' });
    else if (dhcp.op === 1 && dhcp.ciaddr !== UNSPECIFIED4)
      out.push({ mac: dhcp.chaddr, ip: dhcp.ciaddr, family: 4, how: 'dhcp' });
    return out;
  }
  const udp = find(layers, 'udp');
  if (ip6 && udp && udp.srcPort === 547) {
    const m = decodeDhcp6(frame.subarray(udp.offset + 8));
    if (m?.type === 'REPLY' && m.clientMac)
      for (const a of m.addresses)
        if (a.valid > 0) out.push({ mac: m.clientMac, ip: a.ip, family: 6, how: 'dhcpv6' });
  }
  return out;
}
