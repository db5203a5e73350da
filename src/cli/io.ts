// The streams a CLI command talks to, so commands are plain functions tests can call without spawning.
import { writeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

/** What a command gets besides argv. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Whether stderr is a terminal, without making the stream (default: `stderr.isTTY`). */
  stderrIsTTY?: () => boolean;
  /**
   * Aborted on SIGINT, SIGTERM or SIGHUP by the bin (src/cli/signals.ts), which installs its
   * handlers when a command first reads this: a command that listens on it stops cleanly within
   * ~100 ms; one that never reads it (or does not listen) is ended by the signal at once.
   */
  signal?: AbortSignal;
  /** Runs synchronous work (a compile) where a stop signal ends the process at once (see signals.ts). */
  uninterruptible?: <T>(work: () => T) => T;
  /** The descriptor behind `stdin` when it is the process's own (0), for commands that read it directly. */
  stdinFd?: number;
  /**
   * The descriptor behind `stderr` when it is the process's own (2): a line or two is written to it
   * directly (writeErr), without making the stream, which for a pipe loads Node's net module.
   */
  stderrFd?: number;
  /** The whole `cbpf --help` text, for a command that answers -h itself (main.ts, which owns the command table, sets it). */
  help?: () => string;
  /** The descriptor behind `stdout` when it is the process's own (1), to tell which file it is. */
  stdoutFd?: number;
}

/** A subcommand: argv after the command name → exit code. */
export type Command = (argv: string[], io: CliIo) => Promise<number>;

/** Reads all of stdin as text. */
export async function readAllText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

/** Yields stdin line by line without loading it whole. */
export async function* readLines(stream: Readable): AsyncGenerator<string> {
  let rest = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) {
    rest += chunk;
    let nl = rest.indexOf('\n');
    while (nl >= 0) {
      yield rest.slice(0, nl).replace(/\r$/, '');
      rest = rest.slice(nl + 1);
      nl = rest.indexOf('\n');
    }
  }
  if (rest.length > 0) yield rest.replace(/\r$/, '');
}

/** Writes a short text to stderr: straight to its descriptor when there is one, else the stream. */
export function writeErr(io: CliIo, text: string): void {
  if (io.stderrFd !== undefined) {
    try {
      const b = Buffer.from(text);
      for (let at = 0; at < b.length; ) at += writeSync(io.stderrFd, b, at);
      return;
    } catch {
      // A descriptor that will not take it now (non-blocking and full): the stream queues it.
    }
  }
  io.stderr.write(text);
}

/** Writes text and waits for the stream to drain when it is full (keeps memory bounded on pipes). */
export async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}
