// Offline filtering, cbpf vs tcpdump on the same file in the same run: `-r FILE -w OUT 'tcp port 80'`.
// Without FILE it writes a seeded ~500 MiB capture (bench/data/offline-500MiB-seed2026.pcap, reused
// when present). It builds dist/ and times four forms, interleaved, after one untimed warm-up each: the
// CLI as installed (bin/cbpf.cjs in a package layout without src/, which runs the CLI bundle with its V8
// code cache), the per-module build (`node dist/cli/main.js`), the checkout's bin (which runs src through
// tsx), and tcpdump. Wall and CPU (user+sys, from /usr/bin/time) medians; the outputs' records are
// checked equal to tcpdump's.
// Run: npx tsx bench/offline.ts [FILE] [EXPR] [REPS]   (REPS default 5; BENCH_MIB=N for another size)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { createCaptureScanner } from '../src/pcap/index.js';
import { rng } from '../test/helpers/gen-linux-program.js';

const root = new URL('..', import.meta.url).pathname;
const MIB = Number(process.env.BENCH_MIB ?? 500);
const SEED = 2026;
const file = process.argv[2] || `${root}bench/data/offline-${MIB}MiB-seed${SEED}.pcap`;
const expr = process.argv[3] ?? 'tcp port 80';
const reps = Number(process.argv[4] ?? 5);

/** One seeded Ethernet frame: ARP, IPv4/IPv6 TCP/UDP/ICMP on common ports, some VLAN-tagged; 60–1514 bytes. */
function frame(r: () => number, f: Uint8Array): number {
  const kind = r();
  const size = kind < 0.1 ? 60 : 60 + Math.floor(r() * r() * 1455);
  f.fill(0, 0, size);
  for (let i = 0; i < 12; i++) f[i] = Math.floor(r() * 256);
  let o = 12;
  if (r() < 0.05) {
    f.set([0x81, 0x00, 0, 10], 12);
    o = 16;
  }
  const ports = [80, 443, 22, 53, 67, 68, 123, 8080, 5000 + Math.floor(r() * 1000)];
  const port = () => ports[Math.floor(r() * ports.length)];
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
  return size;
}

/** Writes the seeded capture: little-endian µs pcap, snaplen 65535, one packet per 100 µs. */
function generate(path: string, bytes: number): void {
  mkdirSync(new URL('data', new URL('.', import.meta.url)).pathname, { recursive: true });
  const r = rng(SEED);
  const out = new Uint8Array(1 << 22);
  const dv = new DataView(out.buffer);
  const f = new Uint8Array(1514);
  const fd = openSync(`${path}.tmp`, 'w');
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 65535, true);
  dv.setUint32(20, 1, true);
  let at = 24;
  let written = 0;
  for (let i = 0; written + at < bytes; i++) {
    if (at + 16 + 1514 > out.length) {
      writeSync(fd, out, 0, at);
      written += at;
      at = 0;
    }
    const size = frame(r, f);
    const us = 1_700_000_000_000_000 + i * 100;
    dv.setUint32(at, Math.floor(us / 1e6), true);
    dv.setUint32(at + 4, us % 1e6, true);
    dv.setUint32(at + 8, size, true);
    dv.setUint32(at + 12, size, true);
    out.set(f.subarray(0, size), at + 16);
    at += 16 + size;
  }
  writeSync(fd, out, 0, at);
  closeSync(fd);
  spawnSync('mv', [`${path}.tmp`, path]);
}

function countPackets(path: string): number {
  const s = createCaptureScanner();
  const fd = openSync(path, 'r');
  const buf = new Uint8Array(1 << 20);
  let start = 0;
  let end = 0;
  let n = 0;
  for (;;) {
    buf.copyWithin(0, start, end);
    end -= start;
    start = 0;
    const got = readSync(fd, buf, end, buf.length - end, null);
    end += got;
    for (let used = 1; used > 0; ) {
      used = s.scan(buf, start, end);
      start += used;
      n += s.batch.n;
    }
    if (s.error) throw s.error;
    if (got === 0) break;
  }
  closeSync(fd);
  s.end(end - start);
  return n;
}

const hasTime = existsSync('/usr/bin/time');
const timesFile = '/tmp/cbpf-offline-bench.time';

/** Wall seconds (hrtime) and CPU seconds (user+sys of the child, when /usr/bin/time exists). */
function time(cmd: string, args: string[]): { wall: number; cpu: number } {
  const argv = hasTime
    ? ['/usr/bin/time', '-f', '%U %S', '-o', timesFile, cmd, ...args]
    : [cmd, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  const cpu = hasTime
    ? readFileSync(timesFile, 'utf8')
        .trim()
        .split(/\s+/)
        .slice(-2)
        .reduce((a, b) => a + Number(b), 0)
    : Number.NaN;
  return { wall, cpu };
}

/** A digest of a whole output file (tcpdump's and cbpf's must be byte-identical, header included). */
function fileDigest(path: string): string {
  return createHash('sha1').update(readFileSync(path)).digest('hex');
}

if (!process.argv[2] && !existsSync(file)) {
  console.error(`writing ${file} (seed ${SEED}, ${MIB} MiB)...`);
  generate(file, MIB * 2 ** 20);
}
if (!existsSync(file)) {
  console.error(`${file} is missing`);
  process.exit(1);
}
const build = spawnSync('npm', ['run', 'build'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) throw new Error('npm run build failed');

// The package as npm installs it: bin/, dist/ (with the CLI bundle and its code cache), data/, no src/.
const installed = '/tmp/cbpf-offline-bench-installed';
rmSync(installed, { recursive: true, force: true });
mkdirSync(`${installed}/bin`, { recursive: true });
copyFileSync(`${root}bin/cbpf.cjs`, `${installed}/bin/cbpf.cjs`);
copyFileSync(`${root}package.json`, `${installed}/package.json`);
for (const d of ['dist', 'data', 'node_modules']) symlinkSync(`${root}${d}`, `${installed}/${d}`);

const out = '/tmp/cbpf-offline-bench.pcap';
const forms: { name: string; cmd: string; args: string[] }[] = [
  { name: 'cbpf (installed)', cmd: process.execPath, args: [`${installed}/bin/cbpf.cjs`] },
  { name: 'cbpf (dist/ modules)', cmd: process.execPath, args: [`${root}dist/cli/main.js`] },
  { name: 'cbpf (checkout, tsx)', cmd: process.execPath, args: [`${root}bin/cbpf.cjs`] },
  { name: 'tcpdump', cmd: 'tcpdump', args: [] },
].map((f) => ({ ...f, args: [...f.args, '-r', file, '-w', out, ...(expr ? [expr] : [])] }));

const total = countPackets(file);
const runs = new Map<string, { wall: number; cpu: number }[]>(forms.map((f) => [f.name, []]));
const digests = new Map<string, string>();
for (let rep = -1; rep < reps; rep++) {
  // Rotate the order so no form always runs right after another.
  for (let k = 0; k < forms.length; k++) {
    const f = forms[(k + Math.max(rep, 0)) % forms.length];
    rmSync(out, { force: true });
    const t = time(f.cmd, f.args);
    if (rep < 0) digests.set(f.name, fileDigest(out));
    else runs.get(f.name)?.push(t);
  }
}
rmSync(out, { force: true });
const want = digests.get('tcpdump');
for (const [name, d] of digests)
  if (d !== want) throw new Error(`${name} wrote another file than tcpdump's`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs: number[]) => Math.min(...xs);
const td = runs.get('tcpdump') ?? [];
const tWall = median(td.map((r) => r.wall));
const tMin = min(td.map((r) => r.wall));
const tCpu = median(td.map((r) => r.cpu));
console.log(
  `${(statSync(file).size / 2 ** 20).toFixed(0)} MiB, ${total} packets, '${expr}'; outputs byte-identical to tcpdump's; ${reps} runs each, Node ${process.version}`,
);
console.log(
  'form                   wall s (median)  M pkt/s  vs tcpdump | wall min  vs tcpdump | cpu s  vs tcpdump',
);
for (const f of forms) {
  const rs = runs.get(f.name) ?? [];
  const wall = median(rs.map((r) => r.wall));
  const best = min(rs.map((r) => r.wall));
  const cpu = median(rs.map((r) => r.cpu));
  console.log(
    `${f.name.padEnd(22)} ${wall.toFixed(3).padStart(15)}  ${(total / wall / 1e6).toFixed(2).padStart(7)}  ${(tWall / wall).toFixed(2).padStart(9)}x | ${best.toFixed(3).padStart(8)}  ${(tMin / best).toFixed(2).padStart(8)}x | ${cpu.toFixed(2).padStart(5)}  ${(tCpu / cpu).toFixed(2).padStart(8)}x`,
  );
}
console.log(
  '"vs tcpdump" is cbpf/tcpdump packets per second (tcpdump time / cbpf time), >1 faster; cpu is user+sys.',
);
for (const f of forms)
  console.log(
    `  ${f.name} wall runs: ${(runs.get(f.name) ?? []).map((r) => r.wall.toFixed(2)).join(' ')}`,
  );
