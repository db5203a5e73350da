// Offline filtering, cbpf vs tcpdump on the same file in the same run: `-r FILE -w OUT 'tcp port 80'`.
// Uses the corpus `npm run bench` writes (bench/data/corpus-1000000.pcap, ~400 MB); run that first.
// Run: npx tsx bench/offline.ts [FILE] [EXPR] [REPS]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { parseCapture } from '../src/pcap/index.js';

const file = process.argv[2] ?? new URL('data/corpus-1000000.pcap', import.meta.url).pathname;
const expr = process.argv[3] ?? 'tcp port 80';
const reps = Number(process.argv[4] ?? 3);
if (!existsSync(file)) {
  console.error(`${file} is missing: run npm run bench first (it writes the corpus)`);
  process.exit(1);
}
const out = '/tmp/cbpf-offline-bench.pcap';
const cbpf = new URL('../bin/cbpf.js', import.meta.url).pathname;

function time(cmd: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const packets = (path: string) => {
  const r = spawnSync('tcpdump', ['-r', path, '-n', '-q'], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  return r.stdout.split('\n').filter(Boolean).length;
};
const total = packets(file);
const runs: { tool: string; s: number }[] = [];
let matches = -1;
for (let i = 0; i < reps; i++) {
  for (const [tool, cmd, args] of [
    ['cbpf', process.execPath, [cbpf, '-r', file, '-w', out, expr]],
    ['tcpdump', 'tcpdump', ['-r', file, '-w', out, expr]],
  ] as const) {
    const s = time(cmd, [...args]);
    const n = parseCapture(new Uint8Array(readFileSync(out))).records.length;
    if (matches >= 0 && n !== matches) throw new Error(`${tool} wrote ${n} packets, expected ${matches}`);
    matches = n;
    runs.push({ tool, s });
  }
}
rmSync(out, { force: true });
const median = (tool: string) => runs.filter((r) => r.tool === tool).map((r) => r.s).sort((a, b) => a - b)[Math.floor(reps / 2)];
const c = median('cbpf');
const t = median('tcpdump');
console.log(`${(statSync(file).size / 2 ** 20).toFixed(0)} MiB, ${total} packets, '${expr}' keeps ${matches}`);
console.log(`cbpf    ${c.toFixed(2)} s  ${(total / c / 1e6).toFixed(2)} M packets/s`);
console.log(`tcpdump ${t.toFixed(2)} s  ${(total / t / 1e6).toFixed(2)} M packets/s`);
console.log(`cbpf / tcpdump throughput: ${(t / c).toFixed(2)}x (median of ${reps})`);
