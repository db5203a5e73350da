// Solaris ipnet (DLT_IPNET): a 24-byte header with the address family at 1 (IPH_AF_INET 2, IPH_AF_INET6 26)
// and the direction at 2 (1 outbound, 2 inbound).
import { ETHERTYPE, linktypeDescription } from '../../names.js';
import { type LinkLayer, NOT_SET } from '../context.js';
import { cmpAt } from '../load.js';
import { FALSE } from '../pred.js';

export const ipnet: LinkLayer = {
  dlt: 226,
  name: linktypeDescription(226),
  offLinkHdr: 0,
  offLinkType: 1,
  offLinkPl: 24,
  offNl: 0,
  offNlNosnap: NOT_SET,
  linktype: (ctx, t) =>
    t === ETHERTYPE.IP
      ? cmpAt(ctx, 'linktype', 0, 1, 2)
      : t === ETHERTYPE.IPV6
        ? cmpAt(ctx, 'linktype', 0, 1, 26)
        : FALSE,
  direction: (ctx, out) => cmpAt(ctx, 'linkhdr', 2, 2, out ? 1 : 2),
};
