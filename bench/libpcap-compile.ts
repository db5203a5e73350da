// libpcap's pcap_compile served by bench/c/compile-runner.c (built here with gcc -O2 -lpcap), for the
// benchmarks that ask it: bench/compile.ts times it, bench/fold-parity.ts asks what it compiles.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Row } from './compile-sets.js';

const here = new URL('.', import.meta.url).pathname;
/** Where the runner and the benchmarks' generated files go (not in git). */
export const OUT = `${here}out`;

/** Builds the runner (needs gcc and libpcap-dev, which `npm test` installs as root). */
export function buildRunner(): void {
  mkdirSync(OUT, { recursive: true });
  execFileSync(
    'gcc',
    ['-O2', '-o', `${OUT}/compile-runner`, `${here}c/compile-runner.c`, '-lpcap'],
    {
      stdio: 'inherit',
    },
  );
}

/** The runner over a file of rows: `pass` answers one line of ns per row, `one I N` a total. */
export async function libpcapRunner(rows: readonly Row[], name: string) {
  const file = `${OUT}/compile-${name}.tsv`;
  writeFileSync(file, rows.map((r) => `${r.dlt}\t${r.expr}\n`).join(''));
  const child = spawn(`${OUT}/compile-runner`, [file], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => (await lines.next()).value as string;
  const ready = await next();
  if (!ready.startsWith('ready')) throw new Error(`compile-runner: ${ready}`);
  const ask = async (req: string) => {
    child.stdin.write(`${req}\n`);
    return next();
  };
  return {
    pass: async () => (await ask('pass')).split('\t').map(Number),
    /** CPU ns of one pass over every row, refusals included, timed as a whole. */
    total: async () => Number(await ask('total')),
    one: async (i: number, n = 1) => Number(await ask(`one ${i} ${n}`)),
    /** Compiles row i once: its instruction count (or libpcap's error) and the CPU ns it took. */
    count: async (i: number) => {
      const [what, ns] = (await ask(`count ${i}`)).split('\t');
      return { what: what as string, ns: Number(ns) };
    },
    close: () => child.stdin.end(),
    kill: () => child.kill(),
  };
}
