// `cbpf compile`: a pcap-filter expression to classic BPF, printed as tcpdump prints it; --batch for scripts.
import { parseArgs } from 'node:util';
import {
  CompileError,
  type CompileOptions,
  type CompileStages,
  compileStages,
  printIr,
} from '../../compiler.js';
import {
  formatSpan,
  printDecimalOneLine,
  printTcpdumpD,
  printTcpdumpDD,
  printTcpdumpDDD,
} from '../../index.js';
import { type Command, readLines, write } from '../io.js';
import { LANGUAGE_FORMATS } from './text-io.js';

const HELP = `usage: cbpf compile [-d|-dd|-ddd|--format go|go-raw|rust|python] [-y DLT] [-O] [-s SNAPLEN] [--dump ast|ir|opt] EXPR...
       cbpf compile --batch [-O] [-s SNAPLEN]  < lines of "<DLT>\\t<expr>"

Compiles a tcpdump filter expression to classic BPF and prints it as tcpdump does:
  -d             tcpdump -d text (default)
  -dd            C initializers
  -ddd           decimal: the count, then "code jt jf k" lines
  --format LANG  source for another language: go (golang.org/x/net/bpf literals), go-raw
                 ([]bpf.RawInstruction), rust (libc::sock_filter), python (tuples, attach_filter)
  -y DLT         link type by tcpdump's name: EN10MB (default), LINUX_SLL, IEEE802_11_RADIO, PPP, ...
  -O             do not optimize (as tcpdump -O)
  -s SNAPLEN     value returned on accept (default 262144, as tcpdump)
  --dump STAGE   print a stage instead: ast, ir (lowered), opt (optimized)
  --batch        read "<DLT>\\t<expr>" lines on stdin; print per line the -ddd numbers joined
                 with commas ("6,40 0 0 12,...") or "error: <message>"
exit status: 0 compiled, 1 bad expression, 2 usage error
`;

export const compileCommand: Command = async (argv, io) => {
  // tcpdump spells its dump levels -d, -dd, -ddd: take them before parseArgs sees them as short flags.
  let level: 'd' | 'dd' | 'ddd' = 'd';
  const rest = argv.filter((a) => {
    if (a === '-d' || a === '-dd' || a === '-ddd') {
      level = a.slice(1) as typeof level;
      return false;
    }
    return true;
  });
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        y: { type: 'string' },
        O: { type: 'boolean' },
        s: { type: 'string' },
        dump: { type: 'string' },
        format: { type: 'string' },
        batch: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.stderr.write(`cbpf compile: ${(err as Error).message}\n${HELP}`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (v.format !== undefined && !Object.hasOwn(LANGUAGE_FORMATS, v.format)) {
    io.stderr.write(`cbpf compile: --format takes go, go-raw, rust or python, not '${v.format}'\n`);
    return 2;
  }
  const snaplen = v.s === undefined ? undefined : Number(v.s);
  if (
    snaplen !== undefined &&
    !(Number.isInteger(snaplen) && snaplen >= 0 && snaplen <= 0xffffffff)
  ) {
    io.stderr.write('cbpf compile: -s takes a u32\n');
    return 2;
  }
  const base: CompileOptions = { optimize: !v.O, snaplen };
  if (v.batch) {
    for await (const line of readLines(io.stdin)) {
      if (line.trim() === '') continue;
      const tab = line.indexOf('\t');
      const [dlt, expr] = tab < 0 ? ['EN10MB', line] : [line.slice(0, tab), line.slice(tab + 1)];
      let out: string;
      try {
        out = printDecimalOneLine(compileStages(expr, { ...base, linktype: dlt }).program);
      } catch (err) {
        if (!(err instanceof CompileError)) throw err;
        out = `error: ${err.message}`;
      }
      await write(io.stdout, `${out}\n`);
    }
    return 0;
  }
  const expr = parsed.positionals.join(' ');
  let stages: CompileStages;
  try {
    stages = compileStages(expr, { ...base, linktype: v.y ?? 'EN10MB' });
  } catch (err) {
    if (!(err instanceof CompileError)) throw err;
    io.stderr.write(
      `cbpf compile: ${formatSpan(err.message, expr, err.span[0], Math.max(err.span[1], err.span[0] + 1))}\n`,
    );
    return 1;
  }
  if (v.dump === 'ast') io.stdout.write(`${JSON.stringify(stages.ast, null, 2)}\n`);
  else if (v.dump === 'ir') io.stdout.write(printIr(stages.ir));
  else if (v.dump === 'opt') io.stdout.write(printIr(stages.optimized));
  else if (v.dump !== undefined) {
    io.stderr.write(`cbpf compile: --dump takes ast, ir or opt\n`);
    return 2;
  } else {
    const p = stages.program;
    const lang = v.format === undefined ? undefined : LANGUAGE_FORMATS[v.format];
    io.stdout.write(
      lang
        ? lang(p, `cbpf compile -y ${v.y ?? 'EN10MB'} '${expr}'`)
        : level === 'd'
          ? printTcpdumpD(p)
          : level === 'dd'
            ? printTcpdumpDD(p)
            : printTcpdumpDDD(p),
    );
  }
  return 0;
};
