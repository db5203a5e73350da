// Built-in name tables: libpcap's named constants (tcpflags, icmp types), Ethernet/LLC protocol names, and
// lookups of service and IP protocol names in services.ts. No files, no DNS.
import { lazy } from '../core/lazy.js';
import { ipProtocols, services } from './services.js';

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
  const table = services();
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** IP protocol number of a name (`tcp`, `udp`, `ah` ...), as /etc/protocols. */
export function ipProtocol(name: string): number | undefined {
  const table = ipProtocols();
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/**
 * Network names of `net NAME` as Debian's /etc/networks lists them (libpcap getnetbyname). `default` is 0.0.0.0,
 * which libpcap reports as an unknown network, so it is left out.
 */
export const NETWORKS: Readonly<Record<string, number>> = {
  loopback: 0x7f000000,
  'link-local': 0xa9fe0000,
};

/**
 * Link types by DLT value as tcpdump names them (`-y NAME`, matched without case) and describes them in
 * error messages (libpcap's dlt_choices, values as on Linux). The one table the compiler, the CLI and the
 * playground read names from.
 */
// biome-ignore format: a table
export const LINKTYPES: readonly (readonly [dlt: number, name: string, description: string])[] = [
  [0, 'NULL', 'BSD loopback'],
  [1, 'EN10MB', 'Ethernet'],
  [6, 'IEEE802', 'Token ring'],
  [7, 'ARCNET', 'BSD ARCNET'],
  [8, 'SLIP', 'SLIP'],
  [9, 'PPP', 'PPP'],
  [10, 'FDDI', 'FDDI'],
  [11, 'ATM_RFC1483', 'RFC 1483 LLC-encapsulated ATM'],
  [12, 'RAW', 'Raw IP'],
  [15, 'SLIP_BSDOS', 'BSD/OS SLIP'],
  [16, 'PPP_BSDOS', 'BSD/OS PPP'],
  [19, 'ATM_CLIP', 'Linux Classical IP over ATM'],
  [50, 'PPP_SERIAL', 'PPP over serial'],
  [51, 'PPP_ETHER', 'PPPoE'],
  [99, 'SYMANTEC_FIREWALL', 'Symantec Firewall'],
  [104, 'C_HDLC', 'Cisco HDLC'],
  [105, 'IEEE802_11', '802.11'],
  [107, 'FRELAY', 'Frame Relay'],
  [108, 'LOOP', 'OpenBSD loopback'],
  [109, 'ENC', 'OpenBSD encapsulated IP'],
  [113, 'LINUX_SLL', 'Linux cooked v1'],
  [114, 'LTALK', 'Localtalk'],
  [117, 'PFLOG', 'OpenBSD pflog file'],
  [119, 'PRISM_HEADER', '802.11 plus Prism header'],
  [122, 'IP_OVER_FC', 'RFC 2625 IP-over-Fibre Channel'],
  [123, 'SUNATM', 'Sun raw ATM'],
  [127, 'IEEE802_11_RADIO', '802.11 plus radiotap header'],
  [129, 'ARCNET_LINUX', 'Linux ARCNET'],
  [130, 'JUNIPER_MLPPP', 'Juniper Multi-Link PPP'],
  [131, 'JUNIPER_MLFR', 'Juniper Multi-Link Frame Relay'],
  [132, 'JUNIPER_ES', 'Juniper Encryption Services PIC'],
  [133, 'JUNIPER_GGSN', 'Juniper GGSN PIC'],
  [134, 'JUNIPER_MFR', 'Juniper FRF.16 Frame Relay'],
  [135, 'JUNIPER_ATM2', 'Juniper ATM2 PIC'],
  [136, 'JUNIPER_SERVICES', 'Juniper Advanced Services PIC'],
  [137, 'JUNIPER_ATM1', 'Juniper ATM1 PIC'],
  [138, 'APPLE_IP_OVER_IEEE1394', 'Apple IP-over-IEEE 1394'],
  [139, 'MTP2_WITH_PHDR', 'SS7 MTP2 with Pseudo-header'],
  [140, 'MTP2', 'SS7 MTP2'],
  [141, 'MTP3', 'SS7 MTP3'],
  [142, 'SCCP', 'SS7 SCCP'],
  [143, 'DOCSIS', 'DOCSIS'],
  [144, 'LINUX_IRDA', 'Linux IrDA'],
  [163, 'IEEE802_11_RADIO_AVS', '802.11 plus AVS radio information header'],
  [164, 'JUNIPER_MONITOR', 'Juniper Passive Monitor PIC'],
  [165, 'BACNET_MS_TP', 'BACnet MS/TP'],
  [166, 'PPP_PPPD', 'PPP for pppd, with direction flag'],
  [167, 'JUNIPER_PPPOE', 'Juniper PPPoE'],
  [168, 'JUNIPER_PPPOE_ATM', 'Juniper PPPoE/ATM'],
  [169, 'GPRS_LLC', 'GPRS LLC'],
  [170, 'GPF_T', 'GPF-T'],
  [171, 'GPF_F', 'GPF-F'],
  [174, 'JUNIPER_PIC_PEER', 'Juniper PIC Peer'],
  [175, 'ERF_ETH', 'Ethernet with Endace ERF header'],
  [176, 'ERF_POS', 'Packet-over-SONET with Endace ERF header'],
  [177, 'LINUX_LAPD', 'Linux vISDN LAPD'],
  [178, 'JUNIPER_ETHER', 'Juniper Ethernet'],
  [179, 'JUNIPER_PPP', 'Juniper PPP'],
  [180, 'JUNIPER_FRELAY', 'Juniper Frame Relay'],
  [181, 'JUNIPER_CHDLC', 'Juniper C-HDLC'],
  [182, 'MFR', 'FRF.16 Frame Relay'],
  [183, 'JUNIPER_VP', 'Juniper Voice PIC'],
  [184, 'A429', 'Arinc 429'],
  [185, 'A653_ICM', 'Arinc 653 Interpartition Communication'],
  [186, 'USB_FREEBSD', 'USB with FreeBSD header'],
  [187, 'BLUETOOTH_HCI_H4', 'Bluetooth HCI UART transport layer'],
  [188, 'IEEE802_16_MAC_CPS', 'IEEE 802.16 MAC Common Part Sublayer'],
  [189, 'USB_LINUX', 'USB with Linux header'],
  [190, 'CAN20B', 'Controller Area Network (CAN) v. 2.0B'],
  [191, 'IEEE802_15_4_LINUX', 'IEEE 802.15.4 with Linux padding'],
  [192, 'PPI', 'Per-Packet Information'],
  [193, 'IEEE802_16_MAC_CPS_RADIO', 'IEEE 802.16 MAC Common Part Sublayer plus radiotap header'],
  [194, 'JUNIPER_ISM', 'Juniper Integrated Service Module'],
  [195, 'IEEE802_15_4', 'IEEE 802.15.4 with FCS'],
  [196, 'SITA', 'SITA pseudo-header'],
  [197, 'ERF', 'Endace ERF header'],
  [198, 'RAIF1', 'Ethernet with u10 Networks pseudo-header'],
  [199, 'IPMB_KONTRON', 'IPMB with Kontron pseudo-header'],
  [200, 'JUNIPER_ST', 'Juniper Secure Tunnel'],
  [201, 'BLUETOOTH_HCI_H4_WITH_PHDR', 'Bluetooth HCI UART transport layer plus pseudo-header'],
  [202, 'AX25_KISS', 'AX.25 with KISS header'],
  [209, 'IPMB_LINUX', 'IPMB with Linux/Pigeon Point pseudo-header'],
  [215, 'IEEE802_15_4_NONASK_PHY', 'IEEE 802.15.4 with non-ASK PHY data'],
  [216, 'LINUX_EVDEV', 'Linux evdev events'],
  [219, 'MPLS', 'MPLS with label as link-layer header'],
  [220, 'USB_LINUX_MMAPPED', 'USB with padded Linux header'],
  [221, 'DECT', 'DECT'],
  [222, 'AOS', 'AOS Space Data Link protocol'],
  [223, 'WIHART', 'Wireless HART'],
  [224, 'FC_2', 'Fibre Channel FC-2'],
  [225, 'FC_2_WITH_FRAME_DELIMS', 'Fibre Channel FC-2 with frame delimiters'],
  [226, 'IPNET', 'Solaris ipnet'],
  [227, 'CAN_SOCKETCAN', 'CAN-bus with SocketCAN headers'],
  [228, 'IPV4', 'Raw IPv4'],
  [229, 'IPV6', 'Raw IPv6'],
  [230, 'IEEE802_15_4_NOFCS', 'IEEE 802.15.4 without FCS'],
  [231, 'DBUS', 'D-Bus'],
  [232, 'JUNIPER_VS', 'Juniper Virtual Server'],
  [233, 'JUNIPER_SRX_E2E', 'Juniper SRX E2E'],
  [234, 'JUNIPER_FIBRECHANNEL', 'Juniper Fibre Channel'],
  [235, 'DVB_CI', 'DVB-CI'],
  [236, 'MUX27010', 'MUX27010'],
  [237, 'STANAG_5066_D_PDU', 'STANAG 5066 D_PDUs'],
  [238, 'JUNIPER_ATM_CEMIC', 'Juniper ATM CEMIC'],
  [239, 'NFLOG', 'Linux netfilter log messages'],
  [240, 'NETANALYZER', 'Ethernet with Hilscher netANALYZER pseudo-header'],
  [241, 'NETANALYZER_TRANSPARENT', 'Ethernet with Hilscher netANALYZER pseudo-header and with preamble and SFD'],
  [242, 'IPOIB', 'RFC 4391 IP-over-Infiniband'],
  [243, 'MPEG_2_TS', 'MPEG-2 transport stream'],
  [244, 'NG40', 'ng40 protocol tester Iub/Iur'],
  [245, 'NFC_LLCP', 'NFC LLCP PDUs with pseudo-header'],
  [246, 'PFSYNC', 'Packet filter state syncing'],
  [247, 'INFINIBAND', 'InfiniBand'],
  [248, 'SCTP', 'SCTP'],
  [249, 'USBPCAP', 'USB with USBPcap header'],
  [250, 'RTAC_SERIAL', 'Schweitzer Engineering Laboratories RTAC packets'],
  [251, 'BLUETOOTH_LE_LL', 'Bluetooth Low Energy air interface'],
  [253, 'NETLINK', 'Linux netlink'],
  [254, 'BLUETOOTH_LINUX_MONITOR', 'Bluetooth Linux Monitor'],
  [255, 'BLUETOOTH_BREDR_BB', 'Bluetooth Basic Rate/Enhanced Data Rate baseband packets'],
  [256, 'BLUETOOTH_LE_LL_WITH_PHDR', 'Bluetooth Low Energy air interface with pseudo-header'],
  [257, 'PROFIBUS_DL', 'PROFIBUS data link layer'],
  [258, 'PKTAP', 'Apple DLT_PKTAP'],
  [259, 'EPON', 'Ethernet with 802.3 Clause 65 EPON preamble'],
  [260, 'IPMI_HPM_2', 'IPMI trace packets'],
  [261, 'ZWAVE_R1_R2', 'Z-Wave RF profile R1 and R2 packets'],
  [262, 'ZWAVE_R3', 'Z-Wave RF profile R3 packets'],
  [263, 'WATTSTOPPER_DLM', 'WattStopper Digital Lighting Management (DLM) and Legrand Nitoo Open protocol'],
  [264, 'ISO_14443', 'ISO 14443 messages'],
  [265, 'RDS', 'IEC 62106 Radio Data System groups'],
  [266, 'USB_DARWIN', 'USB with Darwin header'],
  [267, 'OPENFLOW', 'OpenBSD DLT_OPENFLOW'],
  [268, 'SDLC', 'IBM SDLC frames'],
  [269, 'TI_LLN_SNIFFER', 'TI LLN sniffer frames'],
  [271, 'VSOCK', 'Linux vsock'],
  [272, 'NORDIC_BLE', 'Nordic Semiconductor Bluetooth LE sniffer frames'],
  [273, 'DOCSIS31_XRA31', 'Excentis XRA-31 DOCSIS 3.1 RF sniffer frames'],
  [274, 'ETHERNET_MPACKET', '802.3br mPackets'],
  [275, 'DISPLAYPORT_AUX', 'DisplayPort AUX channel monitoring data'],
  [276, 'LINUX_SLL2', 'Linux cooked v2'],
  [278, 'OPENVIZSLA', 'OpenVizsla USB'],
  [279, 'EBHSCR', 'Elektrobit High Speed Capture and Replay (EBHSCR)'],
  [280, 'VPP_DISPATCH', 'VPP graph dispatch tracer'],
  [281, 'DSA_TAG_BRCM', 'Broadcom tag'],
  [282, 'DSA_TAG_BRCM_PREPEND', 'Broadcom tag (prepended)'],
  [283, 'IEEE802_15_4_TAP', 'IEEE 802.15.4 with pseudo-header'],
  [284, 'DSA_TAG_DSA', 'Marvell DSA'],
  [285, 'DSA_TAG_EDSA', 'Marvell EDSA'],
  [286, 'ELEE', 'ELEE lawful intercept packets'],
  [287, 'Z_WAVE_SERIAL', 'Z-Wave serial frames between host and chip'],
  [288, 'USB_2_0', 'USB 2.0/1.1/1.0 as transmitted over the cable'],
  [289, 'ATSC_ALP', 'ATSC Link-Layer Protocol packets'],
];

// Indexes of LINKTYPES, built at the first lookup (a run that never names a link type needs neither).
const linktypesByName = lazy(
  () => new Map(LINKTYPES.map(([dlt, name]) => [name.toUpperCase(), dlt])),
);
const linktypesByDlt = lazy(() => new Map(LINKTYPES.map((e) => [e[0], e])));

/** DLT value of a tcpdump link type name (any case), or undefined. */
export function linktypeByName(name: string): number | undefined {
  return linktypesByName().get(name.toUpperCase());
}

/**
 * A link type as tcpdump's -y takes it: a name (any case) or a decimal number; undefined for
 * anything else. The one parser of link type options (compile(), the CLI's -y).
 */
export function parseLinktype(text: string): number | undefined {
  return linktypeByName(text) ?? (/^\d{1,10}$/.test(text) ? Number(text) : undefined);
}

/** tcpdump's name of a DLT value, or undefined. */
export function linktypeName(dlt: number): string | undefined {
  return linktypesByDlt().get(dlt)?.[1];
}

/** libpcap's description of a DLT value for messages, `DLT n` when it has none. */
export function linktypeDescription(dlt: number): string {
  return linktypesByDlt().get(dlt)?.[2] ?? `DLT ${dlt}`;
}

/**
 * The DLT value of a LINKTYPE value from a capture file header (libpcap linktype_to_dlt): the few link
 * types whose DLT value differs by platform are stored under their own numbers; the rest are equal.
 */
export function dltOfLinktype(linktype: number): number {
  switch (linktype) {
    case 100: // LINKTYPE_ATM_RFC1483
      return 11;
    case 101: // LINKTYPE_RAW
    case 14: // DLT_RAW on OpenBSD
      return 12;
    case 102: // LINKTYPE_SLIP_BSDOS
      return 15;
    case 103: // LINKTYPE_PPP_BSDOS
      return 16;
    case 106: // LINKTYPE_ATM_CLIP
      return 19;
    default:
      return linktype;
  }
}

/** 802.11 frame types (frame control bits 2-3) by name (libpcap grammar's ieee80211_types). */
export const WLAN_TYPES: Readonly<Record<string, number>> = {
  data: 0x08,
  mgt: 0x00,
  management: 0x00,
  ctl: 0x04,
  control: 0x04,
};

/** 802.11 subtypes (frame control bits 4-7) by type, in libpcap's lookup order: management, control, data. */
// biome-ignore format: a table
export const WLAN_SUBTYPES: readonly (readonly [type: number, names: Readonly<Record<string, number>>])[] = [
  [0x00, {
    assocreq: 0x00, 'assoc-req': 0x00, assocresp: 0x10, 'assoc-resp': 0x10, reassocreq: 0x20,
    'reassoc-req': 0x20, reassocresp: 0x30, 'reassoc-resp': 0x30, probereq: 0x40, 'probe-req': 0x40,
    proberesp: 0x50, 'probe-resp': 0x50, beacon: 0x80, atim: 0x90, disassoc: 0xa0, disassociation: 0xa0,
    auth: 0xb0, authentication: 0xb0, deauth: 0xc0, deauthentication: 0xc0,
  }],
  [0x04, { 'ps-poll': 0xa0, rts: 0xb0, cts: 0xc0, ack: 0xd0, 'cf-end': 0xe0, 'cf-end-ack': 0xf0 }],
  [0x08, {
    data: 0x00, 'data-cf-ack': 0x10, 'data-cf-poll': 0x20, 'data-cf-ack-poll': 0x30, null: 0x40,
    'cf-ack': 0x50, 'cf-poll': 0x60, 'cf-ack-poll': 0x70, 'qos-data': 0x80, 'qos-data-cf-ack': 0x90,
    'qos-data-cf-poll': 0xa0, 'qos-data-cf-ack-poll': 0xb0, qos: 0xc0, 'qos-cf-poll': 0xe0,
    'qos-cf-ack-poll': 0xf0,
  }],
];

/** 802.11 directions (frame control byte 1, bits 0-1). */
export const WLAN_DIRS: Readonly<Record<string, number>> = {
  nods: 0,
  tods: 1,
  fromds: 2,
  dstods: 3,
};

/** LLC S-frame (supervisory) and U-frame (unnumbered) control values (libpcap llc.h). */
export const LLC_S_SUBTYPES: Readonly<Record<string, number>> = { rr: 0x01, rnr: 0x05, rej: 0x09 };
// biome-ignore format: a table
export const LLC_U_SUBTYPES: Readonly<Record<string, number>> = {
  ui: 0x03, ua: 0x63, disc: 0x43, dm: 0x0f, sabme: 0x6f, test: 0xe3, xid: 0xaf, frmr: 0x87,
};

/** pflog reason codes by name, as libpcap built for Linux knows them. */
// biome-ignore format: a table
export const PF_REASONS: Readonly<Record<string, number>> = {
  match: 0, 'bad-offset': 1, fragment: 2, short: 3, normalize: 4, memory: 5, 'bad-timestamp': 6,
  congestion: 7, 'ip-option': 8, 'proto-cksum': 9, 'state-mismatch': 10, 'state-insert': 11,
  'state-limit': 12, 'src-limit': 13, synproxy: 14,
};

/** pflog actions by name, as libpcap built for Linux knows them. */
// biome-ignore format: a table
export const PF_ACTIONS: Readonly<Record<string, number>> = {
  pass: 0, accept: 0, drop: 1, block: 1, scrub: 2, noscrub: 3, nat: 4, nonat: 5, binat: 6, nobinat: 7,
  rdr: 8, nordr: 9, 'synproxy-drop': 10,
};

/** A name's value in a table, matched without case as libpcap's str2tok does; undefined if absent. */
export function lookupNoCase(
  table: Readonly<Record<string, number>>,
  name: string,
): number | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
