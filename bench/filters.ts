// Benchmark (not a test): cbpf JIT and interpreter vs libpcap's bpf_filter on ~1,000,000 seeded
// Ethernet frames held in memory; only the filtering loop is timed, median of several repetitions.
// Also the Go x/net/bpf VM (bench/go, GOPATH mode). Run: npm run bench [-- FRAMES REPS]. Writes bench/data/corpus.pcap and bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { jit } from '../src/core/jit/index.js';
import { run } from '../src/core/vm.js';
import type { Program } from '../src/core/encode.js';
import { PcapWriter } from '../src/pcap/index.js';
import { rng } from '../test/helpers/gen-linux-program.js';

const FRAMES = Number(process.argv[2] ?? 1_000_000);
const REPS = Number(process.argv[3] ?? 5);
const here = new URL('.', import.meta.url).pathname;
const dataDir = `${here}data`;
const pcapPath = `${dataDir}/corpus-${FRAMES}.pcap`;

const EXPRS = [
  'arp',
  'arp[6:2] = 2',
  'udp port 67 or udp port 68',
  'tcp port 80 or tcp port 443',
  'tcp port 80',
  'udp port 53 or udp port 67 or udp port 68',
  'host 10.0.0.1 and (tcp port 22 or tcp port 443)',
  'ip6 and not icmp6',
  `host ${Array.from({ length: 12 }, (_, i) => `10.0.0.${i + 1}`).join(' or host ')}`,
];

/** One seeded frame: ARP request/reply, IPv4/IPv6 TCP/UDP to common ports, some VLAN-tagged; 60–1514 bytes. */
function frame(r: () => number): Uint8Array {
  const kind = r();
  const ports = [80, 443, 22, 53, 67, 68, 123, 8080, 5000 + Math.floor(r() * 1000)];
  const size = kind < 0.1 ? 60 : 60 + Math.floor(r() * r() * 1455);
  const f = new Uint8Array(size);
  for (let i = 0; i < 12; i++) f[i] = Math.floor(r() * 256);
  let o = 12;
  if (r() < 0.05) {
    f.set([0x81, 0x00, 0, 10], 12);
    o = 16;
  }
  const ipByte = () => (r() < 0.3 ? 1 + Math.floor(r() * 14) : Math.floor(r() * 256));
  if (kind < 0.1) {
    f.set([0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, r() < 0.5 ? 1 : 2], o);
    f.set([10, 0, 0, ipByte()], o + 16);
    f.set([10, 0, 0, ipByte()], o + 26);
  } else if (kind < 0.75) {
    const proto = r() < 0.6 ? 6 : r() < 0.9 ? 17 : 1;
    f.set([0x08, 0x00, 0x45, 0, (size - o - 2) >> 8, (size - o - 2) & 255, 0, 0, 0x40, 0, 64, proto], o);
    f.set([10, 0, 0, ipByte(), 10, 0, 0, ipByte()], o + 14);
    const sp = ports[Math.floor(r() * ports.length)];
    const dp = ports[Math.floor(r() * ports.length)];
    f.set([sp >> 8, sp & 255, dp >> 8, dp & 255], o + 22);
  } else {
    const nh = r() < 0.5 ? 6 : r() < 0.8 ? 17 : 58;
    f.set([0x86, 0xdd, 0x60, 0, 0, 0, 0, 0, nh, 64, 0x20, 0x01, 0x0d, 0xb8], o);
    if (size >= o + 2 + 40 + 4) {
      const sp = ports[Math.floor(r() * ports.length)];
      const dp = ports[Math.floor(r() * ports.length)];
      f.set([sp >> 8, sp & 255, dp >> 8, dp & 255], o + 42);
    }
  }
  return f;
}

function writeCorpus(): void {
  if (existsSync(pcapPath)) return;
  mkdirSync(dataDir, { recursive: true });
  const r = rng(2026);
  const w = new PcapWriter({ snaplen: 65535 });
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const d = frame(r);
    chunks.push(w.write({ data: d, timestampNs: BigInt(i) * 1000n }));
  }
  writeFileSync(pcapPath, Buffer.concat(chunks));
}

/** Every frame in one buffer plus offset/length arrays (what a pcap reader hands over). */
function loadCorpus() {
  const file = new Uint8Array(readFileSync(pcapPath));
  const dv = new DataView(file.buffer, file.byteOffset);
  const offs = new Int32Array(FRAMES);
  const lens = new Int32Array(FRAMES);
  const wls = new Int32Array(FRAMES);
  let o = 24;
  let n = 0;
  while (o + 16 <= file.length && n < FRAMES) {
    lens[n] = dv.getUint32(o + 8, true);
    wls[n] = dv.getUint32(o + 12, true);
    offs[n] = o + 16;
    o += 16 + lens[n];
    n++;
  }
  return { file, offs, lens, wls, n };
}

function tcpdumpProgram(expr: string): Program {
  const out = execFileSync('tcpdump', ['-ddd', '-y', 'EN10MB', expr], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const nums = out.trim().split(/\s+/).map(Number);
  return Array.from({ length: nums[0] }, (_, i) => ({ code: nums[1 + 4 * i], jt: nums[2 + 4 * i], jf: nums[3 + 4 * i], k: nums[4 + 4 * i] }));
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1];
}

function time(fn: () => number): { count: number; ns: number } {
  const ts: number[] = [];
  let count = 0;
  for (let i = 0; i < REPS; i++) {
    const t0 = process.hrtime.bigint();
    count = fn();
    ts.push(Number(process.hrtime.bigint() - t0) / FRAMES);
  }
  return { count, ns: median(ts) };
}

writeCorpus();
const c = loadCorpus();
const bin = `${dataDir}/libpcap-runner`;
execFileSync('gcc', ['-O2', '-o', bin, `${here}c/libpcap-runner.c`, '-lpcap'], { stdio: ['ignore', 'ignore', 'ignore'] });
const lp = execFileSync(bin, [pcapPath, String(REPS), ...EXPRS], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split('\t').map(Number));

const goBin = `${dataDir}/go-runner`;
execFileSync('go', ['build', '-o', goBin, 'runner.go'], {
  cwd: `${here}go`,
  env: { ...process.env, GOPATH: '/usr/share/gocode', GO111MODULE: 'off' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const progText = (prog: Program) => [prog.length, ...prog.flatMap((x) => [x.code, x.jt, x.jf, x.k])].join(' ');
const go = execFileSync(goBin, [pcapPath, String(REPS), ...EXPRS.map((e) => progText(tcpdumpProgram(e)))], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .map((l) => l.split('\t').map(Number));
const goRatios: number[] = [];

const rows: string[] = [];
const ratios: number[] = [];
let ok = true;
rows.push('| filter | cbpf JIT | cbpf interp | libpcap | Go x/net/bpf | JIT/libpcap | JIT/Go | accepted |');
rows.push('|---|---:|---:|---:|---:|---:|---:|---:|');
EXPRS.forEach((expr, i) => {
  const prog = tcpdumpProgram(expr);
  const f = jit(prog, { profile: 'libpcap' });
  const j = time(() => f.count(c.file, c.offs, c.lens, c.wls, c.n));
  const it = time(() => {
    let k = 0;
    for (let q = 0; q < c.n; q++)
      if (run(prog, c.file.subarray(c.offs[q], c.offs[q] + c.lens[q]), { profile: 'libpcap', wirelen: c.wls[q] }) !== 0) k++;
    return k;
  });
  const [lpCount, lpNs] = lp[i];
  const [goCount, goNs] = go[i];
  goRatios.push(j.ns / goNs);
  if (j.count !== it.count || j.count !== lpCount || j.count !== goCount) {
    ok = false;
    console.error(`MISMATCH ${expr}: jit ${j.count} interp ${it.count} libpcap ${lpCount} go ${goCount}`);
  }
  ratios.push(j.ns / lpNs);
  rows.push(`| \`${expr.length > 40 ? `${expr.slice(0, 37)}...` : expr}\` | ${j.ns.toFixed(1)} | ${it.ns.toFixed(1)} | ${lpNs.toFixed(1)} | ${goNs.toFixed(1)} | ${(j.ns / lpNs).toFixed(2)} | ${(j.ns / goNs).toFixed(2)} | ${j.count} |`);
});
const gm = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const geo = gm(ratios);
rows.push(`\nns/packet, median of ${REPS}, ${c.n} frames; geometric mean JIT/libpcap ${geo.toFixed(2)}, JIT/Go ${gm(goRatios).toFixed(2)}; accepted counts ${ok ? 'equal across runners' : 'DIFFER'}.`);
const table = rows.join('\n');
console.log(table);
writeFileSync(`${here}RESULTS.md`, `# Filter benchmark\n\n${table}\n`);
process.exitCode = ok ? 0 : 1;
