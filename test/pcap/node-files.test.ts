// The Node adapters: files on disk and stdin/stdout-style streams, with backpressure.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { test } from 'node:test';
import { createCaptureFileWriter, openCaptureFile } from '../../src/node/files.js';
import {
  PcapFormatError,
  type PcapRecord,
  PcapWriter,
  parseCapture,
} from '../../src/pcap/index.js';

const records = Array.from({ length: 2000 }, (_, i) => ({
  timestampNs: 1_700_000_000_000_000_000n + BigInt(i) * 1_234_567n,
  data: Uint8Array.from({ length: 60 + (i % 50) }, (_, j) => (i + j) & 0xff),
  wirelen: 100 + (i % 50),
}));

async function collect(it: AsyncIterable<PcapRecord>): Promise<PcapRecord[]> {
  const out: PcapRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

for (const format of ['pcap', 'pcapng'] as const) {
  test(`${format}: write a temp file with backpressure, stream it back in small chunks`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbpf-files-'));
    try {
      const path = join(dir, `x.${format}`);
      const w = createCaptureFileWriter(path, {
        format,
        linktype: 1,
        snaplen: 65535,
        nanosecond: true,
      });
      for (const r of records) await w.write(r);
      await w.close();
      assert.ok(statSync(path).size > 2000 * 60);
      const got = await collect(openCaptureFile(path, { chunkSize: 777 }));
      assert.equal(got.length, records.length);
      got.forEach((r, i) => {
        assert.equal(r.timestampNs, records[i].timestampNs);
        assert.equal(r.wirelen, records[i].wirelen);
        assert.deepEqual(r.data, records[i].data);
        assert.equal(r.linktype, 1);
      });
      assert.equal(parseCapture(readFileSync(path)).records.length, records.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("'-' reads the given stdin stream and writes the given stdout stream", async () => {
  // A slow stdout (highWaterMark 1 KiB, async sink) forces the writer to wait for 'drain'.
  const written: Buffer[] = [];
  let waits = 0;
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, cb) {
      written.push(chunk);
      setImmediate(cb);
    },
  });
  sink.on('drain', () => waits++);
  const w = createCaptureFileWriter('-', { format: 'pcap', stdout: sink });
  for (const r of records.slice(0, 300)) await w.write(r);
  await w.close();
  assert.ok(waits > 0, 'writer waited for drain');
  const bytes = Buffer.concat(written);
  const stdin = new PassThrough();
  const reading = collect(openCaptureFile('-', { stdin }));
  for (let i = 0; i < bytes.length; i += 333) stdin.write(bytes.subarray(i, i + 333));
  stdin.end();
  const got = await reading;
  assert.equal(got.length, 300);
  assert.equal(got[299].timestampNs, records[299].timestampNs - (records[299].timestampNs % 1000n));
});

test('a truncated stream yields the records before the cut, then PcapFormatError', async () => {
  const sink: Buffer[] = [];
  const w = createCaptureFileWriter('-', {
    stdout: new Writable({
      write: (c, _e, cb) => {
        sink.push(c);
        cb();
      },
    }),
  });
  for (const r of records.slice(0, 5)) await w.write(r);
  await w.close();
  const bytes = Buffer.concat(sink);
  const got: PcapRecord[] = [];
  await assert.rejects(
    async () => {
      for await (const r of openCaptureFile('-', {
        stdin: Readable.from([bytes.subarray(0, bytes.length - 3)]),
      }))
        got.push(r);
    },
    (e: unknown) => e instanceof PcapFormatError && e.code === 'TRUNCATED',
  );
  assert.equal(got.length, 4);
});

test('a missing file rejects with the fs error', async () => {
  await assert.rejects(
    collect(openCaptureFile('/nonexistent/cbpf.pcap')),
    (e: NodeJS.ErrnoException) => e.code === 'ENOENT',
  );
});

test('a 256 MiB capture streams through in bounded memory', async () => {
  // A 1 MiB block of 1024-byte records sent 256 times, each cut off-centre so records straddle chunks.
  const w = new PcapWriter({ snaplen: 2000 });
  const head = w.header();
  const rec = w.write({ timestampNs: 1_000n, data: new Uint8Array(1008) });
  const block = new Uint8Array(1 << 20);
  for (let at = 0; at < block.length; at += rec.length) block.set(rec, at);
  const total = 256 * block.length;
  function* source() {
    yield head;
    for (let i = 0; i < 256; i++) {
      yield block.subarray(0, 500_001);
      yield block.subarray(500_001);
    }
  }
  global.gc?.();
  const before = process.memoryUsage();
  let n = 0;
  let peak = 0;
  for await (const _ of openCaptureFile('-', {
    stdin: Readable.from(source(), { objectMode: true }),
  })) {
    if (++n % 50_000 === 0) {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - before.heapUsed - before.arrayBuffers);
    }
  }
  assert.equal(n, Math.ceil(total / rec.length));
  console.log(
    `# streamed 256 MiB, ${n} records; heap+arrayBuffers growth ≤ ${(peak / 2 ** 20).toFixed(1)} MiB`,
  );
  assert.ok(peak < 96 * 1024 * 1024, `memory grew by ${(peak / 2 ** 20).toFixed(0)} MiB`);
});
