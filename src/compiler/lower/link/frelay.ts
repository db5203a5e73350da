// Frame Relay (DLT_FRELAY): a 2-byte address, then the UI control byte and an NLPID saying what follows (IP
// 0xcc, IPv6 0x8e, OSI protocols by their own NLPIDs). libpcap tests those two bytes together. Multi-link
// Frame Relay (DLT_MFR) has no protocol tests in libpcap.
import type { Span } from '../../ast.js';
import { fail } from '../../errors.js';
import { ETHERTYPE, linktypeDescription } from '../../names.js';
import { type LinkLayer, NOT_SET } from '../context.js';
import { cmpAt } from '../load.js';
import { FALSE, or } from '../pred.js';

const UI = 0x03;

export const frelay: LinkLayer = {
  dlt: 107,
  name: linktypeDescription(107),
  offLinkHdr: 0,
  offLinkType: NOT_SET,
  offLinkPl: 0,
  offNl: 0,
  offNlNosnap: 0,
  linktype: (ctx, t) => {
    const nlpid = (v: number) => cmpAt(ctx, 'linkhdr', 2, 2, (UI << 8) | v);
    if (t === ETHERTYPE.IP) return nlpid(0xcc);
    if (t === ETHERTYPE.IPV6) return nlpid(0x8e);
    // LLCSAP_ISONS: CLNP, ES-IS or IS-IS.
    if (t === 0xfe) return or(nlpid(0x81), nlpid(0x82), nlpid(0x83));
    return FALSE;
  },
};

export const mfr: LinkLayer = {
  dlt: 182,
  name: linktypeDescription(182),
  offLinkHdr: 0,
  offLinkType: NOT_SET,
  offLinkPl: 0,
  offNl: 4,
  offNlNosnap: 0,
  linktype: (_ctx, _t, span: Span) =>
    fail(
      'UNSUPPORTED_FOR_LINKTYPE',
      'Multi-link Frame Relay link-layer type filtering not implemented',
      span,
    ),
};

/** `iso proto N` on Frame Relay: the NLPID itself (libpcap gen_proto). */
export function frelayIsoProto(ctx: Parameters<LinkLayer['linktype']>[0], v: number) {
  return cmpAt(ctx, 'linkhdr', 2, 2, (UI << 8) | v);
}
