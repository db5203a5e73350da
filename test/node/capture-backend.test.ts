// openCapture's platform switch, and the /dev/bpf capture loop run against a fixture device (the real
// BpfDevice needs macOS or FreeBSD).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Program } from '../../src/core/encode.js';
import { type BpfSource, bpfFrames, openBpfCapture } from '../../src/node/bsd/bpf-capture.js';
import { bpfWordAlign } from '../../src/node/bsd/records.js';
import {
  type FilterResolver,
  resolveFilter,
  selectCaptureBackend,
} from '../../src/node/capture.js';

test('backend selection: Linux ring by default, recv on request; /dev/bpf on macOS and FreeBSD', () => {
  assert.equal(selectCaptureBackend('linux'), 'packet-ring');
  assert.equal(selectCaptureBackend('linux', { ring: true }), 'packet-ring');
  assert.equal(selectCaptureBackend('linux', { ring: false }), 'packet-recv');
  for (const p of ['darwin', 'freebsd']) {
    assert.equal(selectCaptureBackend(p), 'bpf');
    assert.equal(selectCaptureBackend(p, { ring: false }), 'bpf');
    assert.throws(() => selectCaptureBackend(p, { ring: true }), { code: 'RING_UNSUPPORTED' });
  }
  for (const p of ['win32', 'openbsd', 'aix'])
    assert.throws(() => selectCaptureBackend(p), { code: 'UNSUPPORTED_PLATFORM' });
});

/** A macOS bpf_hdr record (18-byte header, 4-byte alignment). */
function macosRecord(sec: number, usec: number, data: number[], wire: number): number[] {
  const b = new Uint8Array(bpfWordAlign(18 + data.length, 4));
  const dv = new DataView(b.buffer);
  dv.setInt32(0, sec, true);
  dv.setInt32(4, usec, true);
  dv.setUint32(8, data.length, true);
  dv.setUint32(12, wire, true);
  dv.setUint16(16, 18, true);
  b.set(data, 18);
  return [...b];
}

test('bpfFrames: kernel stamp in ns, copies cut to snaplen, bh_datalen as wirelen', () => {
  const bytes = [
    ...macosRecord(1_700_000_000, 250_000, [1, 2, 3, 4], 1514),
    ...macosRecord(5, 1, [9], 9),
  ];
  const buf = new Uint8Array(4096);
  buf.set(bytes);
  const frames = bpfFrames(buf, bytes.length, 'macos', 'en0', 2);
  assert.deepEqual(
    frames.map((f) => [f.timestampNs, [...f.data], f.wirelen, f.interface]),
    [
      [1_700_000_000_250_000_000n, [1, 2], 1514, 'en0'],
      [5_000_001_000n, [9], 9, 'en0'],
    ],
  );
  buf.fill(0);
  assert.deepEqual([...frames[0].data], [1, 2], 'a copy survives the next read into the buffer');
});

/** Plays back fixture read() results; then each read waits like a read timeout. */
function fixtureDevice(reads: number[][]) {
  const calls: string[] = [];
  const dev: BpfSource & { calls: string[]; filters: Program[] } = {
    fd: 42,
    bufferSize: 4096,
    flavor: 'macos',
    linktype: 0, // DLT_NULL, as lo0 on macOS
    calls,
    filters: [],
    async read(buf) {
      calls.push('read');
      const next = reads.shift();
      if (next) {
        buf.set(next);
        return next.length;
      }
      await new Promise((r) => setTimeout(r, 10));
      return 0;
    },
    setFilter(p) {
      dev.filters.push(p);
    },
    stats: () => ({ received: 7, dropped: 1 }),
    send: (f) => f.length,
    close() {
      calls.push('close');
    },
    released: Promise.resolve(),
  };
  return dev;
}

test('the /dev/bpf capture yields each read’s records, compiles with the device link type, stops', async () => {
  const dev = fixtureDevice([
    [...macosRecord(10, 0, [0xaa], 60), ...macosRecord(11, 0, [0xbb], 60)],
    [],
    macosRecord(12, 500, [0xcc, 0xdd], 2),
  ]);
  const seen: (number | undefined)[] = [];
  const resolve: FilterResolver = (f, linktype) => {
    seen.push(linktype);
    return resolveFilter(f, linktype);
  };
  const cap = await openBpfCapture(
    { interface: 'lo0', filter: [{ code: 0x06, jt: 0, jf: 0, k: 0xffff }] },
    resolve,
    () => dev,
  );
  assert.deepEqual(seen, [0]);
  assert.equal(dev.filters.length, 1);
  const got: number[][] = [];
  for await (const f of cap) {
    got.push([...f.data]);
    if (got.length === 3) break;
  }
  assert.deepEqual(got, [[0xaa], [0xbb], [0xcc, 0xdd]]);
  assert.deepEqual(cap.stats(), { received: 7, dropped: 1, captured: 3 });
  assert.equal(dev.calls.filter((c) => c === 'close').length, 1);
  await cap.setFilter(undefined);
  assert.deepEqual(dev.filters[1], [{ code: 0x06, jt: 0, jf: 0, k: 0xffffffff }]);
});

test('the /dev/bpf capture hands one read’s records as one batch', async () => {
  const dev = fixtureDevice([
    [...macosRecord(10, 0, [0xaa], 60), ...macosRecord(11, 0, [0xbb], 60)],
    [],
    macosRecord(12, 500, [0xcc, 0xdd], 2),
  ]);
  const cap = await openBpfCapture({ interface: 'lo0' }, resolveFilter, () => dev);
  const got: number[][][] = [];
  for await (const b of cap.batches()) {
    // One reused batch over the read buffer: offsets and lengths, no object per frame.
    got.push(
      Array.from({ length: b.n }, (_, i) => [
        ...b.buffer.subarray(b.data[i], b.data[i] + b.caplen[i]),
      ]),
    );
    if (got.length === 2) break;
  }
  assert.deepEqual(got, [[[0xaa], [0xbb]], [[0xcc, 0xdd]]]);
  assert.equal(cap.stats().captured, 3);
  assert.ok(dev.calls.includes('close'));
});

test('the /dev/bpf capture stops on abort while a read is pending, and closes a failed open', async () => {
  const ac = new AbortController();
  const dev = fixtureDevice([]);
  const cap = await openBpfCapture(
    { interface: 'en0', signal: ac.signal },
    resolveFilter,
    () => dev,
  );
  const done = (async () => {
    for await (const _ of cap) {
    }
  })();
  await new Promise((r) => setTimeout(r, 25));
  const t0 = performance.now();
  ac.abort();
  await done;
  assert.ok(performance.now() - t0 < 100);
  assert.ok(dev.calls.includes('close'));

  const bad = fixtureDevice([]);
  await assert.rejects(
    openBpfCapture({ interface: 'en0', filter: 'tcp port (((' }, resolveFilter, () => bad),
    { name: 'CompileError' },
  );
  assert.ok(bad.calls.includes('close'));
});
