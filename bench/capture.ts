// Benchmark (not a test; needs root): a bounded flood of 64-byte UDP frames over a veth in a private
// netns, captured with the filter `udp` by tcpdump -w, `cbpf -i … -w` (the CLI, its own process), and
// in this process by openCapture's batches() (no object per frame) and its frame iterator, in rotating
// order within each round. Two senders, each a C program in its own process: send(2) per frame (about
// the rate of the earlier bench) and sendmmsg(2) batches (the fastest one thread reaches). Every tool
// uses its default kernel buffer. Reported: frames captured and dropped, and the capturer's CPU time
// (user + system, all its threads) per captured frame, with its ratio to tcpdump's in the same round.
// Run: npx tsx bench/capture.ts [FRAMES] [ROUNDS] [RATES] [TOOLS]
//   RATES: comma-separated of send,mmsg (default both); TOOLS: a comma-separated subset of the names.
// Writes bench/CAPTURE-RESULTS.md.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCapture } from '../src/node/capture.js';
import { PacketSocket } from '../src/node/linux/packet-socket.js';
import { buildIpFrame } from '../src/packets/index.js';
import { enterNetns } from '../test/helpers/netns.js';

const FRAMES = Number(process.argv[2] ?? 300_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const RATES = (process.argv[4] ?? 'send,mmsg').split(',') as ('send' | 'mmsg')[];
const ONLY = process.argv[5]?.split(',');
const FILTER = 'udp';
/**
 * Frames of a flood each tool gets before the measured one, so a fresh process's JIT (V8 compiling
 * the capture loop) is not counted in the measured frames (WARMUP=0 counts it).
 */
const WARMUP = Number(process.env.WARMUP ?? 200_000);
const loadStart = loadavg().map((x) => x.toFixed(1));
const ns = enterNetns(`cbpf-bench-${process.pid}`);
const dir = mkdtempSync(join(tmpdir(), 'cbpf-bench-'));

const BIN = new URL('out/', import.meta.url).pathname;
mkdirSync(BIN, { recursive: true });
for (const c of ['flood', 'flood-mmsg'])
  execFileSync('gcc', ['-O2', '-o', `${BIN}${c}`, new URL(`c/${c}.c`, import.meta.url).pathname]);

/** A 64-byte Ethernet/IPv4/UDP frame b -> a. */
const FRAME = Buffer.from(
  buildIpFrame(
    { src: '02:00:00:00:00:bb', dst: '02:00:00:00:00:aa' },
    { src: '10.0.0.2', dst: '10.0.0.1' },
    { kind: 'udp', srcPort: 4000, dstPort: 5000, payload: new Uint8Array(22) },
  ),
).toString('hex');

/** Floods FRAMES frames from a child process that sends on `fd` (its fd 3). */
function flood(fd: number, rate: 'send' | 'mmsg'): Promise<{ ok: number; ms: number }> {
  return floodN(fd, rate, FRAMES);
}

function floodN(fd: number, rate: 'send' | 'mmsg', n: number): Promise<{ ok: number; ms: number }> {
  const bin = `${BIN}${rate === 'send' ? 'flood' : 'flood-mmsg'}`;
  const child = spawn(bin, [String(n), FRAME], { stdio: ['ignore', 'pipe', 'inherit', fd] });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve(JSON.parse(out)));
  });
}

/** User+system CPU milliseconds of a process and all its threads, from /proc/PID/stat (10 ms ticks). */
function cpuMsOf(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}
/** This process's CPU milliseconds (all threads), finer than /proc's ticks. */
const selfCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  tool: string;
  sent: number;
  captured: number;
  dropped: number;
  floodMs: number;
  cpuMs: number;
}

/** tcpdump -w or `cbpf -i … -w`, as a child process: CPU from when it listens until the flood is in. */
async function benchProcess(tool: string, tx: PacketSocket, rate: 'send' | 'mmsg'): Promise<Row> {
  const file = join(dir, `${tool.split(' ')[0]}.pcap`);
  const [cmd, args] =
    tool === 'tcpdump -w'
      ? ['tcpdump', ['-i', 'cba', '-n', '-w', file, FILTER]]
      : [
          process.execPath,
          [new URL('../bin/cbpf.cjs', import.meta.url).pathname, '-i', 'cba', '-w', file, FILTER],
        ];
  // Spawned from the main thread, which is inside the netns, so the capturer is too.
  const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  while (!err.includes('listening')) {
    if (p.exitCode !== null) throw new Error(`${tool}: ${err}`);
    await sleep(20);
  }
  if (WARMUP) {
    await floodN(tx.fd, rate, WARMUP);
    await sleep(tool === 'tcpdump -w' ? 1300 : 400);
  }
  await sleep(200);
  const cpu0 = cpuMsOf(p.pid as number);
  const sent = await flood(tx.fd, rate);
  // tcpdump's ring blocks retire after its 1 s timeout; cbpf's after 8 ms.
  await sleep(tool === 'tcpdump -w' ? 1300 : 400);
  const cpuMs = cpuMsOf(p.pid as number) - cpu0;
  p.kill('SIGINT');
  await new Promise((r) => p.once('exit', r));
  const num = (re: RegExp) => Number(err.match(re)?.[1] ?? Number.NaN);
  return {
    tool,
    sent: sent.ok,
    captured: num(/(\d+) packets? captured/) - WARMUP,
    dropped: num(/(\d+) packets? dropped by kernel/),
    floodMs: Math.round(sent.ms),
    cpuMs,
  };
}

/** openCapture in this process: batches() (counting frames, nothing per frame) or the frame iterator. */
async function benchApi(tool: string, tx: PacketSocket, rate: 'send' | 'mmsg'): Promise<Row> {
  const cap = await openCapture({ interface: 'cba', filter: FILTER });
  let n = 0;
  const reader = (async () => {
    if (tool === 'cbpf batches') for await (const b of cap.batches()) n += b.n;
    else for await (const _ of cap) n++;
  })();
  const settle = async () => {
    for (let before = -1; before !== n; ) {
      before = n;
      await sleep(100);
    }
  };
  if (WARMUP) {
    await floodN(tx.fd, rate, WARMUP);
    await settle();
  }
  const n0 = n;
  const dropped0 = cap.stats().dropped;
  await sleep(200);
  const cpu0 = selfCpuMs();
  const sent = await flood(tx.fd, rate);
  await settle();
  const cpuMs = selfCpuMs() - cpu0;
  const dropped = cap.stats().dropped - dropped0;
  cap.close();
  await reader;
  await cap.released;
  return {
    tool,
    sent: sent.ok,
    captured: n - n0,
    dropped,
    floodMs: Math.round(sent.ms),
    cpuMs,
  };
}

const tools: Record<string, (tx: PacketSocket, rate: 'send' | 'mmsg') => Promise<Row>> = {
  'tcpdump -w': (tx, r) => benchProcess('tcpdump -w', tx, r),
  'cbpf -w': (tx, r) => benchProcess('cbpf -w', tx, r),
  'cbpf batches': (tx, r) => benchApi('cbpf batches', tx, r),
  'cbpf frames': (tx, r) => benchApi('cbpf frames', tx, r),
};

type Out = Row & {
  rate: string;
  round: number;
  nsPerFrame: number;
  cpuVsTcpdump: string;
  fps: number;
};
const rows: Out[] = [];
try {
  const tx = new PacketSocket({ interface: 'cbb' });
  const names = Object.keys(tools).filter((t) => !ONLY || ONLY.includes(t));
  for (const rate of RATES)
    for (let r = 0; r < ROUNDS; r++) {
      const round: Row[] = [];
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + r) % names.length] as string;
        round.push(await (tools[name] as (typeof tools)[string])(tx, rate));
      }
      const td = round.find((x) => x.tool === 'tcpdump -w');
      const per = (x: Row) => (x.cpuMs * 1e6) / Math.max(x.captured, 1);
      for (const x of round) {
        const row: Out = {
          rate,
          round: r + 1,
          ...x,
          cpuMs: Math.round(x.cpuMs),
          fps: Math.round(x.sent / (x.floodMs / 1000)),
          nsPerFrame: Math.round(per(x)),
          cpuVsTcpdump: td ? (per(x) / per(td)).toFixed(2) : '',
        };
        rows.push(row);
        console.log(JSON.stringify(row));
      }
    }
  tx.close();
} finally {
  ns.dispose();
  rmSync(dir, { recursive: true, force: true });
}

const cols = [
  'rate',
  'round',
  'tool',
  'sent',
  'captured',
  'dropped',
  'fps',
  'cpuMs',
  'nsPerFrame',
  'cpuVsTcpdump',
] as const;
const md = [
  '# Capture benchmark',
  '',
  `Written by \`WARMUP=${WARMUP} npx tsx bench/capture.ts ${FRAMES} ${ROUNDS} ${RATES.join(',')}\` on ${new Date().toISOString().slice(0, 16)}Z, Linux ${release()}, ${cpus().length} CPUs, load average ${loadStart.join(' ')} at the start and ${loadavg()[0].toFixed(1)} at the end (a shared machine: compare rows of one round).`,
  `Each tool first gets a ${WARMUP}-frame flood to warm up on (not counted), then captures the same ${FRAMES}-frame flood of 64-byte UDP frames (a C sender in its own process: \`send\` = bench/c/flood.c, one send(2) per frame; \`mmsg\` = bench/c/flood-mmsg.c, sendmmsg(2) batches of 1,024) on a veth in a private netns, filter \`${FILTER}\`, each with its default kernel buffer (tcpdump 2 MiB, cbpf 8 MiB).`,
  "fps = frames sent per second of flood; dropped = the kernel's drops (for tcpdump and cbpf -w, warm-up included); cpuMs = the capturing process's CPU time (user + system, all threads) from the flood's start until its frames are in; nsPerFrame = cpuMs per captured frame; cpuVsTcpdump = that against tcpdump -w in the same round. `cbpf -w` is the CLI (bin/cbpf.cjs) in its own process, as tcpdump; `cbpf batches` and `cbpf frames` are openCapture in the bench process.",
  '',
  `| ${cols.join(' | ')} |`,
  `|${cols.map((c) => (c === 'tool' || c === 'rate' ? '---' : '---:')).join('|')}|`,
  ...rows.map((r) => `| ${cols.map((c) => r[c]).join(' | ')} |`),
  '',
].join('\n');
writeFileSync(new URL('CAPTURE-RESULTS.md', import.meta.url), md);
