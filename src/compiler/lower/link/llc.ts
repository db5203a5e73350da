// Link types whose frames carry an 802.2 LLC header (FDDI, token ring, 802.11, LLC-encapsulated ATM, IP over
// Fibre Channel): protocol tests look at the DSAP, or at the ethertype of a SNAP header (libpcap
// gen_llc_linktype). No Ethernet II framing to tell apart, unlike Ethernet.
import { ETHERTYPE } from '../../names.js';
import type { Ctx } from '../context.js';
import { cmpAt } from '../load.js';
import type { Pred } from '../pred.js';
import { snap } from './en10mb.js';

const ETHERMTU = 1500;

/** libpcap gen_llc_linktype. */
export function llcLinktype(ctx: Ctx, t: number): Pred {
  switch (t) {
    case 0x06: // LLCSAP_IP
    case 0xfe: // LLCSAP_ISONS
    case 0xf0: // LLCSAP_NETBEUI
      return cmpAt(ctx, 'llc', 0, 2, (t << 8) | t);
    case 0xe0: // LLCSAP_IPX
      return cmpAt(ctx, 'llc', 0, 1, t);
    case ETHERTYPE.ATALK:
      return snap(ctx, 0x080007, t);
    default:
      // A SAP: the DSAP; an ethertype: where a SNAP header would hold it (the SNAP header is not checked).
      return t <= ETHERMTU ? cmpAt(ctx, 'llc', 0, 1, t) : cmpAt(ctx, 'llc', 6, 2, t);
  }
}
