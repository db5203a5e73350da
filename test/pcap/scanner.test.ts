// The batch scanner against the push parser: same records (positions, lengths, cuts, decoded fields),
// same errors at the same offsets, for every corpus capture, the edge files and fuzzed mutations,
// whatever the window and batch sizes; copyClassicRecord against PcapWriter.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  copyClassicRecord,
  createCaptureScanner,
  PcapFormatError,
  type PcapRecord,
  PcapWriter,
  parseCapture,
} from '../../src/pcap/index.js';
import { setPcapTime } from '../../src/pcap/timeval.js';
import { edgeFiles } from '../helpers/capture-edge-files.js';
import { corpusSample, mutate, mutation } from '../helpers/capture-mutations.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const DIR = CORPUS_DIR;

interface Scanned {
  records: PcapRecord[];
  error?: unknown;
}

/**
 * Drives a scanner as scanCaptureFile does: a window of `window` bytes refilled from `bytes`, the
 * unscanned rest moved to the front and the window grown to `need`; checks each batch's positions
 * against the record decoded from them.
 */
function scanAll(bytes: Uint8Array, window: number, batchSize: number): Scanned {
  const s = createCaptureScanner({ batchSize });
  let buf = new Uint8Array(window);
  let start = 0;
  let end = 0;
  let fed = 0;
  const records: PcapRecord[] = [];
  try {
    for (;;) {
      buf.copyWithin(0, start, end);
      end -= start;
      start = 0;
      if (s.need > buf.length) {
        const b = new Uint8Array(s.need);
        b.set(buf.subarray(0, end));
        buf = b;
      }
      const take = Math.min(buf.length - end, bytes.length - fed);
      buf.set(bytes.subarray(fed, fed + take), end);
      end += take;
      fed += take;
      for (;;) {
        const before = s.offset;
        const used = s.scan(buf, start, end);
        assert.equal(s.offset, before + used);
        assert.ok(s.batch.n <= batchSize);
        for (let i = 0; i < s.batch.n; i++) {
          const r = s.record(buf, i);
          assert.equal(r.caplen, s.batch.caplen[i]);
          assert.equal(r.wirelen, s.batch.wirelen[i]);
          assert.equal(r.linktype, s.batch.linktype[i]);
          assert.equal(r.data.byteOffset - buf.byteOffset, s.batch.data[i]);
          assert.ok(s.batch.start[i] >= start && s.batch.data[i] + r.caplen <= start + used);
          records.push({ ...r, data: r.data.slice() });
        }
        start += used;
        if (s.error) return { records, error: s.error };
        if (used === 0) break;
      }
      if (take === 0) {
        s.end(end - start);
        return { records };
      }
    }
  } catch (e) {
    return { records, error: e };
  }
}

function assertSame(name: string, got: Scanned, bytes: Uint8Array): void {
  const want = parseCapture(bytes);
  assert.equal(got.records.length, want.records.length, `${name}: record count`);
  for (let i = 0; i < want.records.length; i++) {
    const a = got.records[i];
    const b = want.records[i];
    const { data: ad, ...af } = a;
    const { data: bd, ...bf } = b;
    assert.deepEqual(af, bf, `${name}#${i}`);
    assert.deepEqual(ad, bd, `${name}#${i} data`);
  }
  if (want.error) {
    assert.ok(
      got.error instanceof PcapFormatError,
      `${name}: expected ${want.error.message}, got ${got.error}`,
    );
    assert.equal(got.error.code, want.error.code, name);
    assert.equal(got.error.offset, want.error.offset, name);
    assert.equal(got.error.message, want.error.message, name);
  } else assert.equal(got.error, undefined, `${name}: ${got.error}`);
}

test('every corpus capture and edge file scans as the parser reads it, in small and large windows', {
  timeout: 60_000,
}, () => {
  const files = [
    ...readdirSync(DIR)
      .filter((f) => /\.pcap(ng)?$/.test(f))
      .sort()
      .map((name) => ({ name, bytes: new Uint8Array(readFileSync(DIR + name)) })),
    ...edgeFiles(),
  ];
  assert.ok(files.length > 800);
  for (const { name, bytes } of files) {
    assertSame(`${name} 1 MiB`, scanAll(bytes, 1 << 20, 16384), bytes);
    assertSame(`${name} 64 B, batch 3`, scanAll(bytes, 64, 3), bytes);
  }
});

test('mutated corpus captures: the scanner agrees with the parser on records and errors', {
  timeout: 30_000,
}, () => {
  const files = corpusSample();
  fc.assert(
    fc.property(
      fc.nat(),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 1, max: 3000 }),
      fc.integer({ min: 1, max: 50 }),
      (pick, ms, window, batch) => {
        const bytes = mutate(files[pick % files.length], ms, files);
        assertSame('mutated', scanAll(bytes, window, batch), bytes);
      },
    ),
    { numRuns: 3000 },
  );
});

test('scan() after an error throws it again; a bad batchSize or range is a RangeError', () => {
  const s = createCaptureScanner();
  const bad = Uint8Array.of(1, 2, 3, 4);
  assert.equal(s.scan(bad, 0, 4), 0);
  assert.equal(s.error?.code, 'BAD_MAGIC');
  assert.throws(() => s.scan(bad, 0, 4), PcapFormatError);
  assert.throws(() => createCaptureScanner({ batchSize: 0 }), RangeError);
  assert.throws(() => createCaptureScanner().scan(bad, 2, 9), RangeError);
});

test("copyAsPcap (and copyClassicRecord) write what a PcapWriter writes, with libpcap's timeval as the time", () => {
  let same = 0;
  let libpcapTime = 0;
  for (const { name, bytes } of edgeFiles()) {
    const s = createCaptureScanner();
    for (let at = 0, used = 1; used > 0 && !s.error; at += used) {
      used = s.scan(bytes, at, bytes.length);
      for (let i = 0; i < s.batch.n; i++) {
        const r = s.record(bytes, i);
        for (const caplen of [r.caplen, Math.min(r.caplen, 40)]) {
          const out = new Uint8Array(16 + caplen);
          assert.equal(s.copyAsPcap(bytes, i, caplen, out, 0), 16 + caplen);
          if (s.format === 'pcap') {
            const again = new Uint8Array(16 + caplen);
            copyClassicRecord(bytes, s.batch.start[i], s.classic!, caplen, again, 0);
            assert.deepEqual(again, out);
          }
          // The time is libpcap's timeval cut to 32 bits (tcpdump -w writes it so) ...
          const t = s.timeval(bytes, i);
          const time = new Uint8Array(8);
          setPcapTime(time, 0, t);
          assert.deepEqual(out.subarray(0, 8), time, `${name}#${i}`);
          // ... which is the writer's where the time is a plain one.
          const w = new PcapWriter({ snaplen: 0xffffffff });
          w.header();
          const want = w.write({
            timestampNs: r.timestampNs < 0n ? 0n : r.timestampNs % (2n ** 32n * 10n ** 9n),
            data: r.data.subarray(0, caplen),
            wirelen: r.wirelen,
          });
          assert.deepEqual(out.subarray(8), want.subarray(8), `${name}#${i}`);
          const plain =
            t.usec >= 0 &&
            t.usec < 1e6 &&
            t.sec >= 0n &&
            t.sec < 2n ** 32n &&
            r.timestampNs === t.sec * 10n ** 9n + BigInt(t.usec) * 1000n + (r.timestampNs % 1000n);
          if (plain) {
            assert.deepEqual(out, want, `${name}#${i}`);
            same++;
          } else libpcapTime++;
        }
      }
    }
  }
  // Plain: classic records and µs EPBs; libpcap's own: fractions ≥ 1 s, times past 2106, offsets.
  assert.ok(same > 3000 && libpcapTime > 0, `${same} plain, ${libpcapTime} libpcap's`);
});

test('copyManyAsPcap writes what copyAsPcap writes record by record, for any picks and snap length, also within one buffer', () => {
  const files = edgeFiles();
  fc.assert(
    fc.property(
      fc.nat(files.length - 1),
      fc.array(fc.boolean(), { maxLength: 400 }),
      fc.constantFrom(0xffffffff, 262_144, 60, 14),
      (f, pick, snaplen) => {
        const bytes = (files[f] as (typeof files)[number]).bytes;
        const s = createCaptureScanner();
        for (let at = 0, used = 1; used > 0 && !s.error; at += used) {
          used = s.scan(bytes, at, bytes.length);
          const picked = new Int32Array(s.batch.n);
          let k = 0;
          // Picks from the second record on, relative to base 1 (as a batch's later run is).
          for (let i = 1; i < s.batch.n; i++)
            if (pick[i % Math.max(pick.length, 1)]) picked[k++] = i - 1;
          // Record by record (some edge files hold records of megabytes).
          let size = 0;
          for (let q = 0; q < k; q++)
            size += 16 + Math.min(s.batch.caplen[1 + (picked[q] as number)] as number, snaplen);
          const want = new Uint8Array(size);
          for (let q = 0, p = 0; q < k; q++) {
            const i = 1 + (picked[q] as number);
            p += s.copyAsPcap(bytes, i, Math.min(s.batch.caplen[i] as number, snaplen), want, p);
          }
          assert.equal(s.pcapSize(1, picked, k, snaplen), size);
          const out = new Uint8Array(size + 8);
          assert.equal(s.copyManyAsPcap(bytes, 1, picked, k, snaplen, out, 8), size);
          assert.ok(Buffer.from(out.subarray(8)).equals(want));
          // The input and the output as views of one buffer (runs moved within it): the same bytes.
          const one = new Uint8Array(bytes.length + size + 11);
          const input = one.subarray(3, 3 + bytes.length);
          input.set(bytes);
          const beside = one.subarray(3 + bytes.length);
          assert.equal(s.copyManyAsPcap(input, 1, picked, k, snaplen, beside, 8), size);
          assert.ok(Buffer.from(beside.subarray(8)).equals(want));
          assert.ok(Buffer.from(input).equals(bytes));
        }
      },
    ),
    { numRuns: 200 },
  );
});
