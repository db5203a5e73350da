// Keyword primitives: less/greater, broadcast/multicast, inbound/outbound, ifindex, and the encapsulations
// vlan/mpls/pppoes that shift every later offset (libpcap gen_less, gen_broadcast, gen_multicast, gen_vlan, gen_mpls, gen_pppoes).
import type { Expr } from '../ast.js';
import { fail } from '../errors.js';
import { ETHERTYPE } from '../names.js';
import { type Ctx, nl, unsupported } from './context.js';
import { PPP_MPLS_UCAST } from './link/ethertype.js';
import { carriesCookedVlan } from './linux-socket.js';
import { and, cmp, mcmp, not, or, type Pred, test } from './pred.js';
import { etherHost } from './primitive.js';

type Keyword = Extract<Expr, { kind: 'keyword' }>;

const BROADCAST_MAC = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

export function keyword(ctx: Ctx, e: Keyword): Pred {
  const { span, arg, proto } = e;
  const lt = (t: number) => ctx.link.linktype(ctx, t, span);
  switch (e.name) {
    case 'less':
      return not(test([{ kind: 'ldLen' }], 'jgt', arg ?? 0));
    case 'greater':
      return test([{ kind: 'ldLen' }], 'jge', arg ?? 0);
    case 'broadcast':
      if (proto === null || proto === 'ether' || proto === 'link') {
        if (ctx.ppp || !ctx.link.hasMac)
          return fail('UNSUPPORTED_FOR_LINKTYPE', 'not a broadcast link', span);
        return etherHost(ctx, BROADCAST_MAC, 'dst', span);
      }
      if (proto === 'ip') {
        if (ctx.netmask === null) {
          return fail('UNSUPPORTED', "netmask not known, so 'ip broadcast' not supported", span);
        }
        const hostmask = ~ctx.netmask >>> 0;
        const off = nl(ctx) + 16;
        return and(
          lt(ETHERTYPE.IP),
          or(mcmp(off, 4, hostmask, 0), mcmp(off, 4, hostmask, hostmask)),
        );
      }
      return fail('BAD_QUALIFIER', 'only link-layer/IP broadcast filters supported', span);
    case 'multicast':
      if (proto === null || proto === 'ether' || proto === 'link') {
        if (!ctx.link.hasMac || ctx.ppp) {
          fail(
            'UNSUPPORTED_FOR_LINKTYPE',
            'link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel',
            span,
          );
        }
        return test([{ kind: 'ldAbs', size: 1, k: 0 }], 'jset', 1);
      }
      if (proto === 'ip') return and(lt(ETHERTYPE.IP), cmp(nl(ctx) + 16, 1, 224, 'jge'));
      if (proto === 'ip6') return and(lt(ETHERTYPE.IPV6), cmp(nl(ctx) + 24, 1, 255));
      return fail('BAD_QUALIFIER', 'only link-layer/IP/IPv6 multicast filters supported', span);
    case 'inbound':
      return not(ctx.link.outgoing(ctx));
    case 'outbound':
      return ctx.link.outgoing(ctx);
    case 'ifindex':
      return ctx.link.ifindex(ctx, arg ?? 0, span);
    case 'vlan': {
      if (!(ctx.link.hasVlan || carriesCookedVlan(ctx.link)) || ctx.ppp)
        return fail(
          'UNSUPPORTED_FOR_LINKTYPE',
          `no VLAN support for ${ctx.ppp ? 'PPP' : ctx.link.name}`,
          span,
        );
      if (ctx.mplsDepth > 0) return fail('UNSUPPORTED', 'no VLAN match after MPLS', span);
      if (arg !== null && arg > 4095)
        fail('OUT_OF_RANGE', `VLAN tag ${arg} greater than maximum 4095`, span);
      const t = ctx.offLinkType;
      let p = or(
        cmp(t, 2, ETHERTYPE.VLAN),
        cmp(t, 2, ETHERTYPE.QINQ),
        cmp(t, 2, ETHERTYPE.QINQ_OLD),
      );
      if (arg !== null) p = and(p, mcmp(ctx.offLinkPl, 2, 0x0fff, arg));
      // The tag's own type field: 4 bytes on in Ethernet and SLL, from SLL2's leading protocol field to byte 22.
      ctx.offLinkType = ctx.offLinkPl + 2;
      ctx.offLinkPl += 4;
      return p;
    }
    case 'mpls': {
      // Inside a PPPoE session libpcap tests PPP's MPLS protocol whatever the outer link type.
      if (!ctx.link.hasVlan && !ctx.ppp)
        return fail('UNSUPPORTED_FOR_LINKTYPE', `no MPLS support for ${ctx.link.name}`, span);
      if (arg !== null && arg > 0xfffff)
        fail('OUT_OF_RANGE', `MPLS label ${arg} greater than maximum 1048575`, span);
      let p =
        ctx.mplsDepth > 0
          ? mcmp(nl(ctx) - 2, 1, 0x01, 0)
          : ctx.ppp
            ? cmp(ctx.offLinkType, 2, PPP_MPLS_UCAST)
            : lt(ETHERTYPE.MPLS);
      if (arg !== null) p = and(p, mcmp(nl(ctx), 4, 0xfffff000, (arg << 12) >>> 0));
      ctx.offNl += 4;
      ctx.offNlNosnap += 4;
      ctx.mplsDepth++;
      return p;
    }
    case 'llc': {
      // 802.3 with an LLC header: a length, and not Novell's raw 802.3 (0xffff where the LLC header would be).
      if (!ctx.link.hasVlan || ctx.ppp) return unsupported(ctx, "'llc'", span);
      if (arg !== null) return fail('UNSUPPORTED', "'llc' subtypes are not supported", span);
      return and(not(cmp(ctx.offLinkType, 2, 1500, 'jgt')), not(cmp(ctx.offLinkPl, 2, 0xffff)));
    }
    case 'pppoed':
      return lt(ETHERTYPE.PPPOED);
    case 'pppoes': {
      if (arg !== null && arg > 0xffff)
        fail('OUT_OF_RANGE', `PPPoE session number ${arg} greater than maximum 65535`, span);
      let p = lt(ETHERTYPE.PPPOES);
      if (arg !== null) p = and(p, mcmp(ctx.offLinkPl, 4, 0xffff, arg));
      // The PPP protocol field follows the 6-byte PPPoE header; the payload follows it.
      ctx.offLinkType = ctx.offLinkPl + ctx.offNl + 6;
      ctx.offLinkHdr = ctx.offLinkType;
      ctx.offLinkPl = ctx.offLinkType + 2;
      ctx.offNl = 0;
      ctx.offNlNosnap = 0;
      ctx.ppp = true;
      return p;
    }
    default:
      return fail('UNSUPPORTED', `'${e.name}' is not supported by cbpf`, span);
  }
}
