// Less common layouts built by hand: Kuznetzov pcap, obsolete Packet Block, if_tsoffset, several comments,
// big-endian sections, unknown options.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCapture } from '../../src/pcap/index.js';

/** Serialises 32-bit words in the given byte order. */
function words(ws: number[], le: boolean): Uint8Array {
  const b = new Uint8Array(ws.length * 4);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < ws.length; i++) dv.setUint32(i * 4, ws[i] >>> 0, le);
  return b;
}

function block(type: number, body: number[]): number[] {
  const len = 12 + body.length * 4;
  return [type, len, ...body, len];
}

test('Kuznetzov pcap (magic a1b2cd34): 24-byte record headers', () => {
  for (const le of [true, false]) {
    const ws = [
      0xa1b2cd34,
      le ? 0x00040002 : 0x00020004,
      0,
      0,
      1500,
      1,
      10,
      20,
      4,
      60,
      7,
      0x00080000,
      0xdeadbeef,
    ];
    const b = words(ws, le);
    const { records, error } = parseCapture(b);
    assert.equal(error, undefined);
    assert.equal(records.length, 1);
    assert.equal(records[0].timestampNs, 10_000_020_000n);
    assert.equal(records[0].wirelen, 60);
    assert.deepEqual(
      Array.from(records[0].data),
      le ? [0xef, 0xbe, 0xad, 0xde] : [0xde, 0xad, 0xbe, 0xef],
    );
  }
});

test('pcapng big-endian: obsolete Packet Block, if_tsoffset, two comments, unknown options skipped', () => {
  const ws = [
    ...block(0x0a0d0d0a, [0x1a2b3c4d, 0x00010000, 0xffffffff, 0xffffffff]),
    // IDB: linktype 113, snaplen 0; unknown option 0x1234 (3 bytes, padded), if_tsoffset 100 s, if_tsresol 10^-3.
    ...block(
      1,
      [0x00710000, 0, 0x12340003, 0xaabbcc00, 0x000e0008, 0, 100, 0x00090001, 0x03000000, 0],
    ),
    // PB: interface 0, drops 0, ts 1500 ms, caplen 2, len 9, data, comments "hi" and "yo".
    ...block(
      2,
      [0x00000000, 0, 1500, 2, 9, 0x01020000, 0x00010002, 0x68690000, 0x00010002, 0x796f0000, 0],
    ),
  ];
  const { records, error } = parseCapture(words(ws, false));
  assert.equal(error, undefined);
  assert.equal(records.length, 1);
  const r = records[0];
  assert.equal(r.timestampNs, 101_500_000_000n);
  assert.equal(r.linktype, 113);
  assert.equal(r.snaplen, 0);
  assert.equal(r.wirelen, 9);
  assert.deepEqual(Array.from(r.data), [1, 2]);
  assert.equal(r.comment, 'hi\nyo');
});

test('pcapng: an unsupported section version and a too-fine if_tsresol are typed errors', () => {
  const shb2 = words(block(0x0a0d0d0a, [0x1a2b3c4d, 0x00000002, 0xffffffff, 0xffffffff]), true);
  assert.equal(parseCapture(shb2).error?.code, 'BAD_VERSION');
  const ws = [
    ...block(0x0a0d0d0a, [0x1a2b3c4d, 1, 0xffffffff, 0xffffffff]),
    ...block(1, [1, 0, 0x00010009, 0xc8, 0]),
  ];
  const e = parseCapture(words(ws, true)).error;
  assert.equal(e?.code, 'BAD_TSRESOL');
  assert.equal(e?.offset, 28);
});
