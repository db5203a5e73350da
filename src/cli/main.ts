// cbpf command line: dispatches to src/cli/commands/*; `main` is a function so tests can call it.
import { fstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ErrnoCode, SystemError, systemReason } from '../internal.js';
import { COMMANDS } from './commands/index.js';
import { EXIT_ERROR, EXIT_OK, errorLine } from './errors.js';
import type { CliIo } from './io.js';
import { installStopSignals, type StopSignals } from './signals.js';
import { helpText, SHORT_USAGE } from './usage.js';

/** The short usage after a mistake; `cbpf --help` gives the long one (./usage.ts). */
function usage(): string {
  return SHORT_USAGE;
}

/** Runs `cbpf argv...` and returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText(COMMANDS));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout.write('cbpf 0.1.0\n');
    return 0;
  }
  // tcpdump-style invocation (`cbpf -i eth0 ...`, `cbpf -r file 'expr'`) goes to the capture command.
  const tcpdumpStyle = name.startsWith('-') && Object.hasOwn(COMMANDS, 'capture');
  const entry = tcpdumpStyle
    ? COMMANDS.capture
    : Object.hasOwn(COMMANDS, name)
      ? COMMANDS[name]
      : undefined;
  if (!entry) {
    io.stderr.write(`cbpf: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  const args = tcpdumpStyle ? argv : rest;
  const command = await entry.load();
  // The command table's help for `cbpf -h` (the capture command answers it), without copying io
  // (its signal is a getter that installs the handlers).
  return command(args, Object.create(io, { help: { value: () => helpText(COMMANDS) } }));
}

// A -V worker thread starts here too (the bundle is one file), marked by the script that starts it
// (file-list.ts), so a plain run does not load node:worker_threads to ask.
const inWorker = (globalThis as { cbpfFileListWorker?: boolean }).cbpfFileListWorker === true;
if (inWorker) void import('./file-list-worker.js').then((m) => m.runFileListWorker());
// By path where Node gives one (20.11 on; the bundle too): a module's first URL costs half a millisecond.
const isEntry =
  !inWorker &&
  process.argv[1] !== undefined &&
  ((import.meta.filename as string | undefined) !== undefined
    ? import.meta.filename === resolve(process.argv[1])
    : import.meta.url === pathToFileURL(resolve(process.argv[1])).href);
if (isEntry) runAsProcess();

/** The process around main(): signals, stdout errors, one-line errors, the exit status. */
function runAsProcess(): void {
  // Installed when a command first asks for the signal (it has something to finish on a stop:
  // a file, statistics); until then a signal's default action ends the process at once, as it
  // ends tcpdump before it installs its handlers (and during any command that never asks).
  let stop: StopSignals | undefined;
  const stopSignals = () => {
    stop ??= installStopSignals();
    return stop;
  };
  const fail = (err: unknown) => {
    process.stderr.write(`cbpf: ${errorLine(err)}\n`);
    process.exit(EXIT_ERROR);
  };
  // The last net under everything a command does: a line, never a stack trace.
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // A reader that goes away (`cbpf -r big.pcap | head`) ends the run quietly, as SIGPIPE ends
  // tcpdump; any other stdout failure (a full disk, /dev/full) is one line and status 1.
  let piped = false;
  let errUsed = false;
  const stdout = () => {
    if (!piped) {
      piped = true;
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(EXIT_OK);
        fail(new SystemError((err.code ?? 'EIO') as ErrnoCode, `stdout: ${systemReason(err)}`));
      });
    }
    return process.stdout;
  };
  // Getters: making a process stream costs a few ms, and most runs never touch stdin.
  main(process.argv.slice(2), {
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      return stdout();
    },
    get stderr() {
      errUsed = true;
      return process.stderr;
    },
    stderrIsTTY: () => isTerminal(2),
    get signal() {
      return stopSignals().signal;
    },
    uninterruptible: <T>(work: () => T): T => (stop ? stop.uninterruptible(work) : work()),
    stdinFd: 0,
    stderrFd: 2,
    stdoutFd: 1,
  }).then((code) => {
    process.exitCode = code;
    // Stopped by a signal: whatever still holds the event loop (a read pending on a pipe or a
    // FIFO) must not delay the exit. Otherwise the exit comes once the output is out, without
    // Node's teardown of the heap at a natural end (1-2 ms of every run).
    const streams = [piped && process.stdout, errUsed && process.stderr].filter((x) => x !== false);
    if (stop?.received !== undefined) exitWhenFlushed(code, streams, 50);
    else exitWhenFlushed(code, streams);
  }, fail);
}

/**
 * Whether `fd` is a terminal. A terminal is a character device; only then is node:tty (which loads
 * net and streams, 4-6 ms) asked, and not for Linux's memory devices (major 1: /dev/null, /dev/zero,
 * /dev/full), which `2>/dev/null` makes stderr.
 */
function isTerminal(fd: number): boolean {
  const st = fstatSync(fd);
  if (!st.isCharacterDevice()) return false;
  if (process.platform === 'linux' && Math.floor(st.rdev / 256) % 4096 === 1) return false;
  return (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(fd);
}

/**
 * Exits once what was written to `streams` has reached the kernel; with `limit`, after at most that
 * many milliseconds (a stop signal: the reader may be gone or stuck).
 */
function exitWhenFlushed(code: number, streams: NodeJS.WriteStream[], limit?: number): void {
  let pending = streams.length + 1;
  // A turn of the loop first: a stream's failure (/dev/full) is reported on the next tick, and its
  // handler then ends the process with status 1.
  const done = () => {
    if (--pending === 0) setImmediate(() => process.exit(code));
  };
  for (const s of streams)
    if (s.writableLength === 0 || s.destroyed) done();
    else s.write('', done);
  done();
  if (limit !== undefined) setTimeout(() => process.exit(code), limit).unref();
}
