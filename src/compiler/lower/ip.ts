// IPv4 and ARP/RARP address tests and IP protocol tests (libpcap gen_host, gen_hostop, gen_proto, gen_ipfrag).
import type { DirQual, ProtoQual, Span } from '../ast.js';
import { fail } from '../errors.js';
import { ETHERTYPE, IPPROTO } from '../names.js';
import type { Ctx } from './context.js';
import { dnHost } from './decnet.js';
import { byDir } from './dir.js';
import { frelayIsoProto } from './link/frelay.js';
import { linktype } from './linktype.js';
import { cmpAt, jsetAt, mcmpAt } from './load.js';
import { and, not, or, type Pred } from './pred.js';

export { byDir } from './dir.js';

function hostop(
  ctx: Ctx,
  addr: number,
  mask: number,
  dir: DirQual | null,
  ethertype: number,
  srcOff: number,
  dstOff: number,
  span: Span,
): Pred {
  const one = (off: number) =>
    and(linktype(ctx, ethertype, span), mcmpAt(ctx, 'linkpl', off, 4, mask, addr));
  return byDir(
    dir,
    () => one(srcOff),
    () => one(dstOff),
    span,
  );
}

/** Protocols libpcap names in "host filtering not implemented". */
const NO_HOSTS: Readonly<Record<string, string>> = {
  atalk: 'AppleTalk',
  lat: 'LAT',
  sca: 'SCA',
  moprc: 'MOPRC',
  mopdl: 'MOPDL',
  aarp: 'AARP',
  iso: 'ISO',
  ipx: 'IPX',
};

/** `[ip|arp|rarp|decnet] [dir] host/net` for an IPv4 (or DECnet) address and mask. */
export function ipv4Host(
  ctx: Ctx,
  addr: number,
  mask: number,
  proto: ProtoQual | null,
  dir: DirQual | null,
  what: string,
  span: Span,
): Pred {
  switch (proto) {
    case null:
      // libpcap gen_host: inside MPLS only IPv4 is tried (ARP/RARP cannot be carried there).
      if (ctx.mplsDepth > 0) return ipv4Host(ctx, addr, mask, 'ip', dir, what, span);
      return or(
        ipv4Host(ctx, addr, mask, 'ip', dir, what, span),
        ipv4Host(ctx, addr, mask, 'arp', dir, what, span),
        ipv4Host(ctx, addr, mask, 'rarp', dir, what, span),
      );
    case 'ip':
      return hostop(ctx, addr, mask, dir, ETHERTYPE.IP, 12, 16, span);
    case 'arp':
      return hostop(ctx, addr, mask, dir, ETHERTYPE.ARP, 14, 24, span);
    case 'rarp':
      return hostop(ctx, addr, mask, dir, ETHERTYPE.REVARP, 14, 24, span);
    case 'decnet':
      return dnHost(ctx, addr, dir, span);
    case 'link':
    case 'ether':
      return fail('BAD_QUALIFIER', `link-layer modifier applied to ${what}`, span);
    case 'ip6':
      return fail('BAD_QUALIFIER', `'ip6' modifier applied to ip ${what}`, span);
    default: {
      const name = NO_HOSTS[proto];
      if (name !== undefined)
        return fail('BAD_QUALIFIER', `${name} host filtering not implemented`, span);
      return fail('BAD_QUALIFIER', `'${proto}' modifier applied to ${what}`, span);
    }
  }
}

/** Not a fragment after the first: the 13-bit fragment offset is zero. */
export function ipFirstFragment(ctx: Ctx): Pred {
  return not(jsetAt(ctx, 'linkpl', 6, 2, 0x1fff));
}

/** `ip proto N` */
export function ipProto(ctx: Ctx, v: number, span: Span): Pred {
  return and(linktype(ctx, ETHERTYPE.IP, span), cmpAt(ctx, 'linkpl', 9, 1, v));
}

/** `ip6 proto N`: the next header, or the one after a fragment header (libpcap 1.10 gen_proto). */
export function ip6Proto(ctx: Ctx, v: number, span: Span): Pred {
  return and(
    linktype(ctx, ETHERTYPE.IPV6, span),
    or(
      cmpAt(ctx, 'linkpl', 6, 1, v),
      and(cmpAt(ctx, 'linkpl', 6, 1, IPPROTO.FRAGMENT), cmpAt(ctx, 'linkpl', 40, 1, v)),
    ),
  );
}

/** OSI network-layer protocol identifiers (ISO 8473 CLNP, ISO 9542 ES-IS, ISO 10589 IS-IS). */
export const ISO = { CLNP: 0x81, ESIS: 0x82, ISIS: 0x83 } as const;
const LLCSAP_ISONS = 0xfe;

/** `iso proto N`: an OSI frame whose network-layer protocol identifier is N (libpcap gen_proto's Q_ISO). */
export function isoProto(ctx: Ctx, v: number, span: Span): Pred {
  switch (ctx.link.dlt) {
    case 107: // Frame Relay: the NLPID follows the UI control byte.
      return frelayIsoProto(ctx, v);
    case 104: // Cisco HDLC: 0xfefe, then a fudge byte before the NLPID.
    case 112:
      return and(linktype(ctx, LLCSAP_ISONS, span), cmpAt(ctx, 'nosnap', 1, 1, v));
    default:
      return and(linktype(ctx, LLCSAP_ISONS, span), cmpAt(ctx, 'nosnap', 0, 1, v));
  }
}

/** Protocols libpcap says cannot carry `proto`, with its wording. */
const NO_PROTO: Readonly<Record<string, string>> = {
  arp: 'arp does not encapsulate another protocol',
  rarp: 'rarp does not encapsulate another protocol',
  atalk: 'AppleTalk encapsulation is not specifiable',
  decnet: 'DECNET encapsulation is not specifiable',
  lat: 'LAT does not encapsulate another protocol',
  sca: 'SCA does not encapsulate another protocol',
  moprc: 'MOPRC does not encapsulate another protocol',
  mopdl: 'MOPDL does not encapsulate another protocol',
  clnp: "'clnp proto' is not supported",
};

/** `[ip|ip6|ether|iso|isis] proto N` (gen_proto). */
export function protoTest(ctx: Ctx, v: number, proto: ProtoQual | null, span: Span): Pred {
  switch (proto) {
    case null:
      return or(ipProto(ctx, v, span), ip6Proto(ctx, v, span));
    case 'ip':
      return ipProto(ctx, v, span);
    case 'ip6':
      return ip6Proto(ctx, v, span);
    case 'link':
    case 'ether':
      return linktype(ctx, v, span);
    case 'iso':
      return isoProto(ctx, v, span);
    case 'isis':
      // 4: the PDU type's offset in the IS-IS header.
      return and(isoProto(ctx, ISO.ISIS, span), cmpAt(ctx, 'nosnap', 4, 1, v));
    default:
      return fail('BAD_QUALIFIER', NO_PROTO[proto] ?? `'${proto} proto' is bogus`, span);
  }
}
