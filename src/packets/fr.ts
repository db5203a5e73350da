// Frame Relay (Q.922 addresses), as tcpdump's print-fr.c.
import { ETHERTYPE_NAMES, printEthertype } from './ethernet.js';
import { printIp } from './ipv4.js';
import { printIp6 } from './ipv6.js';
import { printIsoclns } from './isoclns.js';
import { printSnap } from './llc.js';
import { printPpp } from './ppp.js';
import { bittok2str, type Printer, type Tok, tok2str } from './printer.js';

/** parse_q922_header: the DLCI, address length and flags; 0 for an invalid address, -1 if cut off. */
export function parseQ922(
  p: Printer,
  o: number,
  length: number,
): { dlci: number; addrLen: number; flags: number } | 0 | -1 {
  let q = o;
  let len = length;
  if (!p.has(q, 1) || len < 1) return -1;
  if (p.u8(q) & 1) return 0;
  if (!p.has(q + 1, 1) || len < 2) return -1;
  let addrLen = 2;
  let dlci = ((p.u8(q) & 0xfc) << 2) | ((p.u8(q + 1) & 0xf0) >> 4);
  let flags = (((p.u8(q) & 0x02) << 24) | ((p.u8(q + 1) & 0x0e) << 16)) >>> 0;
  if (p.u8(q + 1) & 1) return { dlci, addrLen, flags };
  q += 2;
  len -= 2;
  if (!p.has(q, 1) || len < 1) return -1;
  addrLen++;
  if ((p.u8(q) & 1) === 0) {
    dlci = (dlci << 7) | (p.u8(q) >> 1);
    addrLen++;
    q++;
    len--;
  }
  if (!p.has(q, 1) || len < 1) return -1;
  if ((p.u8(q) & 1) === 0) return 0;
  flags = (flags | (p.u8(q) & 0x02)) >>> 0;
  dlci = ((dlci << 6) | (p.u8(q) >> 2)) >>> 0;
  return { dlci, addrLen, flags };
}

/** q922_string. */
export function q922Text(p: Printer, o: number, length: number): string {
  const r = parseQ922(p, o, length);
  if (r === 0) return '<Invalid DLCI>';
  if (r === -1) return '<Truncated>';
  return `DLCI ${r.dlci}`;
}

export const NLPID_NAMES: Tok = new Map([
  [0x00, 'NULL'],
  [0x08, 'Q.933'],
  [0x09, 'LMI'],
  [0x80, 'SNAP'],
  [0x81, 'CLNP'],
  [0x82, 'ES-IS'],
  [0x83, 'IS-IS'],
  [0x84, 'CONS'],
  [0x85, 'IDRP'],
  [0xc1, 'ISIS_SPB'],
  [0xb1, 'FRF.15'],
  [0xcc, 'IPv4'],
  [0xcf, 'PPP'],
  [0x8a, 'X25 ES-IS'],
  [0x8e, 'IPv6'],
]);
const FR_FLAGS: Tok = new Map([
  [0x02000000, 'C!'],
  [0x00020000, 'DE'],
  [0x00040000, 'BECN'],
  [0x00080000, 'FECN'],
  [0x00000002, 'sdlcore'],
]);

function frHdr(
  p: Printer,
  length: number,
  addrLen: number,
  dlci: number,
  flags: number,
  nlpid: number,
): void {
  const f = bittok2str(FR_FLAGS, 'none', flags);
  if (nlpid <= 0xff)
    p.print(
      `Q.922, hdr-len ${addrLen}, DLCI ${dlci}, Flags [${f}], NLPID ${tok2str(NLPID_NAMES, 'unknown', nlpid)} (0x${nlpid.toString(16).padStart(2, '0')}), length ${length}: `,
    );
  else
    p.print(
      `Q.922, hdr-len ${addrLen}, DLCI ${dlci}, Flags [${f}], cisco-ethertype ${tok2str(ETHERTYPE_NAMES, 'unknown', nlpid)} (0x${nlpid.toString(16).padStart(4, '0')}), length ${length}: `,
    );
}

/** fr_if_print (DLT_FRELAY). */
export function printFrIf(p: Printer, length: number, caplen: number): void {
  p.protocol = 'fr';
  if (caplen < 4) {
    p.trunc();
    p.llHdrLen += caplen;
    return;
  }
  p.llHdrLen += printFr(p, 0, length);
}

/** fr_print: a Q.922 header and the NLPID (or Cisco ethertype) payload; returns the header length. */
export function printFr(p: Printer, o: number, length: number): number {
  p.protocol = 'fr';
  const r = parseQ922(p, o, length);
  const trunc = () => {
    p.trunc();
    return 0;
  };
  if (r === -1) return trunc();
  if (r === 0) {
    p.print('Q.922, invalid address');
    return 0;
  }
  const { dlci, addrLen, flags } = r;
  if (!p.has(o + addrLen, 1) || length < addrLen + 1) return trunc();
  if (p.u8(o + addrLen) !== 0x03 && dlci !== 0) {
    if (!p.has(o + addrLen, 2) || length < addrLen + 2) p.print(`UI ${hex2(p.u8(o + addrLen))}! `);
    else {
      const et = p.u16(o + addrLen);
      if (p.eflag) frHdr(p, length, addrLen, dlci, flags, et);
      const q = o + addrLen + 2;
      if (printEthertype(p, et, q, length - addrLen - 2, p.avail(o) - addrLen - 2))
        return addrLen + 2;
      p.print(`UI ${hex2(p.u8(o + addrLen))}! `);
    }
  }
  if (!p.has(o + addrLen + 1, 1) || length < addrLen + 2) return trunc();
  let hdrLen: number;
  if (p.u8(o + addrLen + 1) === 0) {
    if (addrLen !== 3) p.print('Pad! ');
    hdrLen = addrLen + 3;
  } else {
    if (addrLen === 3) p.print('No pad! ');
    hdrLen = addrLen + 2;
  }
  if (!p.has(o + hdrLen - 1, 1) || length < hdrLen) return trunc();
  const nlpid = p.u8(o + hdrLen - 1);
  if (p.eflag) frHdr(p, length, addrLen, dlci, flags, nlpid);
  const q = o + hdrLen;
  const len = length - hdrLen;
  switch (nlpid) {
    case 0xcc:
      printIp(p, q, len);
      break;
    case 0x8e:
      printIp6(p, q, len);
      break;
    case 0x81:
    case 0x82:
    case 0x83:
      printIsoclns(p, q - 1, len + 1);
      break;
    case 0x80:
      if (!printSnap(p, q, len, p.avail(q), undefined, 0)) {
        if (!p.eflag) frHdr(p, len + hdrLen, hdrLen, dlci, flags, nlpid);
        p.defaultPrint(q - hdrLen, len + hdrLen);
      }
      break;
    case 0x08:
      printQ933(p, q, len);
      break;
    case 0xb1:
      printFrf15(p, q, len);
      break;
    case 0xcf:
      printPpp(p, q, len);
      break;
    default:
      if (!p.eflag) frHdr(p, len + hdrLen, addrLen, dlci, flags, nlpid);
      p.defaultPrint(q, len);
  }
  return hdrLen;
}

const hex2 = (v: number) => v.toString(16).padStart(2, '0');

/** q933_print: not decoded yet beyond its name. */
function printQ933(p: Printer, _o: number, length: number): void {
  p.print(`q.933, length ${length}`);
}

/** frf15_print: not decoded yet beyond its name. */
function printFrf15(p: Printer, _o: number, length: number): void {
  p.print(`FRF.15, length ${length}`);
}
