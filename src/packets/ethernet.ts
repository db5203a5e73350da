// Ethernet II / 802.3 headers, 802.1Q/802.1ad/0x9100 VLAN tags, and 802.2 LLC.
import { formatMac } from './addr.js';
import { type LayerBase, u16 } from './layer.js';

export const ETHERTYPE = {
  IPV4: 0x0800,
  ARP: 0x0806,
  RARP: 0x8035,
  VLAN: 0x8100,
  IPV6: 0x86dd,
  QINQ: 0x88a8,
  QINQ_OLD: 0x9100,
} as const;

/** TPIDs that introduce a VLAN tag, as tcpdump's ethertype printer knows them. */
export function isVlanTpid(t: number): boolean {
  return t === 0x8100 || t === 0x88a8 || t === 0x9100 || t === 0x9200;
}

export interface EthernetLayer extends LayerBase {
  kind: 'ethernet';
  dst: string;
  src: string;
  /** The type/length field: an ethertype if >= 0x0600, else an 802.3 length (then an LLC layer follows). */
  ethertype: number;
}

export interface VlanLayer extends LayerBase {
  kind: 'vlan';
  /** The TPID that introduced this tag (0x8100, 0x88a8, 0x9100). */
  tpid: number;
  pcp: number;
  dei: boolean;
  vid: number;
  /** The type field after the tag. */
  ethertype: number;
}

export interface LlcLayer extends LayerBase {
  kind: 'llc';
  dsap: number;
  ssap: number;
  control: number;
  /** SNAP OUI and type when dsap = ssap = 0xaa. */
  snap?: { oui: number; ethertype: number };
}

/** Decodes the 14-byte Ethernet header at `off`. */
export function decodeEthernet(b: Uint8Array, off = 0): EthernetLayer {
  const truncated = b.length - off < 14;
  return {
    kind: 'ethernet',
    offset: off,
    headerLength: Math.min(14, Math.max(0, b.length - off)),
    truncated,
    dst: formatMac(b, off),
    src: formatMac(b, off + 6),
    ethertype: u16(b, off + 12),
  };
}

/** Decodes a 4-byte VLAN tag whose TPID was `tpid`; `off` points at the TCI. */
export function decodeVlan(b: Uint8Array, off: number, tpid: number): VlanLayer {
  const tci = u16(b, off);
  return {
    kind: 'vlan',
    offset: off,
    headerLength: Math.min(4, Math.max(0, b.length - off)),
    truncated: b.length - off < 4,
    tpid,
    pcp: tci >> 13,
    dei: (tci & 0x1000) !== 0,
    vid: tci & 0xfff,
    ethertype: u16(b, off + 2),
  };
}

/** Decodes an 802.2 LLC header (3 bytes; 8 with SNAP). */
export function decodeLlc(b: Uint8Array, off: number): LlcLayer {
  const avail = Math.max(0, b.length - off);
  const dsap = b[off] ?? 0;
  const ssap = b[off + 1] ?? 0;
  const layer: LlcLayer = {
    kind: 'llc',
    offset: off,
    headerLength: Math.min(3, avail),
    truncated: avail < 3,
    dsap,
    ssap,
    control: b[off + 2] ?? 0,
  };
  if (dsap === 0xaa && ssap === 0xaa) {
    layer.headerLength = Math.min(8, avail);
    layer.truncated = avail < 8;
    layer.snap = { oui: ((b[off + 3] ?? 0) << 16) | u16(b, off + 4), ethertype: u16(b, off + 6) };
  }
  return layer;
}
