// `cbpf compile`: a pcap-filter expression to classic BPF, printed as tcpdump prints it; --batch for scripts.
import { parseArgs } from 'node:util';
import {
  CompileError,
  type CompileOptions,
  type CompileStages,
  compileStages,
  formatExpr,
  printIr,
} from '../../compiler.js';
import {
  AnalysisError,
  EMIT_CLAIM,
  formatSpan,
  OPTIMIZER_CLAIM,
  printDecimalOneLine,
  printTcpdumpD,
  printTcpdumpDD,
  printTcpdumpDDD,
  verifyStages,
} from '../../index.js';
import { readFilterText, stripFilterComments } from '../filter-file.js';
import { type CliIo, type Command, readLines, write } from '../io.js';
import { LANGUAGE_FORMATS } from './text-io.js';
import { usageError } from './usage-error.js';

const HELP = `usage: cbpf compile [-d|-dd|-ddd|--format go|go-raw|rust|python] [-y DLT] [-F FILE] [-O] [-s SNAPLEN] [--dump ast|ir|opt] [--verify] EXPR...
       cbpf compile --batch [-O] [-s SNAPLEN]  < lines of "<DLT>\\t<expr>"

Compiles a tcpdump filter expression to classic BPF and prints it as tcpdump does:
  -d             tcpdump -d text (default)
  -dd            C initializers
  -ddd           decimal: the count, then "code jt jf k" lines
  --format LANG  source for another language: go (golang.org/x/net/bpf literals), go-raw
                 ([]bpf.RawInstruction), rust (libc::sock_filter), python (tuples, attach_filter)
  -y DLT         link type by tcpdump's name: EN10MB (default), LINUX_SLL, IEEE802_11_RADIO, PPP, ...
  -F FILE        read the expression from FILE (as tcpdump -F: '#' to the end of a line is a comment)
  -O             do not optimize (as tcpdump -O)
  -s SNAPLEN     value returned on accept (default 262144, as tcpdump)
  --dump STAGE   print a stage instead: ast (the expression as parsed, one line, every and/or
                 parenthesized, each primitive with the qualifiers it takes), ir (lowered),
                 opt (optimized)
  --batch        read "<DLT>\\t<expr>" lines on stdin; print per line the -ddd numbers joined
                 with commas ("6,40 0 0 12,...") or "error: <message>"
  --verify       translation validation (needs the optional z3-solver package): prove with the
                 solver, under libpcap's run-time semantics and for every packet of up to 1514
                 bytes, that (1) the optimized program returns what the unoptimized lowering
                 returns on every packet on which the unoptimized one runs to a ret (libpcap's
                 optimizer, and cbpf's like it, may drop a load whose value no test needs, so a
                 packet too short for that load is stopped with 0 by the unoptimized program
                 only), and (2) the emitted program returns what the optimized graph returns on
                 every packet; the report goes to stderr
exit status: 0 compiled (and proven), 1 bad expression, 2 usage error or no solver,
             3 --verify found a difference (a compiler bug), 4 --verify had no answer in time
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
        F: { type: 'string' },
        O: { type: 'boolean' },
        s: { type: 'string' },
        dump: { type: 'string' },
        format: { type: 'string' },
        batch: { type: 'boolean' },
        verify: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usageError('compile', err, HELP, io);
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
  if (v.batch && v.verify) {
    io.stderr.write('cbpf compile: --verify proves one expression, not --batch\n');
    return 2;
  }
  if (v.batch && v.F !== undefined) {
    io.stderr.write('cbpf compile: -F reads one expression; --batch reads its lines from stdin\n');
    return 2;
  }
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
  // As tcpdump's -F: the file's expression (a list too long for one argument), words after it ignored.
  const expr =
    v.F !== undefined ? stripFilterComments(readFilterText(v.F)) : parsed.positionals.join(' ');
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
  // One line, not JSON: a list of 5,000 hosts is a tree 5,000 deep (JSON.stringify overflowed the stack,
  // and its indentation grew with the square of the list).
  if (v.dump === 'ast') io.stdout.write(`${formatExpr(stages.ast)}\n`);
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
  return v.verify ? verify(stages, base, io) : 0;
};

/** --verify: both translation steps proven, the outcome on stderr; the solver loads only here. */
async function verify(stages: CompileStages, base: CompileOptions, io: CliIo): Promise<number> {
  let report: Awaited<ReturnType<typeof verifyStages>>;
  try {
    report = await verifyStages(stages, { ...base, signal: io.signal });
  } catch (err) {
    if (!(err instanceof AnalysisError)) throw err;
    io.stderr.write(`cbpf compile: --verify: ${err.message}\n`);
    return 2;
  }
  let code = 0;
  for (const [name, outcome, claim] of [
    [
      'optimizer',
      report.optimizer,
      base.optimize === false ? 'unoptimized: the graph is the lowering' : OPTIMIZER_CLAIM,
    ],
    ['emitter', report.emit, EMIT_CLAIM],
  ] as const) {
    const secs = `${(outcome.ms / 1000).toFixed(2)} s`;
    if (outcome.status === 'proven')
      io.stderr.write(`verify: ${name}: proven (${secs}): ${claim}\n`);
    else if (outcome.status === 'different') {
      const c = outcome.counterexample;
      io.stderr.write(
        `verify: ${name}: DIFFERENT (${secs}): on the ${c.caplen}-byte packet ${Buffer.from(c.packet).toString('hex')} (wire length ${c.wirelen}) the ${name === 'optimizer' ? 'lowering returns' : 'optimized graph returns'} ${c.results[0]} (path ${c.paths[0].join(' ')}) and the ${name === 'optimizer' ? 'optimized graph' : 'emitted program'} ${c.results[1]} (path ${c.paths[1].join(' ')})\n`,
      );
      code = 3;
    } else {
      io.stderr.write(`verify: ${name}: not decided (${secs}): ${outcome.message}\n`);
      if (code === 0) code = 4;
    }
  }
  return code;
}
