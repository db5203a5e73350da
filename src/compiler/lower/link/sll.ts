// Linux cooked captures: SLL (v1: packet type at 0, protocol at 14, payload at 16) and SLL2 (protocol at 0,
// interface index at 4, packet type at 10, payload at 20), following libpcap gen_linux_sll_linktype.
import { ETHERTYPE, linktypeDescription } from '../../names.js';
import type { Ctx, LinkLayer } from '../context.js';
import { cmpAt } from '../load.js';
import { and, not, or, type Pred } from '../pred.js';
import { snap } from './en10mb.js';

const ETHERMTU = 1500;
/** LINUX_SLL_P_802_2: the payload is an 802.2 LLC frame. */
const SLL_P_802_2 = 4;
/** LINUX_SLL_P_802_3: Novell "raw" 802.3 (IPX with no LLC header). */
const SLL_P_802_3 = 1;
/** LINUX_SLL_OUTGOING */
const OUTGOING = 4;

function sll1Linktype(ctx: Ctx, t: number): Pred {
  const is = (v: number) => cmpAt(ctx, 'linktype', 0, 2, v);
  if (t === 0xfe || t === 0x06 || t === 0xf0)
    return and(is(SLL_P_802_2), cmpAt(ctx, 'llc', 0, 2, (t << 8) | t));
  if (t === 0xe0) {
    // IPX: Ethernet II type, Novell raw 802.3, 802.2 with the IPX SAP, or SNAP.
    return or(
      is(ETHERTYPE.IPX),
      is(SLL_P_802_3),
      and(is(SLL_P_802_2), or(cmpAt(ctx, 'llc', 0, 1, 0xe0), snap(ctx, 0, ETHERTYPE.IPX))),
    );
  }
  if (t === ETHERTYPE.ATALK || t === ETHERTYPE.AARP) {
    return or(is(t), and(is(SLL_P_802_2), snap(ctx, t === ETHERTYPE.ATALK ? 0x080007 : 0, t)));
  }
  // libpcap takes the DSAP at the header's initial payload offset, whatever moved it since.
  if (t <= ETHERMTU) return and(is(SLL_P_802_2), cmpAt(ctx, 'linkhdr', 16, 1, t));
  return is(t);
}

export const sll: LinkLayer = {
  dlt: 113,
  name: linktypeDescription(113),
  offLinkHdr: 0,
  offLinkType: 14,
  offLinkPl: 16,
  offNl: 0,
  offNlNosnap: 0,
  linktype: sll1Linktype,
  // The tag a capture puts back (libpcap on LINUX_SLL; cbpf on LINUX_SLL2 too, where libpcap has none).
  vlan: true,
  direction: (ctx, out) => {
    const p = cmpAt(ctx, 'linkhdr', 0, 2, OUTGOING);
    return out ? p : not(p);
  },
};

export const sll2: LinkLayer = {
  dlt: 276,
  name: linktypeDescription(276),
  offLinkHdr: 0,
  offLinkType: 0,
  offLinkPl: 20,
  offNl: 0,
  offNlNosnap: 0,
  // libpcap 1.10.3 compares the SLL2 protocol field directly, LLC values included.
  linktype: (ctx, t) => cmpAt(ctx, 'linktype', 0, 2, t),
  vlan: true,
  direction: (ctx, out) => {
    const p = cmpAt(ctx, 'linkhdr', 10, 1, OUTGOING);
    return out ? p : not(p);
  },
  ifindex: (ctx, index) => cmpAt(ctx, 'linkhdr', 4, 4, index),
};
