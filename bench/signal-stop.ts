// Benchmark (not a test): how long cbpf and tcpdump take to exit after SIGINT, SIGTERM or SIGHUP
// while reading a capture from an endless stdin (afs.pcap, then zeros: records of length 0) and
// writing it with -w, in the same run, alternating. The latency is from kill() to the exit as seen
// by this process; a control (a Node process that only exits on the signal) is stopped beside each
// run to show what the machine adds to any stop. Prints medians and the cbpf/tcpdump ratio.
// Run: npx tsx bench/signal-stop.ts [ROUNDS]   (the cbpf command as bin/cbpf.cjs runs it)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../', import.meta.url).pathname;
const AFS = readFileSync(`${ROOT}test/corpus/tcpdump/afs.pcap`);
const ROUNDS = Number(process.argv[2] ?? 5);

/** Starts `cmd`, feeds it the endless capture, signals it after `ms`, returns the stop's latency. */
async function stop(cmd: string, args: string[], sig: NodeJS.Signals, ms = 2500): Promise<number> {
  const p = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'ignore'] });
  p.stdin.on('error', () => {});
  p.stdin.write(AFS);
  const zeros = Buffer.alloc(1 << 16);
  let open = true;
  const pump = () => {
    while (open && p.stdin.write(zeros));
  };
  p.stdin.on('drain', pump);
  pump();
  await new Promise((r) => setTimeout(r, ms));
  const exited = new Promise((r) => p.once('exit', r));
  const t0 = performance.now();
  p.kill(sig);
  await exited;
  open = false;
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const dir = mkdtempSync(join(tmpdir(), 'cbpf-bench-stop-'));
try {
  console.log(`signal stop latency, ${ROUNDS} rounds, load ${loadavg()[0]?.toFixed(1)}`);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const t = { cbpf: [] as number[], tcpdump: [] as number[], control: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      t.cbpf.push(
        await stop(
          process.execPath,
          [`${ROOT}bin/cbpf.cjs`, '-r', '-', '-w', join(dir, 'c.pcap')],
          sig,
        ),
      );
      t.tcpdump.push(await stop('tcpdump', ['-r', '-', '-w', join(dir, 't.pcap')], sig));
      t.control.push(
        await stop(
          process.execPath,
          ['-e', `process.on('${sig}', () => process.exit(0)); setInterval(() => {}, 1000);`],
          sig,
          300,
        ),
      );
    }
    const [c, d, k] = [median(t.cbpf), median(t.tcpdump), median(t.control)];
    console.log(
      `${sig}: cbpf ${c.toFixed(1)} ms, tcpdump ${d.toFixed(1)} ms (cbpf/tcpdump ${(c / d).toFixed(1)}), control ${k.toFixed(1)} ms; cbpf runs ${t.cbpf.map((x) => x.toFixed(0)).join(' ')}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
