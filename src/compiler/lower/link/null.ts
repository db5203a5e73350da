// BSD loopback: DLT_NULL (4-byte address family in the capturing host's byte order, taken as little-endian as
// libpcap does on the little-endian hosts tcpdump runs on) and DLT_LOOP (network order). Only IPv4 and IPv6 fit.
import { ETHERTYPE } from '../../names.js';
import type { LinkLayer } from '../context.js';
import { cmp, FALSE, test } from '../pred.js';

/** AF_INET and AF_INET6 as libpcap on Linux uses them (its host's values: 2 and 10). */
const AF_INET = 2;
const AF_INET6 = 10;

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

function loopback(name: string, hostOrder: boolean): LinkLayer {
  const fam = (v: number) => (hostOrder ? swap32(v) : v);
  return {
    name,
    hasMac: false,
    hasVlan: false,
    offLinkType: 0,
    offLinkPl: 4,
    offNlNosnap: 0,
    linktype: (_ctx, t) =>
      t === ETHERTYPE.IP
        ? cmp(0, 4, fam(AF_INET))
        : t === ETHERTYPE.IPV6
          ? cmp(0, 4, fam(AF_INET6))
          : FALSE,
    outgoing: () => test([{ kind: 'ldExt', size: 2, ext: 'pkttype' }], 'jeq', 4),
    ifindex: (_ctx, index) => test([{ kind: 'ldExt', size: 4, ext: 'ifindex' }], 'jeq', index),
  };
}

export const nullLink = loopback('BSD loopback', true);
export const loopLink = loopback('OpenBSD loopback', false);
