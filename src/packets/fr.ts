// Frame Relay (Q.922 addresses), as tcpdump's print-fr.c.

import { ETHERTYPE_NAMES } from './ethertypes.js';
import { printUnknownData } from './icmpv6.js';
import { printSnap } from './llc.js';
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
  if (p.qflag) {
    p.print(`Q.922, DLCI ${dlci}, length ${length}: `);
    return;
  }
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
      if (p.next.printEthertype(p, et, q, length - addrLen - 2, p.avail(o) - addrLen - 2))
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
      p.next.printIp(p, q, len);
      break;
    case 0x8e:
      p.next.printIp6(p, q, len);
      break;
    case 0x81:
    case 0x82:
    case 0x83:
      p.next.printIsoclns(p, q - 1, len + 1);
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
      p.next.printPpp(p, q, len);
      break;
    default:
      if (!p.eflag) frHdr(p, len + hdrLen, addrLen, dlci, flags, nlpid);
      p.defaultPrint(q, len, 'x'); // print-fr.c checks -x only
  }
  return hdrLen;
}

const hex2 = (v: number) => v.toString(16).padStart(2, '0');

const Q933_MSGS: Tok = new Map([
  [0x00, 'ESC to National'],
  [0x01, 'Alert'],
  [0x02, 'Call proceeding'],
  [0x07, 'Connect'],
  [0x0f, 'Connect ACK'],
  [0x03, 'Progress'],
  [0x05, 'Setup'],
  [0x45, 'Disconnect'],
  [0x4d, 'Release'],
  [0x5a, 'Release Complete'],
  [0x46, 'Restart'],
  [0x4e, 'Restart ACK'],
  [0x7d, 'Status Reply'],
  [0x75, 'Status Enquiry'],
]);

/** fr_q933_print_ie_codeset_0_5 without -v: link verify and PVC status IEs; true when known. */
function q933Ie(p: Printer, iecode: number, ielength: number, o: number): boolean {
  switch (iecode) {
    case 0x01:
    case 0x51:
      if (ielength < 1) p.print(', Invalid REPORT TYPE IE');
      return true;
    case 0x03:
    case 0x53:
    case 0x19:
      p.print(', ');
      if (ielength < 2) p.print('Invalid LINK VERIFY IE');
      else
        p.print(
          `TX Seq: ${String(p.u8(o)).padStart(3)}, RX Seq: ${String(p.u8(o + 1)).padStart(3)}`,
        );
      return true;
    case 0x07:
    case 0x57: {
      p.print(', ');
      const b = (i: number) => p.u8(o + i);
      if (
        ielength < 3 ||
        b(0) & 0x80 ||
        (ielength === 3 && !(b(1) & 0x80)) ||
        (ielength === 4 && (b(1) & 0x80 || !(b(2) & 0x80))) ||
        (ielength === 5 && (b(1) & 0x80 || b(2) & 0x80 || !(b(3) & 0x80))) ||
        ielength > 5 ||
        !(b(ielength - 1) & 0x80)
      ) {
        p.print('Invalid DLCI in PVC STATUS IE');
        return true;
      }
      let dlci = ((b(0) & 0x3f) << 4) | ((b(1) & 0x78) >> 3);
      if (ielength === 4) dlci = (dlci << 6) | ((b(2) & 0x7e) >> 1);
      else if (ielength === 5) dlci = (dlci << 13) | (b(2) & 0x7f) | ((b(3) & 0x7e) >> 1);
      const last = b(ielength - 1);
      p.print(
        `DLCI ${dlci >>> 0}: status ${last & 8 ? 'New, ' : ''}${last & 2 ? 'Active' : 'Inactive'}`,
      );
      return true;
    }
  }
  return false;
}

/** q933_print without -v: ITU-T Q.933 (and ANSI T1.617 Annex D) signalling, as LMI uses it. */
export function printQ933(p: Printer, o: number, length0: number): void {
  p.protocol = 'q.933';
  let length = length0;
  let q = o;
  const sep = () => {
    if (!p.eflag) p.print(', ');
  };
  p.print(p.eflag ? '' : 'Q.933');
  if (length === 0 || !p.has(q, 1)) {
    sep();
    p.print(`length ${length}`);
    p.trunc();
    return;
  }
  const olen = length;
  const callRefLength = p.u8(q) & 0x0f;
  q++;
  length--;
  const callRef: number[] = [];
  for (let i = 0; i < callRefLength; i++) {
    if (length === 0 || !p.has(q, 1)) {
      sep();
      p.print(`length ${olen}`);
      p.trunc();
      return;
    }
    callRef.push(p.u8(q));
    q++;
    length--;
  }
  if (length === 0 || !p.has(q, 1)) {
    sep();
    p.print(`length ${olen}`);
    p.trunc();
    return;
  }
  const msgtype = p.u8(q);
  q++;
  length--;
  let codeset = 0;
  let isAnsi = false;
  let nonLockingShift = 0;
  let unshiftCodeset = codeset;
  if (length !== 0) {
    if (!p.has(q, 1)) {
      sep();
      p.print(`length ${olen}`);
      p.trunc();
      return;
    }
    const iecode = p.u8(q);
    if ((iecode & 0xf0) === 0x90) {
      q++;
      length--;
      codeset = iecode & 7;
      if (!(iecode & 8)) {
        if (codeset === 5) isAnsi = true;
      } else {
        nonLockingShift = 1;
        unshiftCodeset = 0;
      }
    }
  }
  sep();
  p.print(`${isAnsi ? 'ANSI' : 'CCITT'}, codeset ${codeset}`);
  if (callRefLength !== 0 && (callRefLength > 1 || p.u8(q) !== 0))
    p.print(`, Call Ref: 0x${callRef.map(hex2).join('')}`);
  p.print(`, ${tok2str(Q933_MSGS, 'unknown message 0x%02x', msgtype)}`);
  while (length !== 0) {
    if (nonLockingShift === 1) nonLockingShift = 2;
    else if (nonLockingShift === 2) {
      codeset = unshiftCodeset;
      nonLockingShift = 0;
    }
    if (!p.has(q, 1)) {
      p.print(`, length ${olen}`);
      p.trunc();
      return;
    }
    const iecode = p.u8(q);
    q++;
    length--;
    if (iecode & 0x80) {
      if ((iecode & 0xf0) === 0x90) {
        if (!(iecode & 8)) nonLockingShift = 0;
        else {
          nonLockingShift = 1;
          unshiftCodeset = codeset;
        }
        codeset = iecode & 7;
      }
      continue;
    }
    if (length === 0 || !p.has(q, 1)) {
      p.print(`, length ${olen}`);
      p.trunc();
      return;
    }
    const ielength = p.u8(q);
    q++;
    length--;
    if (iecode === 0 || ielength === 0) return;
    if (length < ielength || !p.has(q, ielength)) {
      p.print(`, length ${olen}`);
      p.trunc();
      return;
    }
    if (codeset === 0 || codeset === 5) q933Ie(p, iecode, ielength, q);
    length -= ielength;
    q += ielength;
  }
  p.print(`, length ${olen}`);
}

const FRF_FLAGS: Tok = new Map([
  [0x80, 'Begin'],
  [0x40, 'End'],
  [0x20, 'Control'],
]);

/** frf15_print: FRF.15 end-to-end or interface fragmentation header. */
function printFrf15(p: Printer, o: number, length: number): void {
  if (length < 2) {
    p.trunc();
    return;
  }
  const flags = p.u8(o) & 0xe0;
  const seq = ((p.u8(o) & 0x1e) << 7) | p.u8(o + 1);
  p.print(
    `FRF.15, seq 0x${seq.toString(16).padStart(3, '0')}, Flags [${bittok2str(FRF_FLAGS, 'none', flags)}],${p.u8(o) & 1 ? 'Interface' : 'End-to-End'} Fragmentation, length ${length}`,
  );
}

const MFR_MSGS: Tok = new Map([
  [1, 'Add Link'],
  [2, 'Add Link ACK'],
  [3, 'Add Link Reject'],
  [4, 'Hello'],
  [5, 'Hello ACK'],
  [6, 'Remove Link'],
  [7, 'Remove Link ACK'],
]);

/** mfr_print without -v: FRF.16 multilink control frames and fragments. Returns the header length. */
export function printMfr(p: Printer, o: number, length: number): number {
  p.protocol = 'mfr';
  if (length < 4) {
    p.print(`[length ${length} < 4]`);
    p.invalid();
    return length;
  }
  if (!p.has(o, 4)) {
    p.trunc();
    return length;
  }
  const b0 = p.u8(o);
  const flags = bittok2str(FRF_FLAGS, 'none', b0 & 0xe0);
  if ((b0 & 0xe0) === 0xe0 && p.u8(o + 1) === 0) {
    p.print(
      `FRF.16 Control, Flags [${flags}], ${tok2str(MFR_MSGS, 'Unknown Message (0x%02x)', p.u8(o + 2))}, length ${length}`,
    );
    return 3;
  }
  const seq = ((b0 & 0x1e) << 7) | p.u8(o + 1);
  if ((b0 & 0xe0) === 0xc0 || (b0 & 0xe0) === 0x80) {
    p.print(`FRF.16 Frag, seq ${seq}, Flags [${flags}], `);
    printFr(p, o + 2, length - 2);
    return 2;
  }
  p.print(`FRF.16 Frag, seq ${seq}, Flags [${flags}]`);
  printUnknownData(p, o, '\n\t', length);
  return 0;
}

/** DLT_MFR (182). */
export function printMfrIf(p: Printer, length: number, caplen: number): void {
  p.protocol = 'mfr';
  if (caplen < 2) {
    p.trunc();
    p.llHdrLen += caplen;
    return;
  }
  p.llHdrLen += printMfr(p, 0, length);
}
