// Network-protocol tests that do not depend on the link type: after MPLS labels and inside PPPoE sessions.
import type { Span } from '../../ast.js';
import { fail } from '../../errors.js';
import { ETHERTYPE } from '../../names.js';
import { type Ctx, nl } from '../context.js';
import { and, cmp, mcmp, type Pred } from '../pred.js';

/** libpcap gen_mpls_linktype: bottom-of-stack bit of the last label and the IP version nibble. */
export function mplsLinktype(ctx: Ctx, ethertype: number, span: Span): Pred {
  const n = nl(ctx);
  if (ethertype === ETHERTYPE.IP) return and(mcmp(n - 2, 1, 0x01, 0x01), mcmp(n, 1, 0xf0, 0x40));
  if (ethertype === ETHERTYPE.IPV6) return and(mcmp(n - 2, 1, 0x01, 0x01), mcmp(n, 1, 0xf0, 0x60));
  return fail('UNSUPPORTED', `unsupported protocol over mpls (0x${ethertype.toString(16)})`, span);
}

/** PPP protocol numbers for ethertypes (libpcap ethertype_to_ppptype). */
const PPP: Readonly<Record<number, number>> = {
  [ETHERTYPE.IP]: 0x0021,
  [ETHERTYPE.IPV6]: 0x0057,
  [ETHERTYPE.DN]: 0x0027,
  [ETHERTYPE.ATALK]: 0x0029,
  [ETHERTYPE.IPX]: 0x002b,
  [ETHERTYPE.MPLS]: 0x0281,
  [ETHERTYPE.MPLS_MULTI]: 0x0283,
};

/** Inside a PPPoE session: the 2-byte PPP protocol field. */
export function pppLinktype(ctx: Ctx, ethertype: number): Pred {
  return cmp(ctx.offLinkType, 2, PPP[ethertype] ?? ethertype);
}
