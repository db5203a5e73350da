// `cbpf -r`: the same lines as `tcpdump -r -n` on the bundled sample; -w writes what matched; errors.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCapture } from '../../src/pcap/index.js';
import { runCli } from '../helpers/cli.js';

const SAMPLE = new URL('../../data/sample-home-lan.pcap', import.meta.url).pathname;

/** tcpdump's output as it is: cbpf prints the same hex dumps for payloads it has no printer for. */
const summaries = (text: string) => text;
/** Packet lines (hex dump lines are continuations). */
const packetLines = (text: string) => text.split('\n').filter((l) => !l.startsWith('\t'));

function tcpdump(args: string[]): string {
  try {
    return execFileSync('tcpdump', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1 << 26,
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('tcpdump is missing: apt-get install -y tcpdump');
    throw e;
  }
}

test('cbpf -r prints what tcpdump -r -n prints, line for line, with and without -e', async () => {
  const ours = await runCli(['-r', SAMPLE]);
  assert.equal(ours.code, 0, ours.stderr);
  const theirs = summaries(tcpdump(['-r', SAMPLE, '-n']));
  assert.equal(packetLines(ours.stdout).length, 10_001);
  assert.equal(ours.stdout, theirs);
  const e = await runCli(['-r', SAMPLE, '-e', '-c', '500']);
  assert.equal(e.stdout, summaries(tcpdump(['-r', SAMPLE, '-n', '-e', '-c', '500'])));
});

test('cbpf -r -w writes the packets; -c stops early', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-cap-'));
  try {
    const out = join(dir, 'out.pcap');
    const r = await runCli(['-r', SAMPLE, '-w', out, '-c', '250']);
    assert.equal(r.code, 0, r.stderr);
    const { records, error } = parseCapture(new Uint8Array(readFileSync(out)));
    assert.equal(error, undefined);
    assert.equal(records.length, 250);
    const ng = join(dir, 'out.pcapng');
    await runCli(['-r', SAMPLE, '-w', ng, '--pcapng']);
    assert.equal(packetLines(tcpdump(['-r', ng, '-n'])).length, 10_001);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cbpf -r: usage and file errors', async () => {
  assert.equal((await runCli(['-r', '/nonexistent.pcap'])).code, 1);
  assert.equal((await runCli(['-c', '0', '-r', SAMPLE])).code, 2);
  // As tcpdump: with -r the file is read and -i is ignored.
  assert.equal((await runCli(['-r', SAMPLE, '-i', 'lo', '-c', '1'])).code, 0);
});
