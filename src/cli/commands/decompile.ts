// `cbpf decompile`: a classic BPF program (a tc or iptables -m bpf blob, tcpdump -dd output...) back to a
// pcap-filter expression proven equal to it, or a readable decision tree where none is.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  AnalysisError,
  decompile,
  isProfileName,
  type Program,
  TextSyntaxError,
} from '../../index.js';
import { type Command, readAllText } from '../io.js';
import { parseProgramArg, programError } from './run.js';
import { usageError } from './usage-error.js';

const HELP = `usage: cbpf decompile [-y DLT] [--profile linux|bsd|libpcap] [--max-length N] [--timeout SEC]
                      [--tree] [PROGRAM | @FILE | -]

Turns a classic BPF program back into a tcpdump filter expression and proves the two equal with the
solver (as cbpf equiv does) before printing it. PROGRAM is any form cbpf run takes: the decimal
blob tc and iptables -m bpf print ("4,40 0 0 12,21 0 1 2048,6 0 0 65535,6 0 0 0"), tcpdump -dd or
-ddd output, -d text, bpf_asm source or hex records; @FILE or - (the default) reads it.

The expression goes to stdout and what was proven to stderr: the same result on every packet up to
the maximum length when compiled with -s N (the program's one snap length), or the same accept/drop
verdict (a program returning several lengths or A). Where no expression is proven equal (Linux
metadata loads, loops, a program too large to spell out), stdout gets the program as a decision tree
of field comparisons instead, named where the protocol above is known (ip proto 17, udp dst port 67).

options:
  -y DLT           the program's link type (default EN10MB): names fields and compiles the result
  --profile P      semantics of the comparison: linux (default), bsd or libpcap
  --max-length N   longest packet the proof covers (default 1514)
  --timeout SEC    solver limit per candidate (default 60)
  --tree           print the decision tree after the expression too
  -h, --help       this text

Needs the optional z3-solver package (npm install z3-solver).
exit status: 0 expression printed, 1 decision tree only, 2 error
`;

export const decompileCommand: Command = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        y: { type: 'string' },
        profile: { type: 'string' },
        'max-length': { type: 'string' },
        timeout: { type: 'string' },
        tree: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usageError('decompile', err, HELP, io);
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const fail = (msg: string) => {
    io.stderr.write(`cbpf decompile: ${msg}\n`);
    return 2;
  };
  if (parsed.positionals.length > 1) return fail(`one program at a time\n${HELP}`);
  const profile = v.profile ?? 'linux';
  if (!isProfileName(profile)) return fail(`unknown profile '${profile}' (linux, bsd or libpcap)`);
  const maxLength = v['max-length'] === undefined ? undefined : Number(v['max-length']);
  if (
    maxLength !== undefined &&
    !(Number.isInteger(maxLength) && maxLength >= 0 && maxLength <= 0x7fff0000)
  )
    return fail('--max-length takes a whole number of bytes');
  const timeout = v.timeout === undefined ? undefined : Number(v.timeout);
  if (timeout !== undefined && !(timeout > 0 && timeout <= 86400))
    return fail('--timeout takes seconds, up to 86400');
  const arg = parsed.positionals[0] ?? '-';
  let text: string;
  try {
    text =
      arg === '-'
        ? await readAllText(io.stdin)
        : arg.startsWith('@')
          ? await readFile(arg.slice(1), 'utf8')
          : arg;
  } catch (err) {
    return fail((err as Error).message);
  }
  let program: Program;
  try {
    program = parseProgramArg(text);
  } catch (err) {
    if (!(err instanceof TextSyntaxError)) throw err;
    io.stderr.write(programError('decompile', text, err));
    return 2;
  }
  const linktype = v.y ?? 'EN10MB';
  try {
    const r = await decompile(program, {
      linktype,
      profile,
      maxLength,
      timeoutMs: timeout === undefined ? undefined : timeout * 1000,
      signal: io.signal,
    });
    if (r.expression === undefined) {
      io.stderr.write(
        `cbpf decompile: no expression proven equal (${r.why}); the program as a decision tree:\n`,
      );
      io.stdout.write(r.structured);
      return 1;
    }
    io.stdout.write(`${r.expression}\n`);
    if (v.tree) io.stdout.write(`\n${r.structured}`);
    const upTo = `every packet of up to ${maxLength ?? 1514} bytes (${profile} semantics)`;
    io.stderr.write(
      r.proof === 'value'
        ? `# proven: the same result as the program on ${upTo} when compiled with -y ${linktype}${r.snaplen === undefined ? '' : ` -s ${r.snaplen}`}\n`
        : `# proven: the same accept/drop verdict as the program on ${upTo} when compiled with -y ${linktype} (the program returns varying snap lengths)\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof AnalysisError) return fail(err.message);
    throw err;
  }
};
