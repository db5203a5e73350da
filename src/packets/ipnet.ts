// Solaris IPNET (DLT_IPNET), as tcpdump's print-ipnet.c.
import { printIp } from './ipv4.js';
import { printIp6 } from './ipv6.js';
import type { Printer } from './printer.js';

function hdr(p: Printer, length: number): void {
  const fam = p.u8(1);
  p.print(
    `${p.u32(16)} > ${p.u32(20)}, ${p.qflag ? (fam === 2 ? 'IPv4' : fam === 26 ? 'IPv6' : `Unknown Ethertype (0x${fam.toString(16).padStart(4, '0')})`) : `family ${fam === 2 ? 'IPv4' : fam === 26 ? 'IPv6' : 'Unknown'} (${fam})`}, length ${length}: `,
  );
}

/** ipnet_if_print. */
export function printIpnet(p: Printer, length: number, caplen: number): void {
  p.protocol = 'ipnet';
  if (!p.has(0, 24)) {
    p.trunc();
    return;
  }
  p.llHdrLen += 24;
  if (p.eflag) hdr(p, length);
  const fam = p.u8(1);
  if (fam === 2) printIp(p, 24, length - 24);
  else if (fam === 26) printIp6(p, 24, length - 24);
  else {
    if (!p.eflag) hdr(p, length);
    p.defaultPrint(24, caplen - 24);
  }
}
