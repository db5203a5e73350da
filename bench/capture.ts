// Benchmark (not a test; needs root): a bounded flood over a veth in a private netns, captured by
// cbpf's openCapture and by tcpdump in the same run. Prints frames captured, kernel drops, frames/s.
// Run: npx tsx bench/capture.ts [FRAMES]
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { openCapture } from '../src/node/capture.js';
import { PacketSocket } from '../src/node/linux/packet-socket.js';
import { enterNetns, testFrame } from '../test/helpers/netns.js';

const FRAMES = Number(process.argv[2] ?? 200_000);
const ns = enterNetns(`cbpf-bench-${process.pid}`);

// The sender runs in a worker thread (its own OS thread) on a descriptor opened here, inside the netns.
const SENDER = `
const { workerData, parentPort } = require('node:worker_threads');
const koffi = require('koffi');
const send = koffi.load('libc.so.6').func('intptr_t send(int fd, void *buf, size_t len, int flags)');
const f = new Uint8Array(workerData.frame);
let ok = 0;
const t0 = performance.now();
for (let i = 0; i < workerData.n; i++) { f[15] = i & 255; if (send(workerData.fd, f, f.length, 0) > 0) ok++; }
parentPort.postMessage({ ok, ms: performance.now() - t0 });
`;

function flood(fd: number): Promise<{ ok: number; ms: number }> {
  const frame = testFrame([1, ...new Array(50).fill(0x5a)]);
  return new Promise((resolve, reject) => {
    const w = new Worker(SENDER, { eval: true, workerData: { fd, n: FRAMES, frame: [...frame] } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FILTER = 'ether proto 0x88b5';
const PROGRAM = [
  { code: 0x28, jt: 0, jf: 0, k: 12 },
  { code: 0x15, jt: 0, jf: 1, k: 0x88b5 },
  { code: 0x06, jt: 0, jf: 0, k: 262144 },
  { code: 0x06, jt: 0, jf: 0, k: 0 },
];

async function benchCbpf(tx: PacketSocket) {
  const cap = await openCapture({ interface: 'cba', filter: PROGRAM, bufferSize: 4 << 20 });
  let n = 0;
  const reader = (async () => {
    for await (const _ of cap) n++;
  })();
  await sleep(50);
  const t0 = performance.now();
  const sent = await flood(tx.fd);
  while (true) {
    const before = n;
    await sleep(100);
    if (n === before) break;
  }
  const ms = performance.now() - t0 - 100;
  const s = cap.stats();
  cap.close();
  await reader;
  return {
    tool: 'cbpf',
    sent: sent.ok,
    captured: n,
    dropped: s.dropped,
    fps: Math.round(n / (ms / 1000)),
  };
}

async function benchTcpdump(tx: PacketSocket) {
  const td = spawn(
    'ip',
    [
      'netns',
      'exec',
      ns.name,
      'tcpdump',
      '-i',
      'cba',
      '-n',
      '-w',
      '/dev/null',
      '-B',
      '4096',
      FILTER,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  td.stderr.on('data', (d) => (err += d));
  while (!err.includes('listening')) await sleep(20);
  const t0 = performance.now();
  const sent = await flood(tx.fd);
  const ms = performance.now() - t0;
  await sleep(300);
  td.kill('SIGINT');
  await new Promise((r) => td.once('exit', r));
  const num = (re: RegExp) => Number(err.match(re)?.[1] ?? NaN);
  const captured = num(/(\d+) packets captured/);
  return {
    tool: 'tcpdump',
    sent: sent.ok,
    captured,
    dropped: num(/(\d+) packets dropped by kernel/),
    fps: Math.round(captured / (ms / 1000)),
  };
}

try {
  const tx = new PacketSocket({ interface: 'cbb' });
  const rows = [await benchCbpf(tx), await benchTcpdump(tx), await benchCbpf(tx)];
  tx.close();
  console.table(rows);
} finally {
  ns.dispose();
}
