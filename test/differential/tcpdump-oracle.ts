// tcpdump as the compiler's oracle: `tcpdump -ddd -y DLT expr` for many expressions at once, run
// concurrently and cached on disk (gitignored .cache/, keyed by the tcpdump/libpcap version) so a rerun
// spawns nothing.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { RawInsn } from '../../src/core/insn.js';

/** One oracle question: the program (or the error) tcpdump gives for `expr` on `dlt`. */
export interface OracleQuery {
  readonly dlt: string;
  readonly expr: string;
  /** tcpdump -O: libpcap's unoptimized program. */
  readonly unoptimized?: boolean;
}

export type OracleAnswer = { readonly program: RawInsn[] } | { readonly error: string };

const CACHE_DIR = new URL('../../.cache/tcpdump/', import.meta.url).pathname;

/** The installed tcpdump and libpcap versions; fails naming the install command if tcpdump is missing. */
export function tcpdumpVersion(): string {
  const r = spawnSync('tcpdump', ['--version'], { encoding: 'utf8' });
  if (r.error)
    throw new Error(
      'tcpdump is missing: apt-get install -y tcpdump (npm test installs it as root)',
    );
  return r.stdout.split('\n').slice(0, 2).join(' ').trim();
}

const keyOf = (q: OracleQuery) => `${q.unoptimized ? 'O' : 'o'}\t${q.dlt}\t${q.expr}`;

function parseDdd(text: string): RawInsn[] {
  const [count, ...lines] = text.trim().split('\n');
  const program = lines.map((l) => {
    const [code, jt, jf, k] = l.trim().split(/\s+/).map(Number);
    return { code, jt, jf, k: k >>> 0 };
  });
  if (program.length !== Number(count))
    throw new Error(`tcpdump printed a count of ${count} but ${program.length} instructions`);
  return program;
}

function ask(q: OracleQuery): Promise<string> {
  const args = [...(q.unoptimized ? ['-O'] : []), '-ddd', '-y', q.dlt, '--', q.expr];
  return new Promise((resolve, reject) => {
    // An unoptimized program of a few thousand terms prints over a megabyte (execFile's default cap).
    execFile('tcpdump', args, { encoding: 'utf8', maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
        reject(new Error('tcpdump is missing: apt-get install -y tcpdump'));
      // A refusal says why on stderr; anything else (a signal, no output) is not an answer to cache.
      else if (err && stderr.trim() === '')
        reject(new Error(`tcpdump ${args.join(' ')}: ${err.message}`));
      else if (err) resolve(`error: ${stderr.trim()}`);
      else resolve(stdout);
    });
  });
}

/**
 * Answers every query, from the cache where possible, else by running tcpdump (`parallel` at a time).
 * The returned map is keyed by the query's `unoptimized`, `dlt` and `expr` (see `oracleKey`).
 */
export async function askTcpdump(
  queries: readonly OracleQuery[],
  parallel = 6,
): Promise<Map<string, OracleAnswer>> {
  const version = tcpdumpVersion();
  const file = `${CACHE_DIR}${createHash('sha256').update(version).digest('hex').slice(0, 16)}.json`;
  let cache: Record<string, string> = {};
  try {
    cache = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // No cache yet (or a damaged one): start afresh.
  }
  const missing = [...new Map(queries.map((q) => [keyOf(q), q])).values()].filter(
    (q) => !(keyOf(q) in cache),
  );
  let next = 0;
  const worker = async () => {
    while (next < missing.length) {
      const q = missing[next++];
      cache[keyOf(q)] = await ask(q);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, missing.length) }, worker));
  if (missing.length) {
    mkdirSync(CACHE_DIR, { recursive: true });
    // Other versions' caches are stale once tcpdump changes; keep only this one.
    for (const f of readdirSync(CACHE_DIR))
      if (`${CACHE_DIR}${f}` !== file && f.endsWith('.json'))
        writeFileSync(`${CACHE_DIR}${f}`, '{}');
    writeFileSync(file, JSON.stringify(cache));
  }
  const out = new Map<string, OracleAnswer>();
  for (const q of queries) {
    const text = cache[keyOf(q)];
    out.set(
      keyOf(q),
      text.startsWith('error: ') ? { error: text.slice(7) } : { program: parseDdd(text) },
    );
  }
  return out;
}

/** The key `askTcpdump` files a query's answer under. */
export const oracleKey = keyOf;

/** `<DLT>\t<expr>` rows of a file in test/differential/exprs/, or at an absolute path (blank lines and `#` comments skipped). */
export function exprRows(name: string): { dlt: string; expr: string; line: number }[] {
  const text = readFileSync(
    name.startsWith('/') ? name : new URL(`exprs/${name}`, import.meta.url),
    'utf8',
  );
  return text
    .split('\n')
    .map((l, i) => ({ l, line: i + 1 }))
    .filter(({ l }) => l.includes('\t') && !l.startsWith('#'))
    .map(({ l, line }) => {
      const tab = l.indexOf('\t');
      return { dlt: l.slice(0, tab), expr: l.slice(tab + 1), line };
    });
}
