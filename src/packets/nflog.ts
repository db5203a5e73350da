// Linux NFLOG (DLT_NFLOG), as tcpdump's print-nflog.c.
import { printIp } from './ipv4.js';
import { printIp6 } from './ipv6.js';
import type { Printer } from './printer.js';

function hdr(p: Printer, length: number): void {
  const fam = p.u8(0);
  const name = fam === 2 ? 'IPv4' : fam === 10 ? 'IPv6' : undefined;
  const family = p.qflag
    ? (name ?? `Unknown NFLOG (0x${fam.toString(16).padStart(2, '0')})`)
    : `family ${name ?? 'Unknown'} (${fam})`;
  p.print(`version ${p.u8(1)}, resource ID ${p.u16(2)}, ${family}, length ${length}: `);
}

/** nflog_if_print: TLVs up to the payload TLV, then IPv4/IPv6. */
export function printNflog(p: Printer, length0: number, caplen0: number): void {
  p.protocol = 'nflog';
  if (caplen0 < 4) {
    p.trunc();
    p.llHdrLen += caplen0;
    return;
  }
  p.llHdrLen += 4;
  if (p.u8(1) !== 0) {
    p.print(`version ${p.u8(1)} (unknown)`);
    return;
  }
  if (p.eflag) hdr(p, length0);
  let q = 4;
  let length = length0 - 4;
  let caplen = caplen0 - 4;
  let hSize = 4;
  const trunc = () => {
    p.trunc();
    p.llHdrLen += hSize - 4;
  };
  while (length > 0) {
    if (caplen < 4) {
      trunc();
      return;
    }
    let size = p.le16(q);
    if (size % 4 !== 0) size += 4 - (size % 4);
    if (size < 4) {
      trunc();
      return;
    }
    if (caplen < size) {
      trunc();
      return;
    }
    if (p.le16(q + 2) === 9) {
      q += 4;
      hSize += 4;
      length -= 4;
      caplen -= 4;
      break;
    }
    q += size;
    hSize += size;
    length -= size;
    caplen -= size;
  }
  const fam = p.u8(0);
  if (fam === 2) printIp(p, q, length);
  else if (fam === 10) printIp6(p, q, length);
  else {
    if (!p.eflag) hdr(p, length + 4);
    p.defaultPrint(q, caplen);
  }
  p.llHdrLen += hSize - 4;
}
