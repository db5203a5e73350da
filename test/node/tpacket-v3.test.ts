import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BLOCK,
  encodeTpacketReq3,
  FRAME,
  parseBlock,
  type RingFrame,
  ringGeometry,
  TP_STATUS_USER,
  TP_STATUS_VLAN_TPID_VALID,
  TP_STATUS_VLAN_VALID,
  TPACKET3_HDRLEN,
  tpacketAlign,
} from '../../src/node/linux/tpacket-v3.js';

test('layouts match <linux/if_packet.h> on x86_64 (offsetof values printed by gcc)', () => {
  assert.deepEqual(
    [
      BLOCK.blockStatus,
      BLOCK.numPkts,
      BLOCK.offsetToFirstPkt,
      BLOCK.blkLen,
      BLOCK.seqNum,
      BLOCK.size,
    ],
    [8, 12, 16, 20, 24, 48],
  );
  assert.deepEqual(
    [FRAME.sec, FRAME.nsec, FRAME.snaplen, FRAME.len, FRAME.status, FRAME.mac, FRAME.net],
    [4, 8, 12, 16, 20, 24, 26],
  );
  assert.deepEqual([FRAME.vlanTci, FRAME.vlanTpid, FRAME.size], [32, 36, 48]);
  assert.equal(TPACKET3_HDRLEN, 68);
  assert.deepEqual(
    [
      ...encodeTpacketReq3({
        blockSize: 0x20000,
        blockNr: 16,
        frameSize: 2048,
        frameNr: 1024,
        retireBlkTov: 8,
      }),
    ],
    [0, 0, 2, 0, 16, 0, 0, 0, 0, 8, 0, 0, 0, 4, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  );
});

test('ring geometry: page-multiple power-of-two blocks that hold a 64 KiB frame, at least 4', () => {
  const g = ringGeometry(262_144, 2 << 20, 4096);
  assert.deepEqual(g, {
    blockSize: 128 << 10,
    blockNr: 16,
    frameSize: 2048,
    frameNr: 1024,
    retireBlkTov: 8,
  });
  assert.equal(ringGeometry(96, 1, 4096).blockNr, 4);
  assert.equal(ringGeometry(96, 8 << 20, 4096).blockSize, 128 << 10);
  // aarch64 with 64 KiB pages: blocks stay multiples of the page.
  const arm = ringGeometry(262_144, 4 << 20, 65_536);
  assert.equal(arm.blockSize % 65_536, 0);
  assert.equal(arm.frameNr, (arm.blockSize / arm.frameSize) * arm.blockNr);
  assert.throws(() => ringGeometry(100, 1 << 20, 3000), { code: 'RING_BAD_PAGE' });
});

interface FixtureFrame {
  sec: number;
  nsec: number;
  bytes: number[];
  len: number;
  status?: number;
  vlan?: { tci: number; tpid?: number };
}

/** A retired block as the kernel lays it out: header, then frames at TPACKET_ALIGNed offsets. */
function block(frames: FixtureFrame[]): Uint8Array {
  const mac = 82; // TPACKET_ALIGN(68 + 16) - 14, as tpacket_rcv computes it for Ethernet
  const sizes = frames.map((f) => tpacketAlign(mac + f.bytes.length));
  const first = tpacketAlign(BLOCK.size);
  const total = first + sizes.reduce((a, b) => a + b, 0);
  const b = new Uint8Array(total + 64);
  const dv = new DataView(b.buffer);
  dv.setUint32(BLOCK.blockStatus, TP_STATUS_USER, true);
  dv.setUint32(BLOCK.numPkts, frames.length, true);
  dv.setUint32(BLOCK.offsetToFirstPkt, first, true);
  dv.setUint32(BLOCK.blkLen, total, true);
  let off = first;
  frames.forEach((f, i) => {
    dv.setUint32(off + FRAME.nextOffset, i + 1 < frames.length ? sizes[i] : 0, true);
    dv.setUint32(off + FRAME.sec, f.sec, true);
    dv.setUint32(off + FRAME.nsec, f.nsec, true);
    dv.setUint32(off + FRAME.snaplen, f.bytes.length, true);
    dv.setUint32(off + FRAME.len, f.len, true);
    let status = f.status ?? TP_STATUS_USER;
    if (f.vlan) {
      status |= TP_STATUS_VLAN_VALID;
      dv.setUint32(off + FRAME.vlanTci, f.vlan.tci, true);
      if (f.vlan.tpid) {
        status |= TP_STATUS_VLAN_TPID_VALID;
        dv.setUint16(off + FRAME.vlanTpid, f.vlan.tpid, true);
      }
    }
    dv.setUint32(off + FRAME.status, status, true);
    dv.setUint16(off + FRAME.mac, mac, true);
    dv.setUint16(off + FRAME.net, mac + 14, true);
    b.set(f.bytes, off + mac);
    off += sizes[i];
  });
  return b.subarray(0, total);
}

const eth = (n: number) => Array.from({ length: n }, (_, i) => (i * 7) & 0xff);

test('parseBlock walks tp_next_offset: kernel time, tp_len, views cut to snaplen', () => {
  const b = block([
    { sec: 1_700_000_000, nsec: 123_456_789, bytes: eth(60), len: 60 },
    { sec: 1_700_000_001, nsec: 5, bytes: eth(100), len: 1514 },
    { sec: 1_700_000_002, nsec: 0, bytes: [], len: 42 },
  ]);
  const out: RingFrame[] = [];
  parseBlock(b, 'eth0', 80, out);
  assert.equal(out.length, 3);
  assert.equal(out[0].timestamp, 1_700_000_000_000 + 123.456789);
  assert.deepEqual([...out[0].data], eth(60));
  assert.equal(out[0].wireLength, 60);
  assert.deepEqual([...out[1].data], eth(80));
  assert.equal(out[1].wireLength, 1514);
  assert.equal(out[2].data.length, 0);
  assert.equal(out[2].interface, 'eth0');
  // Views into the block's copy (which the reader never reuses), not a copy per frame.
  assert.equal(out[0].data.buffer, b.buffer);
});

test('parseBlock puts a stripped 802.1Q tag back after the MAC addresses, as libpcap', () => {
  const bytes = eth(60);
  const b = block([
    { sec: 1, nsec: 0, bytes, len: 60, vlan: { tci: 0x2064 } },
    { sec: 1, nsec: 0, bytes, len: 60, vlan: { tci: 0x0005, tpid: 0x88a8 } },
  ]);
  const out: RingFrame[] = [];
  parseBlock(b, 'eth0', 262_144, out);
  assert.deepEqual(
    [...out[0].data],
    [...bytes.slice(0, 12), 0x81, 0x00, 0x20, 0x64, ...bytes.slice(12)],
  );
  assert.equal(out[0].wireLength, 64);
  assert.deepEqual([...out[1].data.subarray(12, 16)], [0x88, 0xa8, 0x00, 0x05]);
  const cut: RingFrame[] = [];
  parseBlock(b, 'eth0', 14, cut);
  assert.deepEqual([...cut[0].data], [...bytes.slice(0, 12), 0x81, 0x00]);
});

test('a header or frame past the block is a typed error', () => {
  const b = block([{ sec: 1, nsec: 0, bytes: eth(60), len: 60 }]);
  assert.throws(() => parseBlock(b.subarray(0, 100), 'x', 100, []), { code: 'RING_BAD_BLOCK' });
  assert.throws(() => parseBlock(b.subarray(0, 20), 'x', 100, []), { code: 'RING_BAD_BLOCK' });
  const lying = b.slice();
  new DataView(lying.buffer).setUint32(BLOCK.numPkts, 2, true);
  new DataView(lying.buffer).setUint32(tpacketAlign(BLOCK.size), 4096, true);
  assert.throws(() => parseBlock(lying, 'x', 100, []), { code: 'RING_BAD_BLOCK' });
});
