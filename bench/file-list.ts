// -V (a list of capture files) on 1, 2 and all cores (--jobs), against tcpdump -V in the same run:
// printing every packet (`-V LIST -n`, where the per-packet work is the summary) and writing the
// matches (`-V LIST -w OUT 'tcp port 80'`). The list is BENCH_FILES seeded captures (default 8) of
// BENCH_FRAMES frames each (default 125,000, 60–1514 bytes), written once under bench/data/. Every
// form's output is checked equal to --jobs 1's (and -w's to tcpdump's). Wall time and CPU time summed
// over all threads (perf stat's task-clock); medians of REPS interleaved rounds after a warm-up. The
// commands run without NODE_EXTRA_CA_CERTS, as a user's shell has them (cli-runs.ts's userEnv).
// Run: npx tsx bench/file-list.ts [REPS]   (REPS default 5)
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { rng } from '../test/helpers/gen-linux-program.js';
import { digest, installedCli, median, pcapHeader, recordHeader, timeCommand } from './cli-runs.js';

const root = new URL('..', import.meta.url).pathname;
const reps = Number(process.argv[2] ?? 5);
const COUNT = Number(process.env.BENCH_FILES ?? 8);
const FRAMES = Number(process.env.BENCH_FRAMES ?? 125_000);
const cores = availableParallelism();

/** A seeded capture of Ethernet frames (ARP, IPv4/IPv6 TCP/UDP on common ports), 60–1514 bytes. */
function generate(path: string, seed: number): void {
  const r = rng(seed);
  const out = new Uint8Array(1 << 22);
  const dv = new DataView(out.buffer);
  const fd = openSync(`${path}.tmp`, 'w');
  pcapHeader(dv);
  let at = 24;
  const ports = [80, 443, 22, 53, 8080, 5000];
  for (let i = 0; i < FRAMES; i++) {
    if (at + 16 + 1514 > out.length) {
      writeSync(fd, out, 0, at);
      at = 0;
    }
    const size = r() < 0.1 ? 60 : 60 + Math.floor(r() * r() * 1455);
    const f = out.subarray(at + 16, at + 16 + size);
    f.fill(0);
    for (let j = 0; j < 12; j++) f[j] = Math.floor(r() * 256);
    const host = () => 1 + Math.floor(r() * 20);
    const port = () => ports[Math.floor(r() * ports.length)] as number;
    if (r() < 0.1) {
      f.set([0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1], 12);
      f.set([10, 0, 0, host()], 28);
      f.set([10, 0, 0, host()], 38);
    } else {
      const proto = r() < 0.7 ? 6 : 17;
      const len = size - 14;
      f.set([0x08, 0x00, 0x45, 0, len >> 8, len & 255, 0, 0, 0x40, 0, 64, proto], 12);
      f.set([10, 0, 0, host(), 10, 0, 0, host()], 26);
      // A client port of this file's own: conversations do not run on from one file to the next.
      const sp = 20000 + (seed % 40) * 1000 + Math.floor(r() * 1000);
      const dp = port();
      f.set([sp >> 8, sp & 255, dp >> 8, dp & 255], 34);
      if (proto === 6) f.set([0, 0, 0, i & 255, 0, 0, 0, 0, 0x50, 0x10], 38);
      else f.set([(size - 34) >> 8, (size - 34) & 255], 38);
    }
    recordHeader(dv, at, 1_700_000_000_000_000 + seed * 1e9 + i * 100, size);
    at += 16 + size;
  }
  writeSync(fd, out, 0, at);
  closeSync(fd);
  spawnSync('mv', [`${path}.tmp`, path]);
}

mkdirSync(`${root}bench/data`, { recursive: true });
const files = Array.from({ length: COUNT }, (_, i) => {
  const path = `${root}bench/data/list-${FRAMES}-${i}.pcap`;
  if (!existsSync(path)) generate(path, 100 + i);
  return path;
});
const list = '/tmp/cbpf-file-list-bench.txt';
writeFileSync(list, `${files.join('\n')}\n`);

const installed = installedCli('/tmp/cbpf-file-list-bench-installed');

const out = '/tmp/cbpf-file-list-bench.out';
/** Wall and CPU seconds of one run, stdout to `out`. */
function time(argv: string[]): { wall: number; cpu: number } {
  const fd = openSync(out, 'w');
  try {
    return timeCommand(argv, { stdout: fd });
  } finally {
    closeSync(fd);
  }
}

const jobs = [...new Set([1, 2, cores])];
console.log(
  `-V over ${COUNT} files of ${FRAMES} frames (${files.map((f) => readFileSync(f).length).reduce((a, b) => a + b, 0) / 1e6} MB); ${cores} cores; ${reps} rounds; Node ${process.version}`,
);
console.log(
  '| work | form | wall s | speed-up vs --jobs 1 | vs tcpdump (wall) | CPU s, all threads |',
);
console.log('|---|---|--:|--:|--:|--:|');
for (const [work, args, check] of [
  ['print every packet', ['-n'], 'stdout'],
  ["write 'tcp port 80'", ['-w', '/tmp/cbpf-file-list-bench.pcap', 'tcp port 80'], 'file'],
] as const) {
  const forms = [
    ...jobs.map((j) => ({
      name: `cbpf --jobs ${j}`,
      argv: [process.execPath, installed, '-V', list, '--jobs', String(j), ...args],
    })),
    { name: 'tcpdump', argv: ['tcpdump', '-V', list, ...args] },
  ];
  const runs = new Map(forms.map((f) => [f.name, [] as { wall: number; cpu: number }[]]));
  const digests = new Map<string, string>();
  for (let rep = -1; rep < reps; rep++)
    for (let k = 0; k < forms.length; k++) {
      const f = forms[(k + Math.max(rep, 0)) % forms.length] as (typeof forms)[number];
      const t = time(f.argv);
      if (rep < 0)
        digests.set(f.name, digest(check === 'file' ? '/tmp/cbpf-file-list-bench.pcap' : out));
      else runs.get(f.name)?.push(t);
    }
  for (const [name, d] of digests)
    if (name !== 'tcpdump' && d !== digests.get('cbpf --jobs 1'))
      throw new Error(`${name} printed or wrote something else than --jobs 1`);
  if (check === 'file' && digests.get('tcpdump') !== digests.get('cbpf --jobs 1'))
    throw new Error("cbpf's -w output differs from tcpdump's");
  const one = runs.get('cbpf --jobs 1') ?? [];
  const td = runs.get('tcpdump') ?? [];
  for (const f of forms) {
    const rs = runs.get(f.name) ?? [];
    const up = median(rs.map((r, i) => (one[i]?.wall ?? 0) / r.wall));
    const vs = median(rs.map((r, i) => (td[i]?.wall ?? 0) / r.wall));
    console.log(
      `| ${work} | ${f.name} | ${median(rs.map((r) => r.wall)).toFixed(3)} | ${f.name === 'tcpdump' ? '' : `${up.toFixed(2)}×`} | ${vs.toFixed(2)}× | ${median(rs.map((r) => r.cpu)).toFixed(3)} |`,
    );
  }
}
console.log('Ratios are medians of per-round ratios; >1 is faster.');
