// Keyword primitives: less/greater, broadcast/multicast, inbound/outbound, ifindex, and the encapsulations
// vlan/mpls/pppoes/geneve that shift every later offset (libpcap gen_less, gen_broadcast, gen_multicast,
// gen_inbound, gen_vlan, gen_mpls, gen_pppoes); the SunATM and MTP2 abbreviations live in atm.ts and ss7.ts.
import type { Expr } from '../ast.js';
import { fail } from '../errors.js';
import { ETHERTYPE } from '../names.js';
import { atmKeyword } from './atm.js';
import type { Ctx } from './context.js';
import { geneve } from './geneve.js';
import { pppLink } from './link/ppp.js';
import { linktype } from './linktype.js';
import { cmpAt, mcmpAt } from './load.js';
import { and, not, or, type Pred, test } from './pred.js';
import { mtp2Keyword } from './ss7.js';

type Keyword = Extract<Expr, { kind: 'keyword' }>;

/** Linux's packet type ancillary field says PACKET_OUTGOING (libpcap on Linux, live captures). */
function ancillaryOutgoing(): Pred {
  return test([{ kind: 'ldExt', size: 2, ext: 'pkttype' }], 'jeq', 4);
}

export function keyword(ctx: Ctx, e: Keyword): Pred {
  const { span, arg, proto } = e;
  const lt = (t: number) => linktype(ctx, t, span);
  switch (e.name) {
    case 'less':
      return not(test([{ kind: 'ldLen' }], 'jgt', arg ?? 0));
    case 'greater':
      return test([{ kind: 'ldLen' }], 'jge', arg ?? 0);
    case 'broadcast':
      if (proto === null || proto === 'ether' || proto === 'link') {
        const b = ctx.link.macBroadcast;
        if (!b) return fail('UNSUPPORTED_FOR_LINKTYPE', 'not a broadcast link', span);
        return b(ctx, span);
      }
      if (proto === 'ip') {
        if (ctx.netmask === null) {
          return fail('UNSUPPORTED', "netmask not known, so 'ip broadcast' not supported", span);
        }
        const hostmask = ~ctx.netmask >>> 0;
        return and(
          lt(ETHERTYPE.IP),
          or(
            mcmpAt(ctx, 'linkpl', 16, 4, hostmask, 0),
            mcmpAt(ctx, 'linkpl', 16, 4, hostmask, hostmask),
          ),
        );
      }
      return fail('BAD_QUALIFIER', 'only link-layer/IP broadcast filters supported', span);
    case 'multicast':
      if (proto === null || proto === 'ether' || proto === 'link') {
        const m = ctx.link.macMulticast;
        if (!m)
          return fail(
            'UNSUPPORTED_FOR_LINKTYPE',
            'link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel',
            span,
          );
        return m(ctx, span);
      }
      if (proto === 'ip') return and(lt(ETHERTYPE.IP), cmpAt(ctx, 'linkpl', 16, 1, 224, 'jge'));
      if (proto === 'ip6') return and(lt(ETHERTYPE.IPV6), cmpAt(ctx, 'linkpl', 24, 1, 255));
      return fail('BAD_QUALIFIER', 'only link-layer/IP/IPv6 multicast filters supported', span);
    case 'inbound':
    case 'outbound': {
      const out = e.name === 'outbound';
      if (ctx.link.direction) return ctx.link.direction(ctx, out, span);
      // Linux's packet metadata: there in a live capture only.
      if (ctx.savefile)
        return fail(
          'UNSUPPORTED_FOR_LINKTYPE',
          `inbound/outbound not supported on ${ctx.link.name} when reading savefiles`,
          span,
        );
      return out ? ancillaryOutgoing() : not(ancillaryOutgoing());
    }
    case 'ifindex':
      if (ctx.link.ifindex) return ctx.link.ifindex(ctx, arg ?? 0, span);
      if (ctx.savefile)
        return fail(
          'UNSUPPORTED_FOR_LINKTYPE',
          `ifindex not supported on ${ctx.link.name} when reading savefiles`,
          span,
        );
      return test([{ kind: 'ldExt', size: 4, ext: 'ifindex' }], 'jeq', arg ?? 0);
    case 'vlan': {
      if (ctx.mplsDepth > 0) return fail('UNSUPPORTED', 'no VLAN match after MPLS', span);
      if (!ctx.link.vlan)
        return fail('UNSUPPORTED_FOR_LINKTYPE', `no VLAN support for ${ctx.link.name}`, span);
      // 802.1Q, 802.1ad and the old QinQ type, each tested as the link layer tests protocols.
      let p = or(lt(ETHERTYPE.VLAN), lt(ETHERTYPE.QINQ), lt(ETHERTYPE.QINQ_OLD));
      if (arg !== null) {
        if (arg > 4095) fail('OUT_OF_RANGE', `VLAN tag ${arg} greater than maximum 4095`, span);
        p = and(p, mcmpAt(ctx, 'linkpl', 0, 2, 0x0fff, arg));
      }
      // The tag's own type field follows; on LINUX_SLL2 (cbpf's: libpcap has no vlan there) that is two
      // bytes into the payload, not four past the header's leading protocol field.
      ctx.offLinkType =
        ctx.link.dlt === 276
          ? { k: ctx.offLinkPl.k + 2, v: ctx.offLinkPl.v }
          : { k: ctx.offLinkType.k + 4, v: ctx.offLinkType.v };
      ctx.offLinkPl = { k: ctx.offLinkPl.k + 4, v: ctx.offLinkPl.v };
      ctx.vlanDepth++;
      return p;
    }
    case 'mpls': {
      let p: Pred;
      if (ctx.mplsDepth > 0) p = mcmpAt(ctx, 'prevmpls', 2, 1, 0x01, 0);
      else {
        const t = ctx.link.mpls;
        if (t === undefined)
          return fail('UNSUPPORTED_FOR_LINKTYPE', `no MPLS support for ${ctx.link.name}`, span);
        p = lt(t);
      }
      if (arg !== null) {
        if (arg > 0xfffff)
          fail('OUT_OF_RANGE', `MPLS label ${arg} greater than maximum 1048575`, span);
        p = and(p, mcmpAt(ctx, 'linkpl', 0, 4, 0xfffff000, (arg << 12) >>> 0));
      }
      ctx.offNl += 4;
      ctx.offNlNosnap += 4;
      ctx.mplsDepth++;
      return p;
    }
    case 'llc': {
      const l = ctx.link.llc;
      if (!l)
        return fail('UNSUPPORTED_FOR_LINKTYPE', `'llc' not supported for ${ctx.link.name}`, span);
      return l(ctx, span);
    }
    case 'pppoed':
      return lt(ETHERTYPE.PPPOED);
    case 'pppoes': {
      let p = lt(ETHERTYPE.PPPOES);
      if (arg !== null) {
        if (arg > 0xffff)
          fail('OUT_OF_RANGE', `PPPoE session number ${arg} greater than maximum 65535`, span);
        p = and(p, mcmpAt(ctx, 'linkpl', 0, 4, 0xffff, arg));
      }
      // The PPP header follows the 6-byte PPPoE header: it becomes the link layer (libpcap PUSH_LINKHDR).
      const hdr = { k: ctx.offLinkPl.k + ctx.offNl + 6, v: ctx.offLinkPl.v };
      ctx.prevLink = ctx.link;
      ctx.offPrevLinkHdr = ctx.offLinkHdr;
      ctx.link = pppLink;
      ctx.offLinkHdr = hdr;
      ctx.isGeneve = false;
      ctx.offLinkType = hdr;
      ctx.offLinkPl = { k: hdr.k + 2, v: ctx.offLinkPl.v };
      ctx.offNl = 0;
      ctx.offNlNosnap = 0;
      return p;
    }
    case 'geneve':
      return geneve(ctx, arg, span);
    case 'fisu':
    case 'lssu':
    case 'msu':
    case 'hfisu':
    case 'hlssu':
    case 'hmsu':
      return mtp2Keyword(ctx, e.name, span);
    default:
      return atmKeyword(ctx, e.name, span);
  }
}
