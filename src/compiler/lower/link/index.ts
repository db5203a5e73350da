// Every link type the compiler knows, by DLT value (LINKTYPE values from capture files map to DLT values
// first, see names.ts dltOfLinktype).
import { dltOfLinktype } from '../../names.js';
import type { LinkLayer } from '../context.js';
import { arcnetBsd, arcnetLinux } from './arcnet.js';
import { atmClip, atmRfc1483, sunatm } from './atm.js';
import { en10mb, netanalyzer, netanalyzerTransparent } from './en10mb.js';
import { frelay, mfr } from './frelay.js';
import {
  appleIpOverIeee1394,
  bacnetMsTp,
  DLT_MATCHING_MAX,
  DLT_MATCHING_MIN,
  matching,
  pfsync,
  symantecFirewall,
} from './generic.js';
import { ieee80211, ppi, prismHeader, radioAvs, radiotap } from './ieee80211.js';
import { ipnet } from './ipnet.js';
import { JUNIPER } from './juniper.js';
import { fddi, ipOverFc, tokenRing } from './lan.js';
import { enc, loopLink, nullLink } from './null.js';
import { pflog } from './pflog.js';
import { cHdlc, hdlc, pppBsdos, pppEther, pppLink, pppPppd, pppSerial } from './ppp.js';
import { ltalk, raw, rawOnly, slip, slipBsdos } from './raw.js';
import { sll, sll2 } from './sll.js';

const LINKS = new Map<number, LinkLayer>(
  [
    en10mb,
    netanalyzer,
    netanalyzerTransparent,
    raw,
    rawOnly(false),
    rawOnly(true),
    sll,
    sll2,
    nullLink,
    loopLink,
    enc,
    slip,
    slipBsdos,
    ltalk,
    pppLink,
    pppSerial,
    pppEther,
    pppPppd,
    pppBsdos,
    cHdlc,
    hdlc,
    frelay,
    mfr,
    pflog,
    arcnetBsd,
    arcnetLinux,
    tokenRing,
    fddi,
    ipOverFc,
    atmRfc1483,
    atmClip,
    sunatm,
    ieee80211,
    prismHeader,
    radioAvs,
    radiotap,
    ppi,
    ipnet,
    appleIpOverIeee1394,
    symantecFirewall,
    pfsync,
    bacnetMsTp,
    ...JUNIPER,
  ].map((l) => [l.dlt, l]),
);

/** The link layer of a DLT or LINKTYPE value, or undefined when libpcap compiles nothing for it. */
export function linkLayerOf(linktype: number): LinkLayer | undefined {
  const dlt = dltOfLinktype(linktype);
  const known = LINKS.get(dlt);
  if (known) return known;
  if (dlt >= DLT_MATCHING_MIN && dlt <= DLT_MATCHING_MAX) {
    const l = matching(dlt);
    LINKS.set(dlt, l);
    return l;
  }
  return undefined;
}

export { DLT_MATCHING_MAX, DLT_MATCHING_MIN };
