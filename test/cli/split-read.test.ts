// A large capture read on two threads (src/cli/split-file.ts) writes and counts exactly what one thread
// does: here forced on small files (CBPF_SPLIT_MIN), on the sample, corpus captures and files whose
// records defeat the worker's guess of a record boundary (then this thread goes on alone).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { PcapWriter, parseClassicHeader } from '../../src/pcap/classic.js';
import { findClassicRecord } from '../../src/pcap/resync.js';
import { cbpf, corpusFiles } from '../helpers/tcpdump-golden.js';

const SAMPLE = new URL('../../data/sample-home-lan.pcap', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cbpf-split-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `cbpf args` with the split forced on every file (split in the middle), or with one thread. */
async function run(args: string[], split: boolean) {
  const saved = process.env.CBPF_SPLIT_MIN;
  if (split) process.env.CBPF_SPLIT_MIN = '1';
  try {
    return await cbpf(split ? [...args, '--jobs', '2'] : [...args, '--jobs', '1']);
  } finally {
    if (saved === undefined) delete process.env.CBPF_SPLIT_MIN;
    else process.env.CBPF_SPLIT_MIN = saved;
  }
}

test('two threads write and count what one writes, on the sample and corpus captures', {
  timeout: 180_000,
}, async () => {
  const classic = corpusFiles().filter(
    (f) => f.endsWith('.pcap') && readFileSync(f).length > 20_000,
  );
  assert.ok(classic.length > 20);
  for (const [k, file] of [SAMPLE, ...classic.filter((_, i) => i % 8 === 0).slice(0, 5)].entries())
    for (const expr of k % 2 === 0 ? ['', 'tcp or udp'] : ['ip6 or arp']) {
      const outs = [join(dir, 'a.pcap'), join(dir, 'b.pcap')];
      const one = await run(['-r', file, '-w', outs[0] as string, ...(expr ? [expr] : [])], false);
      const two = await run(['-r', file, '-w', outs[1] as string, ...(expr ? [expr] : [])], true);
      assert.equal(two.code, one.code, `${file} '${expr}'`);
      assert.equal(two.stderr, one.stderr, `${file} '${expr}'`);
      if (one.code === 0)
        assert.ok(
          readFileSync(outs[1] as string).equals(readFileSync(outs[0] as string)),
          `${file} '${expr}'`,
        );
      const c1 = await run(['-r', file, '--count', ...(expr ? [expr] : [])], false);
      const c2 = await run(['-r', file, '--count', ...(expr ? [expr] : [])], true);
      assert.equal(c2.stdout, c1.stdout, `${file} '${expr}' --count`);
    }
});

test('records the worker cannot place (zero times) leave the second part to this thread', async () => {
  const w = new PcapWriter({ snaplen: 65535 });
  const head = w.header();
  const recs = Array.from({ length: 2000 }, (_, i) =>
    w.write({ timestampNs: 0n, data: new Uint8Array(60 + (i % 40)).fill(i & 0xff) }),
  );
  const path = join(dir, 'zero-times.pcap');
  writeFileSync(path, Buffer.concat([head, ...recs]));
  const a = join(dir, 'z1.pcap');
  const b = join(dir, 'z2.pcap');
  await run(['-r', path, '-w', a], false);
  await run(['-r', path, '-w', b], true);
  assert.ok(readFileSync(b).equals(readFileSync(a)));
});

test('findClassicRecord finds the next record of realistic captures, and never one before `from`', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 42, max: 1514 }), { minLength: 20, maxLength: 80 }),
      fc.nat(),
      fc.boolean(),
      (sizes, cut, nano) => {
        const w = new PcapWriter({ snaplen: 65535, nanosecond: nano });
        const head = w.header();
        let t = 1_700_000_000_000_000_000n;
        const recs = sizes.map((n, i) => {
          t += BigInt(1000 + i * 7919);
          const data = new Uint8Array(n);
          for (let j = 0; j < n; j++) data[j] = (j * 31 + i) & 0xff;
          return w.write({ timestampNs: t, data });
        });
        const bytes = Buffer.concat([head, ...recs]);
        const h = parseClassicHeader(bytes.subarray(0, 24));
        const body = bytes.subarray(24);
        const from = cut % body.length;
        const found = findClassicRecord(body, from, h, true);
        const starts: number[] = [];
        for (let p = 0, i = 0; i < recs.length; p += (recs[i] as Uint8Array).length, i++)
          starts.push(p);
        const k = starts.findIndex((p) => p >= from);
        if (found >= 0) assert.ok(found >= from);
        // Two records at least must follow for a chain (a guess on one alone is too weak).
        if (k >= 0 && starts.length - k >= 2) assert.equal(found, starts[k]);
        else assert.equal(found, -1);
      },
    ),
    { numRuns: 300 },
  );
});
