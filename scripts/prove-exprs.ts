// The proofs over the whole differential expression set, with figures for the README: translation
// validation of every compilation (optimizer and emitter steps), cbpf's program against tcpdump's -ddd
// program, and decompile -> compile -> equiv round trips.
// Usage: tsx scripts/prove-exprs.ts [--part verify,tcpdump,decompile] [--timeout MS] [--every N]
//          [--shard I/N] [--skip K] [file ...]
//   --shard I/N: every N-th compiled expression from the I-th (to run N processes side by side);
//   --skip K: leave out the first K compiled expressions (to continue an interrupted run).
//   --log FILE: append one JSON line per expression (its statuses), so a stopped run still counts;
//   file: `<DLT>\t<expr>` lines (default: test/differential/exprs/valid.tsv and broad.tsv).
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decompile } from '../src/analysis/decompile/index.js';
import { equivalent } from '../src/analysis/equiv.js';
import { AnalysisError } from '../src/analysis/errors.js';
import { verifyCompile } from '../src/analysis/verify.js';
import { CompileError, compile } from '../src/compiler/index.js';
import { askTcpdump, exprRows, oracleKey } from '../test/differential/tcpdump-oracle.js';

const args = process.argv.slice(2);
let parts = ['verify', 'tcpdump', 'decompile'];
let timeoutMs = 30_000;
let every = 1;
let shard = [0, 1];
let skip = 0;
let log: string | undefined;
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--part') parts = args[++i].split(',');
  else if (args[i] === '--timeout') timeoutMs = Number(args[++i]);
  else if (args[i] === '--every') every = Number(args[++i]);
  else if (args[i] === '--shard') shard = args[++i].split('/').map(Number);
  else if (args[i] === '--skip') skip = Number(args[++i]);
  else if (args[i] === '--log') log = args[++i];
  else files.push(args[i]);
}
const rows = (files.length ? files.map((f) => resolve(f)) : ['valid.tsv', 'broad.tsv'])
  .flatMap((f) => exprRows(f))
  .filter((_, i) => i % every === 0);

type Tally = Record<string, number>;
const tallies: Record<string, Tally> = {};
let row: Record<string, string> = {};
const bump = (part: string, k: string) => {
  row[part] = k;
  tallies[part] ??= {};
  tallies[part][k] = (tallies[part][k] ?? 0) + 1;
};
const times: Record<string, number[]> = {};
const timed = async <T>(part: string, f: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    times[part] ??= [];
    times[part].push(performance.now() - t0);
  }
};
const outcome = (err: unknown): string => {
  if (err instanceof AnalysisError) return err.code === 'SOLVER_TIMEOUT' ? 'timeout' : err.code;
  throw err;
};

const notes: string[] = [];
// Notes also go to stderr as they come, so a long run shows its findings early.
const note = (s: string) => {
  notes.push(s);
  console.error(s);
};
const answers = parts.includes('tcpdump') ? await askTcpdump(rows) : undefined;
let compiled = 0;
for (const { dlt, expr } of rows) {
  let program: ReturnType<typeof compile>;
  try {
    program = compile(expr, { linktype: dlt });
  } catch (err) {
    if (err instanceof CompileError) continue;
    throw err;
  }
  compiled++;
  if (compiled <= skip || compiled % shard[1] !== shard[0]) continue;
  if (compiled % 50 === 0) console.error(`... ${compiled} expressions, ${JSON.stringify(tallies)}`);
  const tag = `${dlt} '${expr}'`;
  row = {};
  if (parts.includes('verify')) {
    const r = await timed('verify', () => verifyCompile(expr, { linktype: dlt, timeoutMs }));
    for (const [step, o] of [
      ['optimizer', r.optimizer],
      ['emit', r.emit],
    ] as const) {
      bump(`verify ${step}`, o.status);
      if (o.status !== 'proven') note(`verify ${step} ${o.status}: ${tag}`);
    }
  }
  if (answers) {
    const ref = answers.get(oracleKey({ dlt, expr }))!;
    if (!('error' in ref)) {
      let status: string;
      try {
        const r = await timed('tcpdump', () =>
          equivalent(program, ref.program, { profile: 'libpcap', timeoutMs }),
        );
        status = r.equal ? 'proven' : 'different';
        if (!r.equal) {
          // cbpf keeps a load libpcap's optimizer drops only as libpcap's unoptimized program has it:
          // against tcpdump -O the claim may still hold.
          const unopt = await askTcpdump([{ dlt, expr, unoptimized: true }]);
          const o = unopt.get(oracleKey({ dlt, expr, unoptimized: true }))!;
          let vsO = 'tcpdump -O: not compiled';
          if (!('error' in o)) {
            try {
              const ro = await equivalent(program, o.program, { profile: 'libpcap', timeoutMs });
              vsO = ro.equal ? 'equal to tcpdump -O' : 'different from tcpdump -O too';
            } catch (err) {
              vsO = `tcpdump -O: ${outcome(err)}`;
            }
          }
          if (vsO === 'equal to tcpdump -O') status = 'different, equal to -O';
          note(
            `tcpdump different: ${tag}: ${r.caplen}-byte packet, cbpf ${r.results[0]}, tcpdump ${r.results[1]}${r.stopped[0] || r.stopped[1] ? ` (stopped ${r.stopped})` : ''}; ${vsO}`,
          );
        }
      } catch (err) {
        status = outcome(err);
        note(`tcpdump ${status}: ${tag}`);
      }
      bump('tcpdump', status);
    }
  }
  if (parts.includes('decompile')) {
    let status: string;
    try {
      const d = await timed('decompile', () =>
        decompile(program, { linktype: dlt, profile: 'libpcap', timeoutMs }),
      );
      status = d.expression !== undefined ? `expression (${d.proof})` : 'structured';
      if (d.expression === undefined) note(`decompile structured: ${tag}: ${d.why}`);
    } catch (err) {
      status = outcome(err);
      note(`decompile ${status}: ${tag}`);
    }
    bump('decompile', status);
  }
  if (log) appendFileSync(log, `${JSON.stringify({ dlt, expr, ...row })}\n`);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
console.log(`${rows.length} rows, ${compiled} compile (solver limit ${timeoutMs} ms per query)`);
for (const [name, t] of Object.entries(tallies)) console.log(`${name}: ${JSON.stringify(t)}`);
for (const [part, xs] of Object.entries(times))
  console.log(
    `${part} time per expression: median ${pct(xs, 50).toFixed(0)} ms, p90 ${pct(xs, 90).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms, total ${(xs.reduce((a, b) => a + b, 0) / 1000).toFixed(0)} s`,
  );
for (const n of notes) console.log(n);
