// Program text in every form people paste: detect which, parse it, print it.

import { type Endian, fromBytes, type Program, toBytes } from '../encode.js';
import { TextSyntaxError } from '../errors.js';
import type { RawInsn } from '../insn.js';
import { parseBpfAsm, printBpfAsm } from './bpf-asm.js';
import { printCInitializer } from './c-initializer.js';
import {
  parseTcpdumpD,
  parseTcpdumpDD,
  parseTcpdumpDDD,
  printDecimalOneLine,
  printTcpdumpD,
  printTcpdumpDD,
  printTcpdumpDDD,
} from './tcpdump.js';

export * from './bpf-asm.js';
export * from './c-initializer.js';
export * from './tcpdump.js';

/**
 * The text forms cbpf reads and writes. `hex` is the 8-byte sock_filter records, little-endian;
 * `decimal-line` is `-ddd` comma-joined on one line; `c-macros` is a C array of BPF_STMT/BPF_JUMP
 * (read by the `tcpdump-dd` parser, which takes records and macros alike).
 */
export type TextFormat =
  | 'tcpdump-d'
  | 'tcpdump-dd'
  | 'tcpdump-ddd'
  | 'decimal-line'
  | 'c-macros'
  | 'bpf-asm'
  | 'hex';

/** Guesses the form of `text` from its first meaningful line. */
export function detectTextFormat(text: string): TextFormat {
  const t = text.trim();
  const first =
    t
      .split('\n')
      .find((l) => l.trim() !== '' && !l.trim().startsWith('//'))
      ?.trim() ?? '';
  if (/^\(\d+\)\s+[a-z]/.test(first)) return 'tcpdump-d';
  if (
    (t.includes('{') && /\{\s*(0x[0-9a-f]+|\d+)\s*,/i.test(t)) ||
    /\bBPF_(STMT|JUMP)\s*\(/.test(t)
  )
    return 'tcpdump-dd';
  if (/^(["']?)\d+(\s*,\s*\d+\s+\d+\s+\d+\s+\d+)+\s*,?\1$/.test(t)) return 'decimal-line';
  if (/^\d+\s*\n(\s*\d+\s+\d+\s+\d+\s+\d+\s*\n?)*$/.test(t)) return 'tcpdump-ddd';
  // `code jt jf k` lines without the count line: -ddd, so its parser can say what is missing.
  // (Space-separated hex bytes that happen to be all decimal digits stay hex: every token is 2 long.)
  if (
    /^(\d+[ \t]+\d+[ \t]+\d+[ \t]+\d+[ \t]*(\n\s*|$))+$/.test(t) &&
    !/^([0-9a-f]{2}\s*)+$/i.test(t)
  )
    return 'tcpdump-ddd';
  // No bpf_asm instruction is spelled in hex digits alone (`add` needs `#k` or `x`), so this is hex,
  // perhaps of a bad length — which its parser then reports.
  if (/^(0x)?[0-9a-f\s]+$/i.test(t) && /\d/.test(t)) return 'hex';
  return 'bpf-asm';
}

/**
 * Hex of 8-byte records → raw instructions. Whitespace anywhere, and a `0x` before any
 * whitespace-separated group, are ignored; errors point at the offending character.
 */
export function parseHexProgram(text: string, endian: Endian = 'le'): RawInsn[] {
  let digits = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (/\s/.test(c)) continue;
    if (c === '0' && /x/i.test(text[i + 1] ?? '') && (i === 0 || /\s/.test(text[i - 1]))) {
      i++;
      continue;
    }
    if (!/[0-9a-f]/i.test(c)) throw new TextSyntaxError(`'${c}' is not a hex digit`, text, i);
    digits += c;
  }
  if (digits.length % 2)
    throw new TextSyntaxError(
      'odd number of hex digits',
      text,
      Math.max(0, text.trimEnd().length - 1),
    );
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  if (bytes.length % 8) {
    throw new TextSyntaxError(
      `${bytes.length} bytes is not a whole number of 8-byte instructions`,
      text,
      0,
      Math.max(1, text.length),
    );
  }
  return fromBytes(bytes, endian);
}

export function printHexProgram(program: Program, endian: Endian = 'le'): string {
  return Array.from(toBytes(program, endian), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Parses program text in `format`, or in the detected form. Throws TextSyntaxError with line/column. */
export function parseProgramText(
  text: string,
  format: TextFormat = detectTextFormat(text),
): RawInsn[] {
  switch (format) {
    case 'tcpdump-d':
      return parseTcpdumpD(text);
    case 'tcpdump-dd':
    case 'c-macros':
      return parseTcpdumpDD(text);
    case 'tcpdump-ddd':
    case 'decimal-line':
      return parseTcpdumpDDD(text);
    case 'bpf-asm':
      return parseBpfAsm(text);
    case 'hex':
      return parseHexProgram(text);
  }
}

/** Prints `program` in `format`. */
export function printProgram(program: Program, format: TextFormat): string {
  switch (format) {
    case 'tcpdump-d':
      return printTcpdumpD(program);
    case 'tcpdump-dd':
      return printTcpdumpDD(program);
    case 'c-macros':
      return printCInitializer(program);
    case 'tcpdump-ddd':
      return printTcpdumpDDD(program);
    case 'decimal-line':
      return `${printDecimalOneLine(program)}\n`;
    case 'bpf-asm':
      return printBpfAsm(program);
    case 'hex':
      return `${printHexProgram(program)}\n`;
  }
}
