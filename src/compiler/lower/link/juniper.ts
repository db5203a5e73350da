// The Juniper family (DLT_JUNIPER_*): a header starting with the magic "MGC" and a flags byte whose low bit
// is the direction. libpcap tests only the magic for every protocol (the payload's encapsulation varies),
// then loads at its per-type offsets, some of them unknown (NOT_SET, which wraps as libpcap's does).
import { linktypeDescription } from '../../names.js';
import { type LinkLayer, NOT_SET } from '../context.js';
import { mcmpAt } from '../load.js';

const MAGIC = 0x4d474300;

function juniper(
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
    linktype: (ctx) => mcmpAt(ctx, 'linkhdr', 0, 4, 0xffffff00, MAGIC),
    // The flags byte: bit 0 set for received packets.
    direction: (ctx, out) => mcmpAt(ctx, 'linkhdr', 3, 1, 0x01, out ? 0 : 1),
  };
}

const N = NOT_SET;
// biome-ignore format: a table of [dlt, linktype, payload, nl, nosnap] (libpcap init_linktype)
const TYPES: readonly (readonly [number, number, number, number, number])[] = [
  [134, 4, 4, 0, N], // JUNIPER_MFR
  [131, 4, 4, 0, N], // JUNIPER_MLFR
  [130, 4, 4, 0, N], // JUNIPER_MLPPP
  [179, 4, 4, 0, N], // JUNIPER_PPP
  [181, 4, 4, 0, N], // JUNIPER_CHDLC
  [180, 4, 4, 0, N], // JUNIPER_FRELAY
  [137, 4, 4, 0, 10], // JUNIPER_ATM1
  [135, 8, 8, 0, 10], // JUNIPER_ATM2
  [167, 16, 14, 18, 21], // JUNIPER_PPPOE
  [178, 16, 14, 18, 21], // JUNIPER_ETHER
  [168, 4, 6, 0, N], // JUNIPER_PPPOE_ATM
  [133, 6, 12, 0, N], // JUNIPER_GGSN
  [132, 6, N, N, N], // JUNIPER_ES
  [164, 12, 12, 0, N], // JUNIPER_MONITOR
  [136, 12, N, N, N], // JUNIPER_SERVICES
  [183, 18, N, N, N], // JUNIPER_VP
  [200, 18, N, N, N], // JUNIPER_ST
  [194, 8, N, N, N], // JUNIPER_ISM
  [232, 8, N, N, N], // JUNIPER_VS
  [233, 8, N, N, N], // JUNIPER_SRX_E2E
  [234, 8, N, N, N], // JUNIPER_FIBRECHANNEL
  [238, 8, N, N, N], // JUNIPER_ATM_CEMIC
];

export const JUNIPER: readonly LinkLayer[] = TYPES.map(([dlt, t, pl, nl, nosnap]) =>
  juniper(dlt, t, pl, nl, nosnap),
);
