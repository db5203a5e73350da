// cbpf command line: dispatches to src/cli/commands/*; `main` is a function so tests can call it.
import { fstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMMANDS } from './commands/index.js';
import type { CliIo } from './io.js';
import { helpText, SHORT_USAGE } from './usage.js';

/** The short usage after a mistake; `cbpf --help` gives the long one (./usage.ts). */
function usage(): string {
  return SHORT_USAGE;
}

/** Runs `cbpf argv...` and returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText());
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
  return command(args, io);
}

// A -V worker thread starts here too (the bundle is one file), marked by the script that starts it
// (file-list.ts), so a plain run does not load node:worker_threads to ask.
const inWorker = (globalThis as { cbpfFileListWorker?: boolean }).cbpfFileListWorker === true;
if (inWorker) void import('./file-list-worker.js').then((m) => m.runFileListWorker());
const isEntry =
  !inWorker &&
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isEntry) {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // A reader that goes away (`cbpf -r big.pcap | head`) ends the run quietly, as SIGPIPE ends tcpdump.
  let piped = false;
  const stdout = () => {
    if (!piped) {
      piped = true;
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
        process.exit(0);
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
      return process.stderr;
    },
    // A terminal is a character device; only then is node:tty (which loads net and streams) asked.
    stderrIsTTY: () =>
      fstatSync(2).isCharacterDevice() &&
      (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(2),
    signal: ac.signal,
    stdinFd: 0,
    stderrFd: 2,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`cbpf: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
