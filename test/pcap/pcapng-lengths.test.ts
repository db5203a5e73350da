// Lengths near 2^32 must not wrap in 32-bit arithmetic (found by test/pcap/fuzz.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PcapFormatError, parseCapture } from '../../src/pcap/index.js';
import { pad4 } from '../../src/pcap/pcapng.js';

test('pad4 is exact up to and past 2^32', () => {
  assert.deepEqual([0, 1, 3, 4, 5].map(pad4), [0, 4, 4, 4, 8]);
  assert.equal(pad4(0xfffffffd), 0x100000000);
  assert.equal(pad4(0xffffffff), 0x100000000);
});

test('an EPB claiming caplen 0xffffffff under a snaplen of 0xffffffff is BLOCK_TOO_SHORT, not a RangeError', () => {
  const words = (...w: number[]) => new Uint8Array(new Uint32Array(w).buffer); // little-endian host
  const shb = words(0x0a0d0d0a, 28, 0x1a2b3c4d, 0x00000001, 0xffffffff, 0xffffffff, 28);
  const idb = words(1, 20, 1, 0xffffffff, 20); // linktype 1, snaplen 0xffffffff
  const epb = words(6, 32, 0, 0, 0, 0xffffffff, 60, 32); // interface 0, caplen 0xffffffff, no data
  const bytes = new Uint8Array(shb.length + idb.length + epb.length);
  bytes.set(shb);
  bytes.set(idb, shb.length);
  bytes.set(epb, shb.length + idb.length);
  const r = parseCapture(bytes);
  assert.equal(r.records.length, 0);
  assert.ok(r.error instanceof PcapFormatError);
  assert.equal(r.error.code, 'BLOCK_TOO_SHORT');
});
