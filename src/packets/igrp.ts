// Cisco IGRP (IP protocol 9) as tcpdump's print-igrp.c prints it.
import { type Printer, type Tok, tok2str } from './printer.js';

const OPS: Tok = new Map([
  [1, 'update'],
  [2, 'request'],
]);

function entry(p: Printer, o: number): void {
  const delay = p.u24(o + 3);
  const bandwidth = p.u24(o + 6);
  const metric = Math.min(bandwidth + delay, 0xffffff);
  const mtu = p.u16(o + 9);
  p.print(
    ` d=${10 * delay} b=${bandwidth === 0 ? 0 : Math.floor(10000000 / bandwidth)} r=${p.u8(o + 11)} l=${p.u8(o + 12)} M=${metric} mtu=${mtu} in ${p.u8(o + 13)} hops`,
  );
}

export function printIgrp(p: Printer, o: number, length0: number): void {
  p.protocol = 'igrp';
  p.print('igrp:');
  let nint = p.u16(o + 4);
  let nsys = p.u16(o + 6);
  let next = p.u16(o + 8);
  const vop = p.u8(o);
  p.print(
    ` ${tok2str(OPS, 'op-#%u', vop & 0xf)} V${vop >> 4} edit=${p.u8(o + 1)} AS=${p.u16(o + 2)} (${nint}/${nsys}/${next})`,
  );
  p.u16(o + 10);
  let length = (length0 - 12) >>> 0;
  let cp = o + 12;
  while (length >= 14) {
    const n0 = p.u8(cp);
    const n1 = p.u8(cp + 1);
    const n2 = p.u8(cp + 2);
    if (nint > 0) {
      p.print(` *.${n0}.${n1}.${n2}`);
      entry(p, cp);
      nint--;
    } else if (nsys > 0) {
      p.print(` ${n0}.${n1}.${n2}.0`);
      entry(p, cp);
      nsys--;
    } else if (next > 0) {
      p.print(` X${n0}.${n1}.${n2}.0`);
      entry(p, cp);
      next--;
    } else {
      p.print(` [extra bytes ${length}]`);
      break;
    }
    cp += 14;
    length -= 14;
  }
  if (nint || nsys || next || length) p.invalid();
}
