// `cbpf disasm`: any program form (hex, -ddd, one-line, -dd) to tcpdump -d text or bpf_asm source.
import { parseArgs } from 'node:util';
import { CbpfError } from '../../core/errors.js';
import { printProgram } from '../../core/text/index.js';
import type { Command } from '../io.js';
import { INPUT_FORMATS, OUTPUT_FORMATS, parseOrReport, readSource } from './text-io.js';

const HELP = `usage: cbpf disasm [--from hex|ddd|line|dd|d|asm] [--format d|asm|ddd|line|dd|hex] [FILE|-]

Disassembles a program read from FILE or stdin (form detected unless --from names it) and prints
it as tcpdump -d text (default) or bpf_asm source with labels (--format asm).
exit status: 0 printed, 1 bad input, 2 usage error
`;

export const disasm: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { from: { type: 'string' }, format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.stderr.write(`cbpf disasm: ${(err as Error).message}\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const out = OUTPUT_FORMATS[values.format ?? 'd'];
  const from = values.from === undefined ? undefined : INPUT_FORMATS[values.from];
  if (!out || (values.from !== undefined && !from) || positionals.length > 1) {
    io.stderr.write(`cbpf disasm: unknown format or too many files\n${HELP}`);
    return 2;
  }
  const program = parseOrReport('disasm', await readSource(positionals[0], io), from, io);
  if (!program) return 1;
  try {
    io.stdout.write(printProgram(program, out));
  } catch (err) {
    if (!(err instanceof CbpfError)) throw err;
    io.stderr.write(`cbpf disasm: ${err.message}\n`);
    return 1;
  }
  return 0;
};
