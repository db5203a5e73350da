// Shared by asm/disasm: read a program text from a file or stdin, report parse errors with a caret.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CbpfError, formatSpan, TextSyntaxError } from '../../core/errors.js';
import type { RawInsn } from '../../core/insn.js';
import { parseProgramText, printProgram, type TextFormat } from '../../core/text/index.js';
import { type CliIo, type Command, readAllText } from '../io.js';

/** The source named by `file` ('-' or absent = stdin). */
export async function readSource(file: string | undefined, io: CliIo): Promise<string> {
  return file === undefined || file === '-' ? readAllText(io.stdin) : readFile(file, 'utf8');
}

/** Parses `text`, or prints the error (with the line and a caret) and returns undefined. */
export function parseOrReport(
  cmd: string,
  text: string,
  format: TextFormat | undefined,
  io: CliIo,
): RawInsn[] | undefined {
  try {
    return parseProgramText(text, format);
  } catch (err) {
    if (err instanceof TextSyntaxError) {
      io.stderr.write(
        `cbpf ${cmd}: ${formatSpan(err.message, text, err.offset, err.offset + err.length)}\n`,
      );
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
  'bpf-asm': 'bpf-asm',
  asm: 'bpf-asm',
  d: 'tcpdump-d',
  dd: 'tcpdump-dd',
  c: 'c-macros',
  ddd: 'tcpdump-ddd',
  line: 'decimal-line',
  hex: 'hex',
};
export const OUTPUT_FORMATS: Readonly<Record<string, TextFormat>> = {
  d: 'tcpdump-d',
  dd: 'tcpdump-dd',
  c: 'c-macros',
  ddd: 'tcpdump-ddd',
  line: 'decimal-line',
  hex: 'hex',
  asm: 'bpf-asm',
};

/**
 * asm and disasm are one conversion with different defaults: read FILE or stdin in the `--from`
 * form (detected when absent), print it in the `--format` form (`defaultOut` when absent).
 */
export function conversionCommand(name: string, help: string, defaultOut: string): Command {
  return async (argv, io) => {
    const options = {
      from: { type: 'string' },
      format: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    } as const;
    let parsed: ReturnType<
      typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof options }>
    >;
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, options });
    } catch (err) {
      io.stderr.write(`cbpf ${name}: ${(err as Error).message}\n${help}`);
      return 2;
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout.write(help);
      return 0;
    }
    const out = OUTPUT_FORMATS[values.format ?? defaultOut];
    const from = values.from === undefined ? undefined : INPUT_FORMATS[values.from];
    if (!out || (values.from !== undefined && !from) || positionals.length > 1) {
      io.stderr.write(`cbpf ${name}: unknown format or more than one file\n${help}`);
      return 2;
    }
    const program = parseOrReport(name, await readSource(positionals[0], io), from, io);
    if (!program) return 1;
    try {
      io.stdout.write(printProgram(program, out));
    } catch (err) {
      // bpf_asm cannot spell every raw program (unknown opcodes, jumps past the end).
      if (!(err instanceof CbpfError)) throw err;
      io.stderr.write(`cbpf ${name}: ${err.message}\n`);
      return 1;
    }
    return 0;
  };
}
