// The other IEEE 802 LANs with 48-bit MAC addresses and an LLC header: token ring (DLT_IEEE802: access and
// frame control, then the addresses), FDDI (frame control, then the addresses) and RFC 2625 IP over Fibre
// Channel. libpcap assumes no source routing and SNAP for ethertypes (off_nl 8).
import type { DirQual, Span } from '../../ast.js';
import { linktypeDescription } from '../../names.js';
import type { Ctx, LinkLayer } from '../context.js';
import { byDir } from '../dir.js';
import { bcmpAt, jsetAt } from '../load.js';
import { TRUE } from '../pred.js';
import { llcLinktype } from './llc.js';

const BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

function lan(dlt: number, header: number, dst: number, src: number, llc: boolean): LinkLayer {
  const host = (ctx: Ctx, mac: readonly number[], dir: DirQual | null, span: Span) =>
    byDir(
      dir,
      () => bcmpAt(ctx, 'linkhdr', src, mac),
      () => bcmpAt(ctx, 'linkhdr', dst, mac),
      span,
      'mac',
    );
  return {
    dlt,
    name: linktypeDescription(dlt),
    offLinkHdr: 0,
    offLinkType: header,
    offLinkPl: header,
    offNl: 8,
    offNlNosnap: 3,
    linktype: (ctx, t) => llcLinktype(ctx, t),
    macHost: host,
    macBroadcast: (ctx, span) => host(ctx, BROADCAST, 'dst', span),
    // The group bit of the destination address.
    macMulticast: (ctx) => jsetAt(ctx, 'linkhdr', dst, 1, 1),
    ...(llc ? { llc: () => TRUE } : {}),
  };
}

export const tokenRing = lan(6, 14, 2, 8, true);
export const fddi = lan(10, 13, 1, 7, true);
export const ipOverFc = lan(122, 16, 2, 10, false);
