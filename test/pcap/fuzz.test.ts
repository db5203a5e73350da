// Fuzzing the readers with mutated real captures: only PcapFormatError may escape, chunking never
// changes the outcome, and nothing is retained beyond the input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  createCaptureParser,
  PcapFormatError,
  type PcapRecord,
  parseCapture,
} from '../../src/pcap/index.js';
import { corpusSample, mutate, mutation } from '../helpers/capture-mutations.js';

const files = corpusSample();

function chunked(bytes: Uint8Array, size: number): { records: PcapRecord[]; error?: unknown } {
  const p = createCaptureParser();
  const records: PcapRecord[] = [];
  try {
    for (let i = 0; i < bytes.length; i += size)
      records.push(...p.push(bytes.subarray(i, i + size)));
    records.push(...p.end());
    p.end();
  } catch (e) {
    return { records, error: e };
  }
  return { records };
}

const summary = (rs: PcapRecord[]) =>
  rs.map(
    (r) =>
      `${r.timestampNs}/${r.caplen}/${r.wirelen}/${r.linktype}/${r.interfaceId}/${r.comment ?? ''}`,
  );

test('mutated corpus captures: only PcapFormatError, same result whole or in chunks, bounded output', {
  timeout: 20_000,
}, () => {
  let errors = 0;
  let runs = 0;
  fc.assert(
    fc.property(
      fc.nat(),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 1, max: 700 }),
      (pick, ms, size) => {
        runs++;
        const bytes = mutate(files[pick % files.length], ms, files);
        const whole = parseCapture(bytes);
        if (whole.error) {
          errors++;
          assert.ok(whole.error instanceof PcapFormatError);
          assert.ok(
            whole.error.offset >= 0 && whole.error.offset <= bytes.length,
            `offset ${whole.error.offset} in ${bytes.length}`,
          );
        }
        let total = 0;
        for (const r of whole.records) {
          assert.equal(r.data.length, r.caplen);
          total += r.caplen;
        }
        assert.ok(total <= bytes.length, 'records never hold more bytes than the input');
        const parts = chunked(bytes, size);
        assert.ok(
          parts.error === undefined || parts.error instanceof PcapFormatError,
          String(parts.error),
        );
        assert.deepEqual(summary(parts.records), summary(whole.records));
        assert.equal((parts.error as PcapFormatError | undefined)?.code, whole.error?.code);
        assert.equal((parts.error as PcapFormatError | undefined)?.offset, whole.error?.offset);
      },
    ),
    { numRuns: 6000 },
  );
  console.log(`# fuzz: ${runs} runs, ${errors} raised PcapFormatError`);
});

test('a huge length arriving byte by byte is refused or awaited without buffering it', () => {
  // Classic: a caplen beyond the limit is refused as soon as the record header is complete.
  const head = Uint8Array.of(
    0xd4,
    0xc3,
    0xb2,
    0xa1,
    2,
    0,
    4,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0xff,
    0xff,
    0,
    0,
    1,
    0,
    0,
    0,
  );
  const rec = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0x10);
  const p = createCaptureParser();
  const stream = [...head, ...rec];
  assert.throws(
    () => {
      for (const b of stream) p.push(Uint8Array.of(b));
    },
    (e: unknown) =>
      e instanceof PcapFormatError && e.code === 'CAPLEN_TOO_LARGE' && e.offset === 24,
  );
  // pcapng: a block claiming 60 MiB (under the 64 MiB cap) fed 1 byte at a time just waits, in linear time.
  const q = createCaptureParser();
  const shb = new Uint8Array(28);
  const dv = new DataView(shb.buffer);
  dv.setUint32(0, 0x0a0d0d0a, true);
  dv.setUint32(4, 28, true);
  dv.setUint32(8, 0x1a2b3c4d, true);
  dv.setUint16(12, 1, true);
  dv.setUint32(24, 28, true);
  q.push(shb);
  const big = new Uint8Array(8);
  new DataView(big.buffer).setUint32(0, 0x40000001, true);
  new DataView(big.buffer).setUint32(4, 60 * 1024 * 1024, true);
  q.push(big);
  const t0 = performance.now();
  for (let i = 0; i < 200_000; i++) assert.equal(q.push(Uint8Array.of(0)).length, 0);
  assert.ok(performance.now() - t0 < 5000);
  assert.throws(
    () => q.end(),
    (e: unknown) => e instanceof PcapFormatError && e.code === 'TRUNCATED' && e.offset === 28,
  );
  const r = createCaptureParser();
  r.push(shb);
  new DataView(big.buffer).setUint32(4, 0x7ffffff0, true);
  assert.throws(
    () => r.push(big),
    (e: unknown) => e instanceof PcapFormatError && e.code === 'BLOCK_TOO_LARGE',
  );
});
