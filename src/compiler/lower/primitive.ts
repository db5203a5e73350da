// `[proto] [dir] [type] id` primitives: host/net (MAC, IPv4, IPv6, names), port/portrange, proto
// (libpcap gen_ncode, gen_scode, gen_mcode, gen_mcode6, gen_ecode).
import type { DirQual, Expr, Id, ProtoQual, Span } from '../ast.js';
import { fail } from '../errors.js';
import { parseIpv6 } from '../lexer.js';
import { ETHER_PROTOS, ipProtocol, LLC_SAPS, NETWORKS, servicePorts } from '../names.js';
import { type Ctx, NOT_SET } from './context.js';
import { dnAddress } from './decnet.js';
import { ISO, ipv4Host, protoTest } from './ip.js';
import { ipv6Host, prefixMask } from './ip6.js';
import { arcHost } from './link/arcnet.js';
import { type PortProto, portRangeTest, portTest } from './port.js';
import { or, type Pred } from './pred.js';
import { protochain } from './protochain.js';

type Primitive = Extract<Expr, { kind: 'primitive' }>;

export function lowerPrimitive(ctx: Ctx, e: Primitive): Pred {
  switch (e.type) {
    case null:
    case 'host':
    case 'net':
      return address(ctx, e);
    case 'port':
    case 'portrange':
      return port(ctx, e);
    case 'proto':
      return protoTest(ctx, protoNumber(e.proto, e.id), e.proto, e.span);
    case 'protochain':
      return protochain(ctx, protoNumber(e.proto, e.id), e.proto, e.span);
    case 'gateway':
      return fail(
        'UNSUPPORTED',
        "'gateway' needs both a MAC and an IP address for a host name; cbpf does not support it",
        e.span,
      );
  }
}

/** A 48-bit MAC address on the current link layer (libpcap gen_ecode: Ethernet, FDDI, token ring, 802.11, IP over FC). */
export function etherHost(ctx: Ctx, mac: readonly number[], dir: DirQual | null, span: Span): Pred {
  const host = ctx.link.macHost;
  if (!host)
    return fail(
      'UNSUPPORTED_FOR_LINKTYPE',
      'ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel',
      span,
    );
  return host(ctx, mac, dir, span);
}

/** Dotted IPv4 parts as libpcap's __pcap_atoin reads them: each at most 255. */
function checkIpv4(id: Extract<Id, { kind: 'ipv4' }>): void {
  if (id.parts.some((p) => p > 255))
    fail('BAD_ADDRESS', `invalid IPv4 address '${id.parts.join('.')}'`, id.span);
}

function ipv4Value(parts: readonly number[]): { v: number; vlen: number } {
  let v = 0;
  for (const p of parts) v = ((v << 8) | p) >>> 0;
  return { v, vlen: parts.length * 8 };
}

function leftAlign(parts: readonly number[]): { v: number; mask: number } {
  const { v, vlen } = ipv4Value(parts);
  const shift = 32 - vlen;
  return {
    v: shift >= 32 ? 0 : (v << shift) >>> 0,
    mask: shift >= 32 ? 0 : (0xffffffff << shift) >>> 0,
  };
}

function address(ctx: Ctx, e: Primitive): Pred {
  const { proto, dir, id, span } = e;
  const what = e.type === 'net' ? 'net' : 'host';
  const linkProto = proto === 'ether' || proto === 'link';
  if (id.kind === 'mac') {
    if (e.type === 'net' || !linkProto)
      fail('BAD_QUALIFIER', 'ethernet address used in non-ether expression', span);
    return etherHost(ctx, id.bytes, dir, span);
  }
  if (id.kind === 'arcnet') {
    // libpcap gen_acode: the link type first, then the qualifiers.
    if (ctx.link.dlt !== 7 && ctx.link.dlt !== 129)
      fail('UNSUPPORTED_FOR_LINKTYPE', 'aid supported only on ARCnet', span);
    if (e.type === 'net' || !linkProto)
      fail('BAD_QUALIFIER', 'ARCnet address used in non-arc expression', span);
    return arcHost(ctx, id.addr, dir, span);
  }
  if (proto === 'decnet' && (id.kind === 'num' || id.kind === 'ipv4')) {
    // libpcap gen_ncode: a DECnet `area.node` (parts are not bytes), or a number as it is.
    const v =
      id.kind === 'num' ? id.value : dnAddress(id.parts[0] as number, id.parts[1] as number);
    return ipv4Host(ctx, v, 0, proto, dir, what, span);
  }
  if (proto === 'decnet' && id.kind === 'name')
    return fail(
      'UNKNOWN_NAME',
      `decnet name support not included, '${id.name}' cannot be translated`,
      id.span,
    );
  if (linkProto && id.kind !== 'name')
    return fail('BAD_QUALIFIER', 'illegal link layer address', id.span);
  switch (id.kind) {
    case 'num': {
      let v = id.value;
      let mask = 0xffffffff;
      if (e.type === 'net') {
        // libpcap promotes a short network number: `net 10` is 10.0.0.0/8.
        while (v !== 0 && (v & 0xff000000) === 0) {
          v = (v << 8) >>> 0;
          mask = (mask << 8) >>> 0;
        }
      }
      return ipv4Host(ctx, v, mask, proto, dir, what, span);
    }
    case 'ipv4': {
      checkIpv4(id);
      const { v, mask } = leftAlign(id.parts);
      return ipv4Host(ctx, v, mask, proto, dir, what, span);
    }
    case 'ipv6':
      return ipv6Host(ctx, id.bytes, prefixMask(128), proto, dir, span);
    case 'cidr':
    case 'mask':
      return masked(ctx, e, id);
    case 'name':
      if (e.type === 'net') {
        const net = Object.hasOwn(NETWORKS, id.name) ? NETWORKS[id.name] : undefined;
        if (net === undefined) return fail('UNKNOWN_NAME', `unknown network '${id.name}'`, id.span);
        let v = net;
        let mask = 0xffffffff;
        // libpcap gen_scode: the same short-network promotion as numbers (a no-op for these entries).
        while (v !== 0 && (v & 0xff000000) === 0) {
          v = (v << 8) >>> 0;
          mask = (mask << 8) >>> 0;
        }
        return ipv4Host(ctx, v, mask, proto, dir, 'net', span);
      }
      return hostName(ctx, e, id.name, id.span);
    case 'range':
      return fail('SYNTAX', 'a range needs portrange', id.span);
  }
}

function masked(ctx: Ctx, e: Primitive, id: Extract<Id, { kind: 'cidr' | 'mask' }>): Pred {
  const { proto, dir } = e;
  if (id.addr.kind === 'ipv6') {
    if (id.kind !== 'cidr') return fail('SYNTAX', 'mask syntax is IPv4 only', id.span);
    if (id.len > 128) fail('OUT_OF_RANGE', 'mask length must be <= 128', id.span);
    const m = prefixMask(id.len);
    if (id.addr.bytes.some((b, i) => (b & ~(m[i] as number)) !== 0))
      fail('BAD_ADDRESS', 'non-network bits set in address', id.span);
    if (e.type !== 'net' && id.len !== 128)
      fail('BAD_QUALIFIER', 'Mask syntax for networks only', e.span);
    return ipv6Host(ctx, id.addr.bytes, m, proto, dir, id.span);
  }
  let n: number;
  if (id.addr.kind === 'ipv4') {
    checkIpv4(id.addr);
    n = leftAlign(id.addr.parts).v;
  } else return fail('SYNTAX', 'expected an IPv4 network', id.addr.span);
  let m: number;
  if (id.kind === 'cidr') {
    if (id.len > 32) fail('OUT_OF_RANGE', 'mask length must be <= 32', id.span);
    m = id.len === 0 ? 0 : (0xffffffff << (32 - id.len)) >>> 0;
  } else {
    checkIpv4(id.mask as Extract<Id, { kind: 'ipv4' }>);
    m = leftAlign((id.mask as Extract<Id, { kind: 'ipv4' }>).parts).v;
  }
  if ((n & ~m) >>> 0 !== 0) fail('BAD_ADDRESS', 'non-network bits set in address', id.span);
  if (e.type !== 'net') fail('BAD_QUALIFIER', 'Mask syntax for networks only', e.span);
  return ipv4Host(ctx, n, m, proto, dir, 'net', id.span);
}

function hostName(ctx: Ctx, e: Primitive, name: string, span: Span): Pred {
  if (ctx.resolve === undefined) {
    return fail(
      'UNKNOWN_NAME',
      `host name '${name}' needs a resolver (cbpf does no DNS); use an address`,
      span,
    );
  }
  const addrs = ctx.resolve(name);
  const linkProto = e.proto === 'ether' || e.proto === 'link';
  const out: Pred[] = [];
  for (const a of addrs) {
    const mac = /^[0-9A-Fa-f]{1,2}([:-][0-9A-Fa-f]{1,2}){5}$/.test(a)
      ? a.split(/[:-]/).map((h) => Number.parseInt(h, 16))
      : null;
    if (linkProto) {
      if (mac) out.push(etherHost(ctx, mac, e.dir, span));
      continue;
    }
    if (mac) continue;
    if (/^\d+\.\d+\.\d+\.\d+$/.test(a)) {
      const parts = a.split('.').map(Number);
      if (parts.some((p) => p > 255) || e.proto === 'ip6') continue;
      // RAW has no link-type field, so libpcap narrows a bare name to IPv4 there (no ARP/RARP).
      const proto: ProtoQual | null = e.proto ?? (ctx.offLinkType.k === NOT_SET ? 'ip' : null);
      out.push(ipv4Host(ctx, ipv4Value(parts).v, 0xffffffff, proto, e.dir, 'host', span));
      continue;
    }
    const v6 = parseIpv6(a);
    if (v6 !== null && (e.proto === null || e.proto === 'ip6'))
      out.push(ipv6Host(ctx, v6, prefixMask(128), 'ip6', e.dir, span));
  }
  if (out.length === 0)
    fail(
      'UNKNOWN_NAME',
      `unknown host '${name}'${e.proto === null ? '' : ' for specified address family'}`,
      span,
    );
  return or(...out);
}

function resolvePort(name: string, span: Span): { port: number; proto: PortProto } {
  const p = servicePorts(name);
  if (p === undefined || (p[0] < 0 && p[1] < 0))
    return fail('UNKNOWN_NAME', `unknown port '${name}'`, span);
  const [tcp, udp] = p;
  if (tcp >= 0) return { port: tcp, proto: udp === tcp ? null : 6 };
  return { port: udp, proto: 17 };
}

function qualifiedPortProto(
  q: ProtoQual | null,
  real: PortProto,
  name: string,
  span: Span,
): PortProto {
  const want: PortProto = q === 'tcp' ? 6 : q === 'udp' ? 17 : q === 'sctp' ? 132 : null;
  if (want === null || real === null) return want ?? real;
  if (want !== real) fail('BAD_QUALIFIER', `port '${name}' is ${real === 6 ? 'tcp' : 'udp'}`, span);
  return want;
}

function portValue(id: Id, q: ProtoQual | null): { port: number; proto: PortProto } {
  if (id.kind === 'num') {
    if (id.value > 65535) fail('OUT_OF_RANGE', `illegal port number ${id.value} > 65535`, id.span);
    return { port: id.value, proto: qualifiedPortProto(q, null, '', id.span) };
  }
  if (id.kind === 'name') {
    const r = resolvePort(id.name, id.span);
    return { port: r.port, proto: qualifiedPortProto(q, r.proto, id.name, id.span) };
  }
  return fail('SYNTAX', 'expected a port number or name', id.span);
}

function port(ctx: Ctx, e: Primitive): Pred {
  const { proto, dir, id, span } = e;
  if (proto !== null && proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') {
    fail('BAD_QUALIFIER', `illegal qualifier of '${e.type}'`, span);
  }
  if (e.type === 'port') {
    const p = portValue(id, proto);
    return portTest(ctx, p.port, p.proto, dir, span);
  }
  if (id.kind === 'range') {
    const lo = portValue(id.lo, proto);
    const hi = portValue(id.hi, proto);
    // libpcap pcap_nametoportrange: ends of different transports make the range cover all of them.
    return portRangeTest(ctx, lo.port, hi.port, lo.proto === hi.proto ? lo.proto : null, dir, span);
  }
  // libpcap parses a lone name as a range and finds no dash: `portrange http` is an unknown range.
  if (id.kind === 'name')
    return fail('UNKNOWN_NAME', `unknown port in range '${id.name}'`, id.span);
  const p = portValue(id, proto);
  return portRangeTest(ctx, p.port, p.port, p.proto, dir, span);
}

/** OSI network-layer protocol names of `iso proto` (compared exactly, as libpcap lookup_proto). */
const ISO_PROTOS: Readonly<Record<string, number>> = {
  esis: ISO.ESIS,
  isis: ISO.ISIS,
  clnp: ISO.CLNP,
};

function protoNumber(proto: ProtoQual | null, id: Id): number {
  if (id.kind === 'num') return id.value;
  if (id.kind !== 'name') return fail('SYNTAX', 'expected a protocol number or name', id.span);
  if (proto === 'iso') {
    const v = Object.hasOwn(ISO_PROTOS, id.name) ? ISO_PROTOS[id.name] : undefined;
    return v ?? fail('UNKNOWN_NAME', `unknown osi proto '${id.name}'`, id.span);
  }
  if (proto !== null && proto !== 'ip' && proto !== 'ip6' && proto !== 'ether' && proto !== 'link')
    return fail('UNKNOWN_NAME', `unknown protocol: ${id.name}`, id.span);
  if (proto === 'ether' || proto === 'link') {
    const v = Object.hasOwn(ETHER_PROTOS, id.name)
      ? ETHER_PROTOS[id.name]
      : Object.hasOwn(LLC_SAPS, id.name)
        ? LLC_SAPS[id.name]
        : undefined;
    return v ?? fail('UNKNOWN_NAME', `unknown ether proto '${id.name}'`, id.span);
  }
  const v = ipProtocol(id.name);
  return v ?? fail('UNKNOWN_NAME', `unknown ip proto '${id.name}'`, id.span);
}
