// Linux cooked captures: SLL (v1: packet type at 0, protocol at 14, payload at 16) and SLL2 (protocol at 0,
// interface index at 4, packet type at 10, payload at 20), following libpcap gen_linux_sll_linktype.
import type { Span } from '../../ast.js';
import { ETHERTYPE } from '../../names.js';
import type { Ctx, LinkLayer } from '../context.js';
import { and, cmp, or, type Pred, test } from '../pred.js';
import { snap } from './en10mb.js';
import { mplsLinktype, pppLinktype } from './ethertype.js';

const ETHERMTU = 1500;
/** LINUX_SLL_P_802_2: the payload is an 802.2 LLC frame. */
const SLL_P_802_2 = 4;
/** LINUX_SLL_P_802_3: Novell "raw" 802.3 (IPX with no LLC header). */
const SLL_P_802_3 = 1;

function sll1Linktype(ctx: Ctx, t: number, span: Span): Pred {
  if (ctx.mplsDepth > 0) return mplsLinktype(ctx, t, span);
  if (ctx.ppp) return pppLinktype(ctx, t);
  const lt = ctx.offLinkType;
  const pl = ctx.offLinkPl;
  if (t === 0xfe || t === 0x06 || t === 0xf0)
    return and(cmp(lt, 2, SLL_P_802_2), cmp(pl, 2, (t << 8) | t));
  if (t === 0xe0) {
    // IPX: Ethernet II type, Novell raw 802.3, 802.2 with the IPX SAP, or SNAP.
    return or(
      cmp(lt, 2, ETHERTYPE.IPX),
      cmp(lt, 2, SLL_P_802_3),
      and(cmp(lt, 2, SLL_P_802_2), or(cmp(pl, 1, 0xe0), snap(pl, 0, ETHERTYPE.IPX))),
    );
  }
  if (t === ETHERTYPE.ATALK || t === ETHERTYPE.AARP) {
    return or(
      cmp(lt, 2, t),
      and(cmp(lt, 2, SLL_P_802_2), snap(pl, t === ETHERTYPE.ATALK ? 0x080007 : 0, t)),
    );
  }
  if (t <= ETHERMTU) return and(cmp(lt, 2, SLL_P_802_2), cmp(ctx.offLinkPl, 1, t));
  return cmp(lt, 2, t);
}

export const sll: LinkLayer = {
  name: 'Linux cooked v1',
  hasMac: false,
  hasVlan: false,
  offLinkType: 14,
  offLinkPl: 16,
  offNlNosnap: 0,
  linktype: sll1Linktype,
  outgoing: () => cmp(0, 2, 4),
  ifindex: (_ctx, index) => test([{ kind: 'ldExt', size: 4, ext: 'ifindex' }], 'jeq', index),
};

export const sll2: LinkLayer = {
  name: 'Linux cooked v2',
  hasMac: false,
  hasVlan: false,
  offLinkType: 0,
  offLinkPl: 20,
  offNlNosnap: 0,
  // libpcap 1.10.3 compares the SLL2 protocol field directly, LLC values included.
  linktype: (ctx, t, span) =>
    ctx.mplsDepth > 0
      ? mplsLinktype(ctx, t, span)
      : ctx.ppp
        ? pppLinktype(ctx, t)
        : cmp(ctx.offLinkType, 2, t),
  outgoing: () => cmp(10, 1, 4),
  ifindex: (_ctx, index) => cmp(4, 4, index),
};
