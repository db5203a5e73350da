// OpenBSD pflog (DLT_PFLOG): a variable-length header whose first byte is its length (rounded up to 4),
// then the packet. The address family is in host byte order, one byte; the pflog keywords (`on`, `rnr`,
// `reason` ...) test header fields (lower/pf.ts).
import { ETHERTYPE, linktypeDescription } from '../../names.js';
import type { LinkLayer } from '../context.js';
import { cmpAt } from '../load.js';
import { FALSE } from '../pred.js';

/** Offsets in struct pfloghdr. */
export const PFLOG = {
  af: 1,
  action: 2,
  reason: 3,
  ifname: 4,
  ruleset: 20,
  rulenr: 36,
  subrulenr: 40,
  dir: 60,
} as const;

export const pflog: LinkLayer = {
  dlt: 117,
  name: linktypeDescription(117),
  offLinkHdr: 0,
  offLinkType: 0,
  offLinkPl: 0,
  varLinkPl: true,
  offNl: 0,
  offNlNosnap: 0,
  linktype: (ctx, t) =>
    t === ETHERTYPE.IP
      ? cmpAt(ctx, 'linkhdr', PFLOG.af, 1, 2)
      : t === ETHERTYPE.IPV6
        ? cmpAt(ctx, 'linkhdr', PFLOG.af, 1, 10)
        : FALSE,
  // PF_IN = 1, PF_OUT = 2
  direction: (ctx, out) => cmpAt(ctx, 'linkhdr', PFLOG.dir, 1, out ? 2 : 1),
  // The payload offset: the length byte rounded up to a multiple of 4 (libpcap gen_load_pflog_llprefixlen).
  prefix: (ctx, add, next) => {
    const reg = ctx.outerPlVar?.reg;
    if (reg === null || reg === undefined) return next;
    return add(
      [
        { kind: 'ldAbs', size: 1, k: 0 },
        { kind: 'alu', op: 'add', src: 'k', k: 3 },
        { kind: 'alu', op: 'and', src: 'k', k: 0xfffffffc },
        { kind: 'st', k: reg },
        { kind: 'tax' },
      ],
      { kind: 'goto', target: next },
    );
  },
};
