// Switch tags between the Ethernet addresses and the type: Broadcom (DLT_EN10MB_BRCM_TAG and its
// prepended form) and Marvell DSA/EDSA, as tcpdump's print-brcmtag.c and print-dsa.c.
import { ETHERTYPE_NAMES, printEther } from './ethernet.js';
import { type Printer, type Tok, tok2str } from './printer.js';

const TE: Tok = new Map([
  [0, 'None'],
  [1, 'Untag'],
  [2, 'Header'],
  [3, 'Reserved'],
]);
const RC: Tok = new Map([
  [1, 'mirror'],
  [2, 'MAC learning'],
  [4, 'switching'],
  [8, 'prot term'],
  [16, 'prot snoop'],
  [32, 'exception'],
]);

/** brcm_tag_print. */
export function printBrcmTag(p: Printer, o: number): void {
  const t = [p.u8(o), p.u8(o + 1), p.u8(o + 2), p.u8(o + 3)];
  p.print(`BRCM tag OP: ${t[0] ? 'IG' : 'EG'}`);
  if (t[0] & (1 << 5)) {
    p.print(`, TC: ${(t[1] >> 2) & 7}`);
    p.print(`, TE: ${tok2str(TE, 'unknown', t[1] & 3)}`);
    p.print(`, TS: ${t[1] >> 7}`);
    p.print(`, DST map: 0x${(((t[2] << 8) | t[3]) & 0x1ff).toString(16).padStart(4, '0')}`);
  } else {
    p.print(`, CID: ${t[1]}`);
    p.print(`, RC: ${tok2str(RC, 'reserved', t[2])}`);
    p.print(`, TC: ${(t[3] >> 5) & 7}`);
    p.print(`, port: ${t[3] & 0x1f}`);
  }
  p.print(', ');
}

/** brcm_tag_if_print. */
export function printBrcmTagIf(p: Printer, length: number, caplen: number): void {
  p.protocol = 'brcm-tag';
  p.llHdrLen += printEther(p, 0, length, caplen, { len: 4, print: printBrcmTag });
}

/** brcm_tag_prepend_if_print. */
export function printBrcmTagPrependIf(p: Printer, length: number, caplen: number): void {
  p.protocol = 'brcm-tag-prepend';
  p.need(0, 4);
  p.llHdrLen += 4;
  if (p.eflag) printBrcmTag(p, 0);
  p.llHdrLen += printEther(p, 4, length - 4, caplen - 4);
}

const DSA_MODES: Tok = new Map([
  [0, 'To CPU'],
  [1, 'From CPU'],
  [2, 'To Sniffer'],
  [3, 'Forward'],
]);
const DSA_CODES: Tok = new Map([
  [0, 'BPDU (MGMT) Trap'],
  [1, 'Frame2Reg'],
  [2, 'IGMP/MLD Trap'],
  [3, 'Policy Trap'],
  [4, 'ARP Mirror'],
  [5, 'Policy Mirror'],
]);

function dsaCommon(p: Printer, o: number): void {
  const b0 = p.u8(o);
  const b1 = p.u8(o + 1);
  const b2 = p.u8(o + 2);
  const b3 = p.u8(o + 3);
  const mode = (b0 & 0xc0) >> 6;
  const tagged = (b0 & 0x20) >> 5;
  const dev = b0 & 0x1f;
  const port = (b1 & 0xf8) >> 3;
  const trunk = (b1 & 0x04) >> 2;
  const vid = ((b2 & 0x0f) << 8) | b3;
  if (p.eflag) {
    p.print(`mode ${tok2str(DSA_MODES, 'unknown', mode)}, `);
    if (mode === 3) p.print(`dev ${dev}, ${trunk ? 'trunk' : 'port'} ${port}, `);
    else if (mode === 1) p.print(`target dev ${dev}, port ${port}, `);
    else if (mode === 0) {
      p.print(`source dev ${dev}, port ${port}, `);
      p.print(
        `code ${tok2str(DSA_CODES, 'reserved', (((b1 & 0x06) >> 1) << 1) | ((b2 & 0x10) >> 4))}, `,
      );
    } else if (mode === 2) {
      p.print(`source dev ${dev}, port ${port}, `);
      p.print(`${trunk ? 'ingress' : 'egress'} sniff, `);
    }
    p.print(`${tagged ? 'tagged' : 'untagged'}, `);
    p.print(b1 & 1 ? 'CFI, ' : '');
    p.print(`VID ${vid}, `);
    p.print(`FPri ${(b2 & 0xe0) >> 5}, `);
  } else {
    if (mode === 3) p.print(`Forward ${trunk ? 'trunk' : 'port'} ${dev}.${port}, `);
    else if (mode === 1) p.print(`CPU > port ${dev}.${port}, `);
    else if (mode === 0) p.print(`port ${dev}.${port} > CPU, `);
    else if (mode === 2) p.print(`port ${dev}.${port} > ${trunk ? 'Rx' : 'Tx'} Sniffer, `);
    p.print(`VLAN ${vid}${tagged ? 't' : 'u'}, `);
  }
}

/** dsa_if_print. */
export function printDsaIf(p: Printer, length: number, caplen: number): void {
  p.protocol = 'dsa';
  p.llHdrLen += printEther(p, 0, length, caplen, {
    len: 4,
    print: (q, o) => {
      q.print(q.eflag ? 'Marvell DSA ' : 'DSA ');
      dsaCommon(q, o);
    },
  });
}

/** edsa_if_print. */
export function printEdsaIf(p: Printer, length: number, caplen: number): void {
  p.protocol = 'edsa';
  p.llHdrLen += printEther(p, 0, length, caplen, {
    len: 8,
    print: (q, o) => {
      const et = q.u16(o);
      if (q.eflag) {
        q.print(
          `Marvell EDSA ethertype 0x${et.toString(16).padStart(4, '0')} (${tok2str(ETHERTYPE_NAMES, 'Unknown', et)}), `,
        );
        q.print(`rsvd ${q.u8(o + 2)} ${q.u8(o + 3)}, `);
      } else q.print(`EDSA 0x${et.toString(16).padStart(4, '0')}, `);
      dsaCommon(q, o + 4);
    },
  });
}
