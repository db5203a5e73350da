// BSD loopback: DLT_NULL and DLT_ENC (a 4-byte address family in the capturing host's byte order, taken as
// little-endian as libpcap does on the little-endian hosts tcpdump runs on, or as written in a byte-swapped
// file) and DLT_LOOP (network order). Only IPv4 and IPv6 fit; ENC's header is 12 bytes. IPv6's family
// differs by OS: a live capture tests the host's (Linux: 10), a capture file the BSDs' three.
import { ETHERTYPE, linktypeDescription } from '../../names.js';
import type { Ctx, LinkLayer } from '../context.js';
import { cmpAt } from '../load.js';
import { FALSE, or } from '../pred.js';

/** AF_INET and AF_INET6 as libpcap on Linux uses them (its host's values: 2 and 10). */
const AF_INET = 2;
const AF_INET6 = 10;
/** AF_INET6 of the NetBSD/OpenBSD/BSD-OS family, FreeBSD and Darwin, in libpcap's test order. */
const AF_INET6_FILE = [30, 24, 28];

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

function loopback(dlt: number, hostOrder: boolean, payload: number): LinkLayer {
  const fam = (ctx: Ctx, v: number) => (hostOrder && !ctx.swapped ? swap32(v) : v);
  const is = (ctx: Ctx, v: number) => cmpAt(ctx, 'linkhdr', 0, 4, fam(ctx, v));
  return {
    dlt,
    name: linktypeDescription(dlt),
    offLinkHdr: 0,
    offLinkType: 0,
    offLinkPl: payload,
    offNl: 0,
    offNlNosnap: 0,
    linktype: (ctx, t) =>
      t === ETHERTYPE.IP
        ? is(ctx, AF_INET)
        : t === ETHERTYPE.IPV6
          ? ctx.savefile
            ? or(...AF_INET6_FILE.map((v) => is(ctx, v)))
            : is(ctx, AF_INET6)
          : FALSE,
  };
}

export const nullLink = loopback(0, true, 4);
export const loopLink = loopback(108, false, 4);
export const enc = loopback(109, true, 12);
