// ISO CALM FAST, as tcpdump's print-calm-fast.c without -v.

import type { LinkAddrs } from './ethertypes.js';
import type { Printer } from './printer.js';

/** calm_fast_print: `CALM FAST src:M; SrcNwref:N; DstNwref:N; `. */
export function printCalmFast(p: Printer, o: number, length: number, src?: LinkAddrs): void {
  p.protocol = 'calm_fast';
  p.print('CALM FAST');
  if (src) p.print(` src:${p.mac(src.src)}`);
  p.print('; ');
  if (length < 2) {
    p.print(` (length ${length} < 2)`);
    p.invalid();
    p.need(o, length);
    return;
  }
  p.print(`SrcNwref:${p.u8(o)}; `);
  p.print(`DstNwref:${p.u8(o + 1)}; `);
}
