// SLIP captures (DLT_SLIP, DLT_SLIP_BSDOS) as tcpdump's print-sl.c prints them: with -e the
// direction and the (Van Jacobson compressed) TCP header summary, then the IP packet.
import { printIp } from './ipv4.js';
import { printIp6 } from './ipv6.js';
import type { Printer } from './printer.js';

const HDRLEN = 16;
/** Without a capture-wide state (no tcpSeq option), compressed-TCP lengths start from zero. */
const fallback = { lastlen: new Uint32Array(512), lastconn: 255 };

function change(p: Printer, str: string, cp: number): number {
  let i = p.u8(cp);
  let q = cp;
  if (i === 0) {
    q++;
    i = p.u16(q);
    q += 2;
  } else q++;
  p.print(` ${str}${i}`);
  return q;
}

function winchange(p: Printer, cp: number): number {
  let i = p.u8(cp);
  let q = cp;
  if (i === 0) {
    q++;
    i = (p.u16(q) << 16) >> 16;
    q += 2;
  } else q++;
  p.print(i >= 0 ? ` W+${i}` : ` W${i}`);
  return q;
}

/** The uncompressed TCP/IP header length in 32-bit words, from the IP header that follows. */
function tcpipWords(p: Printer, ip: number): number {
  p.need(ip, 20);
  let hlen = p.u8(ip) & 0x0f;
  p.need(ip + hlen * 4, 20);
  hlen += p.u8(ip + hlen * 4 + 12) >> 4;
  return hlen;
}

function linkHeader(p: Printer, ip: number, length: number): void {
  const st = p.tcpSeq?.slip ?? fallback;
  let dir = p.u8(0);
  if (dir === 0) p.print('I ');
  else if (dir === 1) p.print('O ');
  else {
    p.print(`Invalid direction ${dir} `);
    dir = -1;
  }
  const chdr = p.u8(1);
  switch (chdr & 0xf0) {
    case 0x40:
      p.print(`ip ${length + HDRLEN}: `);
      return;
    case 0x70: {
      st.lastconn = p.u8(1 + 9);
      p.print(`utcp ${st.lastconn}: `);
      if (dir === -1) return;
      const hlen = tcpipWords(p, ip);
      st.lastlen[dir * 256 + st.lastconn] = (length - (hlen << 2)) >>> 0;
      return;
    }
  }
  if (dir === -1) return;
  if (!(chdr & 0x80)) {
    p.print(`slip-${chdr}!: `);
    return;
  }
  // compressed_sl_print
  let cp = 1;
  const flags = p.u8(cp);
  cp++;
  if (flags & 0x40) {
    st.lastconn = p.u8(cp);
    cp++;
    p.print(`ctcp ${st.lastconn}`);
  } else p.print('ctcp *');
  cp += 2;
  const slot = () => dir * 256 + st.lastconn;
  switch (flags & 0x0f) {
    case 0x0b:
      p.print(` *SA+${st.lastlen[slot()]}`);
      break;
    case 0x0f:
      p.print(` *S+${st.lastlen[slot()]}`);
      break;
    default:
      if (flags & 0x01) cp = change(p, 'U=', cp);
      if (flags & 0x02) cp = winchange(p, cp);
      if (flags & 0x04) cp = change(p, 'A+', cp);
      if (flags & 0x08) cp = change(p, 'S+', cp);
  }
  if (flags & 0x20) cp = change(p, 'I+', cp);
  const hlen = tcpipWords(p, ip);
  st.lastlen[slot()] = (length - (hlen << 2)) >>> 0;
  p.print(` ${st.lastlen[slot()]} (${cp - 1}): `);
}

/** sl_if_print (DLT 8) and sl_bsdos_if_print (DLT 15). */
export function printSlipIf(p: Printer, length0: number, bsdos: boolean): void {
  p.protocol = bsdos ? 'slip_bsdos' : 'slip';
  p.need(0, HDRLEN);
  p.llHdrLen += HDRLEN;
  const length = (length0 - HDRLEN) >>> 0;
  if (bsdos) {
    printIp(p, HDRLEN, length);
    return;
  }
  if (p.eflag) linkHeader(p, HDRLEN, length);
  const v = p.u8(HDRLEN) >> 4;
  if (v === 4) printIp(p, HDRLEN, length);
  else if (v === 6) printIp6(p, HDRLEN, length);
  else p.print(`ip v${v}`);
}
