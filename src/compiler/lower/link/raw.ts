// Link types without a protocol field: raw IP (DLT_RAW, and LINKTYPE_IPV4/IPV6 where the version is known),
// SLIP (a 16-byte pseudo-header whose first byte is the direction; 24 bytes on BSD/OS) and LocalTalk.
// IPv4 vs IPv6 from the version nibble (libpcap gen_linktype).
import { ETHERTYPE, linktypeDescription } from '../../names.js';
import { type LinkLayer, NOT_SET } from '../context.js';
import { cmpAt, mcmpAt } from '../load.js';
import { FALSE, not, TRUE } from '../pred.js';

function versionNibble(dlt: number, payload: number): LinkLayer {
  return {
    dlt,
    name: linktypeDescription(dlt),
    offLinkHdr: 0,
    offLinkType: NOT_SET,
    offLinkPl: payload,
    offNl: 0,
    offNlNosnap: 0,
    // Anything but IPv4/IPv6 can never match (libpcap gen_false).
    linktype: (ctx, t) =>
      t === ETHERTYPE.IP
        ? mcmpAt(ctx, 'linkhdr', 0, 1, 0xf0, 0x40)
        : t === ETHERTYPE.IPV6
          ? mcmpAt(ctx, 'linkhdr', 0, 1, 0xf0, 0x60)
          : FALSE,
  };
}

export const raw = versionNibble(12, 0);

/** LINKTYPE_IPV4 / LINKTYPE_IPV6: every packet is the one protocol. */
export function rawOnly(v6: boolean): LinkLayer {
  const dlt = v6 ? 229 : 228;
  return {
    ...raw,
    dlt,
    name: linktypeDescription(dlt),
    linktype: (_ctx, t) => (t === (v6 ? ETHERTYPE.IPV6 : ETHERTYPE.IP) ? TRUE : FALSE),
  };
}

/** SLIP: libpcap tests the link header where the IP header is (its SLIP header is a pseudo-header). */
export const slip: LinkLayer = {
  ...versionNibble(8, 16),
  // The pseudo-header's first byte: 0 received, 1 sent (SLIPDIR_IN / SLIPDIR_OUT).
  direction: (ctx, out) => {
    const p = cmpAt(ctx, 'linkhdr', 0, 1, 0);
    return out ? not(p) : p;
  },
};

export const slipBsdos = versionNibble(15, 24);

/** LocalTalk: every packet is AppleTalk. */
export const ltalk: LinkLayer = {
  ...versionNibble(114, 0),
  linktype: (_ctx, t) => (t === ETHERTYPE.ATALK ? TRUE : FALSE),
};
