// The frames discovery sends: ARP who-has requests, IPv6 neighbour solicitations to a target's
// solicited-node multicast address (for the addresses a MAC's EUI-64 interface identifier gives), and an
// echo request to all nodes (ff02::1), which every IPv6 host on the link answers.
import { formatIpv6, parseIpv6, parseMac } from '../../packets/addr.js';
import { buildIpFrame } from '../../packets/build-ip.js';
import { buildArpFrame } from '../../packets/build-link.js';

/** The modified EUI-64 interface identifier of `mac` (RFC 4291 appendix A): 8 bytes. */
export function eui64(mac: string): Uint8Array {
  const m = parseMac(mac);
  return Uint8Array.of(m[0] ^ 0x02, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]);
}

/** `prefix` (an IPv6 address whose first 64 bits are kept) with `mac`'s EUI-64 identifier. */
export function eui64Address(prefix: string, mac: string): string {
  const a = parseIpv6(prefix);
  a.set(eui64(mac), 8);
  return formatIpv6(a);
}

/** The solicited-node multicast address of `ip` (ff02::1:ffXX:XXXX) and its Ethernet group. */
export function solicitedNode(ip: string): { ip: string; mac: string } {
  const a = parseIpv6(ip);
  const g = parseIpv6('ff02::1:ff00:0');
  g.set(a.subarray(13), 13);
  const hex = (i: number) => a[i].toString(16).padStart(2, '0');
  return { ip: formatIpv6(g), mac: `33:33:ff:${hex(13)}:${hex(14)}:${hex(15)}` };
}

/** Who we are on the link. */
export interface Self {
  readonly mac: string;
  readonly ipv4?: string;
  /** Our link-local IPv6 address (fe80::…), if the interface has one. */
  readonly linkLocal?: string;
  /** Our global (or unique local) IPv6 addresses. */
  readonly global6: readonly string[];
}

export function arpRequest(self: Self, target: string): Uint8Array {
  return buildArpFrame({
    op: 'request',
    senderMac: self.mac,
    senderIp: self.ipv4 ?? '0.0.0.0',
    targetIp: target,
    padTo: 60,
  });
}

/** A neighbour solicitation for `target` from `src`, with our link-layer address option. */
export function neighborSolicitation(self: Self, src: string, target: string): Uint8Array {
  const group = solicitedNode(target);
  const body = new Uint8Array(4 + 16 + 8);
  body.set(parseIpv6(target), 4);
  body.set([1, 1, ...parseMac(self.mac)], 20); // option 1: source link-layer address, 8 bytes
  return buildIpFrame(
    { src: self.mac, dst: group.mac },
    { version: 6, src, dst: group.ip, hopLimit: 255 },
    { kind: 'icmpv6', type: 135, body },
  );
}

/** An echo request to all nodes from `src`: hosts answer from an address of the same scope. */
export function allNodesEcho(self: Self, src: string, seq: number): Uint8Array {
  return buildIpFrame(
    { src: self.mac, dst: '33:33:00:00:00:01' },
    { version: 6, src, dst: 'ff02::1', hopLimit: 255 },
    { kind: 'icmpv6', type: 128, id: 0xcbbf, seq, payload: new Uint8Array(8) },
  );
}

/**
 * One round of IPv6 probes: an all-nodes echo from each of our addresses, and for each known MAC a
 * solicitation of its EUI-64 address in fe80::/64 and in each of our global /64 prefixes (hosts that
 * use stable privacy or temporary addresses answer the echo instead).
 */
export function ipv6Probes(self: Self, macs: readonly string[], seq: number): Uint8Array[] {
  const sources = [self.linkLocal, ...self.global6].filter((s): s is string => s !== undefined);
  if (sources.length === 0) return [];
  const frames = sources.map((src) => allNodesEcho(self, src, seq));
  for (const mac of macs) {
    if (self.linkLocal)
      frames.push(neighborSolicitation(self, self.linkLocal, eui64Address('fe80::', mac)));
    for (const g of self.global6) frames.push(neighborSolicitation(self, g, eui64Address(g, mac)));
  }
  return frames;
}
