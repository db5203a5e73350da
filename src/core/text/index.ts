// Program text in every form people paste: detect which, parse it, print it.

import type { Program } from '../encode.js';
import type { RawInsn } from '../insn.js';
import { parseBpfAsm, printBpfAsm } from './bpf-asm.js';
import { printCInitializer } from './c-initializer.js';
import { detectTextFormat, type TextFormat } from './detect.js';
import { parseHexProgram, printHexProgram } from './hex.js';
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
export * from './detect.js';
export * from './hex.js';
export * from './tcpdump.js';

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
