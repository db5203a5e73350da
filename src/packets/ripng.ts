// RIPng (RFC 2080) as tcpdump's print-ripng.c prints it without -v.
import type { Printer } from './printer.js';

function entry(p: Printer, o: number, metric: boolean): void {
  p.print(`${p.ip6(o)}/${p.u8(o + 18)}`);
  const tag = p.u16(o + 16);
  if (tag) p.print(` [${tag}]`);
  const m = p.u8(o + 19);
  if (m && metric) p.print(` (${m})`);
}

export function printRipng(p: Printer, o: number, length: number): void {
  p.protocol = 'ripng';
  const vers = p.u8(o + 1);
  if (vers !== 1) {
    p.print(` [vers ${vers}]`);
    p.invalid();
    return;
  }
  const cmd = p.u8(o);
  if (cmd !== 1 && cmd !== 2) {
    p.print(` ripng-${cmd} ?? ${length}`);
    p.invalid();
    return;
  }
  if (length < 4) {
    p.invalid();
    return;
  }
  let left = length - 4;
  const j = Math.floor(left / 20);
  if (cmd === 1 && j === 1) {
    let unspecified = p.u8(o + 4 + 19) === 16;
    for (let i = 0; i < 16 && unspecified; i++) if (p.u8(o + 4 + i) !== 0) unspecified = false;
    if (unspecified) {
      p.print(' ripng-req dump');
      return;
    }
  }
  const name = cmd === 1 ? 'ripng-req' : 'ripng-resp';
  p.print(j * 20 !== left ? ` ${name} ${j}[${length}]:` : ` ${name} ${j}:`);
  for (let ni = o + 4; left >= 20; left -= 20, ni += 20) {
    p.print(' ');
    entry(p, ni, cmd === 2);
  }
  if (left !== 0) p.invalid();
}
