// Builders for IPv4/IPv6 packets carrying UDP, TCP, ICMP or ICMPv6, with correct checksums.
import { parseIpv4, parseIpv6 } from './addr.js';
import { buildEthernet, type EthernetOptions, put16, put32 } from './build-link.js';
import { internetChecksum, pseudoHeaderSum } from './checksum.js';

export interface Ipv4Options {
  version?: 4;
  src: string;
  dst: string;
  /** Default 64 (Linux's default TTL). */
  ttl?: number;
  /** Default 0. */
  id?: number;
  /** Default 0. */
  tos?: number;
  /** Don't-fragment; default false. */
  df?: boolean;
  /** More-fragments; default false. */
  mf?: boolean;
  /** In bytes, a multiple of 8; default 0. */
  fragmentOffset?: number;
  /** Raw option bytes, padded to a multiple of 4 with EOL; default none. */
  options?: Uint8Array;
}

export interface Ipv6Options {
  version: 6;
  src: string;
  dst: string;
  /** Default 64. */
  hopLimit?: number;
  /** Default 0. */
  trafficClass?: number;
  /** Default 0. */
  flowLabel?: number;
}

export type IpOptions = Ipv4Options | Ipv6Options;

/** What rides on IP. Payload defaults to empty. Checksums are computed. */
export type TransportSpec =
  | { kind: 'udp'; srcPort: number; dstPort: number; payload?: Uint8Array }
  | {
      kind: 'tcp';
      srcPort: number;
      dstPort: number;
      /** Default 0. */
      seq?: number;
      /** Default 0. */
      ack?: number;
      /** Flag bits (TCP_FLAG); default SYN (0x02). */
      flags?: number;
      /** Default 65535. */
      window?: number;
      /** Default 0. */
      urgent?: number;
      /** Raw option bytes, zero-padded (EOL) to a multiple of 4; default none. */
      options?: Uint8Array;
      payload?: Uint8Array;
    }
  /** ICMP (IPv4): default type 8 (echo request), code 0; id/seq fill bytes 4-7. */
  | { kind: 'icmp'; type?: number; code?: number; id?: number; seq?: number; payload?: Uint8Array }
  /** ICMPv6: default type 128 (echo request); id/seq fill bytes 4-7, or `body` replaces bytes 4.. (for ND). */
  | {
      kind: 'icmpv6';
      type?: number;
      code?: number;
      id?: number;
      seq?: number;
      body?: Uint8Array;
      payload?: Uint8Array;
    }
  /** Any other protocol number with raw payload. */
  | { kind: 'raw'; protocol: number; payload?: Uint8Array };

function addrBytes(ip: IpOptions): { src: Uint8Array; dst: Uint8Array } {
  return ip.version === 6
    ? { src: parseIpv6(ip.src), dst: parseIpv6(ip.dst) }
    : { src: parseIpv4(ip.src), dst: parseIpv4(ip.dst) };
}

function pad4(b: Uint8Array | undefined): Uint8Array {
  if (!b || b.length === 0) return new Uint8Array(0);
  const out = new Uint8Array((b.length + 3) & ~3);
  out.set(b);
  return out;
}

/** The transport segment (header + payload) with its checksum computed for `ip`'s addresses. */
export function buildTransport(
  ip: IpOptions,
  t: TransportSpec,
): { protocol: number; bytes: Uint8Array } {
  const payload = t.payload ?? new Uint8Array(0);
  const { src, dst } = addrBytes(ip);
  switch (t.kind) {
    case 'udp': {
      const out = new Uint8Array(8 + payload.length);
      put16(out, 0, t.srcPort);
      put16(out, 2, t.dstPort);
      put16(out, 4, out.length);
      out.set(payload, 8);
      let c = internetChecksum(out, 0, out.length, pseudoHeaderSum(src, dst, 17, out.length));
      // A computed zero is sent as all ones (RFC 768); zero means "no checksum".
      if (c === 0) c = 0xffff;
      put16(out, 6, c);
      return { protocol: 17, bytes: out };
    }
    case 'tcp': {
      const opts = pad4(t.options);
      const hl = 20 + opts.length;
      const out = new Uint8Array(hl + payload.length);
      put16(out, 0, t.srcPort);
      put16(out, 2, t.dstPort);
      put32(out, 4, t.seq ?? 0);
      put32(out, 8, t.ack ?? 0);
      const flags = t.flags ?? 0x02;
      put16(out, 12, ((hl / 4) << 12) | (flags & 0x1ff));
      put16(out, 14, t.window ?? 65535);
      put16(out, 18, t.urgent ?? 0);
      out.set(opts, 20);
      out.set(payload, hl);
      put16(
        out,
        16,
        internetChecksum(out, 0, out.length, pseudoHeaderSum(src, dst, 6, out.length)),
      );
      return { protocol: 6, bytes: out };
    }
    case 'icmp': {
      const out = new Uint8Array(8 + payload.length);
      out[0] = t.type ?? 8;
      out[1] = t.code ?? 0;
      put16(out, 4, t.id ?? 0);
      put16(out, 6, t.seq ?? 0);
      out.set(payload, 8);
      put16(out, 2, internetChecksum(out));
      return { protocol: 1, bytes: out };
    }
    case 'icmpv6': {
      const body = t.body ?? new Uint8Array(4);
      const out = new Uint8Array(4 + body.length + payload.length);
      out[0] = t.type ?? 128;
      out[1] = t.code ?? 0;
      out.set(body, 4);
      if (!t.body) {
        put16(out, 4, t.id ?? 0);
        put16(out, 6, t.seq ?? 0);
      }
      out.set(payload, 4 + body.length);
      put16(
        out,
        2,
        internetChecksum(out, 0, out.length, pseudoHeaderSum(src, dst, 58, out.length)),
      );
      return { protocol: 58, bytes: out };
    }
    case 'raw':
      return { protocol: t.protocol, bytes: payload.slice() };
  }
}

/** An IPv4 header (checksum computed) followed by `payload`. */
export function buildIpv4(
  opts: Ipv4Options & { protocol: number },
  payload: Uint8Array,
): Uint8Array {
  const o = pad4(opts.options);
  const hl = 20 + o.length;
  const out = new Uint8Array(hl + payload.length);
  out[0] = 0x40 | (hl / 4);
  out[1] = opts.tos ?? 0;
  put16(out, 2, out.length);
  put16(out, 4, opts.id ?? 0);
  put16(
    out,
    6,
    (opts.df ? 0x4000 : 0) | (opts.mf ? 0x2000 : 0) | (((opts.fragmentOffset ?? 0) >>> 3) & 0x1fff),
  );
  out[8] = opts.ttl ?? 64;
  out[9] = opts.protocol;
  out.set(parseIpv4(opts.src), 12);
  out.set(parseIpv4(opts.dst), 16);
  out.set(o, 20);
  put16(out, 10, internetChecksum(out, 0, hl));
  out.set(payload, hl);
  return out;
}

/** An IPv6 header followed by `payload`. */
export function buildIpv6(
  opts: Ipv6Options & { nextHeader: number },
  payload: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(40 + payload.length);
  put32(
    out,
    0,
    ((6 << 28) | ((opts.trafficClass ?? 0) << 20) | ((opts.flowLabel ?? 0) & 0xfffff)) >>> 0,
  );
  put16(out, 4, payload.length);
  out[6] = opts.nextHeader;
  out[7] = opts.hopLimit ?? 64;
  out.set(parseIpv6(opts.src), 8);
  out.set(parseIpv6(opts.dst), 24);
  out.set(payload, 40);
  return out;
}

/** An IP packet (v4 or v6 by `ip.version`) carrying the transport. */
export function buildIpPacket(ip: IpOptions, t: TransportSpec): Uint8Array {
  const seg = buildTransport(ip, t);
  return ip.version === 6
    ? buildIpv6({ ...ip, nextHeader: seg.protocol }, seg.bytes)
    : buildIpv4({ ...ip, protocol: seg.protocol }, seg.bytes);
}

/**
 * A whole Ethernet frame: link options (ethertype filled in), IP options, transport.
 * @example buildIpFrame({ src: '52:54:00:00:00:01', dst: '52:54:00:00:00:02' }, { src: '10.0.0.1', dst: '10.0.0.2' }, { kind: 'udp', srcPort: 1234, dstPort: 53 })
 */
export function buildIpFrame(
  eth: Omit<EthernetOptions, 'ethertype'>,
  ip: IpOptions,
  t: TransportSpec,
): Uint8Array {
  return buildEthernet(
    { ...eth, ethertype: ip.version === 6 ? 0x86dd : 0x0800 },
    buildIpPacket(ip, t),
  );
}
