// Built-in name tables: libpcap's named constants (tcpflags, icmp types), Ethernet/LLC protocol names, and
// lookups of service and IP protocol names in services.ts. No files, no DNS.
import { IP_PROTOCOLS, SERVICES } from './services.js';

/** Names the scanner turns into numbers (libpcap scanner.l). */
// biome-ignore format: a table
export const NAMED_NUMBERS: Readonly<Record<string, number>> = {
  icmptype: 0, icmpcode: 1, 'icmp-echoreply': 0, 'icmp-unreach': 3, 'icmp-sourcequench': 4, 'icmp-redirect': 5,
  'icmp-echo': 8, 'icmp-routeradvert': 9, 'icmp-routersolicit': 10, 'icmp-timxceed': 11, 'icmp-paramprob': 12,
  'icmp-tstamp': 13, 'icmp-tstampreply': 14, 'icmp-ireq': 15, 'icmp-ireqreply': 16, 'icmp-maskreq': 17,
  'icmp-maskreply': 18,
  tcpflags: 13, 'tcp-fin': 0x01, 'tcp-syn': 0x02, 'tcp-rst': 0x04, 'tcp-push': 0x08, 'tcp-ack': 0x10,
  'tcp-urg': 0x20, 'tcp-ece': 0x40, 'tcp-cwr': 0x80,
  icmp6type: 0, icmp6code: 1, 'icmp6-destinationunreach': 1, 'icmp6-packettoobig': 2, 'icmp6-timeexceeded': 3,
  'icmp6-parameterproblem': 4, 'icmp6-echo': 128, 'icmp6-echoreply': 129, 'icmp6-multicastlistenerquery': 130,
  'icmp6-multicastlistenerreportv1': 131, 'icmp6-multicastlistenerdone': 132, 'icmp6-routersolicit': 133,
  'icmp6-routeradvert': 134, 'icmp6-neighborsolicit': 135, 'icmp6-neighboradvert': 136, 'icmp6-redirect': 137,
  'icmp6-routerrenum': 138, 'icmp6-nodeinformationquery': 139, 'icmp6-nodeinformationresponse': 140,
  'icmp6-ineighbordiscoverysolicit': 141, 'icmp6-ineighbordiscoveryadvert': 142,
  'icmp6-multicastlistenerreportv2': 143, 'icmp6-homeagentdiscoveryrequest': 144,
  'icmp6-homeagentdiscoveryreply': 145, 'icmp6-mobileprefixsolicit': 146, 'icmp6-mobileprefixadvert': 147,
  'icmp6-certpathsolicit': 148, 'icmp6-certpathadvert': 149, 'icmp6-multicastrouteradvert': 151,
  'icmp6-multicastroutersolicit': 152, 'icmp6-multicastrouterterm': 153,
};

/** Ethertype names of `ether proto \name` (libpcap nametoaddr.c eproto_db). */
// biome-ignore format: a table
export const ETHER_PROTOS: Readonly<Record<string, number>> = {
  aarp: 0x80f3, arp: 0x0806, atalk: 0x809b, decnet: 0x6003, ip: 0x0800, ip6: 0x86dd, lat: 0x6004,
  loopback: 0x9000, mopdl: 0x6001, moprc: 0x6002, rarp: 0x8035, sca: 0x6007, pup: 0x0200, sprite: 0x0500,
};

/** LLC SAP names of `ether proto \name` (libpcap nametoaddr.c llc_db). */
export const LLC_SAPS: Readonly<Record<string, number>> = {
  iso: 0xfe,
  stp: 0x42,
  ipx: 0xe0,
  netbeui: 0xf0,
};

// biome-ignore format: a table
export const ETHERTYPE = {
  IP: 0x0800, ARP: 0x0806, REVARP: 0x8035, IPV6: 0x86dd, VLAN: 0x8100, QINQ: 0x88a8, QINQ_OLD: 0x9100,
  MPLS: 0x8847, MPLS_MULTI: 0x8848, PPPOED: 0x8863, PPPOES: 0x8864, ATALK: 0x809b, AARP: 0x80f3,
  DN: 0x6003, LAT: 0x6004, SCA: 0x6007, MOPRC: 0x6002, MOPDL: 0x6001, IPX: 0x8137,
} as const;

// biome-ignore format: a table
export const IPPROTO = {
  ICMP: 1, IGMP: 2, TCP: 6, IGRP: 9, UDP: 17, IPV6: 41, ROUTING: 43, FRAGMENT: 44, RSVP: 46, GRE: 47, ESP: 50,
  AH: 51, ICMPV6: 58, NONE: 59, DSTOPTS: 60, PIM: 103, VRRP: 112, CARP: 112, SCTP: 132, HOPOPTS: 0,
} as const;

/** Ports of a service name per transport: [tcp, udp, sctp], -1 where undefined; undefined for an unknown name. */
export function servicePorts(name: string): readonly [number, number, number] | undefined {
  return Object.hasOwn(SERVICES, name) ? SERVICES[name] : undefined;
}

/** IP protocol number of a name (`tcp`, `udp`, `ah` ...), as /etc/protocols. */
export function ipProtocol(name: string): number | undefined {
  return Object.hasOwn(IP_PROTOCOLS, name) ? IP_PROTOCOLS[name] : undefined;
}

/**
 * Network names of `net NAME` as Debian's /etc/networks lists them (libpcap getnetbyname). `default` is 0.0.0.0,
 * which libpcap reports as an unknown network, so it is left out.
 */
export const NETWORKS: Readonly<Record<string, number>> = {
  loopback: 0x7f000000,
  'link-local': 0xa9fe0000,
};
