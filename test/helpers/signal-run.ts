// Runs the cbpf command as a process and signals it: how long it takes to exit after the signal,
// how it exits, what it printed. For the signal tests (test/cli/signals.test.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = `${ROOT}bin/cbpf.cjs`;

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the kill() to the 'exit' event, in ms. */
  ms: number;
  stdout: Buffer;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  /** Sends `sig` and resolves when the process has exited. */
  stop(sig: NodeJS.Signals): Promise<Exited>;
  /** Resolves when the process exits on its own (rejects never). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): Buffer;
  stderr(): string;
}

/** `cbpf ...args` with stdin a pipe the caller may write, or `ignore`. */
export function startCbpf(
  args: string[],
  options: { stdin?: 'pipe' | 'ignore'; cmd?: string[] } = {},
): Running {
  const [cmd, ...pre] = options.cmd ?? [process.execPath];
  const child = spawn(cmd as string, [...pre, BIN, ...args], {
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  let err = '';
  child.stdout?.on('data', (c: Buffer) => out.push(c));
  child.stderr?.on('data', (c: Buffer) => {
    err += c;
  });
  child.stdin?.on('error', () => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  // Streams are read to the end before the result is given.
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    child,
    exited,
    stdout: () => Buffer.concat(out),
    stderr: () => err,
    async stop(sig) {
      const t0 = performance.now();
      let t1 = 0;
      void exited.then(() => {
        t1 = performance.now();
      });
      child.kill(sig);
      const { code, signal } = await exited;
      await closed;
      return { code, signal, ms: t1 - t0, stdout: Buffer.concat(out), stderr: err };
    },
  };
}

/** CPU seconds (user + system) process `pid` has used, from /proc/PID/stat; undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return undefined;
  }
}

/** Polls `cond` every 10 ms until it holds, `gone()` says to stop waiting, or `ms` pass. */
export async function until(
  cond: () => boolean,
  ms: number,
  gone: () => boolean = () => false,
): Promise<boolean> {
  const t0 = Date.now();
  while (!cond()) {
    if (gone() || Date.now() - t0 > ms) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** The temporary files cbpf's AtomicFile leaves in `dir` (none once it has finished or stopped). */
export function tempFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => /\.cbpf-\d+-[0-9a-f]+\.tmp$/.test(n));
}
