// SSH as tcpdump's print-ssh.c prints it: only the version line of the banner exchange.
import type { Printer } from './printer.js';

/** ssh_print: `: SSH: SSH-2.0-...` when the payload starts with a complete printable version line. */
export function printSsh(p: Printer, o: number, len: number): void {
  p.protocol = 'ssh';
  for (let i = 0; i < 4; i++) if (p.u8(o + i) !== 'SSH-'.charCodeAt(i)) return;
  let idx = 4;
  while (idx < len) {
    const c = p.u8(o + idx);
    if (c === 0x0a) break;
    if (c === 0x0d) {
      if (idx + 1 >= len) return;
      if (p.u8(o + idx + 1) === 0x0a) break;
      return;
    }
    if (c < 0x20 || c > 0x7e) return;
    idx++;
  }
  if (idx >= len) return;
  p.print(': SSH: ');
  for (let i = 0; i < idx; i++) p.print(String.fromCharCode(p.b[o + i]));
}
