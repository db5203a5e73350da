// ATM: LLC-encapsulated PDUs (DLT_ATM_RFC1483, Linux's DLT_ATM_CLIP) and SunATM (DLT_SUNATM: a 4-byte
// pseudo-header of direction/flags, VPI and VCI, then the AAL5 PDU). SunATM's low nibble of byte 0 says
// what the PDU holds (LANE, LLC ...); `lane` switches to the Ethernet inside (lower/atm.ts).
import { linktypeDescription } from '../../names.js';
import type { Ctx, LinkLayer } from '../context.js';
import { ncmpAt } from '../load.js';
import { and, type Pred, TRUE } from '../pred.js';
import { llcLinktype } from './llc.js';

/** SunATM pseudo-header fields and protocol types. */
export const SUNATM = { VPI: 1, VCI: 2, PROTO: 0, PAYLOAD: 4, PT_LANE: 1, PT_LLC: 2 } as const;

function llcAtm(dlt: number, llc: boolean): LinkLayer {
  return {
    dlt,
    name: linktypeDescription(dlt),
    offLinkHdr: 0,
    offLinkType: 0,
    offLinkPl: 0,
    offNl: 8,
    offNlNosnap: 3,
    linktype: (ctx, t) => llcLinktype(ctx, t),
    ...(llc ? { llc: () => TRUE } : {}),
  };
}

export const atmRfc1483 = llcAtm(11, true);
export const atmClip = llcAtm(19, false);

/** The SunATM PDU is LLC-encapsulated (libpcap gen_atmtype_llc). */
export function atmLlc(ctx: Ctx): Pred {
  return ncmpAt(ctx, 'linkhdr', SUNATM.PROTO, 1, 0x0f, 'jeq', false, SUNATM.PT_LLC);
}

export const sunatm: LinkLayer = {
  dlt: 123,
  name: linktypeDescription(123),
  offLinkHdr: 0,
  offLinkType: SUNATM.PAYLOAD,
  offLinkPl: SUNATM.PAYLOAD,
  offNl: 8,
  offNlNosnap: 3,
  linktype: (ctx, t) => and(atmLlc(ctx), llcLinktype(ctx, t)),
  llc: (ctx) => atmLlc(ctx),
};
