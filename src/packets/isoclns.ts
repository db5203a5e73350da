// OSI network layer: CLNP, ES-IS and IS-IS (ISO 8473/9542/10589), as tcpdump's print-isoclns.c
// prints them without -v, dispatched by the NLPID byte.
import { NLPID_NAMES, printQ933 } from './fr.js';
import { printUnknownData } from './icmpv6.js';
import { type Printer, type Tok, tok2str } from './printer.js';

const CLNP_TYPES: Tok = new Map([
  [1, 'Error Report'],
  [29, 'MD'],
  [28, 'Data'],
  [30, 'Echo Request'],
  [31, 'Echo Response'],
]);
const ESIS_TYPES: Tok = new Map([
  [6, 'redirect'],
  [2, 'ESH'],
  [4, 'ISH'],
]);
const ISIS_TYPES: Tok = new Map([
  [15, 'L1 Lan IIH'],
  [16, 'L2 Lan IIH'],
  [17, 'p2p IIH'],
  [18, 'L1 LSP'],
  [20, 'L2 LSP'],
  [24, 'L1 CSNP'],
  [25, 'L2 CSNP'],
  [26, 'L1 PSNP'],
  [27, 'L2 PSNP'],
]);

const hex2 = (v: number) => v.toString(16).padStart(2, '0');

/** isoclns_print: `p` points at the NLPID. */
export function printIsoclns(p: Printer, o: number, length: number): void {
  p.protocol = 'isoclns';
  const nlpid = p.u8(o);
  if (p.eflag) p.print(`OSI NLPID ${tok2str(NLPID_NAMES, 'Unknown', nlpid)} (0x${hex2(nlpid)}): `);
  switch (nlpid) {
    case 0x81:
      if (!printClnp(p, o, length)) printUnknownData(p, o, '\n\t', length);
      break;
    case 0x82:
      printEsis(p, o, length);
      break;
    case 0x83:
      if (!printIsis(p, o, length)) printUnknownData(p, o, '\n\t', length);
      break;
    case 0x00:
      p.print(`${p.eflag ? '' : ', '}length: ${length}`);
      break;
    case 0x08:
      printQ933(p, o + 1, length - 1);
      break;
    case 0xcc:
      p.next.printIp(p, o + 1, length - 1);
      break;
    case 0x8e:
      p.next.printIp6(p, o + 1, length - 1);
      break;
    case 0xcf:
      p.next.printPpp(p, o + 1, length - 1);
      break;
    default:
      if (!p.eflag) p.print(`OSI NLPID 0x${hex2(nlpid)} unknown`);
      p.print(`${p.eflag ? '' : ', '}length: ${length}`);
      if (length > 1) printUnknownData(p, o, '\n\t', length);
  }
}

/** isonsap_string: pairs of hex digits separated after the first byte and every two after. */
function nsapText(p: Printer, o: number, len: number): string {
  if (len < 1 || len > 20) return 'isonsap_string: illegal length';
  p.need(o, len);
  let s = '';
  for (let i = 0; i < len; i++) {
    s += hex2(p.b[o + i]);
    if ((i & 1) === 0 && i + 1 < len) s += '.';
  }
  return s;
}

function minPdu(p: Printer, o: number, li: number): void {
  p.print(` length indicator ${li} < min PDU size:`);
  for (let q = o; q < p.snapend; q++) p.print(hex2(p.u8(q)).toUpperCase());
}

function printClnp(p: Printer, o: number, length: number): boolean {
  p.protocol = 'clnp';
  if (!p.has(o, 9)) {
    p.trunc();
    return true;
  }
  const li = p.u8(o + 1);
  if (!p.eflag) p.protocolCaps();
  if (p.u8(o + 2) !== 1) {
    p.print(`version ${p.u8(o + 2)} packet not supported`);
    return false;
  }
  if (li > length) {
    p.print(` length indicator(${li}) > PDU size (${length})!`);
    return false;
  }
  if (li < 9) {
    minPdu(p, o, li);
    return false;
  }
  const type = p.u8(o + 4) & 0x1f;
  let q = o + 9;
  let rem = li - 9;
  const short = () => {
    p.print('li < size of fixed part of CLNP header and addresses');
    return false;
  };
  if (rem < 1) return short();
  const dlen = p.u8(q);
  q++;
  rem--;
  if (rem < dlen) return short();
  if (!p.has(q, dlen)) {
    p.trunc();
    return true;
  }
  const dst = q;
  q += dlen;
  rem -= dlen;
  if (rem < 1) return short();
  const slen = p.u8(q);
  q++;
  rem--;
  if (rem < slen) return short();
  if (!p.has(q, slen)) {
    p.trunc();
    return true;
  }
  p.print(
    `${p.eflag ? '' : ', '}${nsapText(p, q, slen)} > ${nsapText(p, dst, dlen)}, ${tok2str(CLNP_TYPES, 'unknown (%u)', type)}, length ${length}`,
  );
  return true;
}

function printEsis(p: Printer, o: number, length: number): void {
  p.protocol = 'esis';
  if (!p.eflag) p.print('ES-IS');
  if (length <= 2) {
    p.print('no header at all!');
    return;
  }
  if (!p.has(o, 9)) {
    p.trunc();
    return;
  }
  const li = p.u8(o + 1);
  if (p.u8(o) !== 0x82) {
    p.print(` nlpid 0x${hex2(p.u8(o))} packet not supported`);
    return;
  }
  if (p.u8(o + 2) !== 1) {
    p.print(` version ${p.u8(o + 2)} packet not supported`);
    return;
  }
  if (li > length) {
    p.print(` length indicator(${li}) > PDU size (${length})!`);
    return;
  }
  if (li < 11) {
    minPdu(p, o, li);
    return;
  }
  p.print(
    `${p.eflag ? '' : ', '}${tok2str(ESIS_TYPES, 'unknown type (%u)', p.u8(o + 4) & 0x1f)}, length ${length}`,
  );
}

function isisId(p: Printer, o: number, idLen: number): string {
  let s = '';
  const sys = Math.min(6, idLen);
  for (let i = 1; i <= sys; i++) {
    s += hex2(p.u8(o + i - 1));
    if (i === 2 || i === 4) s += '.';
  }
  if (idLen >= 7) s += `.${hex2(p.u8(o + 6))}`;
  if (idLen === 8) s += `-${hex2(p.u8(o + 7))}`;
  return s;
}

/** isis_print without -v: the PDU type and its identifiers. */
function printIsis(p: Printer, o: number, length: number): boolean {
  p.protocol = 'isis';
  if (!p.has(o, 8) || length < 8) {
    p.trunc();
    return true;
  }
  if (!p.eflag) p.print('IS-IS');
  const version = p.u8(o + 2);
  if (version !== 1) {
    p.print(`version ${version} packet not supported`);
    return false;
  }
  const idLength = p.u8(o + 3);
  if (idLength !== 6 && idLength !== 0) {
    p.print(`system ID length of ${idLength} is not supported`);
    return false;
  }
  const pduVersion = p.u8(o + 5);
  if (pduVersion !== 1) {
    p.print(`version ${pduVersion} packet not supported`);
    return false;
  }
  const fixedLen = p.u8(o + 1);
  if (length < fixedLen) {
    p.print(`fixed header length ${fixedLen} > packet length ${length}`);
    return false;
  }
  if (fixedLen < 8) {
    p.print(`fixed header length ${fixedLen} < minimum header size 8`);
    return false;
  }
  if (p.u8(o + 7) === 255) {
    p.print('bad packet -- 255 areas');
    return false;
  }
  const type = p.u8(o + 4);
  p.print(`${p.eflag ? '' : ', '}${tok2str(ISIS_TYPES, 'unknown PDU-Type %u', type)}`);
  const h = o + 8;
  const fixed = (size: number, dash = false): boolean => {
    if (fixedLen !== 8 + size) {
      p.print(
        `${dash ? '- ' : ', '}bogus fixed header length ${fixedLen} should be ${dash || size !== 19 || type < 18 ? 8 + size : size}`,
      );
      return false;
    }
    if (!p.has(h, size) || length < 8 + size) {
      p.trunc();
      return false;
    }
    return true;
  };
  switch (type) {
    case 15:
    case 16:
      if (!fixed(19)) return fixedLen === 8 + 19;
      p.print(`, src-id ${isisId(p, h + 1, 6)}`);
      p.print(`, lan-id ${isisId(p, h + 12, 7)}, prio ${p.u8(h + 11)}`);
      p.print(`, length ${length}`);
      return true;
    case 17:
      if (!fixed(12)) return fixedLen === 8 + 12;
      p.print(`, src-id ${isisId(p, h + 1, 6)}`);
      p.print(`, length ${length}`);
      return true;
    case 18:
    case 20:
      if (!fixed(19)) return fixedLen === 8 + 19;
      p.print(
        `, lsp-id ${isisId(p, h + 4, 8)}, seq 0x${p
          .u32(h + 12)
          .toString(16)
          .padStart(8, '0')}, lifetime ${String(p.u16(h + 2)).padStart(5)}s`,
      );
      p.print(`, length ${length}`);
      return true;
    case 24:
    case 25:
      if (!fixed(25)) return fixedLen === 8 + 25;
      p.print(`, src-id ${isisId(p, h + 2, 7)}`);
      p.print(`, length ${length}`);
      return true;
    case 26:
    case 27:
      if (!fixed(9, true)) return fixedLen === 8 + 9;
      p.print(`, src-id ${isisId(p, h + 2, 7)}`);
      p.print(`, length ${length}`);
      return true;
    default:
      p.print(`, length ${length}`);
      return true;
  }
}
