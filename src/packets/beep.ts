// BEEP (RFC 3080) as tcpdump's print-beep.c prints it: the frame's keyword.
import type { Printer } from './printer.js';

/** l_strnstart: the 4 bytes at `o` (captured, within `length`) are `word` (NUL-padded). */
function startsWith(p: Printer, o: number, length: number, word: string): boolean {
  if (!p.has(o, 4) || length < 4) return false;
  for (let i = 0; i < 4; i++) {
    const want = i < word.length ? word.charCodeAt(i) : 0;
    if (p.b[o + i] !== want) return false;
    if (want === 0) return true;
  }
  return true;
}

export function printBeep(p: Printer, o: number, length: number): void {
  p.protocol = 'beep';
  for (const [word, name] of [
    ['MSG', 'MSG'],
    ['RPY ', 'RPY'],
    ['ERR ', 'ERR'],
    ['ANS ', 'ANS'],
    ['NUL ', 'NUL'],
    ['SEQ ', 'SEQ'],
    ['END', 'END'],
  ]) {
    if (startsWith(p, o, length, word)) {
      p.print(` BEEP ${name}`);
      return;
    }
  }
  p.print(' BEEP (payload or undecoded)');
}
