// The fixed frame set the live differential test replays on every interface kind: ARP, IPv4 and IPv6
// TCP/UDP/ICMP, DHCP, DNS, single- and double-tagged frames (802.1Q, 802.1ad), some sent by the
// capturing side itself (outgoing) and the rest by its peer (incoming). Each frame is unique.
import {
  buildArpFrame,
  buildDhcpFrame,
  buildDnsQuery,
  buildIpFrame,
  type VlanTag,
} from '../../src/packets/index.js';

export interface SentFrame {
  readonly name: string;
  /** The Ethernet frame as sent (tags inline). */
  readonly bytes: Uint8Array;
  /** 'peer': sent by the other end (incoming where captured); 'self': sent on the captured interface. */
  readonly from: 'peer' | 'self';
  /** Its IP packet (no link header), for the tun device; undefined for ARP and tagged frames. */
  readonly ip?: Uint8Array;
}

const A = '02:00:00:00:00:aa';
const B = '02:00:00:00:00:bb';
const BCAST = 'ff:ff:ff:ff:ff:ff';

function ipFrame(
  name: string,
  from: SentFrame['from'],
  ip: Parameters<typeof buildIpFrame>[1],
  t: Parameters<typeof buildIpFrame>[2],
  vlans?: VlanTag[],
  dst = A,
): SentFrame {
  const src = from === 'peer' ? B : A;
  const bytes = buildIpFrame({ src, dst: from === 'peer' ? dst : B, vlans, padTo: 60 }, ip, t);
  const plain = buildIpFrame({ src, dst }, ip, t);
  return { name, bytes, from, ip: vlans?.length ? undefined : plain.subarray(14) };
}

const dns = (id: number, name: string) => buildDnsQuery({ id, questions: [{ name }] });
const v4 = (src: string, dst: string, id: number) => ({ src, dst, id });
const v6 = (src: string, dst: string) => ({ version: 6 as const, src, dst });

/** Every frame, in the order they are sent. */
export function liveFrames(): SentFrame[] {
  return [
    {
      name: 'ARP request',
      bytes: buildArpFrame({ senderMac: B, senderIp: '10.0.0.2', targetIp: '10.0.0.1', padTo: 60 }),
      from: 'peer',
    },
    {
      name: 'ARP reply',
      bytes: buildArpFrame({
        op: 'reply',
        senderMac: A,
        senderIp: '10.0.0.1',
        targetMac: B,
        targetIp: '10.0.0.2',
        padTo: 60,
      }),
      from: 'self',
    },
    ipFrame('IPv4 TCP SYN :80', 'peer', v4('10.0.0.2', '10.0.0.1', 1), {
      kind: 'tcp',
      srcPort: 40000,
      dstPort: 80,
    }),
    ipFrame('IPv4 TCP SYN-ACK', 'self', v4('10.0.0.1', '10.0.0.2', 2), {
      kind: 'tcp',
      srcPort: 80,
      dstPort: 40000,
      flags: 0x12,
    }),
    ipFrame('IPv4 UDP DNS', 'peer', v4('10.0.0.2', '192.168.1.53', 3), {
      kind: 'udp',
      srcPort: 5353,
      dstPort: 53,
      payload: dns(0x1234, 'example.com'),
    }),
    ipFrame('IPv4 ICMP echo', 'peer', v4('10.0.0.2', '10.0.0.1', 4), {
      kind: 'icmp',
      id: 7,
      seq: 1,
      payload: new Uint8Array(32).fill(0x61),
    }),
    ipFrame('IPv4 ICMP reply', 'self', v4('10.0.0.1', '10.0.0.2', 5), {
      kind: 'icmp',
      type: 0,
      id: 7,
      seq: 1,
    }),
    {
      name: 'DHCP discover',
      bytes: buildDhcpFrame({ type: 'discover', chaddr: B, xid: 0x1122, hostname: 'vm1' }),
      from: 'peer',
      ip: buildDhcpFrame({ type: 'discover', chaddr: B, xid: 0x1122, hostname: 'vm1' }).subarray(
        14,
      ),
    },
    ipFrame(
      'IPv6 TCP :443',
      'peer',
      v6('fd00::2', 'fd00::1'),
      { kind: 'tcp', srcPort: 40001, dstPort: 443 },
      undefined,
      A,
    ),
    ipFrame('IPv6 UDP DNS', 'self', v6('fd00::1', 'fd00::53'), {
      kind: 'udp',
      srcPort: 5354,
      dstPort: 53,
      payload: dns(0x4321, 'example.org'),
    }),
    ipFrame('ICMPv6 echo', 'peer', v6('fd00::2', 'fd00::1'), {
      kind: 'icmpv6',
      id: 9,
      seq: 2,
    }),
    ipFrame(
      'vlan 100 UDP DNS',
      'peer',
      v4('10.1.0.2', '10.1.0.1', 10),
      { kind: 'udp', srcPort: 5355, dstPort: 53, payload: dns(0x100, 'vlan.test') },
      [{ vid: 100 }],
    ),
    ipFrame(
      'vlan 100 TCP :80',
      'peer',
      v4('10.1.0.2', '10.1.0.1', 11),
      { kind: 'tcp', srcPort: 40002, dstPort: 80 },
      [{ vid: 100, pcp: 5 }],
    ),
    {
      name: 'vlan 200 ARP',
      bytes: buildArpFrame({
        senderMac: B,
        senderIp: '10.2.0.2',
        targetIp: '10.2.0.1',
        vlans: [{ vid: 200 }],
        padTo: 60,
      }),
      from: 'peer',
    },
    {
      name: 'vlan 100 DHCP discover',
      bytes: buildDhcpFrame({ type: 'discover', chaddr: B, xid: 0x3344, vlans: [{ vid: 100 }] }),
      from: 'peer',
    },
    ipFrame(
      'vlan 100 UDP sent out',
      'self',
      v4('10.1.0.1', '10.1.0.2', 12),
      { kind: 'udp', srcPort: 53, dstPort: 5355 },
      [{ vid: 100 }],
    ),
    ipFrame(
      '802.1ad 300 ICMP',
      'peer',
      v4('10.3.0.2', '10.3.0.1', 13),
      { kind: 'icmp', id: 3, seq: 3 },
      [{ vid: 300, tpid: 0x88a8 }],
    ),
    ipFrame(
      'QinQ 100/200 UDP',
      'peer',
      v4('10.4.0.2', '10.4.0.1', 14),
      { kind: 'udp', srcPort: 5356, dstPort: 67 },
      [{ vid: 100, tpid: 0x88a8 }, { vid: 200 }],
    ),
    ipFrame(
      'double 802.1Q 100/200 IPv6 TCP',
      'peer',
      v6('fd04::2', 'fd04::1'),
      { kind: 'tcp', srcPort: 40003, dstPort: 443 },
      [{ vid: 100 }, { vid: 200 }],
    ),
    ipFrame(
      'broadcast UDP :9',
      'peer',
      v4('10.0.0.2', '10.0.0.255', 15),
      { kind: 'udp', srcPort: 9, dstPort: 9, payload: new Uint8Array(120).fill(0x39) },
      undefined,
      BCAST,
    ),
  ];
}

/** The filters every interface kind captures with, side by side in tcpdump and cbpf. */
export const LIVE_FILTERS: readonly string[] = [
  '',
  'vlan',
  'vlan 100',
  'vlan 200',
  'vlan 300',
  'vlan 100 and udp',
  'vlan and vlan 200',
  'vlan 100 and vlan 200 and udp',
  'not vlan',
  'vlan and arp',
  'arp',
  'ip',
  'ip6',
  'tcp',
  'udp',
  'icmp',
  'icmp6',
  'udp port 67',
  'udp port 53',
  'tcp port 80',
  'host 10.0.0.1',
  'net 10.1.0.0/16',
  'ether broadcast',
  'inbound',
  'outbound',
  'ip and not udp',
  'greater 100',
  'less 70',
  'ether[12:2] = 0x8100',
  'ether[14:2] & 0xfff = 100',
  'ip6 and tcp port 443',
];
