import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CaptureBatch, createBatch } from '../../src/node/capture-batch.js';
import {
  BLOCK,
  type BlockReading,
  encodeTpacketReq3,
  FRAME,
  readBlock,
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
    blockSize: 256 << 10,
    blockNr: 8,
    frameSize: 2048,
    frameNr: 1024,
    retireBlkTov: 8,
  });
  assert.equal(ringGeometry(96, 1, 4096).blockNr, 4);
  assert.equal(ringGeometry(96, 8 << 20, 4096).blockSize, 256 << 10);
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
  /** sockaddr_ll fields; defaults: IPv4, ifindex 2, Ethernet, PACKET_HOST, a 6-byte address. */
  protocol?: number;
  ifindex?: number;
  pkttype?: number;
}

const SIZE = 1 << 16;

/**
 * A retired block as the kernel lays it out, in a ring of one block: header, then frames at
 * TPACKET_ALIGNed offsets with their sockaddr_ll. `dgram`: a SOCK_DGRAM socket's layout (the data at
 * the network header, 16 bytes past the sockaddr_ll's aligned end).
 */
function ring(frames: FixtureFrame[], dgram = false) {
  const mac = dgram ? 96 : 82; // tpacket_rcv: TPACKET_ALIGN(68) + 16, or TPACKET_ALIGN(68 + 16) - 14
  const sizes = frames.map((f) => tpacketAlign(mac + f.bytes.length));
  const first = tpacketAlign(BLOCK.size);
  const total = first + sizes.reduce((a, b) => a + b, 0);
  const b = new Uint8Array(SIZE);
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
    dv.setUint16(off + FRAME.net, dgram ? mac : mac + 14, true);
    const sll = off + 48;
    dv.setUint16(sll, 17, true); // AF_PACKET
    dv.setUint16(sll + 2, f.protocol ?? 0x0800, false);
    dv.setInt32(sll + 4, f.ifindex ?? 2, true);
    dv.setUint16(sll + 8, 1, true); // ARPHRD_ETHER
    b[sll + 10] = f.pkttype ?? 0;
    b[sll + 11] = 6;
    b.set([2, 0, 0, 0, 0, 0xbb], sll + 12);
    b.set(f.bytes, off + mac);
    off += sizes[i];
  });
  return { bytes: b, words: new Int32Array(b.buffer) };
}

const eth = (n: number) => Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
const RAW: BlockReading = {
  cooked: undefined,
  ethernetVlan: true,
  snaplen: 262_144,
  loopback: 1,
  direction: 'inout',
};

/** The frames of a batch as byte arrays (what a pcap written from it holds). */
const framesOf = (b: CaptureBatch) =>
  Array.from({ length: b.n }, (_, i) => [...b.buffer.subarray(b.data[i], b.data[i] + b.caplen[i])]);

test('readBlock walks tp_next_offset: kernel time, tp_len, frames cut to snaplen, in place', () => {
  const r = ring([
    { sec: 1_700_000_000, nsec: 123_456_789, bytes: eth(60), len: 60 },
    { sec: 1_700_000_001, nsec: 5, bytes: eth(100), len: 1514, pkttype: 3, ifindex: 7 },
    { sec: 1_700_000_002, nsec: 0, bytes: [], len: 42 },
  ]);
  const b = createBatch(64);
  b.buffer = r.bytes;
  assert.equal(readBlock(r.bytes, r.words, 0, SIZE, { ...RAW, snaplen: 80 }, b), 3);
  assert.equal(b.n, 3);
  assert.deepEqual([b.sec[0], b.nsec[0]], [1_700_000_000, 123_456_789]);
  assert.deepEqual(framesOf(b), [eth(60), eth(80), []]);
  assert.deepEqual([...b.wirelen.subarray(0, 3)], [60, 1514, 42]);
  assert.deepEqual([b.direction[1], b.ifindex[1], b.protocol[1]], [3, 7, 0x0800]);
  assert.equal(b.vlan[0], 0);
});

test('readBlock puts a stripped 802.1Q tag back after the MAC addresses, in the ring, as libpcap', () => {
  const bytes = eth(60);
  const r = ring([
    { sec: 1, nsec: 0, bytes, len: 60, vlan: { tci: 0x2064 } },
    { sec: 1, nsec: 0, bytes, len: 60, vlan: { tci: 0x0005, tpid: 0x88a8 } },
  ]);
  const b = createBatch(64);
  b.buffer = r.bytes;
  readBlock(r.bytes, r.words, 0, SIZE, RAW, b);
  const f = framesOf(b);
  assert.deepEqual(f[0], [...bytes.slice(0, 12), 0x81, 0x00, 0x20, 0x64, ...bytes.slice(12)]);
  assert.equal(b.wirelen[0], 64);
  assert.deepEqual(f[1].slice(12, 16), [0x88, 0xa8, 0x00, 0x05]);
  assert.deepEqual([b.vlan[0], b.vlanTci[0], b.vlanTpid[0]], [1, 0x2064, 0x8100]);
  // Read again (the tag is already back): cut to 14 bytes this time.
  const again = ring([{ sec: 1, nsec: 0, bytes, len: 60, vlan: { tci: 0x2064 } }]);
  readBlock(again.bytes, again.words, 0, SIZE, { ...RAW, snaplen: 14 }, b);
  b.buffer = again.bytes;
  assert.deepEqual(framesOf(b)[0], [...bytes.slice(0, 12), 0x81, 0x00]);
});

test('readBlock builds LINUX_SLL2 and LINUX_SLL headers before cooked frames, the tag after them', () => {
  const ip = eth(40);
  const frames: FixtureFrame[] = [
    { sec: 1, nsec: 0, bytes: ip, len: 40, ifindex: 0x01020304, pkttype: 4, protocol: 0x0800 },
    { sec: 1, nsec: 0, bytes: ip, len: 40, vlan: { tci: 0x0064 }, protocol: 0x86dd },
  ];
  const addr = [2, 0, 0, 0, 0, 0xbb, 0, 0];
  const b = createBatch(64);
  let r = ring(frames, true);
  b.buffer = r.bytes;
  readBlock(r.bytes, r.words, 0, SIZE, { ...RAW, cooked: 'sll2', ethernetVlan: false }, b);
  assert.deepEqual(framesOf(b), [
    [0x08, 0x00, 0, 0, 1, 2, 3, 4, 0, 1, 4, 6, ...addr, ...ip],
    [0x81, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, ...addr, 0x00, 0x64, 0x86, 0xdd, ...ip],
  ]);
  assert.deepEqual([...b.wirelen.subarray(0, 2)], [60, 64]);
  r = ring(frames, true);
  b.buffer = r.bytes;
  readBlock(r.bytes, r.words, 0, SIZE, { ...RAW, cooked: 'sll', ethernetVlan: false }, b);
  assert.deepEqual(framesOf(b), [
    [0, 4, 0, 1, 0, 6, ...addr, 0x08, 0x00, ...ip],
    [0, 0, 0, 1, 0, 6, ...addr, 0x81, 0x00, 0x00, 0x64, 0x86, 0xdd, ...ip],
  ]);
});

test("readBlock drops loopback's outgoing copy and, with -Q, the other direction", () => {
  const frames: FixtureFrame[] = [
    { sec: 1, nsec: 0, bytes: eth(60), len: 60, ifindex: 1, pkttype: 4 },
    { sec: 1, nsec: 0, bytes: eth(60), len: 60, ifindex: 1, pkttype: 0 },
    { sec: 1, nsec: 0, bytes: eth(60), len: 60, ifindex: 2, pkttype: 4 },
  ];
  const b = createBatch(64);
  const count = (direction: BlockReading['direction']) => {
    const r = ring(frames);
    assert.equal(readBlock(r.bytes, r.words, 0, SIZE, { ...RAW, direction }, b), 3);
    return [...b.ifindex.subarray(0, b.n)].map((x, i) => `${x}/${b.direction[i]}`);
  };
  assert.deepEqual(count('inout'), ['1/0', '2/4']);
  assert.deepEqual(count('in'), ['1/0']);
  assert.deepEqual(count('out'), ['2/4']);
});

test('a header or frame past the block is a typed error', () => {
  const b = createBatch(8);
  const r = ring([{ sec: 1, nsec: 0, bytes: eth(60), len: 60 }]);
  assert.throws(() => readBlock(r.bytes, r.words, 0, 100, RAW, b), { code: 'RING_BAD_BLOCK' });
  const lying = ring([{ sec: 1, nsec: 0, bytes: eth(60), len: 60 }]);
  new DataView(lying.bytes.buffer).setUint32(BLOCK.numPkts, 2, true);
  new DataView(lying.bytes.buffer).setUint32(tpacketAlign(BLOCK.size), SIZE, true);
  assert.throws(() => readBlock(lying.bytes, lying.words, 0, SIZE, RAW, b), {
    code: 'RING_BAD_BLOCK',
  });
  const noRoom = ring([{ sec: 1, nsec: 0, bytes: eth(60), len: 60 }]);
  new DataView(noRoom.bytes.buffer).setUint16(tpacketAlign(BLOCK.size) + FRAME.mac, 60, true);
  assert.throws(() => readBlock(noRoom.bytes, noRoom.words, 0, SIZE, RAW, b), {
    code: 'RING_BAD_BLOCK',
  });
});
