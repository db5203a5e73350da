// ARP (RFC 826) for any hardware/protocol address lengths; Ethernet/IPv4 is the common case.
import { formatMac, formatProtoAddr } from './addr.js';
import { type LayerBase, u16 } from './layer.js';

export interface ArpLayer extends LayerBase {
  kind: 'arp';
  htype: number;
  ptype: number;
  hlen: number;
  plen: number;
  /** 1 request, 2 reply, 3/4 RARP, 8/9 InARP. */
  op: number;
  /** Sender/target hardware addresses as colon hex; protocol addresses as IPv4/IPv6 text or hex. Empty if cut off. */
  sha: string;
  spa: string;
  tha: string;
  tpa: string;
}

/** Decodes an ARP packet at `off`; fields past the end of the bytes are left empty and `truncated` is set. */
export function decodeArp(b: Uint8Array, off = 0): ArpLayer {
  const avail = Math.max(0, b.length - off);
  const hlen = b[off + 4] ?? 0;
  const plen = b[off + 5] ?? 0;
  const need = 8 + 2 * (hlen + plen);
  const has = (start: number, len: number) => start + len <= avail;
  const o = off + 8;
  return {
    kind: 'arp',
    offset: off,
    headerLength: Math.min(need, avail),
    truncated: avail < need,
    htype: u16(b, off),
    ptype: u16(b, off + 2),
    hlen,
    plen,
    op: u16(b, off + 6),
    sha: has(8, hlen) ? formatMac(b, o, hlen) : '',
    spa: has(8 + hlen, plen) ? formatProtoAddr(b, o + hlen, plen) : '',
    tha: has(8 + hlen + plen, hlen) ? formatMac(b, o + hlen + plen, hlen) : '',
    tpa: has(8 + 2 * hlen + plen, plen) ? formatProtoAddr(b, o + 2 * hlen + plen, plen) : '',
  };
}
