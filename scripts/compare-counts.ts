// Instruction counts of cbpf's compiler against tcpdump's default (libpcap-optimized) output: the share at or
// below libpcap, a ratio histogram, the median and the worst cases.
// Usage: tsx scripts/compare-counts.ts [--worst N] [file ...]
//   file: `<DLT>\t<expr>` lines (default: test/differential/exprs/valid.tsv and broad.tsv); tcpdump answers are
//   cached in .cache/tcpdump/.
import { resolve } from 'node:path';
import { CompileError, compile } from '../src/compiler/index.js';
import { type CountRow, countDistribution } from '../test/differential/count-distribution.js';
import { askTcpdump, exprRows, oracleKey } from '../test/differential/tcpdump-oracle.js';

const args = process.argv.slice(2);
let worst = 10;
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--worst') worst = Number(args[++i]);
  else files.push(args[i] as string);
}
const rows = (files.length ? files.map((f) => resolve(f)) : ['valid.tsv', 'broad.tsv']).flatMap(
  (f) => exprRows(f),
);
const answers = await askTcpdump(rows);
const counts: CountRow[] = [];
const differ: string[] = [];
let bothFail = 0;
for (const r of rows) {
  const ref = answers.get(oracleKey(r))!;
  let ours: number | undefined;
  try {
    ours = compile(r.expr, { linktype: r.dlt }).length;
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
  }
  if ('error' in ref || ours === undefined) {
    if ('error' in ref && ours === undefined) bothFail++;
    else
      differ.push(
        `${r.dlt}\t${r.expr}: ${ours === undefined ? 'cbpf fails' : `tcpdump fails (${'error' in ref ? ref.error : ''})`}`,
      );
    continue;
  }
  counts.push({ dlt: r.dlt, expr: r.expr, ours, theirs: ref.program.length });
}
console.log(
  `${counts.length} expressions compiled by both (${bothFail} rejected by both, ${differ.length} by one only)`,
);
console.log(countDistribution(counts, worst).report);
for (const d of differ) console.log(`  differs: ${d}`);
