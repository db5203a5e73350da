// Runs tcpdump and the cbpf command line on the same arguments, for tests that compare their output
// (the golden output is tcpdump's own, made at test time, so the tests stay differential).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { CORPUS_DIR } from './corpus.js';

export interface Run {
  code: number;
  /** As bytes read as latin1, so any byte compares one to one. */
  stdout: string;
  stderr: string;
}

/** tcpdump with `args`; fails naming the package when it is missing. */
export function tcpdump(args: readonly string[], cwd?: string): Run {
  const r = spawnSync('tcpdump', args, { encoding: 'latin1', maxBuffer: 1 << 30, cwd });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    throw new Error('tcpdump is missing: apt-get install -y tcpdump');
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `cbpf args...` in this process. */
export async function cbpf(args: readonly string[], stdin = ''): Promise<Run> {
  const out = new PassThrough();
  const err = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  out.on('data', (c: Buffer) => o.push(c));
  err.on('data', (c: Buffer) => e.push(c));
  const code = await main([...args], {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: out,
    stderr: err,
  });
  return {
    code,
    stdout: Buffer.concat(o).toString('latin1'),
    stderr: Buffer.concat(e).toString('latin1'),
  };
}

/** Every corpus capture, sorted. */
export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .sort()
    .map((f) => CORPUS_DIR + f);
}

/** A -V list of `files` in a new temporary directory; returns its path. */
export function fileList(files: readonly string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cbpf-golden-')), 'list.txt');
  writeFileSync(path, `${files.join('\n')}\n`);
  return path;
}

/** A line that starts a packet printed with -#: the number, right-aligned in 5, and two spaces. */
const PACKET = /^ {0,4}\d+ {2}/;

/** Output printed with -#, cut into one block per packet (its lines, dump included). */
export function packetBlocks(out: string): string[] {
  const blocks: string[] = [];
  for (const line of out.split('\n')) {
    if (PACKET.test(line)) blocks.push(line);
    else if (blocks.length > 0) blocks[blocks.length - 1] += `\n${line}`;
  }
  return blocks;
}
