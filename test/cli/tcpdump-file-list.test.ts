// -V: a list of captures read in order as one, on one thread or on workers (--jobs), with what tcpdump
// keeps across the files: the -# numbers, the -ttt time reference, one -w output, the --count, and
// the TCP conversations behind relative sequence numbers (the sample cut into five files splits
// conversations across them, so a worker's file must be printed again from the earlier files' state).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cbpf, corpusFiles, tcpdump } from '../helpers/tcpdump-golden.js';

const SAMPLE = new URL('../../data/sample-home-lan.pcap', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cbpf-list-'));
const list = join(dir, 'parts.txt');
const parts: string[] = [];

before(() => {
  const b = readFileSync(SAMPLE);
  const recs: Buffer[] = [];
  for (let p = 24; p < b.length; p += 16 + b.readUInt32LE(p + 8))
    recs.push(b.subarray(p, p + 16 + b.readUInt32LE(p + 8)));
  const cuts = [0, 1500, 3000, 5000, 7000, recs.length];
  for (let i = 0; i < 5; i++) {
    const path = join(dir, `part${i}.pcap`);
    writeFileSync(path, Buffer.concat([b.subarray(0, 24), ...recs.slice(cuts[i], cuts[i + 1])]));
    parts.push(path);
  }
  writeFileSync(list, `${parts.join('\n')}\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const reading = /^reading from file .*\n/gm;
// tcpdump drops root after the first file, and then cannot open the next ones in a private directory.
const asRoot = process.getuid?.() === 0 ? ['-Z', 'root'] : [];
const td = (args: string[]) => tcpdump([...asRoot, ...args]);

test('-V on one thread and on two prints what -r prints for the whole capture', {
  timeout: 120_000,
}, async () => {
  for (const flags of [['-n'], ['-n', '-#', '-ttt'], ['-n', '-S', '-tttt', '-q']]) {
    const whole = await cbpf(['-r', SAMPLE, ...flags]);
    for (const jobs of ['1', '2']) {
      const r = await cbpf(['-V', list, '--jobs', jobs, ...flags]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, whole.stdout, `${flags.join(' ')} --jobs ${jobs}`);
      assert.equal(r.stderr, td(['-V', list, '--count']).stderr);
    }
  }
});

test("-V -w writes tcpdump's file; --count and -c (per file) as tcpdump", {
  timeout: 120_000,
}, async () => {
  const theirs = join(dir, 't.pcap');
  td(['-V', list, '-w', theirs, 'tcp or arp']);
  for (const jobs of ['1', '2']) {
    const ours = join(dir, `c${jobs}.pcap`);
    const r = await cbpf(['-V', list, '--jobs', jobs, '-w', ours, '--print', '-n', 'tcp or arp']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readFileSync(ours).equals(readFileSync(theirs)), `--jobs ${jobs}`);
    assert.equal(
      r.stdout,
      (await cbpf(['-r', SAMPLE, '-n', 'tcp or arp'])).stdout,
      '--print prints what it writes',
    );
    for (const flags of [
      ['--count', 'udp'],
      ['--count', '-c', '100'],
    ]) {
      const c = await cbpf(['-V', list, '--jobs', jobs, ...flags]);
      assert.equal(c.stdout, td(['-V', list, ...flags]).stdout, flags.join(' '));
    }
  }
});

test('-V: a file that does not open ends the run after the ones before; -w refuses a new link type', async () => {
  const bad = join(dir, 'bad.txt');
  writeFileSync(bad, `${parts[0]}\n${join(dir, 'missing.pcap')}\n${parts[1]}\n`);
  for (const jobs of ['1', '2']) {
    const r = await cbpf(['-V', bad, '--jobs', jobs, '--count']);
    const t = td(['-V', bad, '--count']);
    assert.equal(r.stderr.replace(/^cbpf:/m, 'tcpdump:'), t.stderr);
    assert.equal(r.code, 1);
  }
  const sll = corpusFiles().find((f) => /sll/i.test(f) && f.endsWith('.pcap')) as string;
  const mixed = join(dir, 'mixed.txt');
  writeFileSync(mixed, `${parts[0]}\n${sll}\n`);
  for (const jobs of ['1', '2']) {
    const r = await cbpf(['-V', mixed, '--jobs', jobs, '-w', join(dir, 'm.pcap')]);
    const t = td(['-V', mixed, '-w', join(dir, 'n.pcap')]);
    assert.equal(r.stderr.replace(/^cbpf:/m, 'tcpdump:'), t.stderr, `--jobs ${jobs}`);
    assert.equal(r.code, 1);
  }
  assert.equal(
    (await cbpf(['-V', join(dir, 'none.txt')])).stderr.replace(reading, ''),
    'cbpf: Unable to open file: No such file or directory\n',
  );
});

test('-V on workers, the sample cut at random places into 7 files, prints what -r prints', {
  timeout: 120_000,
}, async () => {
  const b = readFileSync(SAMPLE);
  const recs: Buffer[] = [];
  for (let p = 24; p < b.length; p += 16 + b.readUInt32LE(p + 8))
    recs.push(b.subarray(p, p + 16 + b.readUInt32LE(p + 8)));
  const whole = await cbpf(['-r', SAMPLE, '-n', '-#']);
  for (const seed of [7, 2026]) {
    let x = seed;
    const rand = () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x / 2 ** 31;
    };
    const cuts = [
      0,
      ...Array.from({ length: 6 }, () => Math.floor(rand() * recs.length)),
      recs.length,
    ].sort((p, q) => p - q);
    const paths = cuts.slice(1).map((end, i) => {
      const path = join(dir, `r${seed}-${i}.pcap`);
      writeFileSync(path, Buffer.concat([b.subarray(0, 24), ...recs.slice(cuts[i], end)]));
      return path;
    });
    const l = join(dir, `r${seed}.txt`);
    writeFileSync(l, `${paths.join('\n')}\n`);
    const r = await cbpf(['-V', l, '--jobs', '2', '-n', '-#']);
    assert.equal(r.stdout, whole.stdout, `cuts ${cuts.join(' ')}`);
  }
});
