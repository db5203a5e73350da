// The network-protocol test every primitive starts from (libpcap gen_linktype): inside MPLS labels, the IP
// version after the bottom-of-stack label; otherwise the current link layer's own test.
import type { Span } from '../ast.js';
import { fail } from '../errors.js';
import { ETHERTYPE } from '../names.js';
import type { Ctx } from './context.js';
import { mcmpAt } from './load.js';
import { and, type Pred } from './pred.js';

/** Test that the network protocol is `proto` (an ETHERTYPE_* value, or an LLC SAP when <= 1500). */
export function linktype(ctx: Ctx, proto: number, span: Span): Pred {
  if (ctx.mplsDepth > 0) return mplsLinktype(ctx, proto, span);
  return ctx.link.linktype(ctx, proto, span);
}

/** libpcap gen_mpls_linktype: bottom-of-stack bit of the last label and the IP version nibble. */
function mplsLinktype(ctx: Ctx, proto: number, span: Span): Pred {
  const version = proto === ETHERTYPE.IP ? 0x40 : proto === ETHERTYPE.IPV6 ? 0x60 : undefined;
  if (version === undefined) return fail('UNSUPPORTED', 'unsupported protocol over mpls', span);
  return and(mcmpAt(ctx, 'linkpl', -2, 1, 0x01, 0x01), mcmpAt(ctx, 'linkpl', 0, 1, 0xf0, version));
}
