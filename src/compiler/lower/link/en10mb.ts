// Ethernet (DLT_EN10MB) and the netANALYZER types (Ethernet behind a 4- or 12-byte pseudo-header); also the
// Ethernet that `lane` (SunATM) and `geneve` switch to. Ethertype at 12 (moved by VLAN tags); values <= 1500
// are 802.3 lengths, so LLC SAP tests look at the LLC header (libpcap gen_ether_linktype, gen_ehostop).
import type { DirQual, Span } from '../../ast.js';
import { ETHERTYPE, linktypeDescription } from '../../names.js';
import type { Ctx, LinkLayer } from '../context.js';
import { byDir } from '../dir.js';
import { bcmpAt, cmpAt, jsetAt } from '../load.js';
import { and, not, or, type Pred, test } from '../pred.js';

const ETHERMTU = 1500;
const LLCSAP_IP = 0x06;
const LLCSAP_ISONS = 0xfe;
const LLCSAP_NETBEUI = 0xf0;
const LLCSAP_IPX = 0xe0;
/** SunATM: where the LANE frame starts, after the 4-byte ATM pseudo-header. */
const SUNATM_PKT_BEGIN_POS = 4;

/** libpcap gen_snap: AA AA 03, 3-byte OUI, 2-byte type at the LLC header. */
export function snap(ctx: Ctx, oui: number, type: number): Pred {
  return bcmpAt(ctx, 'llc', 0, [
    0xaa,
    0xaa,
    0x03,
    (oui >>> 16) & 0xff,
    (oui >>> 8) & 0xff,
    oui & 0xff,
    type >>> 8,
    type & 0xff,
  ]);
}

/** The 802.3 length/type field holds a length (an LLC frame follows). */
function isLength(ctx: Ctx): Pred {
  return not(cmpAt(ctx, 'linktype', 0, 2, ETHERMTU, 'jgt'));
}

/** Inside Geneve, an Ethernet header is there when the inner link header and payload differ. */
function geneveLinkCheck(ctx: Ctx): Pred {
  const hdr = ctx.offLinkHdr.v?.reg ?? 0;
  const pl = ctx.offLinkPl.v?.reg ?? 0;
  return not(
    test(
      [
        { kind: 'ldMem', k: hdr },
        { kind: 'ldxMem', k: pl },
      ],
      'jeq',
      0,
      'x',
    ),
  );
}

/**
 * Tests an encapsulated link header needs first (libpcap gen_prevlinkhdr_check): inside Geneve, that there
 * is an Ethernet header; in LANE, that the frame is data rather than an LE control frame.
 */
export function prevLinkCheck(ctx: Ctx): Pred | null {
  if (ctx.isGeneve) return geneveLinkCheck(ctx);
  if (ctx.prevLink?.dlt === 123)
    return not(cmpAt(ctx, 'prevlinkhdr', SUNATM_PKT_BEGIN_POS, 2, 0xff00));
  return null;
}

function withPrev(ctx: Ctx, p: Pred): Pred {
  const prev = prevLinkCheck(ctx);
  return prev === null ? p : and(prev, p);
}

/** libpcap gen_ether_linktype. */
export function etherLinktype(ctx: Ctx, t: number): Pred {
  switch (t) {
    case LLCSAP_ISONS:
    case LLCSAP_IP:
    case LLCSAP_NETBEUI:
      return and(isLength(ctx), cmpAt(ctx, 'llc', 0, 2, (t << 8) | t));
    case LLCSAP_IPX:
      return or(
        cmpAt(ctx, 'linktype', 0, 2, ETHERTYPE.IPX),
        and(
          isLength(ctx),
          or(
            snap(ctx, 0, ETHERTYPE.IPX),
            or(cmpAt(ctx, 'llc', 0, 1, LLCSAP_IPX), cmpAt(ctx, 'llc', 0, 2, 0xffff)),
          ),
        ),
      );
    case ETHERTYPE.ATALK:
    case ETHERTYPE.AARP:
      return or(
        cmpAt(ctx, 'linktype', 0, 2, t),
        and(isLength(ctx), t === ETHERTYPE.ATALK ? snap(ctx, 0x080007, t) : snap(ctx, 0, t)),
      );
    default:
      if (t <= ETHERMTU) return and(isLength(ctx), cmpAt(ctx, 'linktype', 2, 1, t));
      return cmpAt(ctx, 'linktype', 0, 2, t);
  }
}

/** libpcap gen_ehostop: destination at 0, source at 6 of the link header. */
export function ehostop(ctx: Ctx, mac: readonly number[], dir: DirQual | null, span: Span): Pred {
  return byDir(
    dir,
    () => bcmpAt(ctx, 'linkhdr', 6, mac),
    () => bcmpAt(ctx, 'linkhdr', 0, mac),
    span,
    'mac-802.11-headers',
  );
}

const BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

function ether(dlt: number, hdr: number): LinkLayer {
  return {
    dlt,
    name: linktypeDescription(dlt),
    offLinkHdr: hdr,
    offLinkType: hdr + 12,
    offLinkPl: hdr + 14,
    offNl: 0,
    offNlNosnap: 3,
    // Inside Geneve the ethertype is there with or without an inner Ethernet header: no check first.
    linktype: (ctx, t) =>
      ctx.isGeneve ? etherLinktype(ctx, t) : withPrev(ctx, etherLinktype(ctx, t)),
    macHost: (ctx, mac, dir, span) => withPrev(ctx, ehostop(ctx, mac, dir, span)),
    macBroadcast: (ctx, span) => withPrev(ctx, ehostop(ctx, BROADCAST, 'dst', span)),
    macMulticast: (ctx) => withPrev(ctx, jsetAt(ctx, 'linkhdr', 0, 1, 1)),
    // 802.3 with an LLC header: a length, and not Novell's raw 802.3 (0xffff where the LLC header would be).
    // libpcap has this for DLT_EN10MB only, not the netANALYZER types.
    ...(dlt === 1
      ? { llc: (ctx: Ctx) => and(isLength(ctx), not(cmpAt(ctx, 'llc', 0, 2, 0xffff))) }
      : {}),
    vlan: true,
    mpls: ETHERTYPE.MPLS,
  };
}

export const en10mb = ether(1, 0);
export const netanalyzer = ether(240, 4);
export const netanalyzerTransparent = ether(241, 12);
