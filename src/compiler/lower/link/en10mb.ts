// Ethernet (DLT_EN10MB): ethertype at 12 (moved by VLAN tags); values <= 1500 are 802.3 lengths, so LLC SAP
// tests look at the LLC header as libpcap gen_ether_linktype does.
import type { Span } from '../../ast.js';
import { ETHERTYPE } from '../../names.js';
import type { Ctx, LinkLayer } from '../context.js';
import { and, cmp, not, or, type Pred, test } from '../pred.js';
import { mplsLinktype, pppLinktype } from './ethertype.js';

const ETHERMTU = 1500;
const LLCSAP_IP = 0x06;
const LLCSAP_ISONS = 0xfe;
const LLCSAP_NETBEUI = 0xf0;
const LLCSAP_IPX = 0xe0;

/** libpcap gen_snap: AA AA 03, 3-byte OUI, 2-byte type, compared as two words, last word first (gen_bcmp order). */
export function snap(off: number, oui: number, type: number): Pred {
  return and(
    cmp(off + 4, 4, ((oui & 0xffff) << 16) | type),
    cmp(off, 4, (0xaaaa0300 | (oui >>> 16)) >>> 0),
  );
}

/** The 802.3 length/type field holds a length (an LLC frame follows). */
function isLength(ctx: Ctx): Pred {
  return not(cmp(ctx.offLinkType, 2, ETHERMTU, 'jgt'));
}

export const en10mb: LinkLayer = {
  name: 'Ethernet',
  hasMac: true,
  hasVlan: true,
  offLinkType: 12,
  offLinkPl: 14,
  offNlNosnap: 3,
  linktype(ctx: Ctx, t: number, span: Span): Pred {
    if (ctx.mplsDepth > 0) return mplsLinktype(ctx, t, span);
    if (ctx.ppp) return pppLinktype(ctx, t);
    const lt = ctx.offLinkType;
    const llc = ctx.offLinkPl;
    switch (t) {
      case LLCSAP_ISONS:
      case LLCSAP_IP:
      case LLCSAP_NETBEUI:
        return and(isLength(ctx), cmp(llc, 2, (t << 8) | t));
      case LLCSAP_IPX:
        return or(
          cmp(lt, 2, ETHERTYPE.IPX),
          and(
            isLength(ctx),
            or(snap(llc, 0, ETHERTYPE.IPX), or(cmp(llc, 1, LLCSAP_IPX), cmp(llc, 2, 0xffff))),
          ),
        );
      case ETHERTYPE.ATALK:
      case ETHERTYPE.AARP:
        return or(
          cmp(lt, 2, t),
          and(isLength(ctx), t === ETHERTYPE.ATALK ? snap(llc, 0x080007, t) : snap(llc, 0, t)),
        );
      default:
        if (t <= ETHERMTU) return and(isLength(ctx), cmp(llc, 1, t));
        return cmp(lt, 2, t);
    }
  },
  outgoing: () => test([{ kind: 'ldExt', size: 2, ext: 'pkttype' }], 'jeq', 4),
  ifindex: (_ctx, index) => test([{ kind: 'ldExt', size: 4, ext: 'ifindex' }], 'jeq', index),
};
