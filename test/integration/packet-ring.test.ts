// openCapture's TPACKET_V3 ring (the Linux default) against a real kernel, in a private netns.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { type Capture, type CapturedFrame, openCapture } from '../../src/node/capture.js';
import { PacketSocket } from '../../src/node/linux/packet-socket.js';
import { enterNetns, type Netns, onlyMarked, testFrame } from '../helpers/netns.js';

let ns: Netns;
let tx: PacketSocket;
before(() => {
  ns = enterNetns(`cbpf-ring-${process.pid}`);
  tx = new PacketSocket({ interface: 'cbb' });
});
after(() => {
  tx?.close();
  ns?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Frames the kernel's per-CPU receive backlogs dropped so far (/proc/net/softnet_stat, column 2). */
function backlogDrops(): number {
  return readFileSync('/proc/net/softnet_stat', 'utf8')
    .trim()
    .split('\n')
    .reduce((n, line) => n + Number.parseInt(line.split(' ')[1] as string, 16), 0);
}

/** Reads until nothing new arrived for `quietMs` (blocks retire after ~8 ms), then closes. */
async function drain(cap: Capture, quietMs = 150): Promise<CapturedFrame[]> {
  const got: CapturedFrame[] = [];
  let timer = setTimeout(() => cap.close(), quietMs);
  for await (const f of cap) {
    got.push(f);
    clearTimeout(timer);
    timer = setTimeout(() => cap.close(), quietMs);
  }
  clearTimeout(timer);
  return got;
}

test('the kernel filter decides what reaches the ring; stats count only accepted frames', async () => {
  const cap = await openCapture({ interface: 'cba', filter: onlyMarked() });
  for (let i = 0; i < 40; i++) tx.send(testFrame([i % 2, i]));
  const s0 = cap.stats();
  const got = await drain(cap);
  assert.equal(got.length, 20);
  assert.deepEqual(
    got.map((f) => f.data[15]),
    Array.from({ length: 20 }, (_, i) => 2 * i + 1),
  );
  const s = cap.stats();
  assert.equal(s.received, 20, `received ${s.received} (first read ${s0.received})`);
  assert.equal(s.dropped, 0);
  assert.equal(s.captured, 20);
  await cap.released;
});

test('a full ring makes the kernel drop, and received = captured + dropped', async () => {
  // The smallest ring (4 blocks of 128 KiB, ~3,200 small frames) and nobody reading while 20,000 arrive.
  const cap = await openCapture({ interface: 'cba', filter: onlyMarked(), bufferSize: 1 });
  const backlog0 = backlogDrops();
  for (let i = 0; i < 20_000; i++) tx.send(testFrame([1, i & 0xff]));
  await sleep(50);
  const got = await drain(cap);
  const s = cap.stats();
  const lost = backlogDrops() - backlog0;
  assert.ok(s.dropped > 0, `dropped ${s.dropped}`);
  assert.ok(got.length < 20_000);
  // A loaded machine's receive backlog (net.core.netdev_max_backlog) may drop frames before the
  // socket sees them: each frame not received must be one of those counted drops (the counter is
  // machine-wide, so other traffic can only add to it).
  assert.ok(s.received <= 20_000, `received ${s.received}`);
  assert.ok(s.received + lost >= 20_000, `received ${s.received}, backlog drops ${lost}`);
  assert.equal(got.length + s.dropped, s.received);
  await cap.released;
});

test('ret #k truncates the bytes; wirelen stays the original length (tp_len)', async () => {
  const cap = await openCapture({ interface: 'cba', filter: onlyMarked(20) });
  const frame = testFrame([1, ...new Array(80).fill(7)]);
  tx.send(frame);
  const got = await drain(cap);
  assert.equal(got.length, 1);
  assert.equal(got[0].data.length, 20);
  assert.deepEqual([...got[0].data], [...frame.subarray(0, 20)]);
  assert.equal(got[0].wirelen, frame.length);
  await cap.released;
});

test('snaplen cuts the bytes; wirelen stays the original length', async () => {
  const cap = await openCapture({ interface: 'cba', filter: onlyMarked(), snaplen: 30 });
  const frame = testFrame([1, ...new Array(200).fill(9)]);
  tx.send(frame);
  const got = await drain(cap);
  assert.equal(got.length, 1);
  assert.deepEqual([...got[0].data], [...frame.subarray(0, 30)]);
  assert.equal(got[0].wirelen, frame.length);
  await cap.released;
});

test('kernel timestamps: monotone, between the send times, spaced like the sends', async () => {
  const cap = await openCapture({ interface: 'cba', filter: onlyMarked() });
  const sentAt: number[] = [];
  for (let i = 0; i < 20; i++) {
    sentAt.push(Date.now());
    tx.send(testFrame([1, i]));
    await sleep(5);
  }
  const got = await drain(cap);
  assert.equal(got.length, 20);
  for (let i = 0; i < got.length; i++) {
    const t = Number(got[i].timestampNs) / 1e6;
    if (i > 0)
      assert.ok(got[i].timestampNs >= got[i - 1].timestampNs, `frame ${i} goes back in time`);
    // Date.now() has whole milliseconds; the kernel stamps after the send call started.
    assert.ok(
      t >= sentAt[i] - 1 && t <= sentAt[i] + 50,
      `frame ${i}: ${t - sentAt[i]} ms after send`,
    );
  }
  const span = Number(got[19].timestampNs - got[0].timestampNs) / 1e6;
  assert.ok(span >= 19 * 4, `20 sends 5 ms apart span ${span} ms`);
});

test('batches() hands a ring block at a time, in place in the ring; captured counts them; break closes', async () => {
  const cap = await openCapture({ interface: 'cba', filter: onlyMarked() });
  for (let i = 0; i < 2000; i++) tx.send(testFrame([1, i & 0xff, i >> 8]));
  let n = 0;
  let batches = 0;
  let buffer: Uint8Array | undefined;
  for await (const b of cap.batches()) {
    batches++;
    // The same ring memory every time: the frames are read where the kernel wrote them.
    buffer ??= b.buffer;
    assert.equal(b.buffer, buffer);
    for (let i = 0; i < b.n; i++) {
      const at = b.data[i];
      assert.equal(b.buffer[at + 15] | (b.buffer[at + 16] << 8), n++);
      assert.equal(b.caplen[i], 60);
      assert.equal(b.direction[i], 3); // PACKET_OTHERHOST: testFrame is not addressed to cba
    }
    if (n === 2000) break;
  }
  assert.ok(batches < 20, `${batches} batches for 2,000 frames`);
  assert.equal(cap.stats().captured, 2000);
  await cap.released;
});

for (const how of ['break', 'abort', 'close'] as const) {
  test(`stop by ${how} while waiting takes under 100 ms`, async () => {
    const ac = new AbortController();
    const cap = await openCapture({ interface: 'cba', filter: onlyMarked(), signal: ac.signal });
    let t0 = 0;
    const done = (async () => {
      for await (const _ of cap) if (how === 'break') break;
    })();
    await sleep(50);
    t0 = performance.now();
    if (how === 'break') tx.send(testFrame([1]));
    else if (how === 'abort') ac.abort();
    else cap.close();
    await done;
    const dt = performance.now() - t0;
    assert.ok(dt < 100, `stop took ${dt.toFixed(1)} ms`);
    await cap.released;
  });
}

// A sender on its own thread, so the flood does not itself block this event loop.
const SENDER = `
const { workerData: w, parentPort } = require('node:worker_threads');
const send = require(w.koffi).load('libc.so.6').func('intptr_t send(int fd, void *buf, size_t len, int flags)');
const f = new Uint8Array(w.frame);
for (let i = 0; i < w.n; i++) { f[15] = i & 255; send(w.fd, f, f.length, 0); }
parentPort.postMessage('done');
`;

for (const ring of [true, false]) {
  test(`a flood does not stall the event loop (ring: ${ring})`, async () => {
    const cap = await openCapture({ interface: 'cba', filter: onlyMarked(), ring });
    let n = 0;
    const reading = (async () => {
      for await (const _ of cap) n++;
    })();
    let last = performance.now();
    let worst = 0;
    let ticks = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
      ticks++;
    }, 5);
    const frame = [...testFrame([1, ...new Array(50).fill(0x5a)])];
    const koffi = createRequire(import.meta.url).resolve('koffi');
    const workerData = { fd: tx.fd, n: 400_000, frame, koffi };
    const t0 = performance.now();
    await new Promise((resolve, reject) => {
      const w = new Worker(SENDER, { eval: true, workerData });
      w.once('message', resolve);
      w.once('error', reject);
    });
    const floodMs = performance.now() - t0;
    const floodTicks = ticks;
    await sleep(100);
    clearInterval(tick);
    cap.close();
    await reading;
    await cap.released;
    assert.ok(n > 0);
    // Starved, a timer waits for the whole flood and ticks about once; the bounds leave room for a
    // loaded machine descheduling this process for a while.
    const why = `a 5 ms timer ticked ${floodTicks} times, waited up to ${worst.toFixed(0)} ms, during a ${floodMs.toFixed(0)} ms flood`;
    assert.ok(worst < Math.max(500, floodMs / 2), why);
    assert.ok(floodTicks >= floodMs / 100, why);
  });
}

test('an 802.1Q tag the kernel stripped on receive is back in the frame, with its length', async () => {
  // __netif_receive_skb_core untags in software (skb_vlan_untag) before packet taps see the frame.
  const cap = await openCapture({ interface: 'cba' });
  const viaRecv = await openCapture({ interface: 'cba', ring: false });
  const plain = testFrame([1, 0x77]);
  const tagged = new Uint8Array(plain.length + 4);
  tagged.set(plain.subarray(0, 12));
  tagged.set([0x81, 0x00, 0x20, 0x07], 12); // PCP 1, VID 7
  tagged.set(plain.subarray(12), 16);
  tx.send(tagged);
  const got = (await drain(cap)).filter((f) => f.data[16] === 0x88 && f.data[17] === 0xb5);
  assert.equal(got.length, 1);
  assert.deepEqual([...got[0].data], [...tagged]);
  assert.equal(got[0].wirelen, tagged.length);
  await cap.released;
  // recv() gets the untagged frame: the tag would need PACKET_AUXDATA, which that path does not ask for.
  const plainOnes = (await drain(viaRecv)).filter(
    (f) => f.data[12] === 0x88 && f.data[13] === 0xb5,
  );
  assert.deepEqual(
    plainOnes.map((f) => [...f.data]),
    [[...plain]],
  );
});

test('an interface going down is waited for (as libpcap 1.10); one that disappears ends the capture', async () => {
  for (const ring of [true, false]) {
    const cap = await openCapture({ interface: 'cba', filter: onlyMarked(), ring });
    const it = cap[Symbol.asyncIterator]();
    const pending = it.next();
    await sleep(30);
    execFileSync('ip', ['link', 'set', 'cba', 'down']);
    await sleep(100);
    execFileSync('ip', ['link', 'set', 'cba', 'up']);
    // Up again: the socket receives again (the kernel re-hooks it).
    for (let i = 0; i < 50; i++) {
      tx.send(testFrame([1, 0x42]));
      const r = await Promise.race([pending, sleep(20).then(() => undefined)]);
      if (r) {
        assert.equal((r as IteratorResult<CapturedFrame>).value?.data[15], 0x42, `ring: ${ring}`);
        break;
      }
      assert.ok(i < 49, `ring: ${ring}: nothing after the interface came back`);
    }
    cap.close();
    await it.return?.();
    await cap.released;
  }
  // A pair of its own to delete.
  execFileSync('ip', ['link', 'add', 'cbx', 'type', 'veth', 'peer', 'name', 'cby']);
  execFileSync('ip', ['link', 'set', 'cbx', 'up']);
  execFileSync('ip', ['link', 'set', 'cby', 'up']);
  for (const ring of [true, false]) {
    if (!ring) {
      execFileSync('ip', ['link', 'add', 'cbx', 'type', 'veth', 'peer', 'name', 'cby']);
      execFileSync('ip', ['link', 'set', 'cbx', 'up']);
    }
    const cap = await openCapture({ interface: 'cbx', filter: onlyMarked(), ring });
    const it = cap[Symbol.asyncIterator]();
    const pending = it.next();
    await sleep(30);
    execFileSync('ip', ['link', 'del', 'cbx']);
    await assert.rejects(
      Promise.race([pending, sleep(1000).then(() => 'timeout')]),
      { code: 'IFACE_GONE' },
      `ring: ${ring}`,
    );
    await cap.released;
  }
});

test('100 ring open/close cycles leak no descriptor, mapping or thread', async () => {
  // A closed ring's memory is replaced by zeros and unmapped when its views are garbage: collect them.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const collect = async () => {
    gc();
    await sleep(20);
    gc();
  };
  const count = () => ({
    fds: readdirSync('/proc/self/fd').length,
    maps: readFileSync('/proc/self/maps', 'utf8').split('\n').length,
    threads: readdirSync('/proc/self/task').length,
  });
  // Warm up (koffi, worker bootstrap) so lazily created pools do not count as leaks.
  for (let i = 0; i < 3; i++) {
    const cap = await openCapture({ interface: 'cba', filter: onlyMarked() });
    cap.close();
    await cap.released;
  }
  await sleep(100);
  await collect();
  const before = count();
  for (let i = 0; i < 100; i++) {
    const cap = await openCapture({ interface: 'cba', filter: onlyMarked() });
    if (i % 2) tx.send(testFrame([1, i]));
    const it = cap[Symbol.asyncIterator]();
    if (i % 2) await it.next();
    cap.close();
    await it.return?.();
    await cap.released;
  }
  await sleep(100);
  await collect();
  const afterN = count();
  assert.equal(afterN.fds, before.fds);
  assert.equal(afterN.threads, before.threads);
  // V8 may map a little more heap over 100 workers; a leaked ring would add 100 mappings of 2 MiB.
  assert.ok(afterN.maps - before.maps < 20, `maps grew by ${afterN.maps - before.maps}`);
  const rings = readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((l) => /socket:|packet/.test(l));
  assert.deepEqual(rings, []);
});
