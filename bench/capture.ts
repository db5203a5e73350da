// Benchmark (not a test; needs root): a bounded flood over a veth in a private netns, captured by
// cbpf's openCapture (TPACKET_V3 ring + reader thread, frame by frame and with batches(); recv() per
// frame), by the same ring walked on the main thread (an approach measured, not shipped) and by
// tcpdump, in rotating order within each round. Prints frames captured, kernel drops, captured frames per second of flood,
// the capturer's CPU time per frame (steadier than rates on a shared machine) and the longest stall
// of this process's event loop during the flood (monitorEventLoopDelay; in the tcpdump rows the
// process is idle, so that column is the machine's own noise).
// Run: npx tsx bench/capture.ts [FRAMES] [ROUNDS] [c|node] [TOOLS]  (sender: bench/c/flood.c or Node;
// TOOLS: a comma-separated subset). Writes bench/CAPTURE-RESULTS.md.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, release } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import koffi from 'koffi';
import { type CapturedFrame, openCapture } from '../src/node/capture.js';
import * as libc from '../src/node/ffi/libc.js';
import { PacketSocket } from '../src/node/linux/packet-socket.js';
import {
  BLOCK,
  encodeTpacketReq3,
  PACKET_RX_RING,
  PACKET_VERSION,
  parseBlock,
  type RingFrame,
  ringGeometry,
  SOL_PACKET,
  TPACKET_V3,
} from '../src/node/linux/tpacket-v3.js';
import { enterNetns, testFrame } from '../test/helpers/netns.js';

const FRAMES = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const SENDER_KIND = process.argv[4] === 'node' ? 'node' : 'c';
/** Optional comma-separated subset of the tools' names, e.g. 'cbpf ring,tcpdump'. */
const ONLY = process.argv[5]?.split(',');
const loadStart = loadavg()[0].toFixed(1);
const ns = enterNetns(`cbpf-bench-${process.pid}`);

// The sender is a child process (so its CPU time is not the capturer's) sending on a descriptor
// opened here, inside the netns, passed as its fd 3.
const SENDER = `
const koffi = require(process.env.KOFFI);
const send = koffi.load('libc.so.6').func('intptr_t send(int fd, void *buf, size_t len, int flags)');
const f = new Uint8Array(JSON.parse(process.env.FRAME));
const n = Number(process.env.N);
let ok = 0;
const t0 = performance.now();
for (let i = 0; i < n; i++) { f[15] = i & 255; if (send(3, f, f.length, 0) > 0) ok++; }
process.stdout.write(JSON.stringify({ ok, ms: performance.now() - t0 }));
`;
const KOFFI = createRequire(import.meta.url).resolve('koffi');

// The C sender (bench/c/flood.c) offers about twice the node sender's rate on this machine.
const FLOOD_BIN = new URL('out/flood', import.meta.url).pathname;
if (SENDER_KIND === 'c') {
  mkdirSync(new URL('out/', import.meta.url), { recursive: true });
  execFileSync('gcc', ['-O2', '-o', FLOOD_BIN, new URL('c/flood.c', import.meta.url).pathname]);
}

function flood(fd: number): Promise<{ ok: number; ms: number }> {
  const frame = testFrame([1, ...new Array(50).fill(0x5a)]);
  const env = { ...process.env, KOFFI, FRAME: JSON.stringify([...frame]), N: String(FRAMES) };
  const hex = Buffer.from(frame).toString('hex');
  const [cmd, args] =
    SENDER_KIND === 'c' ? [FLOOD_BIN, [String(FRAMES), hex]] : [process.execPath, ['-e', SENDER]];
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'inherit', fd] });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve(JSON.parse(out)));
  });
}

/** User+system CPU milliseconds of a process, from /proc/PID/stat (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FILTER = 'ether proto 0x88b5';
const PROGRAM = [
  { code: 0x28, jt: 0, jf: 0, k: 12 },
  { code: 0x15, jt: 0, jf: 1, k: 0x88b5 },
  { code: 0x06, jt: 0, jf: 0, k: 262144 },
  { code: 0x06, jt: 0, jf: 0, k: 0 },
];

/**
 * Floods once the reader has started, then waits until `captured()` stops growing: the flood's
 * result, and this process's CPU time and worst event-loop delay over that span.
 */
async function measureFlood(tx: PacketSocket, captured: () => number) {
  await sleep(50);
  const cpu0 = process.cpuUsage();
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const sent = await flood(tx.fd);
  while (true) {
    const before = captured();
    await sleep(100);
    if (captured() === before) break;
  }
  lag.disable();
  const cpu = process.cpuUsage(cpu0);
  return { sent, cpuMs: Math.round((cpu.user + cpu.system) / 1000), lagMaxNs: lag.max };
}

/** One result row; `captured` is counted after the reader has ended. */
function row(
  tool: string,
  captured: number,
  dropped: number,
  m: Awaited<ReturnType<typeof measureFlood>>,
) {
  return {
    tool,
    sent: m.sent.ok,
    captured,
    dropped,
    floodMs: Math.round(m.sent.ms),
    fps: Math.round(captured / (m.sent.ms / 1000)),
    cpuMs: m.cpuMs,
    loopLagMaxMs: Math.round(m.lagMaxNs / 1e6),
  };
}

async function benchCbpf(tx: PacketSocket, mode: 'ring' | 'ring batches' | 'recv') {
  const ring = mode !== 'recv';
  const cap = await openCapture({ interface: 'cba', filter: PROGRAM, bufferSize: 4 << 20, ring });
  let n = 0;
  const reader = (async () => {
    if (mode === 'ring batches') for await (const b of cap.batches()) n += b.length;
    else for await (const _ of cap) n++;
  })();
  const m = await measureFlood(tx, () => n);
  const { dropped } = cap.stats();
  cap.close();
  await reader;
  await cap.released;
  return row(`cbpf ${mode}`, n, dropped, m);
}

// The approach not taken, measured here only: the same ring mapped and walked on the main thread,
// waiting in poll() on koffi's pool when the next block is not ready (no reader thread, no messages).
async function* mainThreadRing(sock: PacketSocket, stop: () => boolean) {
  const g = ringGeometry(262_144, 4 << 20, libc.pageSize());
  const v = new Uint8Array([TPACKET_V3, 0, 0, 0]);
  libc.setsockopt(sock.fd, SOL_PACKET, PACKET_VERSION, v);
  libc.setsockopt(sock.fd, SOL_PACKET, PACKET_RX_RING, encodeTpacketReq3(g));
  const size = g.blockSize * g.blockNr;
  const ptr = libc.mmap(size, 3, 1, sock.fd);
  try {
    const ring = new Uint8Array(koffi.view(ptr as never, size));
    const words = new Int32Array(ring.buffer);
    const frames: RingFrame[] = [];
    for (let cur = 0; !stop(); ) {
      const off = cur * g.blockSize;
      const status = (off + BLOCK.blockStatus) >> 2;
      if ((Atomics.load(words, status) & 1) === 0) {
        await libc.pollAsync(sock.fd, libc.POLLIN, 40);
        continue;
      }
      frames.length = 0;
      // The frames view their block, so copy it before giving it back, as the reader thread does.
      const len = Math.min(words[(off + BLOCK.blkLen) >> 2] >>> 0, g.blockSize);
      parseBlock(ring.slice(off, off + len), 'cba', 262_144, frames);
      Atomics.store(words, status, 0);
      cur = (cur + 1) % g.blockNr;
      yield* frames as CapturedFrame[];
      await new Promise((r) => setImmediate(r)); // a turn of the event loop per block, as openCapture
    }
  } finally {
    libc.munmap(ptr, size);
  }
}

async function benchMainRing(tx: PacketSocket) {
  const sock = new PacketSocket({ interface: 'cba' });
  sock.setFilter(PROGRAM);
  let n = 0;
  let done = false;
  const reader = (async () => {
    for await (const _ of mainThreadRing(sock, () => done)) n++;
  })();
  const m = await measureFlood(tx, () => n);
  const { dropped } = sock.stats();
  done = true;
  await reader;
  sock.close();
  await sock.released;
  return row('ring on main thread', n, dropped, m);
}

async function benchTcpdump(tx: PacketSocket) {
  // Spawned from the main thread, which is inside the netns, so tcpdump is too (and td.pid is its own).
  const td = spawn('tcpdump', ['-i', 'cba', '-n', '-w', '/dev/null', '-B', '4096', FILTER], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  td.stderr.on('data', (d) => (err += d));
  while (!err.includes('listening')) await sleep(20);
  const cpu0 = cpuMsOf(td.pid!);
  const lag = monitorEventLoopDelay({ resolution: 5 }); // of this idle process: the machine's noise
  lag.enable();
  const sent = await flood(tx.fd);
  lag.disable();
  await sleep(1200); // tcpdump's 1 s timeout is its ring's block retire timeout: let the last retire
  const cpuMs = cpuMsOf(td.pid!) - cpu0;
  td.kill('SIGINT');
  await new Promise((r) => td.once('exit', r));
  const num = (re: RegExp) => Number(err.match(re)?.[1] ?? NaN);
  const captured = num(/(\d+) packets captured/);
  return {
    tool: 'tcpdump',
    sent: sent.ok,
    captured,
    dropped: num(/(\d+) packets dropped by kernel/),
    floodMs: Math.round(sent.ms),
    fps: Math.round(captured / (sent.ms / 1000)),
    cpuMs,
    loopLagMaxMs: Math.round(lag.max / 1e6),
  };
}

try {
  const tx = new PacketSocket({ interface: 'cbb' });
  const all = {
    'cbpf ring': () => benchCbpf(tx, 'ring'),
    'cbpf ring batches': () => benchCbpf(tx, 'ring batches'),
    'cbpf recv': () => benchCbpf(tx, 'recv'),
    'ring on main thread': () => benchMainRing(tx),
    tcpdump: () => benchTcpdump(tx),
  };
  const runs = Object.entries(all)
    .filter(([name]) => !ONLY || ONLY.includes(name))
    .map(([, run]) => run);
  type Row = Awaited<ReturnType<(typeof runs)[number]>>;
  const rows: (Row & { round: number; vsTcpdump: string; cpuNsPerFrame: number })[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round: Row[] = [];
    for (let i = 0; i < runs.length; i++) round.push(await runs[(i + r) % runs.length]());
    const fps = (t: string) => round.find((x) => x.tool === t)?.fps ?? NaN;
    for (const x of round)
      rows.push({
        round: r + 1,
        ...x,
        vsTcpdump: (x.fps / fps('tcpdump')).toFixed(2),
        cpuNsPerFrame: Math.round((x.cpuMs * 1e6) / x.captured),
      });
  }
  tx.close();
  console.table(rows);
  const cols = [
    'round',
    'tool',
    'captured',
    'dropped',
    'floodMs',
    'fps',
    'vsTcpdump',
    'cpuNsPerFrame',
    'loopLagMaxMs',
  ] as const;
  const md = [
    '# Capture benchmark',
    '',
    `Written by \`npx tsx bench/capture.ts ${FRAMES} ${ROUNDS} ${SENDER_KIND}\` on ${new Date().toISOString().slice(0, 16)}Z, Linux ${release()}, ${cpus().length} CPUs, load average ${loadStart} at the start and ${loadavg()[0].toFixed(1)} at the end (a shared machine: compare rows of one round).`,
    `Each tool captures the same ${FRAMES}-frame flood (${SENDER_KIND === 'c' ? 'bench/c/flood.c' : 'a Node sender'} in its own process) on a veth in a private netns, 4 MiB of kernel buffer each (tcpdump -B 4096).`,
    "fps = frames captured per second of flood; cpuNsPerFrame = the capturing process's CPU time per captured frame (all its threads); loopLagMaxMs = the longest event-loop stall of this process during the flood (idle in the tcpdump rows: that is the machine's noise).",
    '',
    `| ${cols.join(' | ')} |`,
    `|${cols.map((c) => (c === 'tool' ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${cols.map((c) => r[c]).join(' | ')} |`),
    '',
  ].join('\n');
  writeFileSync(new URL('CAPTURE-RESULTS.md', import.meta.url), md);
} finally {
  ns.dispose();
}
