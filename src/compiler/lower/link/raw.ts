// Raw IP (DLT_RAW / LINKTYPE_RAW, and LINKTYPE_IPV4/IPV6): no link header; IPv4 vs IPv6 from the version nibble.
import { ETHERTYPE } from '../../names.js';
import type { LinkLayer } from '../context.js';
import { FALSE, mcmp, TRUE, test } from '../pred.js';

const outgoing = () => test([{ kind: 'ldExt', size: 2, ext: 'pkttype' }], 'jeq', 4);
const ifindex = (_ctx: unknown, index: number) =>
  test([{ kind: 'ldExt', size: 4, ext: 'ifindex' }], 'jeq', index);

export const raw: LinkLayer = {
  name: 'Raw IP',
  hasMac: false,
  hasVlan: false,
  offLinkType: -1,
  offLinkPl: 0,
  offNlNosnap: 0,
  // Anything but IPv4/IPv6 can never match (libpcap gen_false).
  linktype: (_ctx, t) =>
    t === ETHERTYPE.IP
      ? mcmp(0, 1, 0xf0, 0x40)
      : t === ETHERTYPE.IPV6
        ? mcmp(0, 1, 0xf0, 0x60)
        : FALSE,
  outgoing,
  ifindex,
};

/** LINKTYPE_IPV4 / LINKTYPE_IPV6: every packet is the one protocol. */
export function rawOnly(v6: boolean): LinkLayer {
  return {
    ...raw,
    name: v6 ? 'IPv6' : 'IPv4',
    linktype: (_ctx, t) => (t === (v6 ? ETHERTYPE.IPV6 : ETHERTYPE.IP) ? TRUE : FALSE),
  };
}
