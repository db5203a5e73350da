// Network Service Header (RFC 8300) as tcpdump's print-nsh.c prints it without -v.

import { bittok2str, type Printer } from './printer.js';

const FLAGS = new Map([[0x2, 'O']]);

export function printNsh(p: Printer, o: number, len: number): void {
  p.protocol = 'nsh';
  if (len < 8) {
    p.print(` (packet length ${len} < 8)`);
    p.invalid();
    return;
  }
  const base = p.u32(o);
  const ver = base >>> 30;
  const length = (base >>> 16) & 0x3f;
  const next = base & 0xff;
  p.print('NSH, ');
  if (ver !== 0) return;
  p.print(`flags [${bittok2str(FLAGS, 'none', (base >>> 28) & 3, '')}], `);
  if (len < length * 4) {
    p.print(` (too many headers for packet length ${len})`);
    p.invalid();
    return;
  }
  p.print(
    `service-path-id 0x${p
      .u24(o + 4)
      .toString(16)
      .padStart(6, '0')}, `,
  );
  p.print(`service-index 0x${p.u8(o + 7).toString(16)}`);
  if (length < 2) {
    p.print(' (less than two headers)');
    p.invalid();
    return;
  }
  const bp = o + 8 + (length - 2) * 4;
  p.need(o + 8, (length - 2) * 4);
  p.print(': ');
  const nextLen = len - length * 4;
  switch (next) {
    case 1:
      p.next.printIp(p, bp, nextLen);
      break;
    case 2:
      p.next.printIp6(p, bp, nextLen);
      break;
    case 3:
      p.next.printEther(p, bp, nextLen, p.avail(bp));
      break;
    default:
      p.print('ERROR: unknown-next-protocol');
  }
}
