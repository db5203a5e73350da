// What the CLI benchmarks (offline.ts, file-list.ts) share: seeded pcap files' headers, the package as
// npm installs it, a timed run of a command (wall time, and CPU time over all its threads), medians and
// output digests.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;

/**
 * The timed commands' environment: the bench's own without NODE_EXTRA_CA_CERTS. Where it is set (this
 * project's sandboxes set it to the system's CA bundle), Node reads and parses that bundle at every
 * start, before any of cbpf's code runs: 40 ms of CPU here, more than Node's whole start without it
 * (0.03 s). A user's shell rarely has it.
 */
export const userEnv: NodeJS.ProcessEnv = { ...process.env };
delete userEnv.NODE_EXTRA_CA_CERTS;

/** A little-endian µs pcap file header (snaplen 65535, Ethernet) at the start of `dv`. */
export function pcapHeader(dv: DataView): void {
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 65535, true);
  dv.setUint32(20, 1, true);
}

/** A record header at `at`: time `us` microseconds, `size` bytes captured and on the wire. */
export function recordHeader(dv: DataView, at: number, us: number, size: number): void {
  dv.setUint32(at, Math.floor(us / 1e6), true);
  dv.setUint32(at + 4, us % 1e6, true);
  dv.setUint32(at + 8, size, true);
  dv.setUint32(at + 12, size, true);
}

/**
 * Builds dist/ and lays the package out at `dir` as npm installs it: bin/, dist/ (with the CLI bundle
 * and its code cache), data/, no src/. Returns the installed bin.
 */
export function installedCli(dir: string): string {
  const build = spawnSync('npm', ['run', 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('npm run build failed');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(`${dir}/bin`, { recursive: true });
  copyFileSync(`${root}bin/cbpf.cjs`, `${dir}/bin/cbpf.cjs`);
  copyFileSync(`${root}package.json`, `${dir}/package.json`);
  for (const d of ['dist', 'data', 'node_modules']) symlinkSync(`${root}${d}`, `${dir}/${d}`);
  return `${dir}/bin/cbpf.cjs`;
}

const hasPerf = spawnSync('perf', ['--version']).status === 0;
const timesFile = `/tmp/cbpf-bench-${process.pid}.time`;

/**
 * Wall seconds, and CPU seconds over all threads of the command (perf stat's task-clock; /usr/bin/time's
 * user+sys without perf). Its stdout goes to descriptor `stdout` (default: nowhere).
 */
export function timeCommand(
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; stdout?: number } = {},
): { wall: number; cpu: number } {
  const timed = hasPerf
    ? ['perf', 'stat', '-x', ',', '-e', 'task-clock', '-o', timesFile, ...argv]
    : ['/usr/bin/time', '-f', '%U %S', '-o', timesFile, ...argv];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(timed[0] as string, timed.slice(1), {
    stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'],
    encoding: 'utf8',
    env: options.env ?? userEnv,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  const text = readFileSync(timesFile, 'utf8');
  const cpu = hasPerf
    ? Number(
        text
          .split('\n')
          .find((l) => l.includes('task-clock'))
          ?.split(',')[0],
      ) / 1000
    : text
        .trim()
        .split(/\s+/)
        .slice(-2)
        .reduce((a, b) => a + Number(b), 0);
  return { wall, cpu };
}

export const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export const digest = (path: string) => createHash('sha1').update(readFileSync(path)).digest('hex');
