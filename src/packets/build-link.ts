// Builders for link-level frames: Ethernet with optional VLAN tags, and ARP.
import { parseIpv4, parseMac } from './addr.js';

/** A VLAN tag to insert after the source MAC (outermost first in `vlans`). */
export interface VlanTag {
  vid: number;
  /** Priority code point; default 0. */
  pcp?: number;
  /** Drop eligible; default false. */
  dei?: boolean;
  /** TPID; default 0x8100 (use 0x88a8 for an 802.1ad service tag). */
  tpid?: number;
}

export interface EthernetOptions {
  /** Destination MAC; default ff:ff:ff:ff:ff:ff. */
  dst?: string;
  /** Source MAC; default 02:00:00:00:00:01 (a locally administered address). */
  src?: string;
  /** The ethertype after the tags. */
  ethertype: number;
  /** VLAN tags, outermost first; default none. */
  vlans?: readonly VlanTag[];
  /** Zero-pad the frame to this many bytes; default 0 (no padding: a NIC pads to 60 on the wire, captures on the sender show the short frame). */
  padTo?: number;
}

/**
 * Prepends an Ethernet header (and VLAN tags) to `payload`.
 * @example buildEthernet({ dst: 'ff:ff:ff:ff:ff:ff', src: '52:54:00:12:34:56', ethertype: 0x0806 }, arp)
 */
export function buildEthernet(opts: EthernetOptions, payload: Uint8Array): Uint8Array {
  const vlans = opts.vlans ?? [];
  const head = 14 + 4 * vlans.length;
  const out = new Uint8Array(Math.max(head + payload.length, opts.padTo ?? 0));
  out.set(parseMac(opts.dst ?? 'ff:ff:ff:ff:ff:ff'), 0);
  out.set(parseMac(opts.src ?? '02:00:00:00:00:01'), 6);
  let p = 12;
  for (const v of vlans) {
    const tci = ((v.pcp ?? 0) << 13) | (v.dei ? 0x1000 : 0) | (v.vid & 0xfff);
    put16(out, p, v.tpid ?? 0x8100);
    put16(out, p + 2, tci);
    p += 4;
  }
  put16(out, p, opts.ethertype);
  out.set(payload, head);
  return out;
}

export interface ArpOptions {
  /** 'request' (1, default), 'reply' (2), or a raw opcode. */
  op?: 'request' | 'reply' | number;
  senderMac: string;
  senderIp: string;
  /** Default 00:00:00:00:00:00 (what a request carries). */
  targetMac?: string;
  targetIp: string;
}

/** The 28-byte Ethernet/IPv4 ARP body. */
export function buildArp(opts: ArpOptions): Uint8Array {
  const out = new Uint8Array(28);
  put16(out, 0, 1);
  put16(out, 2, 0x0800);
  out[4] = 6;
  out[5] = 4;
  put16(
    out,
    6,
    opts.op === 'reply' ? 2 : opts.op === 'request' || opts.op === undefined ? 1 : opts.op,
  );
  out.set(parseMac(opts.senderMac), 8);
  out.set(parseIpv4(opts.senderIp), 14);
  out.set(parseMac(opts.targetMac ?? '00:00:00:00:00:00'), 18);
  out.set(parseIpv4(opts.targetIp), 24);
  return out;
}

export interface ArpFrameOptions extends ArpOptions {
  /** Ethernet destination; default broadcast for a request, targetMac otherwise. */
  dst?: string;
  /** Ethernet source; default senderMac. */
  src?: string;
  vlans?: readonly VlanTag[];
  /** Default 0 (a 42-byte frame); 60 gives the padded wire size. */
  padTo?: number;
}

/**
 * A whole Ethernet ARP frame.
 * @example buildArpFrame({ op: 'reply', senderMac: '52:54:00:12:34:56', senderIp: '10.0.0.5', targetMac: 'aa:bb:cc:dd:ee:ff', targetIp: '10.0.0.1' })
 */
export function buildArpFrame(opts: ArpFrameOptions): Uint8Array {
  const isRequest = opts.op === undefined || opts.op === 'request' || opts.op === 1;
  return buildEthernet(
    {
      dst: opts.dst ?? (isRequest ? 'ff:ff:ff:ff:ff:ff' : (opts.targetMac ?? 'ff:ff:ff:ff:ff:ff')),
      src: opts.src ?? opts.senderMac,
      ethertype: 0x0806,
      vlans: opts.vlans,
      padTo: opts.padTo,
    },
    buildArp(opts),
  );
}

export function put16(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}

export function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 24) & 0xff;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}
