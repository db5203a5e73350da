// ARCnet (BSD and Linux headers), as tcpdump's print-arcnet.c.
import { printArp } from './arp.js';
import { printAtalk } from './atalk.js';
import { printIp } from './ipv4.js';
import { printIp6 } from './ipv6.js';
import { printIpx } from './ipx.js';
import { type Printer, type Tok, tok2str } from './printer.js';

const TYPES: Tok = new Map([
  [240, 'oldip'],
  [241, 'oldarp'],
  [212, 'ip'],
  [213, 'arp'],
  [214, 'rarp'],
  [221, 'atalk'],
  [247, 'banyan'],
  [250, 'ipx'],
  [0xc4, 'ipv6'],
  [0x80, 'diag'],
]);

const x2 = (v: number) => v.toString(16).padStart(2, '0');

/** arcnet_print: the -e header text (and the header lines tcpdump prints before giving up). */
function header(p: Printer, length: number, phds: boolean, flag: number, seqid: number): void {
  p.protocol = 'arcnet';
  if (p.qflag) {
    p.print(`${x2(p.u8(0))} ${x2(p.u8(1))} ${length}: `);
    return;
  }
  const name = tok2str(TYPES, '%02x', p.u8(2));
  const hosts = `${x2(p.u8(0))} ${x2(p.u8(1))} ${name}`;
  if (!phds) p.print(`${hosts} ${length}: `);
  else if (flag === 0) p.print(`${hosts} seqid ${seqid.toString(16).padStart(4, '0')} ${length}: `);
  else if (flag & 1)
    p.print(
      `${hosts} seqid ${seqid.toString(16).padStart(4, '0')} (first of ${Math.floor((flag + 3) / 2)} fragments) ${length}: `,
    );
  else
    p.print(
      `${hosts} seqid ${seqid.toString(16).padStart(4, '0')} (fragment ${Math.floor(flag / 2) + 1}) ${length}: `,
    );
}

function encap(p: Printer, type: number, o: number, length: number, caplen: number): boolean {
  switch (type) {
    case 240:
    case 212:
      printIp(p, o, length);
      return true;
    case 0xc4:
      printIp6(p, o, length);
      return true;
    case 241:
    case 213:
    case 214:
      printArp(p, o, length, caplen);
      return true;
    case 221:
      printAtalk(p, o, length);
      return true;
    case 250:
      printIpx(p, o, length);
      return true;
    default:
      return false;
  }
}

/** arcnet_if_print (DLT_ARCNET). */
export function printArcnet(p: Printer, length: number, caplen: number): void {
  p.protocol = 'arcnet';
  if (caplen < 3) {
    p.llHdrLen += caplen;
    p.stop();
  }
  const type = p.u8(2);
  const phds = !(type === 240 || type === 241 || type === 0x80);
  let flag = 0;
  let seqid = 0;
  let hdr = 3;
  if (phds) {
    if (caplen < 6) {
      header(p, length, false, 0, 0);
      p.print(' phds');
      p.llHdrLen += caplen;
      p.stop();
    }
    flag = p.u8(3);
    if (flag === 0xff) {
      if (caplen < 10) {
        header(p, length, false, 0, 0);
        p.print(' phds extended');
        p.llHdrLen += caplen;
        p.stop();
      }
      flag = p.u8(7);
      seqid = p.u16(8);
      hdr = 10;
    } else {
      seqid = p.u16(4);
      hdr = 6;
    }
  }
  if (p.eflag) header(p, length, phds, flag, seqid);
  if (phds && flag && (flag & 1) === 0) {
    p.llHdrLen += hdr;
    return;
  }
  if (!encap(p, type, hdr, length - hdr, caplen - hdr)) p.defaultPrint(hdr, caplen - hdr, 'never');
  p.llHdrLen += hdr;
}

/** arcnet_linux_if_print (DLT_ARCNET_LINUX): a 2-byte offset before the type. */
export function printArcnetLinux(p: Printer, length: number, caplen: number): void {
  p.protocol = 'arcnet_linux';
  if (caplen < 5) {
    p.llHdrLen += caplen;
    p.stop();
  }
  const type = p.u8(4);
  let hdr = 8;
  if (type === 240 || type === 241 || type === 0x80) hdr = 5;
  else if (caplen < 8) {
    p.llHdrLen += caplen;
    p.stop();
  }
  // tcpdump reads this header through the BSD layout, so -e names the type from byte 2.
  if (p.eflag) header(p, length, false, 0, 0);
  if (!encap(p, type, hdr, length - hdr, caplen - hdr)) p.defaultPrint(hdr, caplen - hdr, 'never');
  p.llHdrLen += hdr;
}
