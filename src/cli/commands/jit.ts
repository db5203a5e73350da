// cbpf jit --print PROGRAM: shows the JavaScript the JIT generates for a program.
import { parseArgs } from 'node:util';
import { CompileError, compile } from '../../compiler.js';
import { isProfileName, jit, type Program, TextSyntaxError, validate } from '../../index.js';
import type { Command } from '../io.js';
import { parseProgramOrExpressionArg, programError } from './run.js';
import { usageError } from './usage-error.js';

const HELP = `usage: cbpf jit --print [--profile linux|bsd|libpcap] [-y DLT] PROGRAM|EXPR

Compiles a classic BPF program with the JIT and prints the generated JavaScript.
PROGRAM is hex records, tcpdump -ddd/-dd/-d text or bpf_asm source (as for cbpf run); anything
else is compiled as a filter expression ('tcp port 80') for link type DLT first.

options:
  --print         print the generated source (the only action for now)
  --profile P     validator and run-time semantics: linux (default), bsd or libpcap
  -y DLT          the expression's link type (as cbpf compile -y; default EN10MB)
  -h, --help      this text

exit status: 0 printed, 1 program invalid for the profile, 2 usage error`;

export const jitCommand: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        print: { type: 'boolean' },
        profile: { type: 'string' },
        y: { type: 'string', short: 'y' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usageError('jit', err, HELP, io);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const profile = values.profile ?? 'linux';
  if (!isProfileName(profile)) {
    io.stderr.write(`cbpf jit: unknown profile '${profile}'\n`);
    return 2;
  }
  if (!values.print || positionals.length !== 1) {
    io.stderr.write(`${HELP}\n`);
    return 2;
  }
  let program: Program | undefined;
  try {
    program = parseProgramOrExpressionArg(positionals[0]);
  } catch (err) {
    if (!(err instanceof TextSyntaxError)) throw err;
    io.stderr.write(programError('jit', positionals[0], err));
    return 2;
  }
  if (!program) {
    try {
      program = compile(positionals[0], { linktype: values.y ?? 'EN10MB' });
    } catch (err) {
      if (!(err instanceof CompileError)) throw err;
      io.stderr.write(
        `cbpf jit: not a program in any known form, nor an expression: ${err.message}\n`,
      );
      return 2;
    }
  }
  const errors = validate(program, profile);
  if (errors.length > 0) {
    for (const e of errors)
      io.stderr.write(`cbpf jit: invalid for ${profile}: [${e.rule}] ${e.message}\n`);
    return 1;
  }
  io.stdout.write(`${jit(program, { profile }).source}\n`);
  return 0;
};
