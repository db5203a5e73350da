// 802.2 LLC and SNAP printing, as tcpdump's print-llc.c: the SAP/SNAP dispatch to STP, IP, CDP and
// bridged Ethernet, and the Unnumbered/Supervisory/Information wording for the rest.

import { printCdp, printDtp, printUdld, printVtp } from './cisco-l2.js';
import { ETHERTYPE_NAMES, type LinkAddrs } from './ethertypes.js';
import { printIpx } from './ipx.js';
import { type Printer, type Tok, tok2str } from './printer.js';
import { printStp } from './stp.js';

const LLC_SAP_NAMES: Tok = new Map([
  [0x00, 'Null'],
  [0xff, 'Global'],
  [0x02, '802.1B I'],
  [0x03, '802.1B G'],
  [0x06, 'IP'],
  [0x04, 'SNA'],
  [0x0e, 'ProWay NM'],
  [0x42, 'STP'],
  [0x4e, 'RS511'],
  [0x7e, 'ISO8208'],
  [0x8e, 'ProWay'],
  [0xaa, 'SNAP'],
  [0xe0, 'IPX'],
  [0xf0, 'NetBeui'],
  [0xfe, 'OSI'],
]);
const LLC_CMD_NAMES: Tok = new Map([
  [0x03, 'ui'],
  [0xe3, 'test'],
  [0xaf, 'xid'],
  [0x63, 'ua'],
  [0x43, 'disc'],
  [0x0f, 'dm'],
  [0x6f, 'sabme'],
  [0x87, 'frmr'],
]);
// tcpdump's llc_flag_values lists "Poll"/"Final" twice (U and I/S poll bits); a Map keeps each key once.
const LLC_FLAG_NAMES: Tok = new Map([
  [0, 'Command'],
  [1, 'Response'],
  [0x10, 'Poll'],
  [0x11, 'Final'],
  [0x100, 'Poll'],
  [0x101, 'Final'],
]);
const LLC_SUPERVISORY: Tok = new Map([
  [0, 'Receiver Ready'],
  [1, 'Receiver not Ready'],
  [2, 'Reject'],
]);

export const OUI_NAMES: Tok = new Map([
  [0x000000, 'Ethernet'],
  [0x00000c, 'Cisco'],
  [0x00005e, 'IANA'],
  [0x000081, 'Nortel Networks SONMP'],
  [0x0000f8, 'Cisco bridged'],
  [0x0080c2, 'Ethernet bridged'],
  [0x00a03e, 'ATM Forum'],
  [0x00e02f, 'DOCSIS Spanning Tree'],
  [0x080007, 'Appletalk'],
  [0x009069, 'Juniper'],
  [0x080009, 'Hewlett-Packard'],
  [0x00120f, 'IEEE 802.3 Private'],
  [0x0012bb, 'ANSI/TIA'],
  [0x001b21, 'DCBX'],
  [0x002320, 'Nicira Networks'],
  [0x5c16c7, 'Big Switch Networks'],
  [0xb0d2f5, 'Vello Systems'],
  [0x002481, 'HP'],
  [0x0004ea, 'HP-Labs'],
  [0x748771, 'Infoblox Inc'],
  [0xa42305, 'Open Networking Lab'],
  [0x00049f, 'Freescale'],
  [0x0015ad, 'Netronome'],
  [0x001018, 'Broadcom'],
  [0x00e004, 'PMC-Sierra'],
  [0xd0f0db, 'Ericsson'],
]);
const CISCO_PIDS: Tok = new Map([
  [0x2000, 'CDP'],
  [0x2003, 'VTP'],
  [0x2004, 'DTP'],
  [0x0111, 'UDLD'],
  [0x010b, 'PVST'],
  [0x010c, 'VLAN Bridge'],
]);
const BRIDGED_PIDS: Tok = new Map([
  [0x0001, 'Ethernet + FCS'],
  [0x0007, 'Ethernet w/o FCS'],
  [0x0002, '802.4 + FCS'],
  [0x0008, '802.4 w/o FCS'],
  [0x0003, 'Token Ring + FCS'],
  [0x0009, 'Token Ring w/o FCS'],
  [0x0004, 'FDDI + FCS'],
  [0x000a, 'FDDI w/o FCS'],
  [0x0005, '802.6 + FCS'],
  [0x000b, '802.6 w/o FCS'],
  [0x000e, 'BPDU'],
]);
const NO_NAMES: Tok = new Map();

function pidNames(oui: number): Tok {
  if (oui === 0 || oui === 0xf8 || oui === 0x080007) return ETHERTYPE_NAMES;
  if (oui === 0x0c) return CISCO_PIDS;
  if (oui === 0x0080c2) return BRIDGED_PIDS;
  return NO_NAMES;
}

const x2 = (v: number) => v.toString(16).padStart(2, '0');

/**
 * llc_print: returns the LLC header length, negative when tcpdump prints the payload as raw data
 * (the caller then hex-dumps it).
 */
export function printLlc(
  p: Printer,
  o: number,
  length: number,
  caplen: number,
  addrs?: LinkAddrs,
): number {
  p.protocol = 'llc';
  if (caplen < 3 || length < 3) {
    p.trunc();
    p.defaultPrint(o, caplen, 'never'); // unguarded in print-llc.c
    return caplen < 3 ? caplen : length;
  }
  const dsapField = p.u8(o);
  const ssapField = p.u8(o + 1);
  let control = p.u8(o + 2);
  let isU = true;
  let hdrlen = 3;
  if ((control & 3) !== 3) {
    if (caplen < 4 || length < 4) {
      p.trunc();
      p.defaultPrint(o, caplen, 'never'); // unguarded in print-llc.c
      return caplen < 4 ? caplen : length;
    }
    control = p.le16(o + 2);
    isU = false;
    hdrlen = 4;
  }
  if (ssapField === 0xff && dsapField === 0xff) {
    if (p.eflag) p.print('IPX 802.3: ');
    printIpx(p, o, length);
    return 0;
  }
  const dsap = dsapField & 0xfe;
  const ssap = ssapField & 0xfe;
  if (p.eflag) {
    p.print(
      `LLC, dsap ${tok2str(LLC_SAP_NAMES, 'Unknown', dsap)} (0x${x2(dsap)}) ${dsapField & 1 ? 'Group' : 'Individual'}, ssap ${tok2str(LLC_SAP_NAMES, 'Unknown', ssap)} (0x${x2(ssap)}) ${ssapField & 1 ? 'Response' : 'Command'}`,
    );
    p.print(`, ctrl 0x${control.toString(16).padStart(isU ? 2 : 4, '0')}: `);
  }
  const q = o + hdrlen;
  const len = length - hdrlen;
  const cap = caplen - hdrlen;
  if (ssap === 0xaa && dsap === 0xaa && control === 3) {
    return printSnap(p, q, len, cap, addrs, 2) ? hdrlen + 5 : -(hdrlen + 5);
  }
  if (ssap === 0x42 && dsap === 0x42 && control === 3) {
    printStp(p, q, len);
    return hdrlen;
  }
  if (ssap === 0x06 && dsap === 0x06 && control === 3) {
    p.next.printIp(p, q, len);
    return hdrlen;
  }
  if (ssap === 0xe0 && dsap === 0xe0 && control === 3) {
    if (p.eflag) p.print('IPX 802.2: ');
    printIpx(p, q, len);
    return hdrlen;
  }
  if (ssap === 0xfe && dsap === 0xfe && control === 3) {
    p.next.printIsoclns(p, q, len);
    return hdrlen;
  }
  if (!p.eflag) {
    if (ssap === dsap) {
      if (!addrs) p.print(`${tok2str(LLC_SAP_NAMES, 'Unknown DSAP 0x%02x', dsap)} `);
      else
        p.print(
          `${p.mac(addrs.src)} > ${p.mac(addrs.dst)} ${tok2str(LLC_SAP_NAMES, 'Unknown DSAP 0x%02x', dsap)} `,
        );
    } else if (!addrs)
      p.print(
        `${tok2str(LLC_SAP_NAMES, 'Unknown SSAP 0x%02x', ssap)} > ${tok2str(LLC_SAP_NAMES, 'Unknown DSAP 0x%02x', dsap)} `,
      );
    else
      p.print(
        `${p.mac(addrs.src)} ${tok2str(LLC_SAP_NAMES, 'Unknown SSAP 0x%02x', ssap)} > ${p.mac(addrs.dst)} ${tok2str(LLC_SAP_NAMES, 'Unknown DSAP 0x%02x', dsap)} `,
      );
  }
  if (isU) {
    p.print(
      `Unnumbered, ${tok2str(LLC_CMD_NAMES, '%02x', control & 0xef)}, Flags [${tok2str(LLC_FLAG_NAMES, '?', (ssapField & 1) | (control & 0x10))}], length ${length}`,
    );
    if ((control & ~0x10) === 0xaf) {
      if (len === 0) return hdrlen;
      if (cap < 1) {
        p.trunc();
        return hdrlen;
      }
      if (p.u8(q) === 0x81) {
        if (cap < 3 || len < 3) {
          p.trunc();
          if (cap > 0) p.defaultPrint(q, cap, 'never');
        } else p.print(`: ${x2(p.u8(q + 1))} ${x2(p.u8(q + 2))}`);
        return hdrlen;
      }
    }
  } else if ((control & 1) === 1) {
    p.print(
      `Supervisory, ${tok2str(LLC_SUPERVISORY, '?', (control >> 2) & 3)}, rcv seq ${(control >> 9) & 0x7f}, Flags [${tok2str(LLC_FLAG_NAMES, '?', (ssapField & 1) | (control & 0x100))}], length ${length}`,
    );
    return hdrlen;
  } else {
    p.print(
      `Information, send seq ${(control >> 1) & 0x7f}, rcv seq ${(control >> 9) & 0x7f}, Flags [${tok2str(LLC_FLAG_NAMES, '?', (ssapField & 1) | (control & 0x100))}], length ${length}`,
    );
  }
  return -hdrlen;
}

/** snap_print: true when the payload was printed (or the header was cut off), false for raw data. */
export function printSnap(
  p: Printer,
  o: number,
  length: number,
  caplen: number,
  addrs: LinkAddrs | undefined,
  bridgePad: number,
): boolean {
  p.protocol = 'snap';
  if (!p.has(o, 5) || caplen < 5 || length < 5) {
    p.trunc();
    return true;
  }
  const oui = p.u24(o);
  const et = p.u16(o + 3);
  if (p.eflag)
    p.print(
      `oui ${tok2str(OUI_NAMES, 'Unknown', oui)} (0x${oui.toString(16).padStart(6, '0')}), ${oui === 0 ? 'ethertype' : 'pid'} ${tok2str(pidNames(oui), 'Unknown', et)} (0x${et.toString(16).padStart(4, '0')}), length ${length - 5}: `,
    );
  const q = o + 5;
  const len = length - 5;
  const cap = caplen - 5;
  switch (oui) {
    case 0x000000:
    case 0x0000f8:
      if (p.next.printEthertype(p, et, q, len, cap, addrs)) return true;
      break;
    case 0x080007:
      if (et === 0x809b && p.next.printEthertype(p, et, q, len, cap, addrs)) return true;
      break;
    case 0x00000c:
      if (et === 0x2000) {
        printCdp(p, q, len);
        return true;
      }
      if (et === 0x2004) {
        printDtp(p, q, len);
        return true;
      }
      if (et === 0x0111) {
        printUdld(p, q, len);
        return true;
      }
      if (et === 0x2003) {
        printVtp(p, q, len);
        return true;
      }
      if (et === 0x010b || et === 0x010c) {
        printStp(p, q, len);
        return true;
      }
      break;
    case 0x0080c2:
      if (et === 0x0001 || et === 0x0007) {
        if (!p.has(q, bridgePad)) {
          p.trunc();
          return true;
        }
        p.next.printEther(p, q + bridgePad, len - bridgePad, cap - bridgePad);
        return true;
      }
      if (et === 0x000e) {
        printStp(p, q, len);
        return true;
      }
      break;
  }
  if (!p.eflag) {
    if (addrs) p.print(`${p.mac(addrs.src)} > ${p.mac(addrs.dst)} `);
    if (oui === 0)
      p.print(
        `SNAP, ethertype ${tok2str(ETHERTYPE_NAMES, 'Unknown', et)} (0x${et.toString(16).padStart(4, '0')}), length ${len}: `,
      );
    else
      p.print(
        `SNAP, oui ${tok2str(OUI_NAMES, 'Unknown', oui)} (0x${oui.toString(16).padStart(6, '0')}), pid ${tok2str(pidNames(oui), 'Unknown', et)} (0x${et.toString(16).padStart(4, '0')}), length ${len}: `,
      );
  }
  return false;
}
