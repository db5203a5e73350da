// Not decoded yet: a placeholder printer (name and length).
import type { Printer } from './printer.js';

export function printAtalk(p: Printer, _o: number, length: number): void {
  p.print(`atalk length ${length}`);
}
