import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, test } from 'node:test';
import { attachToDgram, dgramDescriptor, InetSocket } from '../../src/node/linux/inet-socket.js';
import { enterNetns, type Netns } from '../helpers/netns.js';

let ns: Netns;
before(() => {
  ns = enterNetns(`cbpf-in-${process.pid}`);
});
after(() => ns?.dispose());

// UDP socket filter: offset 0 is the UDP header; accept payloads whose first byte is 1, keep 8 + 3 bytes.
const PAYLOAD_IS_1 = [
  { code: 0x30, jt: 0, jf: 0, k: 8 }, // ldb [8]
  { code: 0x15, jt: 0, jf: 1, k: 1 }, // jeq #1
  { code: 0x06, jt: 0, jf: 0, k: 11 }, // ret #11
  { code: 0x06, jt: 0, jf: 0, k: 0 },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a filter on a Node dgram socket drops and truncates datagrams in the kernel', async () => {
  const rx = createSocket('udp4');
  await new Promise<void>((r) => rx.bind(0, '127.0.0.1', () => r()));
  const got: Buffer[] = [];
  rx.on('message', (m) => got.push(m));
  try {
    assert.ok(dgramDescriptor(rx) > 2);
    attachToDgram(rx, PAYLOAD_IS_1);
    const tx = createSocket('udp4');
    for (let i = 0; i < 6; i++)
      tx.send(Buffer.from([i % 2, 9, 9, 9, 9, 9]), rx.address().port, '127.0.0.1');
    await sleep(100);
    tx.close();
    assert.equal(got.length, 3);
    for (const m of got) assert.deepEqual([...m], [1, 9, 9]);
  } finally {
    rx.close();
  }
});

test('FFI UDP socket with a filter; raw IPv4 socket sees the IP header at offset 0', async () => {
  const udp = new InetSocket('udp', { bind: { address: '127.0.0.1', port: 40999 } });
  const raw = new InetSocket('raw', { protocol: 17 });
  // raw: accept IPv4 UDP to port 40999 (ihl assumed 5), keep 20 + 8 bytes
  raw.setFilter([
    { code: 0x28, jt: 0, jf: 0, k: 22 },
    { code: 0x15, jt: 0, jf: 1, k: 40999 },
    { code: 0x06, jt: 0, jf: 0, k: 28 },
    { code: 0x06, jt: 0, jf: 0, k: 0 },
  ]);
  udp.setFilter(PAYLOAD_IS_1);
  const got: number[][] = [];
  const rawGot: number[] = [];
  const r1 = (async () => {
    for await (const d of udp) got.push([...d.data]);
  })();
  const r2 = (async () => {
    for await (const d of raw) rawGot.push(d.data.length);
  })();
  const tx = createSocket('udp4');
  for (let i = 0; i < 4; i++) tx.send(Buffer.from([i % 2, 7, 7, 7]), 40999, '127.0.0.1');
  await sleep(150);
  tx.close();
  udp.close();
  raw.close();
  await Promise.all([r1, r2]);
  assert.deepEqual(got, [
    [1, 7, 7],
    [1, 7, 7],
  ]);
  assert.deepEqual(rawGot, [28, 28, 28, 28]);
});
