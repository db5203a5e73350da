// Which link types a Linux interface offers, chosen from its ARPHRD type as libpcap 1.10's Linux backend
// chooses them (pcap-linux.c map_arphrd_to_dlt and the cooked fallback), and the constants of packet
// sockets: ETH_P_* protocols, PACKET_* directions. FFI-free, so the mapping is tested without a kernel.

/** Ethernet protocol numbers for AF_PACKET sockets (<linux/if_ether.h>), host order. */
export const ETH_P_ALL = 0x0003;
export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const ETH_P_IPV6 = 0x86dd;
export const ETH_P_8021Q = 0x8100;
export const ETH_P_8021AD = 0x88a8;

/** A frame's direction as the kernel reports it (sll_pkttype, <linux/if_packet.h>). */
export const PACKET_HOST = 0;
export const PACKET_BROADCAST = 1;
export const PACKET_MULTICAST = 2;
export const PACKET_OTHERHOST = 3;
export const PACKET_OUTGOING = 4;
export type PacketDirection = 0 | 1 | 2 | 3 | 4;

/** ARPHRD_* device types (<linux/if_arp.h>) the mapping names. */
// biome-ignore format: a table
export const ARPHRD = {
  NETROM: 0, ETHER: 1, EETHER: 2, AX25: 3, PRONET: 4, CHAOS: 5, IEEE802: 6, ARCNET: 7, DLCI: 15, ATM: 19,
  METRICOM: 23, SLIP: 256, CSLIP: 257, SLIP6: 258, CSLIP6: 259, ADAPT: 264, PPP: 512, CISCO: 513,
  RAWHDLC: 518, TUNNEL: 768, TUNNEL6: 769, FRAD: 770, LOOPBACK: 772, LOCALTLK: 773, FDDI: 774, SIT: 776,
  IPGRE: 778, IRDA: 783, FCPP: 784, FCAL: 785, FCPL: 786, FCFABRIC: 787, IEEE802_TR: 800, IEEE80211: 801,
  IEEE80211_PRISM: 802, IEEE80211_RADIOTAP: 803, IEEE802154: 804, NETLINK: 824, VSOCKMON: 826,
  CAN: 280, LAPD: 8445, NONE: 0xfffe, VOID: 0xffff,
} as const;

/** LINKTYPE_* values (as pcap files store them) of the link types a Linux interface can give. */
// biome-ignore format: a table
export const LINKTYPE = {
  NULL: 0, EN10MB: 1, EN3MB: 2, AX25: 3, PRONET: 4, CHAOS: 5, IEEE802: 6, ARCNET: 7, FDDI: 10, RAW: 101,
  C_HDLC: 104, IEEE802_11: 105, FRELAY: 107, LINUX_SLL: 113, LTALK: 114, PRISM_HEADER: 119,
  IP_OVER_FC: 122, IEEE802_11_RADIO: 127, ARCNET_LINUX: 129, DOCSIS: 143, LINUX_IRDA: 144,
  LINUX_LAPD: 177, AX25_KISS: 202, FC_2: 224, FC_2_WITH_FRAME_DELIMS: 225, CAN_SOCKETCAN: 227,
  IEEE802_15_4_NOFCS: 230, NETLINK: 253, VSOCK: 271, LINUX_SLL2: 276,
} as const;

/** tcpdump's descriptions (libpcap's dlt_choices) of those link types. */
const DESCRIPTIONS: Readonly<Record<number, string>> = {
  [LINKTYPE.NULL]: 'BSD loopback',
  [LINKTYPE.EN10MB]: 'Ethernet',
  [LINKTYPE.EN3MB]: '3Mb Ethernet',
  [LINKTYPE.AX25]: 'AX.25',
  [LINKTYPE.PRONET]: 'Pronet',
  [LINKTYPE.CHAOS]: 'Chaos',
  [LINKTYPE.IEEE802]: 'Token ring',
  [LINKTYPE.ARCNET]: 'BSD ARCNET',
  [LINKTYPE.FDDI]: 'FDDI',
  [LINKTYPE.RAW]: 'Raw IP',
  [LINKTYPE.C_HDLC]: 'Cisco HDLC',
  [LINKTYPE.IEEE802_11]: '802.11',
  [LINKTYPE.FRELAY]: 'Frame Relay',
  [LINKTYPE.LINUX_SLL]: 'Linux cooked v1',
  [LINKTYPE.LTALK]: 'Localtalk',
  [LINKTYPE.PRISM_HEADER]: '802.11 plus Prism header',
  [LINKTYPE.IP_OVER_FC]: 'RFC 2625 IP-over-Fibre Channel',
  [LINKTYPE.IEEE802_11_RADIO]: '802.11 plus radiotap header',
  [LINKTYPE.ARCNET_LINUX]: 'Linux ARCNET',
  [LINKTYPE.DOCSIS]: 'DOCSIS',
  [LINKTYPE.LINUX_IRDA]: 'Linux IrDA',
  [LINKTYPE.LINUX_LAPD]: 'Linux vISDN LAPD',
  [LINKTYPE.AX25_KISS]: 'AX.25 with KISS header',
  [LINKTYPE.FC_2]: 'Fibre Channel FC-2',
  [LINKTYPE.FC_2_WITH_FRAME_DELIMS]: 'Fibre Channel FC-2 with frame delimiters',
  [LINKTYPE.CAN_SOCKETCAN]: 'CAN-bus with SocketCAN headers',
  [LINKTYPE.IEEE802_15_4_NOFCS]: 'IEEE 802.15.4 without FCS',
  [LINKTYPE.NETLINK]: 'Linux netlink',
  [LINKTYPE.VSOCK]: 'Linux vsock',
  [LINKTYPE.LINUX_SLL2]: 'Linux cooked v2',
};

/** Link types tcpdump 4.99 has no printer for, which its -L marks "(printing not supported)". */
export const NOT_PRINTED: ReadonlySet<number> = new Set([LINKTYPE.DOCSIS]);

/** `NAME (Description)` as tcpdump prints a link type ("EN10MB (Ethernet)"), or the number. */
export function linktypeLabel(linktype: number): string {
  const name = Object.entries(LINKTYPE).find(([, v]) => v === linktype)?.[0];
  const d = DESCRIPTIONS[linktype];
  return name ? `${name} (${d ?? name})` : `linktype-${linktype}`;
}

/** What an interface offers: its default link type, the ones -y may pick, and the socket they need. */
export interface InterfaceLinkTypes {
  /** The link type tcpdump uses without -y. */
  readonly linktype: number;
  /** Every link type -L lists, in its order. */
  readonly linktypes: readonly number[];
  /** A SOCK_DGRAM ("cooked") socket, whose frames carry no link header of their own. */
  readonly cooked: boolean;
}

/** The link types of the `any` pseudo-device: cooked, and LINUX_SLL2 by default as tcpdump 4.99 picks it. */
export const ANY_LINK_TYPES: InterfaceLinkTypes = {
  linktype: LINKTYPE.LINUX_SLL2,
  linktypes: [LINKTYPE.LINUX_SLL, LINKTYPE.LINUX_SLL2],
  cooked: true,
};

/**
 * The link types libpcap offers on an interface of ARPHRD type `arphrd` named `name` (`wifi`: it has a
 * phy80211, libpcap's is_wifi): Ethernet and loopback give EN10MB (and DOCSIS on wired Ethernet), tun (ARPHRD_NONE), ipip and sit give RAW,
 * radiotap gives IEEE802_11_RADIO; PPP, GRE, ATM and any type libpcap does not know are captured
 * cooked (LINUX_SLL).
 */
export function linkTypesOf(arphrd: number, name: string, wifi = false): InterfaceLinkTypes {
  const only = (linktype: number): InterfaceLinkTypes => ({
    linktype,
    linktypes: [linktype],
    cooked: false,
  });
  switch (arphrd) {
    case ARPHRD.ETHER:
      if (name.startsWith('cdma_rmnet')) return only(LINKTYPE.RAW);
      // ISDN devices claim Ethernet but carry other headers: libpcap opens them cooked.
      if (name.startsWith('isdn') || name.startsWith('isdY'))
        return { linktype: LINKTYPE.LINUX_SLL, linktypes: [LINKTYPE.LINUX_SLL], cooked: true };
      return wifi
        ? only(LINKTYPE.EN10MB)
        : {
            linktype: LINKTYPE.EN10MB,
            linktypes: [LINKTYPE.EN10MB, LINKTYPE.DOCSIS],
            cooked: false,
          };
    case ARPHRD.METRICOM:
    case ARPHRD.LOOPBACK:
      return only(LINKTYPE.EN10MB);
    case ARPHRD.EETHER:
      return only(LINKTYPE.EN3MB);
    case ARPHRD.AX25:
      return only(LINKTYPE.AX25_KISS);
    case ARPHRD.PRONET:
      return only(LINKTYPE.PRONET);
    case ARPHRD.CHAOS:
      return only(LINKTYPE.CHAOS);
    case ARPHRD.CAN:
      return only(LINKTYPE.CAN_SOCKETCAN);
    case ARPHRD.IEEE802_TR:
    case ARPHRD.IEEE802:
      return only(LINKTYPE.IEEE802);
    case ARPHRD.ARCNET:
      return only(LINKTYPE.ARCNET_LINUX);
    case ARPHRD.FDDI:
      return only(LINKTYPE.FDDI);
    case ARPHRD.IEEE80211:
      return only(LINKTYPE.IEEE802_11);
    case ARPHRD.IEEE80211_PRISM:
      return only(LINKTYPE.PRISM_HEADER);
    case ARPHRD.IEEE80211_RADIOTAP:
      return only(LINKTYPE.IEEE802_11_RADIO);
    case ARPHRD.CISCO:
      return only(LINKTYPE.C_HDLC);
    case ARPHRD.TUNNEL:
    case ARPHRD.SIT:
    case ARPHRD.CSLIP:
    case ARPHRD.SLIP6:
    case ARPHRD.CSLIP6:
    case ARPHRD.ADAPT:
    case ARPHRD.SLIP:
    case ARPHRD.RAWHDLC:
    case ARPHRD.DLCI:
    case ARPHRD.NONE:
      return only(LINKTYPE.RAW);
    case ARPHRD.FRAD:
      return only(LINKTYPE.FRELAY);
    case ARPHRD.LOCALTLK:
      return only(LINKTYPE.LTALK);
    case 18: // libpcap's table: type 18 is IP over Fibre Channel
      return only(LINKTYPE.IP_OVER_FC);
    case ARPHRD.FCPP:
    case ARPHRD.FCAL:
    case ARPHRD.FCPL:
    case ARPHRD.FCFABRIC:
      return {
        linktype: LINKTYPE.FC_2,
        linktypes: [LINKTYPE.FC_2, LINKTYPE.FC_2_WITH_FRAME_DELIMS, LINKTYPE.IP_OVER_FC],
        cooked: false,
      };
    case ARPHRD.IEEE802154:
      return only(LINKTYPE.IEEE802_15_4_NOFCS);
    case ARPHRD.VSOCKMON:
      return only(LINKTYPE.VSOCK);
    // These three keep their own header but libpcap reads them through a cooked socket.
    case ARPHRD.IRDA:
      return { linktype: LINKTYPE.LINUX_IRDA, linktypes: [LINKTYPE.LINUX_IRDA], cooked: true };
    case ARPHRD.LAPD:
      return { linktype: LINKTYPE.LINUX_LAPD, linktypes: [LINKTYPE.LINUX_LAPD], cooked: true };
    case ARPHRD.NETLINK:
      return { linktype: LINKTYPE.NETLINK, linktypes: [LINKTYPE.NETLINK], cooked: true };
    default:
      // PPP, ATM, GRE, ip6tnl and every type libpcap does not know: a cooked socket.
      return { linktype: LINKTYPE.LINUX_SLL, linktypes: [LINKTYPE.LINUX_SLL], cooked: true };
  }
}
