// `cbpf asm`: assemble bpf_asm (or -d) text to -ddd, the one-line form, C initializers or hex.
import { parseArgs } from 'node:util';
import { CbpfError } from '../../core/errors.js';
import { printProgram } from '../../core/text/index.js';
import type { Command } from '../io.js';
import { INPUT_FORMATS, OUTPUT_FORMATS, parseOrReport, readSource } from './text-io.js';

const HELP = `usage: cbpf asm [--from FORMAT] [--format ddd|line|dd|c|hex|d|asm] [FILE|-]

Assembles a program (Linux bpf_asm syntax with labels and comments by default, or any form named
by --from: asm, d, dd, ddd, line, hex; detected when omitted) read from FILE or stdin.
  --format ddd   tcpdump -ddd: the count, then "code jt jf k" lines (default)
  --format line  the same numbers on one line, as iptables -m bpf --bytecode and tc take them
  --format dd|c  C initializers { 0x28, 0, 0, 0x0000000c },
  --format hex   the 8-byte little-endian sock_filter records
  --format d     tcpdump -d text;  --format asm  bpf_asm source
exit status: 0 assembled, 1 bad input, 2 usage error
`;

export const asm: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { from: { type: 'string' }, format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.stderr.write(`cbpf asm: ${(err as Error).message}\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const out = OUTPUT_FORMATS[values.format ?? 'ddd'];
  const from = values.from === undefined ? 'bpf-asm' : INPUT_FORMATS[values.from];
  if (!out || !from || positionals.length > 1) {
    io.stderr.write(`cbpf asm: unknown format or too many files\n${HELP}`);
    return 2;
  }
  const text = await readSource(positionals[0], io);
  const program = parseOrReport('asm', text, values.from === undefined && /^\s*\(\d+\)/.test(text) ? 'tcpdump-d' : from, io);
  if (!program) return 1;
  try {
    io.stdout.write(printProgram(program, out));
  } catch (err) {
    if (!(err instanceof CbpfError)) throw err;
    io.stderr.write(`cbpf asm: ${err.message}\n`);
    return 1;
  }
  return 0;
};
