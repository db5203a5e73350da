// Shared by asm/disasm: read a program text from a file or stdin, report parse errors with a caret.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  CbpfError,
  formatSpan,
  type Program,
  parseGo,
  parseProgramText,
  printGo,
  printProgram,
  printPython,
  printRust,
  type RawInsn,
  type TextFormat,
  TextSyntaxError,
} from '../../index.js';
import { type CliIo, type Command, readAllText } from '../io.js';
import { usageError } from './usage-error.js';

/** The source named by `file` ('-' or absent = stdin). */
export async function readSource(file: string | undefined, io: CliIo): Promise<string> {
  return file === undefined || file === '-' ? readAllText(io.stdin) : readFile(file, 'utf8');
}

/** Parses `text`, or prints the error (with the line and a caret) and returns undefined. */
export function parseOrReport(
  cmd: string,
  text: string,
  format: TextFormat | 'go' | undefined,
  io: CliIo,
): RawInsn[] | undefined {
  try {
    return format === 'go' ? parseGo(text) : parseProgramText(text, format);
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

export const INPUT_FORMATS: Readonly<Record<string, TextFormat | 'go'>> = {
  go: 'go',
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

/** Source in other languages: golang.org/x/net/bpf literals or RawInstructions, Rust, Python. */
export const LANGUAGE_FORMATS: Readonly<
  Record<string, (program: Program, comment?: string) => string>
> = {
  go: (p, comment) => printGo(p, { comment }),
  'go-raw': (p, comment) => printGo(p, { form: 'raw', comment }),
  rust: (p, comment) => printRust(p, { comment }),
  python: (p, comment) => printPython(p, { comment }),
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
      return usageError(name, err, help, io);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout.write(help);
      return 0;
    }
    const format = values.format ?? defaultOut;
    const out = Object.hasOwn(OUTPUT_FORMATS, format) ? OUTPUT_FORMATS[format] : undefined;
    const lang = Object.hasOwn(LANGUAGE_FORMATS, format) ? LANGUAGE_FORMATS[format] : undefined;
    const from =
      values.from !== undefined && Object.hasOwn(INPUT_FORMATS, values.from)
        ? INPUT_FORMATS[values.from]
        : undefined;
    if ((!out && !lang) || (values.from !== undefined && !from) || positionals.length > 1) {
      io.stderr.write(`cbpf ${name}: unknown format or more than one file\n${help}`);
      return 2;
    }
    const program = parseOrReport(name, await readSource(positionals[0], io), from, io);
    if (!program) return 1;
    try {
      io.stdout.write(lang ? lang(program) : printProgram(program, out as TextFormat));
    } catch (err) {
      // bpf_asm cannot spell every raw program (unknown opcodes, jumps past the end).
      if (!(err instanceof CbpfError)) throw err;
      io.stderr.write(`cbpf ${name}: ${err.message}\n`);
      return 1;
    }
    return 0;
  };
}
