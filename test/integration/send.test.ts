// `cbpf send` on a veth pair in a private namespace: a child process replays a capture out of cbb while
// this process captures on cba (kernel timestamps from the ring). What arrives is exactly the file's
// frames, in order; a filter sends only what it accepts; --loop repeats; --rate and --realtime pace it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openCapture } from '../../src/node/capture.js';
import { PcapWriter } from '../../src/pcap/index.js';
import { enterNetns, type Netns, waitForPacketSockets } from '../helpers/netns.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
let ns: Netns;
let dir: string;
before(() => {
  ns = enterNetns(`cbpf-send-${process.pid}`);
  dir = mkdtempSync(join(tmpdir(), 'cbpf-send-'));
});
after(() => {
  ns?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Frame i: ethertype 0x88b5, the number i, sizes 60..~1000 bytes, `gapMs` apart in capture time. */
function captureFile(name: string, n: number, gapMs = 1): { path: string; frames: Uint8Array[] } {
  const w = new PcapWriter({ linktype: 1, nanosecond: true });
  const frames = Array.from({ length: n }, (_, i) => {
    const f = new Uint8Array(60 + ((i * 37) % 940));
    f.set([0x02, 0, 0, 0, 0, 0xaa, 0x02, 0, 0, 0, 0, 0xbb, 0x88, 0xb5, i >> 8, i & 0xff]);
    for (let j = 16; j < f.length; j++) f[j] = (i + j) & 0xff;
    return f;
  });
  const parts = [
    w.header(),
    ...frames.map((data, i) => w.write({ timestampNs: BigInt(i) * BigInt(gapMs * 1e6), data })),
  ];
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts));
  return { path, frames };
}

/** Runs `cbpf send -i cbb ...args` as a child while capturing 0x88b5 frames on cba; SIGINT after `interruptMs`. */
async function sendAndCapture(
  args: string[],
  interruptMs?: number,
): Promise<{ code: number; stderr: string; got: { data: Uint8Array; ms: number }[] }> {
  const capture = await openCapture({
    interface: 'cba',
    filter: 'ether proto 0x88b5',
    promiscuous: true,
  });
  const got: { data: Uint8Array; ms: number }[] = [];
  const reading = (async () => {
    for await (const f of capture)
      got.push({ data: f.data.slice(), ms: Number(f.timestampNs) / 1e6 });
  })();
  await waitForPacketSockets(1);
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'send', '-i', 'cbb', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
  if (interruptMs !== undefined) {
    // Once frames flow, so the child is past its start-up.
    let done = false;
    void exited.then(() => (done = true));
    while (got.length === 0 && !done) await new Promise((r) => setTimeout(r, 5));
    setTimeout(() => child.kill('SIGINT'), interruptMs);
  }
  const code = await exited;
  // The ring hands a block over 8 ms after its first frame at the latest.
  await new Promise((r) => setTimeout(r, 100));
  capture.close();
  await reading;
  return { code, stderr, got };
}

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

test("cbpf send: the frames that arrive are exactly the file's, in order; a filter and --loop", async () => {
  const { path, frames } = captureFile('all.pcap', 300);
  const all = await sendAndCapture([path]);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stderr, /^sent 300 frames \(\d+ bytes\) in/);
  assert.deepEqual(
    all.got.map((g) => hexOf(g.data)),
    frames.map(hexOf),
  );

  const even = await sendAndCapture([path, '--loop', '2', 'ether[15] & 1 = 0']);
  assert.equal(even.code, 0, even.stderr);
  assert.match(even.stderr, /sent 300 frames .*; 300 not accepted by the filter/);
  const want = frames.filter((_, i) => i % 2 === 0).map(hexOf);
  assert.deepEqual(
    even.got.map((g) => hexOf(g.data)),
    [...want, ...want],
  );

  const one = await sendAndCapture([hexOf(frames[7]), '--loop', '3']);
  assert.equal(one.code, 0, one.stderr);
  assert.deepEqual(
    one.got.map((g) => hexOf(g.data)),
    [hexOf(frames[7]), hexOf(frames[7]), hexOf(frames[7])],
  );
});

test('cbpf send --rate and --realtime: arrivals span the time asked for, within 5%', async () => {
  const { path } = captureFile('paced.pcap', 400, 2);
  const span = (got: { ms: number }[]) => got.at(-1)!.ms - got[0].ms;
  const rated = await sendAndCapture([path, '--rate', '1000']);
  assert.equal(rated.got.length, 400, rated.stderr);
  const want = 399; // ms: 400 frames at 1,000 a second
  assert.ok(
    Math.abs(span(rated.got) - want) / want < 0.05,
    `--rate 1000: ${span(rated.got).toFixed(1)} ms for ${want}`,
  );
  const real = await sendAndCapture([path, '--realtime']);
  assert.equal(real.got.length, 400, real.stderr);
  const wantReal = 399 * 2; // the capture's frames are 2 ms apart
  assert.ok(
    Math.abs(span(real.got) - wantReal) / wantReal < 0.05,
    `--realtime: ${span(real.got).toFixed(1)} ms for ${wantReal}`,
  );
  console.log(
    `# send pacing: --rate 1000 ${span(rated.got).toFixed(1)} ms for 399; --realtime ${span(real.got).toFixed(1)} ms for 798`,
  );
});

test('cbpf send: Ctrl-C stops it at once and it says what went out', async () => {
  const { path } = captureFile('long.pcap', 400);
  const t0 = performance.now();
  const r = await sendAndCapture([path, '--rate', '100'], 300);
  assert.equal(r.code, 0, r.stderr);
  const n = Number(/^sent (\d+) frames/.exec(r.stderr)?.[1]);
  assert.match(r.stderr, /stopped by a signal/);
  assert.equal(r.got.length, n, 'every frame it counted arrived');
  assert.ok(n > 10 && n < 200, `${n} frames before the signal`);
  assert.ok(performance.now() - t0 < 3000, 'far short of the 4 s the whole file takes');
});

test('cbpf send: usage and input errors are one line each, with exit status 2 or 1', async () => {
  const { path } = captureFile('few.pcap', 3);
  const run = async (args: string[]) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'send', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
    return { code, first: stderr.split('\n')[0] };
  };
  assert.deepEqual(await run([path]), { code: 2, first: 'cbpf send: -i IFACE is required' });
  assert.deepEqual(await run(['-i', 'cbb', path, '--rate', 'fast']), {
    code: 2,
    first: "cbpf send: --rate takes a positive number of frames per second, not 'fast'",
  });
  assert.deepEqual(await run(['-i', 'cbb', 'nofile.pcap']), {
    code: 2,
    first: "cbpf send: 'nofile.pcap' is neither a capture file nor a frame in hex",
  });
  const bad = await run(['-i', 'cbb', path, 'tcp prot 80']);
  assert.equal(bad.code, 1);
  assert.match(bad.first, /^cbpf send: /);
  assert.deepEqual((await run(['-i', 'nosuchif0', path])).code, 1);
});
