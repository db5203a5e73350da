// `cbpf [tcpdump flags] [expression]`: tcpdump's command line. Reads the flags as tcpdump does,
// answers -h/--version/-d itself, hands live capture (-i) to the capture command's runner, and runs
// -r/-V through offline() with the sinks the flags ask for. Every error is one tcpdump-worded line
// (with a caret under the expression where the expression is at fault).
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { refuseSameFile, scanCaptureFile } from '../internal.js';
import { type CaptureScanner, createCaptureScanner, PcapFormatError } from '../pcap.js';
import { errorText, markBeforeHeader, readingLine, snapshotLength } from './capture-text.js';
import {
  classicFirst,
  fileSink,
  firstOf,
  type OfflineOptions,
  type OutputHeader,
  offline,
  type RecordSink,
} from './commands/offline.js';
import { programFor, programText } from './dump-program.js';
import { CliError, errorLine, isExpectedError } from './errors.js';
import { readFilterFile } from './filter-file.js';
import {
  flagConflicts,
  parseTcpdumpFlags,
  type TcpdumpFlags,
  UsageError,
  unsupportedText,
} from './flags/tcpdump.js';
import { type CliIo, write, writeErr } from './io.js';
import { createPacketPrinter, type PacketPrinter, printerFlags } from './packet-printer.js';
import { RunComplete } from './run-complete.js';
import { countSink, keptOpen, printSink, teeSink } from './sinks.js';
import { isSystemError, strerror } from './system-errors.js';
import { SHORT_USAGE } from './usage.js';

/** What the live-capture runner (the capture command's) is given. */
export interface LiveOptions {
  count: number;
  snaplen: number;
  promiscuous: boolean;
  link: boolean;
  out?: string;
  dlt?: string;
  pcapng?: boolean;
  bufferSize?: number;
  direction?: 'in' | 'out' | 'inout';
  immediate?: boolean;
  /** Formats printed packets as the flags ask. */
  printer?: PacketPrinter;
  nano?: boolean;
}
export type LiveRunner = (
  iface: string,
  expr: string,
  o: LiveOptions,
  io: CliIo,
) => Promise<number>;

const DLT_EN10MB = 1;
const DLT_LINUX_SLL2 = 276;

/** The header of a capture file, read without reading its records (for -d with -r). */
async function captureHeader(
  path: string,
  io: CliIo,
): Promise<{ first: OutputHeader; scanner: CaptureScanner }> {
  const scanner = createCaptureScanner();
  let first: OutputHeader | undefined;
  await scanCaptureFile(
    path,
    (s, buf) => {
      first = firstOf(s, s.record(buf, 0));
      return false;
    },
    path === '-' ? { scanner, stdin: io.stdin } : { scanner },
  );
  if (!first && scanner.classic) first = classicFirst(scanner.classic);
  if (!first) throw new CliError('NO_HEADER', `${path}: no link-layer header type in the file`);
  return { first, scanner };
}

/** The capture files a -V list names: its lines, each without its newline. */
function listedFiles(path: string, io: CliIo): string[] {
  let text: string;
  try {
    text = readFileSync(path === '-' ? (io.stdinFd ?? 0) : path, 'latin1');
  } catch (err) {
    if (isSystemError(err))
      throw new CliError('FILE_LIST', `Unable to open file: ${strerror(err)}`);
    throw err;
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new CliError('FILE_LIST', `Nothing in ${path}`);
  return lines.map((l) => Buffer.from(l, 'latin1').toString('utf8'));
}

/** Runs `cbpf` with tcpdump's flags; `live` captures from an interface. */
export async function tcpdumpCommand(
  argv: readonly string[],
  io: CliIo,
  live: LiveRunner,
  help: () => string,
): Promise<number> {
  let f: TcpdumpFlags;
  try {
    f = parseTcpdumpFlags(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    writeErr(io, `cbpf: ${err.message}\n${SHORT_USAGE}`);
    return 2;
  }
  if (f.help) {
    io.stdout.write(help());
    return 0;
  }
  if (f.version) {
    io.stdout.write('cbpf 0.1.0\n');
    return 0;
  }
  const refusal = flagConflicts(f) ?? unsupportedText(f);
  if (refusal) {
    writeErr(io, `cbpf: ${refusal}\n`);
    return 2;
  }
  let expr = f.expression;
  // -F's file is read once the capture is open, as tcpdump reads it, and once.
  let read = f.filterFile === undefined;
  const expression = () => {
    if (!read) expr = readFilterFile(f.filterFile as string);
    read = true;
    return expr;
  };
  try {
    if (f.listInterfaces || f.listLinkTypes) {
      const { listInterfacesCommand, listLinkTypesCommand } = await import('./commands/live.js');
      if (f.listInterfaces) return await listInterfacesCommand(io);
      let iface = f.interface;
      if (iface === undefined) {
        // tcpdump -L without -i lists the interface it would capture on: the first of -D's list.
        const { listInterfaces } = await import('../node.js');
        iface = listInterfaces()[0]?.name ?? 'any';
      }
      return await listLinkTypesCommand(iface, io);
    }
    if (f.dump > 0) return await dumpProgram(f, expression, io);
    if (f.read === undefined && f.fileList === undefined) {
      expression();
      if (f.interface === undefined) {
        writeErr(io, `cbpf: give -r FILE, -V FILE or -i IFACE\n${SHORT_USAGE}`);
        return 2;
      }
      return await live(
        f.interface,
        expr,
        {
          count: f.count ?? Infinity,
          snaplen: f.snaplen || 262_144,
          promiscuous: !f.noPromiscuous,
          link: f.link,
          out: f.write,
          dlt: f.dlt?.name,
          pcapng: f.pcapng,
          bufferSize: f.bufferSize,
          direction: f.direction,
          immediate: f.immediate,
          nano: f.nano,
          printer:
            f.write === undefined || f.print
              ? await createPacketPrinter(printerFlags(f))
              : undefined,
        },
        io,
      );
    }
    return await readFiles(f, expression, io);
  } catch (err) {
    if (err instanceof RunComplete) {
      writeErr(io, `${err.message}\n`);
      return 0;
    }
    // What tcpdump has no words for (a full disk at the end, a refused output) is still one line.
    const text = errorText(err, expr) ?? (isExpectedError(err) ? errorLine(err) : undefined);
    if (text === undefined) throw err;
    writeErr(io, `cbpf: ${text}\n`);
    return 1;
  }
}

/** -d, -dd, -ddd: the program for the file's link type (-r), the interface's (-i) or -y's. */
async function dumpProgram(f: TcpdumpFlags, expression: () => string, io: CliIo): Promise<number> {
  let linktype: number;
  let snaplen: number;
  const file = f.read ?? (f.fileList !== undefined ? listedFiles(f.fileList, io)[0] : undefined);
  if (file !== undefined) {
    const { first, scanner } = await captureHeader(file, io);
    writeErr(io, readingLine(file, first, scanner));
    linktype = first.linktype;
    snaplen = snapshotLength(first, scanner);
  } else {
    snaplen = f.snaplen || 262_144;
    if (f.dlt) linktype = f.dlt.value;
    else if (f.interface !== undefined)
      linktype = f.interface.startsWith('any') ? DLT_LINUX_SLL2 : DLT_EN10MB;
    else {
      writeErr(io, 'Warning: assuming Ethernet\n');
      linktype = DLT_EN10MB;
    }
  }
  const p = await programFor(expression(), { linktype, snaplen, optimize: !f.noOptimize });
  io.stdout.write(programText(p, f.dump));
  return 0;
}

/** -r FILE or -V LIST: every file in order through one set of sinks (or, for -V, on the cores). */
async function readFiles(f: TcpdumpFlags, expression: () => string, cliIo: CliIo): Promise<number> {
  // Whether stderr is a terminal is asked once, not per file of a -V list (the streams stay lazy).
  const tty = cliIo.stderrIsTTY?.() ?? (cliIo.stderr as { isTTY?: boolean }).isTTY === true;
  const io: CliIo = Object.create(cliIo, { stderrIsTTY: { value: () => tty } });
  const files = f.fileList !== undefined ? listedFiles(f.fileList, io) : [f.read as string];
  // Reading a file while replacing it (or appending to it through stdout) destroys it.
  if (f.write !== undefined)
    for (const file of files)
      refuseSameFile(
        { path: file, fd: file === '-' ? io.stdinFd : undefined },
        { path: f.write, fd: f.write === '-' ? io.stdoutFd : undefined },
      );
  const printing = (f.write === undefined && !f.countOnly) || f.print;
  if (f.verbose > 0 && printing)
    writeErr(
      io,
      'cbpf: -v: no protocol is decoded in more detail; the lines are those without -v\n',
    );
  const rotating =
    f.write !== undefined &&
    (f.fileSize !== undefined || f.rotateSeconds > 0 || f.packetBuffered || !!f.postRotate);
  const printer = printing ? await createPacketPrinter(printerFlags(f)) : undefined;
  // Workers and the rotating writer load node:os, node:worker_threads and node:child_process: only
  // when asked for, so a plain -r does not pay their start.
  const jobs = f.jobs ?? (files.length > 1 ? defaultJobs() : 1);
  if (files.length > 1 && jobs > 1 && !rotating && !files.includes('-')) {
    const parallel = await parallelPlan(files, f, expression);
    if (parallel) {
      const { runFileListParallel } = await import('./file-list.js');
      const r = await runFileListParallel(
        {
          files,
          sizes: files.map(sizeOf),
          flags: f,
          expr: parallel.expr,
          jobs,
          printer,
          header: parallel.header,
        },
        io,
      );
      if (f.countOnly && !r.fatal)
        io.stdout.write(`${r.count} packet${r.count === 1 ? '' : 's'}\n`);
      return r.code;
    }
  }
  const counter = f.countOnly ? countSink() : undefined;
  const base: OfflineOptions = {
    count: f.count ?? Infinity,
    link: f.link,
    dlt: f.dlt?.name,
    pcapng: f.pcapng,
    noOptimize: f.noOptimize,
  };
  const parts: RecordSink[] = [];
  if (f.write !== undefined) {
    parts.push(
      rotating
        ? (await import('./rotate.js')).rotatingSink(
            {
              path: f.write,
              fileSize: f.fileSize ?? 0,
              fileCount: f.fileCount ?? 0,
              seconds: f.rotateSeconds,
              postRotate: f.postRotate,
              packetBuffered: f.packetBuffered,
              pcapng: f.pcapng,
            },
            io,
          )
        : fileSink(f.write, base, io),
    );
  }
  if (printer) parts.push(printSink(printer, io, f.nano, f.lineBuffered));
  if (counter) parts.push(counter);
  const sink = keptOpen(parts.reduce((a, b) => teeSink(a, b)));
  let dlt: number | undefined;
  let code = 0;
  const file = files[0] as string;
  const size = sizeOf(file);
  // One large capture written or counted: on two threads, when there are two cores.
  if (
    files.length === 1 &&
    !printing &&
    !rotating &&
    f.count === undefined &&
    size !== undefined &&
    size >= splitMinimum() &&
    (f.jobs ?? defaultJobs()) > 1
  ) {
    const split = await import('./split-file.js');
    const prelude = split.classicPrelude(file);
    if (prelude) {
      try {
        await split.splitOffline(
          {
            path: file,
            size,
            prelude,
            expression,
            base,
            sink,
            write:
              f.write === undefined
                ? undefined
                : { pcapng: f.pcapng || /\.pcapng$/i.test(f.write) },
            onHeader: (first, scanner) => writeErr(io, readingLine(file, first, scanner)),
            addCount: counter && ((n) => (counter.count += n)),
          },
          io,
        );
      } finally {
        await sink.finish();
      }
      if (counter) io.stdout.write(`${counter.count} packet${counter.count === 1 ? '' : 's'}\n`);
      return 0;
    }
  }
  try {
    for (const file of files) {
      // Stopped by a signal: the files after the one it stopped are not read.
      if (io.signal?.aborted) break;
      let opened = false;
      try {
        await offline(
          file,
          expression,
          {
            ...base,
            sink,
            onHeader: (first, scanner) => {
              opened = true;
              writeErr(io, readingLine(file, first, scanner));
              if (f.write !== undefined && dlt !== undefined && first.linktype !== dlt)
                throw new CliError('NEW_DLT', `${file}: new dlt does not match original`);
              dlt = first.linktype;
            },
          },
          io,
        );
        code = 0;
      } catch (err) {
        // In a -V list a file broken part way ends that file only (tcpdump's pcap_loop error), and
        // the exit status is the last file's.
        if (!opened && err instanceof PcapFormatError) markBeforeHeader(err);
        if (files.length === 1 || !opened || !(err instanceof PcapFormatError)) throw err;
        writeErr(io, `cbpf: ${errorText(err, expression())}\n`);
        code = 1;
      }
    }
  } finally {
    await sink.finish();
  }
  // Interrupted, tcpdump ends a printed line it may have cut (its extra newline).
  if (printer && io.signal?.aborted) await write(io.stdout, '\n');
  if (counter) io.stdout.write(`${counter.count} packet${counter.count === 1 ? '' : 's'}\n`);
  return code;
}

/**
 * The threads to use when --jobs is not given: one fewer than the cores nothing else is running on now
 * (at least one; where the running threads cannot be counted, by the 1-minute load average). The core
 * kept free is V8's: its optimizing compiler and garbage collector run on background threads, and
 * the output's writes on the thread pool. On two idle cores a second thread made every run measured
 * slower: `-r F -w out 'tcp port 80'` on 129 MB 0.56x tcpdump's wall time against 0.62x on one thread,
 * on 305 MB 0.75x against 0.80x (bench/CLI-RESULTS.md, run 5), and -V over 403 MB 0.80x of one
 * thread's speed. On a busy machine a second thread finds no core of its own, and its start and the
 * hand-over cost CPU without the run ending sooner (at a load of 15: 0.35 s of CPU against 0.23 s).
 * node:os is loaded only when asked (through require: a bundled dynamic import() of a built-in has no
 * loader under the bin's vm.Script).
 */
function defaultJobs(): number {
  const os = createRequire(import.meta.filename ?? import.meta.url)(
    'node:os',
  ) as typeof import('node:os');
  const n = os.availableParallelism();
  const idle = Math.round(n - (runnableOthers() ?? os.loadavg()[0] ?? 0));
  return Math.max(1, Math.min(n, idle - 1));
}

/**
 * Linux: the threads other than this one that are running or waiting for a core right now (the
 * 4th field of /proc/loadavg counts this one too). Asked in preference to the 1-minute average, which
 * still counts work that has ended (a run just before this one) and misses work that has just begun.
 */
function runnableOthers(): number | undefined {
  try {
    // One read into a small buffer: readFileSync on a /proc file (size 0) took 0.6 ms of the start.
    const fd = openSync('/proc/loadavg', 'r');
    const buf = Buffer.allocUnsafe(128);
    let n = 0;
    try {
      n = readSync(fd, buf, 0, buf.length, 0);
    } finally {
      closeSync(fd);
    }
    const running = Number(buf.toString('latin1', 0, n).split(' ')[3]?.split('/')[0]);
    return Number.isFinite(running) ? Math.max(0, running - 1) : undefined;
  } catch {
    return undefined;
  }
}

/** The smallest file read on two threads (CBPF_SPLIT_MIN overrides it, for tests and benchmarks). */
function splitMinimum(): number {
  const env = Number(process.env.CBPF_SPLIT_MIN);
  return Number.isFinite(env) && env > 0 ? env : 96 << 20;
}

/** A file's size, when it has one. */
function sizeOf(path: string): number | undefined {
  try {
    return path === '-' ? undefined : statSync(path).size;
  } catch {
    return undefined;
  }
}

/**
 * Whether -V can run on workers, and the output header they encode for: with -w the first file must
 * be a classic pcap (its header is the output's before any record is read); a first file that does
 * not open, or a -F file that does not, is left to the single-thread path, which reports it.
 */
async function parallelPlan(
  files: readonly string[],
  f: TcpdumpFlags,
  expression: () => string,
): Promise<{ header?: OutputHeader; expr: string } | undefined> {
  try {
    const expr = expression();
    if (f.write === undefined) return { expr };
    const { scanner } = await captureHeader(
      files[0] as string,
      { stderrIsTTY: () => false } as unknown as CliIo,
    );
    return scanner.classic ? { header: classicFirst(scanner.classic), expr } : undefined;
  } catch {
    return undefined;
  }
}
