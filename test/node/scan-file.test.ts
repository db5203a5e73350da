// scanCaptureFile (chunks, records longer than a chunk, stdin streams and descriptors) and BufferedOutput
// (file writes in flight in order, stream backpressure): the records and bytes that went in come out.
import assert from 'node:assert/strict';
import {
  closeSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { test } from 'node:test';
import { BufferedOutput } from '../../src/node/buffered-output.js';
import { scanCaptureFile } from '../../src/node/scan-file.js';
import { PcapFormatError, parseCapture } from '../../src/pcap/index.js';
import { edgeFiles } from '../helpers/capture-edge-files.js';

/** Timestamps and bytes of every record scanCaptureFile hands over, and the error it throws. */
async function scanned(
  path: string,
  chunkSize: number,
  stdin?: Uint8Array,
  stdinFd?: number,
  buffer?: Uint8Array,
) {
  const out: string[] = [];
  let error: unknown;
  try {
    await scanCaptureFile(
      path,
      (s, buf) => {
        for (let i = 0; i < s.batch.n; i++) {
          const r = s.record(buf, i);
          out.push(`${r.timestampNs} ${Buffer.from(r.data).toString('hex')}`);
        }
        return true;
      },
      {
        chunkSize,
        buffer,
        stdinFd,
        stdin:
          stdin &&
          Readable.from(
            (function* () {
              for (let i = 0; i < stdin.length; i += 777) yield stdin.subarray(i, i + 777);
            })(),
          ),
      },
    );
  } catch (e) {
    error = e;
  }
  return { out, error };
}

/** '-' as a descriptor (a file redirected to stdin), read from where it stands and left open. */
async function scannedFd(path: string) {
  const fd = openSync(path, 'r');
  try {
    return await scanned('-', 1000, undefined, fd);
  } finally {
    fstatSync(fd); // still open
    closeSync(fd);
  }
}

test('files, stdin streams and stdin descriptors scan to the parser records, in small and default chunks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-scan-'));
  const given = new Uint8Array(new ArrayBuffer(8192), 1000, 3000);
  try {
    for (const { name, bytes } of edgeFiles()) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const want = parseCapture(bytes);
      const wantOut = want.records.map(
        (r) => `${r.timestampNs} ${Buffer.from(r.data).toString('hex')}`,
      );
      for (const [label, got] of [
        ['chunk 100', await scanned(path, 100)],
        ['chunk 1 MiB', await scanned(path, 1 << 20)],
        // A caller's buffer (a view inside a larger one): read into while the records fit it.
        ['given buffer', await scanned(path, 1 << 20, undefined, undefined, given)],
        ['stdin', await scanned('-', 4096, bytes)],
        ['stdin descriptor', await scannedFd(path)],
      ] as const) {
        assert.deepEqual(got.out, wantOut, `${name} ${label}`);
        if (want.error) {
          assert.ok(got.error instanceof PcapFormatError, `${name} ${label}`);
          assert.equal(got.error.message, want.error.message, `${name} ${label}`);
        } else assert.equal(got.error, undefined, `${name} ${label}: ${got.error}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stopping early; a missing file is the fs error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-scan-'));
  try {
    const path = join(dir, 'x.pcap');
    writeFileSync(path, edgeFiles()[0].bytes);
    let batches = 0;
    await scanCaptureFile(path, () => ++batches < 2, { chunkSize: 1000 });
    assert.equal(batches, 2);
    await assert.rejects(
      scanCaptureFile(join(dir, 'none.pcap'), () => true),
      { code: 'ENOENT' },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('BufferedOutput: many small appends land in order in a file and through a slow stream', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-out-'));
  try {
    const parts = Array.from({ length: 3000 }, (_, i) =>
      Uint8Array.from({ length: 1 + (i % 97) }, (_, j) => i + j),
    );
    const want = Buffer.concat(parts);
    const path = join(dir, 'out.bin');
    const f = new BufferedOutput(path, 256);
    for (const [i, p] of parts.entries()) {
      f.append(p);
      if (i % 100 === 0) await f.drained();
    }
    await f.close();
    assert.deepEqual(readFileSync(path), want);

    const got: Buffer[] = [];
    const sink = new Writable({
      highWaterMark: 512,
      write(c: Buffer, _e, cb) {
        got.push(c);
        setImmediate(cb);
      },
    });
    const s = new BufferedOutput(sink, 300);
    for (const p of parts) {
      s.append(p);
      s.flush();
      await s.drained();
    }
    await s.close();
    assert.deepEqual(Buffer.concat(got), want);
    assert.throws(() => new BufferedOutput(join(dir, 'no', 'such', 'dir')), { code: 'ENOENT' });

    // Given buffers (views of one, as the -w path shares with its reads) are filled in turn and
    // used again once their writes are done; a part longer than them gets one of its own.
    const all = new ArrayBuffer(3 * 256);
    const views = [0, 1, 2].map((i) => new Uint8Array(all, i * 256, 256));
    const g = new BufferedOutput(join(dir, 'given.bin'), 256, views);
    const seen = new Set<ArrayBufferLike>();
    const long = Uint8Array.from({ length: 1000 }, (_, i) => i * 7);
    for (const p of [...parts.slice(0, 1500), long, ...parts.slice(1500)]) {
      g.append(p);
      seen.add(g.buf.buffer);
      // As the -w path does after each batch: at most one write in flight beside the one filling.
      await g.drained();
    }
    await g.close();
    assert.deepEqual(
      readFileSync(join(dir, 'given.bin')),
      Buffer.concat([...parts.slice(0, 1500), long, ...parts.slice(1500)]),
    );
    assert.ok(seen.has(all), 'the given buffers were used');
    assert.equal(seen.size, 2, 'one buffer made beside the given ones, for the long part');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
