import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Tap } from '../../src/tap/index.js';

const frame = (first: number, len = 60) => {
  const d = new Uint8Array(len);
  d[0] = first;
  return { timestamp: 0, data: d, wireLength: len };
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
  assert.ok(o.every((f) => f.data.length === 20 && f.wireLength === 60));
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
