// ARCnet (BSD DLT_ARCNET and Linux DLT_ARCNET_LINUX): 1-byte source and destination addresses at 0 and 1,
// then a 1-byte protocol type (at 2, or 4 on Linux). Addresses are written `$xx` (libpcap gen_ahostop).
import type { DirQual, Span } from '../../ast.js';
import { ETHERTYPE, linktypeDescription } from '../../names.js';
import type { Ctx, LinkLayer } from '../context.js';
import { byDir } from '../dir.js';
import { bcmpAt, cmpAt } from '../load.js';
import { FALSE, or, type Pred } from '../pred.js';

// biome-ignore format: a table
const ARCTYPE = { IP_OLD: 240, ARP_OLD: 241, IP: 212, ARP: 213, REVARP: 214, ATALK: 221, INET6: 0xc4 } as const;

/** libpcap gen_ahostop: the source comes first. */
export function arcHost(ctx: Ctx, addr: number, dir: DirQual | null, span: Span): Pred {
  return byDir(
    dir,
    () => bcmpAt(ctx, 'linkhdr', 0, [addr]),
    () => bcmpAt(ctx, 'linkhdr', 1, [addr]),
    span,
    'mac',
  );
}

function arcnet(dlt: number, type: number): LinkLayer {
  return {
    dlt,
    name: linktypeDescription(dlt),
    offLinkHdr: 0,
    offLinkType: type,
    offLinkPl: type + 4,
    offNl: 0,
    offNlNosnap: 0,
    linktype: (ctx, t) => {
      const is = (v: number) => cmpAt(ctx, 'linktype', 0, 1, v);
      switch (t) {
        case ETHERTYPE.IPV6:
          return is(ARCTYPE.INET6);
        case ETHERTYPE.IP:
          return or(is(ARCTYPE.IP), is(ARCTYPE.IP_OLD));
        case ETHERTYPE.ARP:
          return or(is(ARCTYPE.ARP), is(ARCTYPE.ARP_OLD));
        case ETHERTYPE.REVARP:
          return is(ARCTYPE.REVARP);
        case ETHERTYPE.ATALK:
          return is(ARCTYPE.ATALK);
        default:
          return FALSE;
      }
    },
    // Broadcasts and multicasts both go to address 0.
    macBroadcast: (ctx, span) => arcHost(ctx, 0, 'dst', span),
    macMulticast: (ctx, span) => arcHost(ctx, 0, 'dst', span),
  };
}

export const arcnetBsd = arcnet(7, 2);
export const arcnetLinux = arcnet(129, 4);
