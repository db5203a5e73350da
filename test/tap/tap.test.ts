import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Tap } from '../../src/tap/index.js';

const frame = (first: number, len = 60) => {
  const d = new Uint8Array(len);
  d[0] = first;
  return { timestampNs: 0n, data: d, wirelen: len };
};
// ldb [0]; jeq #1 → ret #k else ret #0
const firstIs1 = (k: number) => [
  { code: 0x30, jt: 0, jf: 0, k: 0 },
  { code: 0x15, jt: 0, jf: 1, k: 1 },
  { code: 0x06, jt: 0, jf: 0, k },
  { code: 0x06, jt: 0, jf: 0, k: 0 },
];

test('each listener applies its own filter, snap length and buffer bound', async () => {
  const tap = new Tap();
  const all = tap.listen({ snaplen: 10 });
  const ones = tap.listen({ filter: firstIs1(20) });
  const small = tap.listen({ filter: (p) => (p[0] === 1 ? 0xffff : 0), bufferFrames: 2 });
  for (let i = 0; i < 10; i++) tap.push(frame(i % 2));
  assert.deepEqual(
    all.drain().map((f) => f.data.length),
    new Array(10).fill(10),
  );
  const o = ones.drain();
  assert.equal(o.length, 5);
  assert.ok(o.every((f) => f.data.length === 20 && f.wirelen === 60));
  assert.equal(small.drain().length, 2);
  assert.deepEqual(small.stats(), { seen: 10, accepted: 5, dropped: 3 });
  assert.deepEqual(ones.stats(), { seen: 10, accepted: 5, dropped: 0 });
});

test('pump feeds a source; iteration ends when the tap closes; a closed listener detaches', async () => {
  const tap = new Tap();
  const l = tap.listen({ filter: firstIs1(0xffff) });
  const gone = tap.listen();
  gone.close();
  assert.equal(tap.listenerCount, 1);
  const got: number[] = [];
  const reader = (async () => {
    for await (const f of l) got.push(f.data[0]);
  })();
  await tap.pump([frame(1), frame(0), frame(1)]);
  await reader;
  assert.deepEqual(got, [1, 1]);
  assert.equal(tap.listenerCount, 0);
});

test('frames with Linux metadata run through the interpreter with it: a socket program sees the stripped VLAN tag', async () => {
  const { compile } = await import('../../src/compiler/index.js');
  // A tagged frame as the kernel holds it (tag in metadata) and as a capture writes it (tag back in).
  const inner = new Uint8Array(60);
  inner.set([2, 0, 0, 0, 0, 0xaa, 2, 0, 0, 0, 0, 0xbb, 0x08, 0x00, 0x45]);
  const tagged = new Uint8Array(64);
  tagged.set(inner.subarray(0, 12));
  tagged.set([0x81, 0x00, 0x00, 0x64], 12);
  tagged.set(inner.subarray(12), 16);
  const tap = new Tap();
  const kernel = tap.listen({ filter: compile('vlan 100 and ip', { linuxSocket: true }) });
  const offline = tap.listen({ filter: compile('vlan 100 and ip') });
  tap.push({
    timestampNs: 1n,
    data: inner,
    wirelen: 60,
    ancillary: { vlanPresent: 1, vlanTci: 0x0064, vlanTpid: 0x8100 },
  });
  tap.push({ timestampNs: 2n, data: tagged, wirelen: 64 });
  tap.push({ timestampNs: 3n, data: inner, wirelen: 60, ancillary: { vlanPresent: 0 } });
  assert.deepEqual(
    kernel.drain().map((f) => f.timestampNs),
    [1n, 2n],
  );
  assert.deepEqual(
    offline.drain().map((f) => f.timestampNs),
    [2n],
  );
});
