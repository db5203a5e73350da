// Writer → reader round trips for pcap and pcapng, split into random chunks, plus format details.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  createCaptureParser,
  PcapFormatError,
  PcapngWriter,
  type PcapRecord,
  PcapWriter,
  parseCapture,
  readCapture,
} from '../../src/pcap/index.js';

interface Spec {
  timestampNs: bigint;
  data: Uint8Array;
  wirelen: number;
  interfaceId: number;
  comment?: string;
}

const recordArb = (nano: boolean, interfaces: number, comments: boolean) =>
  fc
    .record({
      sec: fc.integer({ min: 0, max: 0xffffffff }),
      frac: fc.integer({ min: 0, max: 999_999_999 }),
      data: fc.uint8Array({ maxLength: 200 }),
      extra: fc.integer({ min: 0, max: 70000 }),
      interfaceId: fc.integer({ min: 0, max: interfaces - 1 }),
      comment: comments
        ? fc.option(fc.string({ maxLength: 30 }), { nil: undefined })
        : fc.constant(undefined),
    })
    .map((r): Spec => {
      const frac = nano ? r.frac : r.frac - (r.frac % 1000);
      const s: Spec = {
        timestampNs: BigInt(r.sec) * 1_000_000_000n + BigInt(frac),
        data: r.data,
        wirelen: r.data.length + r.extra,
        interfaceId: r.interfaceId,
      };
      if (r.comment !== undefined) s.comment = r.comment;
      return s;
    });

/** Cuts `bytes` at the given fractions into chunks (empty chunks included). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = cuts.map((c) => Math.floor(c * (bytes.length + 1))).sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of at) {
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  out.push(bytes.subarray(prev));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function plain(r: PcapRecord) {
  return { ...r, data: Array.from(r.data) };
}

function readChunks(chunks: Uint8Array[]): PcapRecord[] {
  const p = createCaptureParser();
  const out: PcapRecord[] = [];
  for (const c of chunks) out.push(...p.push(c));
  out.push(...p.end());
  return out;
}

test('PcapWriter → reader: any byte order, µs/ns, any chunking gives the records back', () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.boolean(),
      fc.integer({ min: 0, max: 300 }),
      fc.integer({ min: 0, max: 0xffff }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
      fc.gen(),
      (nano, le, snaplenSmall, linktype, cuts, g) => {
        const snaplen = snaplenSmall === 0 ? 262144 : snaplenSmall;
        const recs = g(() => fc.array(recordArb(nano, 1, false), { maxLength: 12 }));
        const w = new PcapWriter({ nanosecond: nano, littleEndian: le, snaplen, linktype });
        const bytes = concat([w.header(), ...recs.map((r) => w.write(r))]);
        const got = readChunks(split(bytes, cuts));
        const want = recs.map((r) => {
          const caplen = Math.min(r.data.length, snaplen);
          return {
            timestampNs: r.timestampNs,
            data: Array.from(r.data.subarray(0, caplen)),
            caplen,
            wirelen: r.wirelen,
            linktype,
            interfaceId: 0,
            snaplen,
          };
        });
        assert.deepEqual(got.map(plain), want);
      },
    ),
    { numRuns: 400 },
  );
});

test('PcapngWriter → reader: several interfaces, comments, byte orders, µs/ns, any chunking', () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.array(
        fc.record({
          linktype: fc.integer({ min: 0, max: 0xffff }),
          snaplen: fc.integer({ min: 1, max: 400 }),
          nanosecond: fc.boolean(),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
      fc.gen(),
      (le, ifs0, cuts, g) => {
        const ifs = ifs0.map((i) => ({ ...i }));
        const w = new PcapngWriter({ littleEndian: le, interfaces: ifs, comment: 'section' });
        const recs = g(() => fc.array(recordArb(true, ifs.length, true), { maxLength: 12 }));
        const parts = [w.header()];
        for (const r of recs) {
          // µs interfaces store whole microseconds.
          const ts = ifs[r.interfaceId].nanosecond
            ? r.timestampNs
            : r.timestampNs - (r.timestampNs % 1000n);
          parts.push(w.write({ ...r, timestampNs: ts }));
        }
        const got = readChunks(split(concat(parts), cuts));
        const want = recs.map((r) => {
          const i = ifs[r.interfaceId];
          const caplen = Math.min(r.data.length, i.snaplen);
          const out: Record<string, unknown> = {
            timestampNs: i.nanosecond ? r.timestampNs : r.timestampNs - (r.timestampNs % 1000n),
            data: Array.from(r.data.subarray(0, caplen)),
            caplen,
            wirelen: r.wirelen,
            linktype: i.linktype,
            interfaceId: r.interfaceId,
            snaplen: i.snaplen,
          };
          if (r.comment !== undefined) out.comment = r.comment;
          return out;
        });
        assert.deepEqual(got.map(plain), want);
      },
    ),
    { numRuns: 400 },
  );
});

test('pcapng: interfaces added later, a second section in the other byte order, unknown blocks skipped', () => {
  const a = new PcapngWriter({ linktype: 1 });
  const parts = [a.write({ timestampNs: 5_000n, data: Uint8Array.of(1, 2, 3) })];
  const id = a.addInterface({ linktype: 113, nanosecond: true, name: 'any' });
  parts.push(a.write({ timestampNs: 7n, data: Uint8Array.of(9), interfaceId: id }));
  // A custom block (type 0x40000BAD) in between, little-endian like the section.
  const custom = new Uint8Array([0xad, 0x0b, 0x00, 0x40, 16, 0, 0, 0, 1, 2, 3, 4, 16, 0, 0, 0]);
  parts.push(custom);
  const b = new PcapngWriter({ littleEndian: false, linktype: 101 });
  parts.push(b.write({ timestampNs: 1_000_000_000n, data: Uint8Array.of(4), interfaceId: 0 }));
  const seen: number[] = [];
  const p = createCaptureParser({ onBlock: (blk) => seen.push(blk.type) });
  const recs = [...p.push(concat(parts)), ...p.end()];
  assert.deepEqual(
    recs.map((r) => [r.timestampNs, r.linktype, r.interfaceId]),
    [
      [5_000n, 1, 0],
      [7n, 113, 1],
      [1_000_000_000n, 101, 0],
    ],
  );
  assert.deepEqual(seen, [0x0a0d0d0a, 1, 1, 0x40000bad, 0x0a0d0d0a, 1]);
  assert.equal(p.format, 'pcapng');
});

/** A hand-built pcapng: SHB, an IDB with the given if_tsresol, then one EPB with ts units `ts` and an SPB. */
function handBuilt(tsresol: number, ts: bigint): Uint8Array {
  const words: number[] = [];
  const block = (type: number, body: number[]) => {
    const len = 12 + body.length * 4;
    const out = [type, len, ...body, len];
    words.push(...out);
  };
  block(0x0a0d0d0a, [0x1a2b3c4d, 0x00000001, 0xffffffff, 0xffffffff]);
  // IDB: linktype 1, snaplen 4, option 9 len 1 value tsresol, endofopt.
  block(1, [1, 4, 0x00010009, tsresol, 0]);
  block(6, [0, Number(ts >> 32n), Number(ts & 0xffffffffn), 4, 4, 0x04030201]);
  block(3, [6, 0x0d0c0b0a, 0x00000f0e]); // SPB: wire 6 bytes, snaplen 4 keeps 4
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < words.length; i++) dv.setUint32(i * 4, words[i] >>> 0, true);
  return b;
}

test('pcapng if_tsresol: powers of ten and of two; simple packet blocks', () => {
  const cases: [number, bigint, bigint][] = [
    [6, 1_500_000n, 1_500_000_000n],
    [9, 123n, 123n],
    [3, 2n, 2_000_000n],
    [12, 5_000n, 5n],
    [0x80 | 10, 1024n * 3n + 512n, 3_500_000_000n], // 2^-10 s units
    [0x80 | 0, 7n, 7_000_000_000n],
  ];
  for (const [res, ts, ns] of cases) {
    const { records, error } = parseCapture(handBuilt(res, ts));
    assert.equal(error, undefined);
    assert.equal(records[0].timestampNs, ns, `tsresol ${res}`);
    assert.deepEqual(Array.from(records[1].data), [0x0a, 0x0b, 0x0c, 0x0d]);
    assert.equal(records[1].wirelen, 6);
    assert.equal(records[1].caplen, 4);
  }
});

test('readCapture streams from sync and async iterables and yields records before the error', async () => {
  const w = new PcapWriter();
  const good = concat([
    w.header(),
    w.write({ timestampNs: 1n * 1000n, data: Uint8Array.of(1) }),
    w.write({ timestampNs: 2000n, data: Uint8Array.of(2) }),
  ]);
  const all: bigint[] = [];
  for await (const r of readCapture([good.subarray(0, 10), good.subarray(10)]))
    all.push(r.timestampNs);
  assert.deepEqual(all, [1000n, 2000n]);

  const cut = good.subarray(0, good.length - 1);
  async function* gen() {
    for (const b of cut) yield Uint8Array.of(b);
  }
  const got: bigint[] = [];
  await assert.rejects(
    async () => {
      for await (const r of readCapture(gen())) got.push(r.timestampNs);
    },
    (e: unknown) => e instanceof PcapFormatError && e.code === 'TRUNCATED' && e.offset === 24 + 17,
  );
  assert.deepEqual(got, [1000n]);
});

test('bad input: magic, version, absurd caplen, block length mismatch — typed errors with offsets', () => {
  const err = (bytes: Uint8Array) => parseCapture(bytes).error;
  assert.equal(err(Uint8Array.of(1, 2, 3, 4, 5))?.code, 'BAD_MAGIC');
  assert.equal(err(new Uint8Array(0))?.code, 'TRUNCATED');
  const w = new PcapWriter({ snaplen: 100 });
  const file = concat([
    w.header(),
    w.write({ timestampNs: 0n, data: new Uint8Array(10) }),
    w.write({ timestampNs: 0n, data: new Uint8Array(10) }),
  ]);
  const v = file.slice();
  v[4] = 3;
  assert.equal(err(v)?.code, 'BAD_VERSION');
  const big = file.slice();
  new DataView(big.buffer).setUint32(24 + 26 + 8, 0x7fffffff, true); // second record's caplen
  const r = parseCapture(big);
  assert.equal(r.error?.code, 'CAPLEN_TOO_LARGE');
  assert.equal(r.error?.offset, 24 + 26);
  assert.equal(r.records.length, 1);

  const ng = new PcapngWriter();
  const ngFile = concat([
    ng.write({ timestampNs: 0n, data: new Uint8Array(8) }),
    ng.write({ timestampNs: 0n, data: new Uint8Array(8) }),
  ]);
  const epb2 = ngFile.length - 40;
  const mismatch = ngFile.slice();
  new DataView(mismatch.buffer).setUint32(ngFile.length - 4, 44, true);
  const m = parseCapture(mismatch);
  assert.equal(m.error?.code, 'BLOCK_LENGTH_MISMATCH');
  assert.equal(m.error?.offset, epb2);
  assert.equal(m.records.length, 1);
  const huge = ngFile.slice();
  new DataView(huge.buffer).setUint32(epb2 + 4, 0xfffffff0, true);
  assert.equal(err(huge)?.code, 'BLOCK_TOO_LARGE');
  const badIf = ngFile.slice();
  new DataView(badIf.buffer).setUint32(epb2 + 8, 3, true);
  assert.equal(err(badIf)?.code, 'BAD_INTERFACE');
});

test('push parser: error after records is thrown on the next push/end; views vs copies', () => {
  const w = new PcapWriter();
  const file = concat([w.header(), w.write({ timestampNs: 0n, data: Uint8Array.of(7, 8) })]);
  const bad = concat([
    file,
    Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0),
  ]);
  const p = createCaptureParser();
  const first = p.push(bad);
  assert.equal(first.length, 1);
  assert.equal(first[0].data.buffer, bad.buffer, 'record inside one chunk is a view');
  assert.throws(
    () => p.end(),
    (e: unknown) =>
      e instanceof PcapFormatError && e.code === 'CAPLEN_TOO_LARGE' && e.offset === file.length,
  );
  const c = createCaptureParser({ copy: true }).push(file);
  assert.notEqual(c[0].data.buffer, file.buffer);
  // libpcap cuts a record longer than the file's snaplen; 'keep' delivers every byte.
  const short = new PcapWriter({ snaplen: 1 });
  const cut = concat([
    short.header(),
    new PcapWriter().write({ timestampNs: 0n, data: Uint8Array.of(1, 2, 3) }).subarray(24),
  ]);
  assert.deepEqual(Array.from(parseCapture(cut).records[0].data), [1]);
  assert.deepEqual(Array.from(parseCapture(cut, { oversized: 'keep' }).records[0].data), [1, 2, 3]);
});
