// Shared by asm/disasm: read a program text from a file or stdin, report parse errors with a caret.
import { readFile } from 'node:fs/promises';
import { CbpfError, TextSyntaxError, formatSpan } from '../../core/errors.js';
import type { RawInsn } from '../../core/insn.js';
import { type TextFormat, parseProgramText } from '../../core/text/index.js';
import { type CliIo, readAllText } from '../io.js';

/** The source named by `file` ('-' or absent = stdin). */
export async function readSource(file: string | undefined, io: CliIo): Promise<string> {
  return file === undefined || file === '-' ? readAllText(io.stdin) : readFile(file, 'utf8');
}

/** Parses `text`, or prints the error (with the line and a caret) and returns undefined. */
export function parseOrReport(cmd: string, text: string, format: TextFormat | undefined, io: CliIo): RawInsn[] | undefined {
  try {
    return parseProgramText(text, format);
  } catch (err) {
    if (err instanceof TextSyntaxError) {
      io.stderr.write(`cbpf ${cmd}: ${formatSpan(err.message, text, err.offset, err.offset + err.length)}\n`);
      return undefined;
    }
    if (err instanceof CbpfError) {
      io.stderr.write(`cbpf ${cmd}: ${err.message}\n`);
      return undefined;
    }
    throw err;
  }
}

export const INPUT_FORMATS: Readonly<Record<string, TextFormat>> = {
  'bpf-asm': 'bpf-asm', asm: 'bpf-asm', d: 'tcpdump-d', dd: 'tcpdump-dd', ddd: 'tcpdump-ddd', line: 'decimal-line', hex: 'hex',
};
export const OUTPUT_FORMATS: Readonly<Record<string, TextFormat>> = {
  d: 'tcpdump-d', dd: 'tcpdump-dd', c: 'tcpdump-dd', ddd: 'tcpdump-ddd', line: 'decimal-line', hex: 'hex', asm: 'bpf-asm',
};
