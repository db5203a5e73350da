// Offline filtering, cbpf vs tcpdump on the same file in the same run: `-r FILE -w OUT 'tcp port 80'`.
// Shapes (BENCH_SHAPES, comma-separated; default small,kb,mixed), each a seeded capture written once
// under bench/data/ and reused:
//   small  1,000,000 frames of 60–166 bytes (~129 MB), where the per-packet work and the start count;
//   kb     293,000 frames of 1,024 bytes (~305 MB), where reading the file counts;
//   mixed  frames of 60–1514 bytes (BENCH_MIB, default 500 MiB).
// It builds dist/ and times, interleaved, after one untimed warm-up each: the CLI as installed
// (bin/cbpf.cjs in a package layout without src/: the bundle with its V8 code cache; a file this large
// is read on two threads when there are two cores), the same with --jobs 1 (one thread), the checkout's
// bin (TypeScript through tsx), and tcpdump. Wall time and CPU time summed over all threads (perf stat's
// task-clock; /usr/bin/time's user+sys without perf); ratios are tcpdump's time over cbpf's, the median
// of the per-round ratios. Every output is checked byte-identical to tcpdump's. One more form, the Node
// floor (bench/offline-floor.cjs), does the job with no cbpf around it: Node's start, the reads, the JIT's
// filter for the expression, the copies; what cbpf costs beyond it is cbpf's own.
// The timed commands run without NODE_EXTRA_CA_CERTS (cli-runs.ts's userEnv: 40 ms of Node's start here);
// when the bench's own environment has it, one more form shows the installed CLI with it.
// Run: npx tsx bench/offline.ts [REPS] [EXPR]   (REPS default 7; BENCH_FILE=path times one given file)
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus } from 'node:os';
import { rng } from '../test/helpers/gen-linux-program.js';
import {
  digest,
  installedCli,
  median,
  pcapHeader,
  recordHeader,
  timeCommand,
  userEnv,
} from './cli-runs.js';

const root = new URL('..', import.meta.url).pathname;
const reps = Number(process.argv[2] ?? 7);
const expr = process.argv[3] ?? 'tcp port 80';
const SEED = 2026;
const MIB = Number(process.env.BENCH_MIB ?? 500);

interface Shape {
  name: string;
  /** Stop adding frames at this many bytes or frames. */
  bytes: number;
  frames: number;
  /** The frame size for a draw. */
  size: (r: () => number) => number;
}

const SHAPES: Record<string, Shape> = {
  small: {
    name: 'small',
    bytes: Infinity,
    frames: 1_000_000,
    size: (r) => 60 + Math.floor(r() * 107),
  },
  kb: { name: 'kb', bytes: Infinity, frames: 293_000, size: () => 1024 },
  mixed: {
    name: 'mixed',
    bytes: MIB * 2 ** 20,
    frames: Infinity,
    size: (r) => (r() < 0.1 ? 60 : 60 + Math.floor(r() * r() * 1455)),
  },
};

/** One seeded Ethernet frame of `size` bytes: ARP, IPv4/IPv6 TCP/UDP/ICMP on common ports, some VLAN-tagged. */
function frame(r: () => number, f: Uint8Array, size: number): void {
  const kind = r();
  f.fill(0, 0, size);
  for (let i = 0; i < 12; i++) f[i] = Math.floor(r() * 256);
  let o = 12;
  if (r() < 0.05) {
    f.set([0x81, 0x00, 0, 10], 12);
    o = 16;
  }
  const ports = [80, 443, 22, 53, 67, 68, 123, 8080, 5000 + Math.floor(r() * 1000)];
  const port = () => ports[Math.floor(r() * ports.length)] as number;
  const host = () => (r() < 0.3 ? 1 + Math.floor(r() * 14) : Math.floor(r() * 256));
  if (kind < 0.1) {
    f.set([0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, r() < 0.5 ? 1 : 2], o);
    f.set([10, 0, 0, host()], o + 16);
    f.set([10, 0, 0, host()], o + 26);
  } else if (kind < 0.75) {
    const proto = r() < 0.6 ? 6 : r() < 0.9 ? 17 : 1;
    const len = size - o - 2;
    f.set([0x08, 0x00, 0x45, 0, len >> 8, len & 255, 0, 0, 0x40, 0, 64, proto], o);
    f.set([10, 0, 0, host(), 10, 0, 0, host()], o + 14);
    const sp = port();
    const dp = port();
    f.set([sp >> 8, sp & 255, dp >> 8, dp & 255], o + 22);
  } else {
    const nh = r() < 0.5 ? 6 : r() < 0.8 ? 17 : 58;
    f.set([0x86, 0xdd, 0x60, 0, 0, 0, 0, 0, nh, 64, 0x20, 0x01, 0x0d, 0xb8], o);
    if (size >= o + 2 + 40 + 4) {
      const sp = port();
      const dp = port();
      f.set([sp >> 8, sp & 255, dp >> 8, dp & 255], o + 42);
    }
  }
}

/** Writes the seeded capture: little-endian µs pcap, snaplen 65535, one packet per 100 µs. */
function generate(path: string, shape: Shape): void {
  mkdirSync(`${root}bench/data`, { recursive: true });
  const r = rng(SEED);
  const out = new Uint8Array(1 << 22);
  const dv = new DataView(out.buffer);
  const f = new Uint8Array(1514);
  const fd = openSync(`${path}.tmp`, 'w');
  pcapHeader(dv);
  let at = 24;
  let written = 0;
  for (let i = 0; i < shape.frames && written + at < shape.bytes; i++) {
    if (at + 16 + 1514 > out.length) {
      writeSync(fd, out, 0, at);
      written += at;
      at = 0;
    }
    const size = shape.size(r);
    frame(r, f, size);
    recordHeader(dv, at, 1_700_000_000_000_000 + i * 100, size);
    out.set(f.subarray(0, size), at + 16);
    at += 16 + size;
  }
  writeSync(fd, out, 0, at);
  closeSync(fd);
  spawnSync('mv', [`${path}.tmp`, path]);
}

/** Records in a classic pcap. */
function countPackets(path: string): number {
  const b = readFileSync(path);
  let n = 0;
  for (let p = 24; p + 16 <= b.length; p += 16 + b.readUInt32LE(p + 8)) n++;
  return n;
}

/** The CA bundle the bench's own environment names (the timed commands run without it). */
const extraCa = process.env.NODE_EXTRA_CA_CERTS;
const installed = installedCli('/tmp/cbpf-offline-bench-installed');
// The floor's filter: the JIT's JavaScript for the expression, as cbpf runs it on a file.
const floorFilter = '/tmp/cbpf-offline-bench-filter.js';
{
  const jit = spawnSync(
    process.execPath,
    [installed, 'jit', '--print', '--profile', 'libpcap', expr || 'ip or not ip'],
    { encoding: 'utf8', env: userEnv },
  );
  if (jit.status !== 0) throw new Error(`cbpf jit --print failed: ${jit.stderr}`);
  writeFileSync(floorFilter, jit.stdout);
}

interface Row {
  shape: string;
  form: string;
  wall: number;
  wallMin: number;
  vsWall: number;
  cpu: number;
  vsCpu: number;
}
const rows: Row[] = [];
const files = process.env.BENCH_FILE
  ? [{ shape: 'given', file: process.env.BENCH_FILE }]
  : (process.env.BENCH_SHAPES ?? 'small,kb,mixed').split(',').map((name) => {
      const shape = SHAPES[name];
      if (!shape) throw new Error(`unknown shape ${name}`);
      const file = `${root}bench/data/offline-${name}${name === 'mixed' ? `-${MIB}MiB` : ''}-seed${SEED}.pcap`;
      if (!existsSync(file)) {
        console.error(`writing ${file}...`);
        generate(file, shape);
      }
      return { shape: name, file };
    });

for (const { shape, file } of files) {
  const out = '/tmp/cbpf-offline-bench.pcap';
  const cbpf = [process.execPath, installed];
  const forms = [
    { name: 'cbpf, installed', argv: cbpf, env: userEnv },
    { name: 'cbpf, installed, --jobs 1', argv: [...cbpf, '--jobs', '1'], env: userEnv },
    ...(extraCa === undefined
      ? []
      : [
          {
            name: 'cbpf, installed, NODE_EXTRA_CA_CERTS set',
            argv: cbpf,
            env: { ...userEnv, NODE_EXTRA_CA_CERTS: extraCa },
          },
        ]),
    { name: 'cbpf, checkout (tsx)', argv: [process.execPath, `${root}bin/cbpf.cjs`], env: userEnv },
    { name: 'tcpdump', argv: ['tcpdump'], env: userEnv },
  ].map((f) => ({ ...f, argv: [...f.argv, '-r', file, '-w', out, ...(expr ? [expr] : [])] }));
  forms.push({
    name: 'Node floor (offline-floor.cjs)',
    argv: [process.execPath, `${root}bench/offline-floor.cjs`, file, out, floorFilter],
    env: userEnv,
  });
  const runs = new Map(forms.map((f) => [f.name, [] as { wall: number; cpu: number }[]]));
  const digests = new Map<string, string>();
  for (let rep = -1; rep < reps; rep++)
    for (let k = 0; k < forms.length; k++) {
      // Rotate the order so no form always runs right after another.
      const f = forms[(k + Math.max(rep, 0)) % forms.length] as (typeof forms)[number];
      rmSync(out, { force: true });
      const t = timeCommand(f.argv, { env: f.env });
      if (rep < 0) digests.set(f.name, digest(out));
      else runs.get(f.name)?.push(t);
    }
  rmSync(out, { force: true });
  for (const [name, d] of digests)
    if (d !== digests.get('tcpdump')) throw new Error(`${name} wrote another file than tcpdump's`);
  const td = runs.get('tcpdump') ?? [];
  const mb = statSync(file).size / 1e6;
  console.log(
    `${shape}: ${mb.toFixed(0)} MB, ${countPackets(file)} packets, '${expr}', outputs byte-identical to tcpdump's; ${reps} rounds; Node ${process.version}, ${cpus().length} cores`,
  );
  for (const f of forms) {
    const rs = runs.get(f.name) ?? [];
    const row: Row = {
      shape,
      form: f.name,
      wall: median(rs.map((r) => r.wall)),
      wallMin: Math.min(...rs.map((r) => r.wall)),
      vsWall: median(rs.map((r, i) => (td[i]?.wall ?? 0) / r.wall)),
      cpu: median(rs.map((r) => r.cpu)),
      vsCpu: median(rs.map((r, i) => (td[i]?.cpu ?? 0) / r.cpu)),
    };
    rows.push(row);
    console.log(
      `  ${f.name.padEnd(40)} wall ${row.wall.toFixed(3)} s (min ${row.wallMin.toFixed(3)})  ${row.vsWall.toFixed(2)}x | cpu ${row.cpu.toFixed(3)} s  ${row.vsCpu.toFixed(2)}x   runs: ${rs.map((r) => r.wall.toFixed(3)).join(' ')}`,
    );
  }
}
console.log('\n| file | form | wall s (median) | vs tcpdump | CPU s, all threads | vs tcpdump |');
console.log('|---|---|--:|--:|--:|--:|');
for (const r of rows)
  console.log(
    `| ${r.shape} | ${r.form} | ${r.wall.toFixed(3)} | ${r.vsWall.toFixed(2)}× | ${r.cpu.toFixed(3)} | ${r.vsCpu.toFixed(2)}× |`,
  );
console.log(
  '"vs tcpdump": tcpdump time / cbpf time, the median of the per-round ratios; >1 is faster.',
);
