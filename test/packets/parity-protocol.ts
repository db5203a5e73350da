// The protocol a corpus packet is counted under in the parity report: the innermost protocol tcpdump
// would hand the packet to (by link type, ethertype, IP protocol and tcpdump's UDP/TCP port dispatch),
// whether or not cbpf decodes it. Facts from tcpdump 4.99's print-udp.c/print-tcp.c/udp.h/tcp.h.
import { ETHERTYPE_NAMES as TCPDUMP_ETHERTYPES } from '../../src/packets/ethernet.js';
import type { DecodedFrame } from '../../src/packets/index.js';

const LINKTYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'NULL',
  6: '802.5 Token Ring',
  8: 'SLIP',
  9: 'PPP',
  10: 'FDDI',
  50: 'PPP-HDLC',
  51: 'PPPoE',
  100: 'ATM RFC1483',
  104: 'Cisco HDLC',
  105: '802.11',
  106: 'ATM CLIP',
  107: 'Frame Relay',
  108: 'LOOP',
  113: 'Linux SLL',
  114: 'LocalTalk',
  117: 'PFLOG',
  119: 'Prism',
  123: 'SunATM',
  127: '802.11 radiotap',
  129: 'ARCnet',
  132: 'Juniper ES',
  137: 'Juniper ATM1',
  138: 'Apple IP over IEEE1394',
  139: 'MTP2 with PHDR',
  140: 'MTP2',
  143: 'DOCSIS',
  149: 'USER2 (PKTAP)',
  164: 'Juniper monitor',
  163: 'AVS',
  165: 'BACnet MS/TP',
  166: 'PPP with direction',
  177: 'LAPD',
  178: 'Juniper Ethernet',
  182: 'MFR (FRF.16)',
  187: 'Bluetooth HCI',
  192: 'PPI',
  195: '802.15.4',
  201: 'Bluetooth HCI H4',
  215: '802.15.4 non-ASK',
  220: 'USB',
  226: 'IPNET',
  230: '802.15.4 no FCS',
  231: 'D-Bus',
  235: 'DVB-CI',
  239: 'NFLOG',
  242: 'IPoIB',
  246: 'PFSYNC',
  248: 'SCTP',
  251: 'Bluetooth LE LL',
  254: 'Bluetooth monitor',
  255: 'Bluetooth BR/EDR',
  258: 'PKTAP',
  271: 'vsock',
  276: 'Linux SLL2',
  281: 'Broadcom tag',
  282: 'Broadcom tag (prepended)',
  284: 'Marvell DSA',
  285: 'Marvell EDSA',
  283: 'Elcom ELEE',
  289: 'EtherCAT',
};

const ETHERTYPE_NAMES: Readonly<Record<number, string>> = {
  512: 'PUP',
  1536: 'XNS',
  32821: 'RARP',
  32923: 'AppleTalk',
  33011: 'AARP',
  33079: 'IPX',
  34887: 'MPLS',
  34888: 'MPLS',
  34915: 'PPPoE',
  34916: 'PPPoE',
  34927: 'Microsoft NLB',
  34958: 'EAPOL',
  34978: 'AoE',
  35020: 'LLDP',
  34825: 'Slow protocols (LACP, OAM)',
  35074: 'CFM',
  35063: 'PTP',
  35078: 'FCoE',
  35047: 'PBB',
  35130: 'IEEE1905.1',
  36864: 'Loopback',
  8947: 'TRILL',
  8944: 'AVTP',
  34997: 'local experimental',
  25944: 'Transparent Ethernet Bridging',
  2114: 'Wake-on-LAN',
  35045: 'MACsec',
  33024: '802.1Q',
};

const IP_PROTO_NAMES: Readonly<Record<number, string>> = {
  0: 'IPv6 hop-by-hop',
  2: 'IGMP',
  4: 'IP in IP',
  8: 'EGP',
  9: 'IGRP',
  33: 'DCCP',
  41: 'IPv6 in IP',
  43: 'IPv6 routing',
  46: 'RSVP',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  59: 'IPv6 no next header',
  60: 'IPv6 dest options',
  88: 'EIGRP',
  89: 'OSPF',
  94: 'IP in IP (MOBILE)',
  103: 'PIM',
  108: 'IPComp',
  112: 'VRRP/CARP',
  132: 'SCTP',
  135: 'Mobility',
};

/** The UDP application print-udp.c's dispatch picks (in its order; first match wins). */
function udpApp(sp: number, dp: number): string | undefined {
  const is = (...ports: number[]) => ports.some((x) => x === sp || x === dp);
  const rx = (x: number) => x >= 7000 && x <= 7009;
  const atalk = (x: number) =>
    (x - 16512) >>> 0 < 128 || (x - 200) >>> 0 < 128 || (x - 768) >>> 0 < 128;
  // Sun RPC to or from the NFS port goes to the NFS printer before the port dispatch.
  if (is(2049)) return 'NFS';
  if (is(53)) return 'DNS';
  if (is(5353)) return 'mDNS';
  if (is(525)) return 'timed';
  if (is(69)) return 'TFTP';
  if (is(67, 68)) return 'DHCP';
  if (is(520)) return 'RIP';
  if (is(654)) return 'AODV';
  if (is(500, 4500, 7500, 8500)) return 'ISAKMP';
  if (is(161, 162)) return 'SNMP';
  if (is(123)) return 'NTP';
  if (is(88, 750)) return 'Kerberos';
  if (is(1701)) return 'L2TP';
  if (dp === 3456) return 'VAT';
  if (is(2103, 2104)) return 'Zephyr';
  if (rx(sp) || rx(dp)) return 'AFS RX';
  if (is(521)) return 'RIPng';
  if (is(546, 547)) return 'DHCPv6';
  if (is(5359)) return 'AHCP';
  if (is(6696, 6697)) return 'Babel';
  if (is(8231)) return 'HNCP';
  if (dp === 4567) return 'WB';
  if (is(496)) return 'Cisco AutoRP';
  if (is(1645, 1812, 1646, 1813, 1700, 3799)) return 'RADIUS';
  if (dp === 1985) return 'HSRP';
  if (is(921)) return 'LWRES';
  if (is(646)) return 'LDP';
  if (is(698)) return 'OLSR';
  if (is(3503)) return 'MPLS LSP ping';
  if (sp === 49152) return 'BCM-LI';
  if (dp === 3784 || dp === 4784 || dp === 6784 || dp === 3785) return 'BFD';
  if (is(701)) return 'LMP';
  if (is(1589)) return 'VQP';
  if (is(6343)) return 'sFlow';
  if (dp === 12223 || sp === 12223 || is(12222)) return 'LWAPP';
  if (is(5060)) return 'SIP';
  if (is(514)) return 'Syslog';
  if (is(8472)) return 'OTV';
  if (is(4789)) return 'VXLAN';
  if (is(6081)) return 'Geneve';
  if (is(4342)) return 'LISP';
  if (is(4790)) return 'VXLAN-GPE';
  if (is(17754)) return 'ZEP';
  if (is(6635)) return 'MPLS over UDP';
  if (atalk(sp) || atalk(dp)) return 'AppleTalk (maybe)';
  if (is(319, 320)) return 'PTP';
  if (is(30490)) return 'SOME/IP';
  return undefined;
}

const TCP_PORTS: ReadonlyArray<[number[], string]> = [
  [[23], 'Telnet'],
  [[25], 'SMTP'],
  [[43], 'Whois'],
  [[179], 'BGP'],
  [[1723], 'PPTP'],
  [[6379], 'Redis'],
  [[22], 'SSH'],
  [[139, 445], 'SMB'],
  [[10288], 'BEEP'],
  [[6633, 6653], 'OpenFlow'],
  [[21], 'FTP'],
  [[80, 8080], 'HTTP'],
  [[554, 8554], 'RTSP'],
  [[53], 'DNS'],
  [[639], 'MSDP'],
  [[323], 'RPKI-RTR'],
  [[646], 'LDP'],
  [[2049], 'NFS'],
];

function byPort(
  table: ReadonlyArray<[number[], string]>,
  a: number,
  b: number,
): string | undefined {
  for (const [ports, name] of table) if (ports.includes(a) || ports.includes(b)) return name;
  return undefined;
}

/** The protocol bucket of a decoded frame. */
export function protocolOf(d: DecodedFrame): string {
  const layers = d.layers;
  if (layers.length === 0) return 'empty';
  const first = layers[0];
  if (first.kind === 'payload' && first.protocol.startsWith('linktype-'))
    return `link ${LINKTYPE_NAMES[d.linktype] ?? d.linktype}`;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    const next = layers[i + 1];
    switch (l.kind) {
      case 'arp':
        return l.op === 3 || l.op === 4 ? 'RARP' : l.op === 8 || l.op === 9 ? 'InARP' : 'ARP';
      case 'stp':
        return 'STP';
      case 'llc':
        if (!next || next.kind === 'payload') return 'LLC';
        break;
      case 'payload': {
        const m = /^ethertype-0x([0-9a-f]{4})$/.exec(l.protocol);
        if (m) {
          const t = Number.parseInt(m[1], 16);
          const named = ETHERTYPE_NAMES[t] ?? TCPDUMP_ETHERTYPES.get(t);
          return named ? `${named} (0x${m[1]})` : `ethertype 0x${m[1]}`;
        }
        if (l.protocol.startsWith('af-')) return 'NULL other family';
        return l.protocol;
      }
      case 'ipv4':
      case 'ipv6': {
        const v = l.kind === 'ipv4' ? 'IPv4' : 'IPv6';
        if (!next) return v;
        if (next.kind === 'payload') {
          if (next.protocol === 'fragment') return 'IP fragment';
          const p = Number(next.protocol.replace('ip-proto-', ''));
          return IP_PROTO_NAMES[p] ?? `ip-proto-${p}`;
        }
        break;
      }
      case 'udp': {
        return udpApp(l.srcPort, l.dstPort) ?? 'UDP';
      }
      case 'tcp': {
        if (!next) return 'TCP';
        return byPort(TCP_PORTS, l.srcPort, l.dstPort) ?? 'TCP';
      }
      case 'icmp':
        return 'ICMP';
      case 'icmpv6':
        return l.type >= 130 && l.type <= 132 ? 'MLD' : l.type === 143 ? 'MLDv2' : 'ICMPv6';
      case 'dns':
        return 'DNS';
      case 'dhcp':
        return 'DHCP';
    }
  }
  return layers.at(-1)?.kind ?? 'empty';
}
