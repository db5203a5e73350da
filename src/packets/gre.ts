// GRE (RFC 2784/2890, and the PPTP version 1 of RFC 2637), as tcpdump's print-gre.c without -v.

import { printAtalk } from './atalk.js';
import { ETHERTYPE_NAMES } from './ethertypes.js';
import { printIpx } from './ipx.js';
import { type Printer, tok2str } from './printer.js';

const CP = 0x8000;
const RP = 0x4000;
const KP = 0x2000;
const SP = 0x1000;
const AP = 0x0080;

/** gre_print. */
export function printGre(p: Printer, o: number, length: number): void {
  p.protocol = 'gre';
  if (!p.has(o, 2) || length < 2) {
    p.trunc();
    return;
  }
  const vers = p.u16(o) & 7;
  p.print(`GREv${vers}`);
  if (vers === 0) gre0(p, o, length);
  else if (vers === 1) gre1(p, o, length);
  else p.print(' ERROR: unknown-version');
}

/** Bail out of a GRE header that ends early, as the printer's `goto trunc`. */
class Short {}

function gre0(p: Printer, o: number, length: number): void {
  let len = length;
  let bp = o;
  const take = (n: number) => {
    if (!p.has(bp, n) || len < n) throw new Short();
  };
  try {
    const flags = p.u16(bp);
    len -= 2;
    bp += 2;
    take(2);
    const prot = p.u16(bp);
    len -= 2;
    bp += 2;
    if (flags & (CP | RP)) {
      take(2);
      bp += 2;
      len -= 2;
      take(2);
      p.print(`, off 0x${p.u16(bp).toString(16)}`);
      bp += 2;
      len -= 2;
    }
    if (flags & KP) {
      take(4);
      p.print(`, key=0x${p.u32(bp).toString(16)}`);
      bp += 4;
      len -= 4;
    }
    if (flags & SP) {
      take(4);
      p.print(`, seq ${p.u32(bp)}`);
      bp += 4;
      len -= 4;
    }
    if (flags & RP) {
      for (;;) {
        take(4);
        const af = p.u16(bp);
        const sreoff = p.u8(bp + 2);
        const srelen = p.u8(bp + 3);
        bp += 4;
        len -= 4;
        if (af === 0 && srelen === 0) break;
        if (!sreText(p, af, sreoff, srelen, bp, len)) throw new Short();
        if (len < srelen) throw new Short();
        bp += srelen;
        len -= srelen;
      }
    }
    if (p.eflag)
      p.print(
        `, proto ${tok2str(ETHERTYPE_NAMES, 'unknown', prot)} (0x${prot.toString(16).padStart(4, '0')})`,
      );
    p.print(`, length ${length}: `);
    switch (prot) {
      case 0x0800:
        p.next.printIp(p, bp, len);
        break;
      case 0x86dd:
        p.next.printIp6(p, bp, len);
        break;
      case 0x8847:
        p.next.printMpls(p, bp, len);
        break;
      case 0x8137:
        printIpx(p, bp, len);
        break;
      case 0x809b:
        printAtalk(p, bp, len);
        break;
      case 0x00fe:
        p.next.printIsoclns(p, bp, len);
        break;
      case 0x6558:
        p.next.printEther(p, bp, len, p.avail(bp));
        break;
      default:
        p.print(`gre-proto-0x${prot.toString(16)}`);
    }
  } catch (e) {
    if (!(e instanceof Short)) throw e;
    p.trunc();
  }
}

function sreText(
  p: Printer,
  af: number,
  sreoff: number,
  srelen0: number,
  bp0: number,
  len0: number,
): boolean {
  let srelen = srelen0;
  let bp = bp0;
  let len = len0;
  const step = af === 0x0800 ? 4 : 2;
  if (af === 0x0800 || af === 0xfffe) {
    p.print(`, (rtaf=${af === 0x0800 ? 'ip' : 'asn'}`);
    let ok = true;
    if (sreoff & (step - 1)) p.print(`, badoffset=${sreoff}`);
    else if (srelen & (step - 1)) p.print(`, badlength=${srelen}`);
    else if (sreoff >= srelen) p.print(`, badoff/len=${sreoff}/${srelen}`);
    else
      while (srelen !== 0) {
        if (!p.has(bp, step) || len < step) {
          ok = false;
          break;
        }
        const mark = bp - bp0 === sreoff ? '*' : '';
        p.print(` ${mark}${step === 4 ? p.ip4(bp) : p.u16(bp).toString(16)}`);
        bp += step;
        len -= step;
        srelen -= step;
      }
    p.print(')');
    return ok;
  }
  p.print(`, (rtaf=0x${af.toString(16)})`);
  return true;
}

function gre1(p: Printer, o: number, length: number): void {
  let len = length;
  let bp = o;
  const flags = p.u16(bp);
  len -= 2;
  bp += 2;
  const short = () => p.trunc();
  if (!p.has(bp, 2) || len < 2) {
    short();
    return;
  }
  const prot = p.u16(bp);
  len -= 2;
  bp += 2;
  if (flags & KP) {
    if (!p.has(bp, 4) || len < 4) {
      short();
      return;
    }
    p.print(`, call ${p.u32(bp) & 0xffff}`);
    len -= 4;
    bp += 4;
  }
  if (flags & SP) {
    if (!p.has(bp, 4) || len < 4) {
      short();
      return;
    }
    p.print(`, seq ${p.u32(bp)}`);
    bp += 4;
    len -= 4;
  }
  if (flags & AP) {
    if (!p.has(bp, 4) || len < 4) {
      short();
      return;
    }
    p.print(`, ack ${p.u32(bp)}`);
    bp += 4;
    len -= 4;
  }
  if ((flags & SP) === 0) p.print(', no-payload');
  if (p.eflag)
    p.print(
      `, proto ${tok2str(ETHERTYPE_NAMES, 'unknown', prot)} (0x${prot.toString(16).padStart(4, '0')})`,
    );
  p.print(`, length ${length}`);
  if ((flags & SP) === 0) return;
  p.print(': ');
  if (prot === 0x880b) p.next.printPpp(p, bp, len);
  else p.print(`gre-proto-0x${prot.toString(16)}`);
}
