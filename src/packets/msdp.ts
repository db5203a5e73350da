// MSDP (RFC 3618) as tcpdump's print-msdp.c prints it without -v.
import type { Printer } from './printer.js';

export function printMsdp(p: Printer, o: number, length0: number): void {
  p.protocol = 'msdp';
  p.print(': msdp');
  let sp = o;
  let length = length0;
  let type = p.u8(sp);
  let len = p.u16(sp + 1);
  if (len > 1500 || len < 3 || type === 0 || type > 7) {
    p.trunc();
    return;
  }
  while (length !== 0) {
    type = p.u8(sp);
    len = p.u16(sp + 1);
    if (len > 1400) p.print(` [len ${len}]`);
    if (len < 3 || length < len) {
      p.trunc();
      return;
    }
    sp += 3;
    length -= 3;
    switch (type) {
      case 1:
      case 3: {
        p.print(type === 1 ? ' SA' : ' SA-Response');
        const n = p.u8(sp);
        p.print(` ${n} entries`);
        if (n * 12 + 8 < len) p.print(' [w/data]');
        break;
      }
      case 2:
        p.print(` SA-Request for ${p.ip4(sp + 1)}`);
        break;
      case 4:
        p.print(' Keepalive');
        if (len !== 3) p.print(`[len=${len}] `);
        break;
      case 5:
        p.print(' Notification');
        break;
      default:
        p.print(` [type=${type} len=${len}]`);
    }
    sp += len - 3;
    length -= len - 3;
  }
}
