import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { type Capture, openCapture } from '../../src/node/capture.js';
import { SysError } from '../../src/node/ffi/libc.js';
import { PacketSocket } from '../../src/node/linux/packet-socket.js';
import { enterNetns, type Netns, onlyMarked, testFrame } from '../helpers/netns.js';

let ns: Netns;
before(() => {
  ns = enterNetns(`cbpf-ps-${process.pid}`);
});
after(() => ns?.dispose());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function collect(cap: Capture, ms: number) {
  const got: { data: Uint8Array; wirelen: number }[] = [];
  const t = setTimeout(() => cap.close(), ms);
  for await (const f of cap) got.push(f);
  clearTimeout(t);
  return got;
}

test('the kernel drops what the filter rejects; PACKET_STATISTICS counts only accepted frames', async () => {
  const cap = await openCapture({ interface: 'cba', filter: onlyMarked() });
  const tx = new PacketSocket({ interface: 'cbb' });
  try {
    for (let i = 0; i < 20; i++) tx.send(testFrame([i % 2, i]));
    const got = await collect(cap, 150);
    assert.equal(got.length, 10);
    for (const g of got) assert.equal(g.data[14], 1);
    const s = cap.stats();
    assert.equal(s.received, 10);
    assert.equal(s.dropped, 0);
  } finally {
    tx.close();
    cap.close();
  }
});

test('ret #k truncates what arrives to k bytes (recv path: wirelen is the queued length)', async () => {
  const cap = await openCapture({ interface: 'cba', filter: onlyMarked(20), ring: false });
  const tx = new PacketSocket({ interface: 'cbb' });
  try {
    tx.send(testFrame([1, ...new Array(80).fill(7)]));
    const got = await collect(cap, 100);
    assert.equal(got.length, 1);
    assert.equal(got[0].data.length, 20);
    assert.equal(got[0].wirelen, 20);
  } finally {
    tx.close();
    cap.close();
  }
});

test('detach without a filter is ENOENT; after SO_LOCK_FILTER attach and detach are EPERM', () => {
  const s = new PacketSocket({ interface: 'cba' });
  try {
    assert.throws(
      () => s.detachFilter(),
      (e: unknown) => e instanceof SysError && e.code === 'ENOENT',
    );
    s.setFilter(onlyMarked());
    s.lockFilter();
    assert.throws(
      () => s.setFilter(onlyMarked(1)),
      (e: unknown) => e instanceof SysError && e.code === 'EPERM',
    );
    assert.throws(
      () => s.detachFilter(),
      (e: unknown) => e instanceof SysError && e.code === 'EPERM',
    );
  } finally {
    s.close();
  }
});

test('an invalid program is EINVAL and the error carries the validator explanation', () => {
  const s = new PacketSocket({ interface: 'cba' });
  try {
    assert.throws(
      () =>
        s.setFilter(
          [
            { code: 0x06, jt: 0, jf: 0, k: 0 },
            { code: 0x15, jt: 5, jf: 0, k: 0 },
          ],
          false,
        ),
      (e: unknown) =>
        e instanceof SysError && e.code === 'EINVAL' && /linux validator/.test(e.message),
    );
  } finally {
    s.close();
  }
});

test('unknown interface is ENODEV', () => {
  assert.throws(
    () => new PacketSocket({ interface: 'nope0' }),
    (e: unknown) => e instanceof SysError && e.code === 'ENODEV',
  );
});

test('abort stops a waiting capture within 100 ms and releases the socket', async () => {
  const ac = new AbortController();
  const cap = await openCapture({ interface: 'cba', filter: onlyMarked(), signal: ac.signal });
  const done = (async () => {
    for await (const _ of cap) {
    }
  })();
  await sleep(60);
  const t0 = performance.now();
  ac.abort();
  await done;
  const dt = performance.now() - t0;
  assert.ok(dt < 100, `stop took ${dt.toFixed(1)} ms`);
});

test('break out of for-await returns promptly', async () => {
  const cap = await openCapture({ interface: 'cba', filter: onlyMarked() });
  const tx = new PacketSocket({ interface: 'cbb' });
  try {
    const t = setTimeout(() => tx.send(testFrame([1])), 30);
    const t0 = performance.now();
    for await (const f of cap) {
      assert.equal(f.data[14], 1);
      break;
    }
    clearTimeout(t);
    assert.ok(performance.now() - t0 < 200);
  } finally {
    tx.close();
  }
});

test('1,000 open/close cycles leak no descriptor (recv path; the ring has its own test)', async () => {
  await sleep(100); // let deferred closes from earlier tests finish
  const before = readdirSync('/proc/self/fd').length;
  // Each close waits for the kernel's RCU grace period (packet_release), ~25 ms: this test is slow by nature.
  for (let i = 0; i < 1000; i++) {
    const cap = await openCapture({ interface: 'cba', filter: onlyMarked(), ring: false });
    cap.close();
    await cap.released;
  }
  const afterN = readdirSync('/proc/self/fd').length;
  assert.equal(afterN, before);
});

test('cbpf -i IFACE -c N prints N summaries and the kernel statistics', async () => {
  const { capture } = await import('../../src/cli/commands/capture.js');
  const { PassThrough } = await import('node:stream');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const tx = new PacketSocket({ interface: 'cbb' });
  try {
    const text =
      onlyMarked().length +
      '\n' +
      onlyMarked()
        .map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k}`)
        .join('\n');
    const t = setInterval(() => {
      tx.send(testFrame([0]));
      tx.send(testFrame([1]));
    }, 20);
    const code = await capture(['-i', 'cba', '-c', '2', '-p', text], {
      stdin: new PassThrough(),
      stdout,
      stderr,
    });
    clearInterval(t);
    assert.equal(code, 0, err);
    // One line per packet (tcpdump also hex-dumps a payload it has no printer for, indented).
    assert.equal(
      out
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('\t')).length,
      2,
    );
    assert.match(
      err,
      /2 packets captured\n\d+ packets received by filter\n0 packets dropped by kernel/,
    );
  } finally {
    tx.close();
  }
});

test('cbpf -i IFACE -c N -w FILE writes N frames with the kernel filter applied', async () => {
  const { capture } = await import('../../src/cli/commands/capture.js');
  const { PassThrough } = await import('node:stream');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { parseCapture } = await import('../../src/pcap/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-live-'));
  const out = join(dir, 'live.pcap');
  const tx = new PacketSocket({ interface: 'cbb' });
  try {
    const text = onlyMarked()
      .map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k}`)
      .join(',');
    const t = setInterval(() => {
      tx.send(testFrame([0]));
      tx.send(testFrame([1]));
    }, 20);
    const code = await capture(
      ['-i', 'cba', '-c', '3', '-w', out, `${onlyMarked().length},${text}`],
      {
        stdin: new PassThrough(),
        stdout: new PassThrough(),
        stderr: new PassThrough(),
      },
    );
    clearInterval(t);
    assert.equal(code, 0);
    const { records, error } = parseCapture(new Uint8Array(readFileSync(out)));
    assert.equal(error, undefined);
    assert.equal(records.length, 3);
    // Only the marked frames passed the kernel's filter; timestamps are the kernel's, close to now.
    for (const r of records) {
      assert.deepEqual([...r.data.subarray(0, testFrame([1]).length)], [...testFrame([1])]);
      assert.ok(Math.abs(Number(r.timestampNs / 1_000_000n) - Date.now()) < 10_000);
    }
  } finally {
    tx.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
