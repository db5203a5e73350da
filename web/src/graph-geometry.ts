// The size of a box in the drawn graph, from its text. The graph uses a monospace font, so sizes
// follow from character counts alone, and the layout can run in a worker, where nothing can be
// measured.
import { type Program, printTcpdumpDLine } from '../../src/index.js';
import type { Block } from './cfg.js';

/** Height of one line, width of one character (12 px monospace), padding inside a box. */
export const LINE = 16;
export const CHAR = 7.3;
export const PAD = 6;

/** What a leaf's last line says, so a leaf reads as a verdict without its colour. */
export const LEAF_TAG = { accept: '✓ accept', drop: '✗ drop', 'ret A': '→ returns A' } as const;

/** A box's text: its instructions as tcpdump -d prints them (spaces folded), then a leaf's tag. */
export function blockLines(program: Program, b: Block): string[] {
  const out: string[] = [];
  for (let pc = b.start; pc <= b.end; pc++)
    out.push(printTcpdumpDLine(program[pc], pc).replace(/\s+/g, ' ').trim());
  if (b.leaf) out.push(LEAF_TAG[b.leaf]);
  return out;
}

export function blockSize(lines: readonly string[]): { width: number; height: number } {
  return {
    width: Math.ceil(Math.max(...lines.map((l) => l.length)) * CHAR + 2 * PAD),
    height: lines.length * LINE + 2 * PAD,
  };
}
