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

/**
 * PPP protocol numbers for the values `ether proto` and the protocol keywords test (libpcap
 * ethertype_to_ppptype): a few ethertypes and LLC SAPs; any other value is compared as given.
 */
const PPP: Readonly<Record<number, number>> = {
  [ETHERTYPE.IP]: 0x0021,
  [ETHERTYPE.IPV6]: 0x0057,
  [ETHERTYPE.DN]: 0x0027,
  [ETHERTYPE.ATALK]: 0x0029,
  1536: 0x0025, // ETHERTYPE_NS → PPP_NS
  254: 0x0023, // LLCSAP_ISONS → PPP_OSI
  66: 0x0031, // LLCSAP_8021D → PPP_BRPDU
  224: 0x002b, // LLCSAP_IPX → PPP_IPX
};

/** The PPP protocol `mpls` tests inside a PPPoE session (libpcap gen_mpls: PPP_MPLS_UCAST). */
export const PPP_MPLS_UCAST = 0x0281;

/** Inside a PPPoE session: the 2-byte PPP protocol field. */
export function pppLinktype(ctx: Ctx, ethertype: number): Pred {
  return cmp(ctx.offLinkType, 2, PPP[ethertype] ?? ethertype);
}
