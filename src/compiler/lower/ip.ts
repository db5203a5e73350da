// IPv4 and ARP/RARP address tests and IP protocol tests (libpcap gen_host, gen_hostop, gen_proto, gen_ipfrag).
import type { DirQual, ProtoQual, Span } from '../ast.js';
import { fail } from '../errors.js';
import { ETHERTYPE, IPPROTO } from '../names.js';
import { type Ctx, nl } from './context.js';
import { and, cmp, mcmp, not, or, type Pred, test } from './pred.js';

/** Applies a direction to per-direction tests, in libpcap's order (src before dst). */
export function byDir(dir: DirQual | null, src: () => Pred, dst: () => Pred, span: Span): Pred {
  switch (dir) {
    case 'src':
      return src();
    case 'dst':
      return dst();
    case 'src and dst':
      return and(src(), dst());
    case null:
    case 'src or dst':
      return or(src(), dst());
    default:
      return fail('BAD_QUALIFIER', `'${dir}' is only supported on 802.11`, span);
  }
}

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
    and(ctx.link.linktype(ctx, ethertype, span), mcmp(nl(ctx) + off, 4, mask, addr));
  return byDir(
    dir,
    () => one(srcOff),
    () => one(dstOff),
    span,
  );
}

/** `[ip|arp|rarp] [dir] host/net` for an IPv4 address and mask. */
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
    case 'link':
    case 'ether':
      return fail('BAD_QUALIFIER', `link-layer modifier applied to ${what}`, span);
    case 'ip6':
      return fail('BAD_QUALIFIER', `'ip6' modifier applied to ip ${what}`, span);
    case 'decnet':
      return fail('UNSUPPORTED', 'DECnet addresses are not supported by cbpf', span);
    default:
      return fail('BAD_QUALIFIER', `'${proto}' modifier applied to ${what}`, span);
  }
}

/** Not a fragment after the first: the 13-bit fragment offset is zero. */
export function ipFirstFragment(ctx: Ctx): Pred {
  return not(test([{ kind: 'ldAbs', size: 2, k: nl(ctx) + 6 }], 'jset', 0x1fff));
}

/** `ip proto N` */
export function ipProto(ctx: Ctx, v: number, span: Span): Pred {
  return and(ctx.link.linktype(ctx, ETHERTYPE.IP, span), cmp(nl(ctx) + 9, 1, v));
}

/** `ip6 proto N`: the next header, or the one after a fragment header (libpcap 1.10 gen_proto). */
export function ip6Proto(ctx: Ctx, v: number, span: Span): Pred {
  const n = nl(ctx);
  return and(
    ctx.link.linktype(ctx, ETHERTYPE.IPV6, span),
    or(cmp(n + 6, 1, v), and(cmp(n + 6, 1, IPPROTO.FRAGMENT), cmp(n + 40, 1, v))),
  );
}

/** OSI network-layer protocol identifiers (ISO 8473 CLNP, ISO 9542 ES-IS, ISO 10589 IS-IS). */
export const ISO = { CLNP: 0x81, ESIS: 0x82, ISIS: 0x83 } as const;
const LLCSAP_ISONS = 0xfe;

/** `iso proto N`: an OSI frame (LLC SAP 0xfe) whose network-layer protocol identifier is N. */
export function isoProto(ctx: Ctx, v: number, span: Span): Pred {
  return and(
    ctx.link.linktype(ctx, LLCSAP_ISONS, span),
    cmp(ctx.offLinkPl + ctx.offNlNosnap, 1, v),
  );
}

/** `[ip|ip6|ether] proto N` (gen_proto). */
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
      return ctx.link.linktype(ctx, v, span);
    case 'iso':
      return isoProto(ctx, v, span);
    case 'isis':
      return and(isoProto(ctx, ISO.ISIS, span), cmp(ctx.offLinkPl + ctx.offNlNosnap + 4, 1, v));
    default:
      return fail('BAD_QUALIFIER', `'${proto} proto' is bogus`, span);
  }
}
