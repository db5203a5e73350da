// Runs a CLI command in-process with in-memory streams.
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `cbpf ...argv` with `stdin` as input; returns the exit code and everything printed. */
export async function runCli(argv: string[], stdin = '', signal?: AbortSignal): Promise<CliResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const code = await main(argv, {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: out,
    stderr: err,
    signal,
  });
  return {
    code,
    stdout: Buffer.concat(chunks.out).toString(),
    stderr: Buffer.concat(chunks.err).toString(),
  };
}
