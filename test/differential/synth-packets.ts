// Generated packets for the compiler differential: what the corpus has little of (IPv4 fragments and options,
// VLAN stacks, IPv6 extension-header chains, AH, ARP/RARP, LLC frames) with addresses, ports and protocols
// drawn from the values the expression sets test, each also cut short at several lengths. Deterministic: a
// fixed-seed generator, so a failure names a packet that exists on the next run too.

import {
  buildArp,
  buildEthernet,
  buildIpv4,
  buildIpv6,
  buildTransport,
  type TransportSpec,
} from '../../src/packets/index.js';
import { rng } from '../helpers/gen-linux-program.js';
import type { CorpusPacket } from '../helpers/reference.js';
import {
  ieee80211Frame,
  juniperFrame,
  lanFrame,
  llcPayload,
  otherFrame,
  type Sources,
} from './synth-links.js';

const V4 = [
  '10.0.0.1',
  '10.0.0.2',
  '10.0.0.5',
  '10.1.1.1',
  '192.168.1.1',
  '192.168.1.7',
  '1.2.3.4',
  '5.6.7.8',
  '1.1.1.1',
  '2.2.2.2',
  '8.8.8.8',
  '172.16.0.1',
  '224.0.0.1',
  '255.255.255.255',
  '127.0.0.1',
  '192.168.0.255',
  '0.0.0.0',
];
const V6 = ['fe80::1', 'fe80::2', '::1', '2001:db8::1', 'ff02::1', 'ff05::2', '2001:4860::8888'];
const PORTS = [
  20, 22, 25, 53, 67, 68, 80, 123, 443, 1023, 1024, 3128, 5000, 6000, 8080, 8443, 33434, 65535,
];
const MACS = [
  '00:01:02:03:04:05',
  'ff:ff:ff:ff:ff:ff',
  '01:00:5e:00:00:01',
  '33:33:00:00:00:01',
  '52:54:00:a1:b2:01',
  '00:0c:29:e9:ad:4b',
];

/** IPv4 or IPv6 packets, one per call. */
export function ipPacket(r: () => number): Uint8Array {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const port = () => (r() < 0.8 ? pick(PORTS) : Math.floor(r() * 65536));
  const transports: (() => TransportSpec)[] = [
    () => ({
      kind: 'tcp',
      srcPort: port(),
      dstPort: port(),
      flags: pick([0x02, 0x12, 0x10, 0x04, 0x01, 0x18, 0x11]),
      payload: r() < 0.5 ? new TextEncoder().encode('GET / HTTP/1.0') : undefined,
    }),
    () => ({
      kind: 'udp',
      srcPort: port(),
      dstPort: port(),
      payload: Uint8Array.from([r() < 0.5 ? 0x80 : 0, 1, 2, 3, 4, 5]),
    }),
    () => ({ kind: 'icmp', type: pick([0, 8, 3, 11]) }),
    () => ({ kind: 'icmpv6', type: pick([128, 129, 133, 134, 135, 136]) }),
    () => ({
      kind: 'raw',
      protocol: pick([2, 47, 50, 51, 103, 112, 132, 9, 88]),
      payload: Uint8Array.from({ length: 24 }, () => Math.floor(r() * 256)),
    }),
  ];
  if (r() >= 0.4) {
    const ip = { src: pick(V4), dst: pick(V4) };
    const seg = buildTransport(ip, pick(transports)());
    const frag = r();
    return buildIpv4(
      {
        ...ip,
        protocol: seg.protocol,
        ttl: pick([1, 64, 255]),
        mf: frag < 0.15,
        fragmentOffset: frag > 0.85 ? 8 * Math.floor(1 + r() * 100) : 0,
        df: r() < 0.3,
        options: r() < 0.15 ? Uint8Array.from([1, 1, 1, 0]) : undefined,
      },
      seg.bytes,
    );
  }
  // A chain of extension headers (hop-by-hop, routing, fragment, destination options, AH) before the transport.
  const ip = { version: 6 as const, src: pick(V6), dst: pick(V6) };
  const seg = buildTransport(ip, pick(transports)());
  let next = seg.protocol;
  let body = seg.bytes;
  const chain = Math.floor(r() * r() * 4);
  for (let i = 0; i < chain; i++) {
    const kind = pick([0, 43, 44, 60, 51]);
    const len = kind === 44 ? 0 : Math.floor(r() * 2);
    const size = kind === 51 ? (len + 2) * 4 + 4 : (len + 1) * 8;
    const h = new Uint8Array(size + body.length);
    h[0] = next;
    h[1] = kind === 51 ? len + 2 - 1 : len;
    h.set(body, size);
    next = kind;
    body = h;
  }
  return buildIpv6({ ...ip, nextHeader: r() < 0.05 ? 59 : next }, body);
}

/** A DECnet Phase IV data packet: short or long header, with or without a pad byte, some addresses tested. */
function decnet(r: () => number): Uint8Array {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  // 63.1023, 1.1024, node 10, others (little-endian area << 10 | node).
  const addr = () =>
    pick([
      [0xff, 0xff],
      [0x00, 0x04],
      [0x0a, 0x00],
      [0x05, 0x04],
    ]);
  const long = r() < 0.5;
  const pad = r() < 0.4 ? [0x81] : [];
  const flags = (long ? 0x06 : 0x02) | (r() < 0.2 ? 0x08 : 0) | (r() < 0.1 ? 0x01 : 0);
  const body = long
    ? [flags, 0, 0, 0xaa, 0, 4, 0, ...addr(), 0, 0, 0xaa, 0, 4, 0, ...addr(), 0, 0x10]
    : [flags, ...addr(), ...addr(), 0x10];
  const all = [...pad, ...body, 1, 2, 3, 4];
  return Uint8Array.from([all.length & 0xff, all.length >> 8, ...all]);
}

/** UDP to Geneve's port: version 0 mostly, options, a VNI, then an Ethernet frame or an IP packet. */
function geneve(r: () => number, inner: () => Uint8Array, ipInner: () => Uint8Array): Uint8Array {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const teb = r() < 0.6;
  const body = teb ? inner() : ipInner();
  const opts = Math.floor(r() * 3);
  const type = teb ? 0x6558 : body[0] >> 4 === 6 ? 0x86dd : 0x0800;
  const vni = pick([0, 5, 0xabcdef, 0xffffff]);
  const head = [
    (r() < 0.9 ? 0 : 0x40) | opts,
    0,
    type >> 8,
    type & 0xff,
    vni >> 16,
    (vni >> 8) & 0xff,
    vni & 0xff,
    0,
    ...new Array<number>(opts * 4).fill(0x5a),
  ];
  const payload = new Uint8Array(head.length + body.length);
  payload.set(head);
  payload.set(body, head.length);
  const udp = (): TransportSpec => ({
    kind: 'udp',
    srcPort: pick([1234, 6081]),
    dstPort: r() < 0.9 ? 6081 : 4789,
    payload,
  });
  if (r() < 0.3) {
    const ip6 = { version: 6 as const, src: pick(V6), dst: pick(V6) };
    const seg = buildTransport(ip6, udp());
    return buildIpv6({ ...ip6, nextHeader: seg.protocol }, seg.bytes);
  }
  const ip4 = { src: pick(V4), dst: pick(V4) };
  const seg = buildTransport(ip4, udp());
  return buildIpv4({ ...ip4, protocol: seg.protocol }, seg.bytes);
}

/** Ethernet frames: IP under 0-2 VLAN tags, ARP/RARP, 802.3 LLC, MPLS, PPPoE, DECnet, Geneve. */
export function etherFrame(r: () => number, depth = 0): Uint8Array {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const mac = { dst: pick(MACS), src: pick(MACS) };
  const kind = r();
  if (kind > 0.97) return buildEthernet({ ...mac, ethertype: 0x6003 }, decnet(r));
  if (kind > 0.94 && depth === 0) {
    const g = geneve(
      r,
      () => etherFrame(r, 1),
      () => ipPacket(r),
    );
    return buildEthernet({ ...mac, ethertype: g[0] >> 4 === 6 ? 0x86dd : 0x0800 }, g);
  }
  if (kind > 0.92) {
    const llc = llcPayload({ r, ip: () => ipPacket(r), ether: () => etherFrame(r, 1) });
    return buildEthernet({ ...mac, ethertype: llc.length }, llc);
  }
  if (kind < 0.08) {
    const arp = buildArp({
      op: pick([1, 2, 3, 4]),
      senderMac: pick(MACS),
      senderIp: pick(V4),
      targetIp: pick(V4),
    });
    return buildEthernet({ ...mac, ethertype: pick([0x0806, 0x8035]) }, arp);
  }
  if (kind < 0.14) {
    const sap = pick([0x42, 0xfe, 0xe0, 0xf0, 0xaa, 0x06]);
    const llc = Uint8Array.from([
      sap,
      sap,
      3,
      pick([0x81, 0x82, 0x83, 0]),
      0,
      0,
      0x08,
      0,
      1,
      2,
      3,
      4,
      5,
      6,
    ]);
    return buildEthernet({ ...mac, ethertype: llc.length }, llc);
  }
  const ip = ipPacket(r);
  const type = ip[0] >> 4 === 6 ? 0x86dd : 0x0800;
  if (kind < 0.2) {
    const mpls = Uint8Array.from([0, 0x05, 0x01, 64]);
    const out = new Uint8Array(4 + ip.length);
    out.set(mpls);
    out.set(ip, 4);
    return buildEthernet({ ...mac, ethertype: 0x8847 }, out);
  }
  if (kind < 0.25) {
    const ppp = new Uint8Array(8 + ip.length);
    ppp.set([
      0x11,
      0,
      0,
      pick([1, 3]),
      (ip.length + 2) >> 8,
      (ip.length + 2) & 0xff,
      0,
      type === 0x0800 ? 0x21 : 0x57,
    ]);
    ppp.set(ip, 8);
    return buildEthernet({ ...mac, ethertype: 0x8864 }, ppp);
  }
  const tags = Math.floor(r() * r() * 3);
  const vlans = Array.from({ length: tags }, (_, i) => ({
    vid: pick([1, 10, 20, 100, 200, 4095]),
    tpid: i === 0 && tags === 2 ? pick([0x88a8, 0x9100]) : 0x8100,
  }));
  return buildEthernet(
    { ...mac, ethertype: r() < 0.03 ? pick([0x88cc, 0x8809, 0x6003, 0x809b]) : type, vlans },
    ip,
  );
}

/** The link header `dlt` puts before an IP packet. */
function linkWrap(dlt: string, ip: Uint8Array, r: () => number): Uint8Array {
  const v6 = ip[0] >> 4 === 6;
  const ethertype = v6 ? 0x86dd : 0x0800;
  let head: number[];
  switch (dlt) {
    case 'LINUX_SLL':
      head = [
        0,
        Math.floor(r() * 5),
        0,
        1,
        0,
        6,
        0,
        1,
        2,
        3,
        4,
        5,
        0,
        0,
        ethertype >> 8,
        ethertype & 0xff,
      ];
      break;
    case 'LINUX_SLL2':
      head = [
        ethertype >> 8,
        ethertype & 0xff,
        0,
        0,
        0,
        0,
        0,
        Math.floor(r() * 4),
        0,
        1,
        Math.floor(r() * 5),
        6,
        0,
        1,
        2,
        3,
        4,
        5,
        0,
        0,
      ];
      break;
    case 'NULL': // host (little-endian) AF_INET = 2; AF_INET6 is 10 on Linux, 24/28/30 on the BSDs
      head = [v6 ? ([10, 24, 28, 30][Math.floor(r() * 4)] as number) : 2, 0, 0, 0];
      break;
    case 'LOOP': // network byte order
      head = [0, 0, 0, v6 ? ([10, 24, 28, 30][Math.floor(r() * 4)] as number) : 2];
      break;
    default:
      head = [];
  }
  const out = new Uint8Array(head.length + ip.length);
  out.set(head);
  out.set(ip, head.length);
  return out;
}

/** Lengths a frame is also cut to: inside each header a filter loads. */
const CUTS = [1, 4, 13, 15, 17, 21, 24, 26, 30, 35, 38, 41, 46, 50, 55, 58, 62, 66];

/** Where a Juniper type's payload starts (libpcap's offsets for it, or 4). */
const JUNIPER_PAYLOAD: Readonly<Record<string, number>> = {
  JUNIPER_ETHER: 32,
  JUNIPER_PPPOE: 32,
  JUNIPER_PPPOE_ATM: 6,
  JUNIPER_GGSN: 12,
  JUNIPER_MONITOR: 12,
  JUNIPER_ATM2: 8,
};

/** One frame of link type `dlt` (a tcpdump -y name). */
function frame(dlt: string, r: () => number): Uint8Array {
  const s: Sources = { r, ip: () => ipPacket(r), ether: () => etherFrame(r) };
  switch (dlt) {
    case 'EN10MB':
      return etherFrame(r);
    case 'NETANALYZER':
    case 'NETANALYZER_TRANSPARENT': {
      const e = etherFrame(r);
      const head = dlt === 'NETANALYZER' ? 4 : 12;
      const out = new Uint8Array(head + e.length);
      for (let i = 0; i < head; i++) out[i] = Math.floor(r() * 256);
      out.set(e, head);
      return out;
    }
    case 'RAW':
    case 'IPV4':
    case 'IPV6':
    case 'LINUX_SLL':
    case 'LINUX_SLL2':
    case 'NULL':
    case 'LOOP':
      return linkWrap(dlt, ipPacket(r), r);
    case 'IEEE802_11':
    case 'IEEE802_11_RADIO':
    case 'IEEE802_11_RADIO_AVS':
    case 'PRISM_HEADER':
    case 'PPI':
      return ieee80211Frame(dlt, s);
    case 'IEEE802':
    case 'FDDI':
    case 'IP_OVER_FC':
    case 'ATM_RFC1483':
    case 'ATM_CLIP':
    case 'SUNATM':
    case 'ARCNET':
    case 'ARCNET_LINUX':
      return lanFrame(dlt, s);
    default:
      if (dlt.startsWith('JUNIPER_')) return juniperFrame(JUNIPER_PAYLOAD[dlt] ?? 4, s);
      return otherFrame(dlt, s);
  }
}

/**
 * `count` generated packets for a tcpdump -y link type name, plus truncated copies of every fourth one.
 */
export function synthPackets(dlt: string, count = 400): CorpusPacket[] {
  const r = rng(0x5eed + dlt.length * 7919 + dlt.charCodeAt(dlt.length - 1));
  const out: CorpusPacket[] = [];
  for (let i = 0; i < count; i++) {
    const data = frame(dlt, r);
    const file = `synth:${dlt}#${i}`;
    out.push({ file, data, wirelen: data.length });
    if (i % 4 === 0)
      for (const c of CUTS)
        if (c < data.length)
          out.push({ file: `${file}/${c}`, data: data.subarray(0, c), wirelen: data.length });
  }
  return out;
}
