// The remaining link types libpcap compiles for: a few with an ethertype field at a fixed offset (Apple IP
// over IEEE 1394, Symantec firewall), BACnet MS/TP (a preamble test), and every other value in the DLT
// "matching" range, where only `link[...]`, `len` and the like work: protocol tests fail with libpcap's
// message, by family where it has one (libpcap gen_linktype's default cases).
import type { Span } from '../../ast.js';
import { fail } from '../../errors.js';
import { linktypeDescription } from '../../names.js';
import { type Ctx, type LinkLayer, NOT_SET } from '../context.js';
import { cmpAt, mcmpAt } from '../load.js';

/** libpcap's DLT_MATCHING_MIN / DLT_MATCHING_MAX: link types defined by value, the same on every platform. */
export const DLT_MATCHING_MIN = 104;
export const DLT_MATCHING_MAX = 289;

/** Families libpcap names in its "filtering not implemented" message. */
// biome-ignore format: a table
const FAMILY: Readonly<Record<number, string>> = {
  144: 'IrDA', 143: 'DOCSIS', 139: 'MTP2', 140: 'MTP2', 197: 'ERF', 246: 'PFSYNC', 177: 'LAPD',
  186: 'USB', 189: 'USB', 220: 'USB', 249: 'USB', 187: 'Bluetooth', 201: 'Bluetooth', 190: 'CAN',
  227: 'CAN', 191: 'IEEE 802.15.4', 195: 'IEEE 802.15.4', 215: 'IEEE 802.15.4', 230: 'IEEE 802.15.4',
  283: 'IEEE 802.15.4', 193: 'IEEE 802.16', 196: 'SITA', 198: 'RAIF1', 199: 'IPMB', 209: 'IPMB',
  202: 'AX.25', 239: 'NFLOG',
};

function defaultLinktype(ctx: Ctx, t: number, span: Span) {
  const family = FAMILY[ctx.link.dlt];
  if (family === undefined && ctx.offLinkType.k !== NOT_SET) return cmpAt(ctx, 'linktype', 0, 2, t);
  return fail(
    'UNSUPPORTED_FOR_LINKTYPE',
    `${family ?? ctx.link.name} link-layer type filtering not implemented`,
    span,
  );
}

function generic(
  dlt: number,
  type: number,
  payload: number,
  nl: number,
  nosnap: number,
): LinkLayer {
  return {
    dlt,
    name: linktypeDescription(dlt),
    offLinkHdr: 0,
    offLinkType: type,
    offLinkPl: payload,
    offNl: nl,
    offNlNosnap: nosnap,
    linktype: defaultLinktype,
  };
}

const N = NOT_SET;
export const appleIpOverIeee1394 = generic(138, 16, 18, 0, 0);
export const symantecFirewall = generic(99, 6, 44, 0, 0);
export const pfsync = generic(246, N, 4, 0, 0);
export const bacnetMsTp: LinkLayer = {
  ...generic(165, N, N, N, N),
  linktype: (ctx) => mcmpAt(ctx, 'linkhdr', 0, 4, 0xffff0000, 0x55ff0000),
};

/** A link type of the matching range that libpcap knows nothing more about. */
export function matching(dlt: number): LinkLayer {
  return generic(dlt, N, N, N, N);
}
