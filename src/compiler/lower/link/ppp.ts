// PPP and the HDLC family: a 2-byte protocol field after the address and control bytes (PPP, PPP with a
// pppd direction byte, PPP in HDLC framing, PPPoE session payloads), BSD/OS PPP's 24-byte header, and Cisco
// HDLC, whose protocol field holds ethertypes. libpcap maps the ethertypes it tests to PPP protocol numbers
// (ethertype_to_ppptype); `pppoes` switches Ethernet to the PPP layer here.
import { ETHERTYPE, linktypeDescription } from '../../names.js';
import type { Ctx, LinkLayer } from '../context.js';
import { cmpAt } from '../load.js';
import { or, type Pred } from '../pred.js';

/** PPP protocol numbers of the ethertypes and LLC SAPs libpcap maps; any other value is compared as given. */
const PPP_OF: Readonly<Record<number, number>> = {
  [ETHERTYPE.IP]: 0x0021,
  [ETHERTYPE.IPV6]: 0x0057,
  [ETHERTYPE.DN]: 0x0027,
  [ETHERTYPE.ATALK]: 0x0029,
  1536: 0x0025, // ETHERTYPE_NS → PPP_NS
  254: 0x0023, // LLCSAP_ISONS → PPP_OSI
  66: 0x0031, // LLCSAP_8021D → PPP_BRPDU
  224: 0x002b, // LLCSAP_IPX → PPP_IPX
};

/** The PPP protocol `mpls` tests (PPP_MPLS_UCAST). */
export const PPP_MPLS_UCAST = 0x0281;
const PPP_VJC = 0x002d;
const PPP_VJNC = 0x002f;

export function pppLinktype(ctx: Ctx, t: number): Pred {
  return cmpAt(ctx, 'linktype', 0, 2, PPP_OF[t] ?? t);
}

function ppp(
  dlt: number,
  type: number,
  payload: number,
  extra: Partial<LinkLayer> = {},
): LinkLayer {
  return {
    dlt,
    name: linktypeDescription(dlt),
    offLinkHdr: 0,
    offLinkType: type,
    offLinkPl: payload,
    offNl: 0,
    offNlNosnap: 0,
    linktype: pppLinktype,
    ...extra,
  };
}

/** DLT_PPP; also the layer inside a PPPoE session. */
export const pppLink = ppp(9, 2, 4, { mpls: PPP_MPLS_UCAST });
export const pppSerial = ppp(50, 2, 4);
export const pppEther = ppp(51, 6, 8);
/** PPP with a direction byte where the address byte would be (0 received, 1 sent). */
export const pppPppd = ppp(166, 2, 4, {
  direction: (ctx, out) => cmpAt(ctx, 'linkhdr', 0, 1, out ? 1 : 0),
});
/** BSD/OS PPP: IPv4 also as Van Jacobson compressed and uncompressed TCP/IP. */
export const pppBsdos = ppp(16, 5, 24, {
  linktype: (ctx, t) =>
    t === ETHERTYPE.IP
      ? or(
          cmpAt(ctx, 'linktype', 0, 2, 0x0021),
          cmpAt(ctx, 'linktype', 0, 2, PPP_VJC),
          cmpAt(ctx, 'linktype', 0, 2, PPP_VJNC),
        )
      : pppLinktype(ctx, t),
});

/** Cisco HDLC: ethertypes as they are; OSI as 0xfefe. */
function chdlc(dlt: number): LinkLayer {
  return ppp(dlt, 2, 4, {
    linktype: (ctx, t) => cmpAt(ctx, 'linktype', 0, 2, t === 0xfe ? 0xfefe : t),
    mpls: ETHERTYPE.MPLS,
  });
}

export const cHdlc = chdlc(104);
/** NetBSD's Cisco HDLC (DLT_HDLC; tcpdump has no name for it). */
export const hdlc = chdlc(112);
