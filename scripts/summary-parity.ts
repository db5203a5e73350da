// Prints the share of cbpf's summary lines identical to `tcpdump -n`'s over the corpus, per protocol.
// Usage: tsx scripts/summary-parity.ts [-e] [--jobs N] [--cache] [--show PROTOCOL|all] [--markdown] [file ...]
//   default files: every capture of test/corpus/tcpdump/; --cache keeps tcpdump's output in .cache/parity/.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { CORPUS_DIR } from '../test/helpers/corpus.js';
import { measureParity } from '../test/packets/parity.js';

const args = process.argv.slice(2);
let link = false;
let jobs = 4;
let cache = false;
let markdown = false;
const show: string[] = [];
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i] as string;
  if (a === '-e') link = true;
  else if (a === '--jobs') jobs = Number(args[++i]);
  else if (a === '--cache') cache = true;
  else if (a === '--markdown') markdown = true;
  else if (a === '--show') show.push(args[++i] as string);
  else files.push(resolve(a));
}
if (files.length === 0)
  for (const n of readdirSync(CORPUS_DIR).sort())
    if (/\.(pcap|pcapng|cap)$/.test(n) || !n.includes('.')) files.push(CORPUS_DIR + n);

const report = await measureParity({
  files,
  link,
  jobs,
  cacheDir: cache ? resolve('.cache/parity') : undefined,
});
const pct = (a: number, b: number) => (b === 0 ? '-' : `${((a / b) * 100).toFixed(1)}%`);
const rows = [...report.byProtocol].sort((a, b) => b[1].lines - a[1].lines);
if (markdown) {
  // The README table: every bucket of 40 lines or more, the rest summed; then what is not yet identical.
  const big = rows.filter(([, t]) => t.lines >= 40);
  const small = rows.filter(([, t]) => t.lines < 40);
  console.log('| protocol | lines | identical | share |');
  console.log('|---|---:|---:|---:|');
  for (const [p, t] of big)
    console.log(`| ${p} | ${t.lines} | ${t.same} | ${pct(t.same, t.lines)} |`);
  const sl = small.reduce((a, [, t]) => a + t.lines, 0);
  const ss = small.reduce((a, [, t]) => a + t.same, 0);
  console.log(`| ${small.length} smaller buckets | ${sl} | ${ss} | ${pct(ss, sl)} |`);
  console.log(`| **all** | ${report.lines} | ${report.same} | ${pct(report.same, report.lines)} |`);
  const open = rows.filter(([, t]) => t.same < t.lines);
  console.log(
    `\nNot yet identical (lines differing): ${open.map(([p, t]) => `${p} ${t.lines - t.same}`).join(', ')}.`,
  );
} else {
  for (const [p, t] of rows)
    console.log(
      `${p.padEnd(28)} ${String(t.lines).padStart(7)} ${String(t.same).padStart(7)} ${String(t.lines - t.same).padStart(6)} ${pct(t.same, t.lines).padStart(7)}`,
    );
  console.log(
    `${'all'.padEnd(28)} ${String(report.lines).padStart(7)} ${String(report.same).padStart(7)} ${String(report.lines - report.same).padStart(6)} ${pct(report.same, report.lines).padStart(7)}`,
  );
}
for (const m of report.mismatches)
  if (show.includes('all') || show.includes(m.protocol))
    console.log(
      `${m.file}#${m.index} [${m.protocol}]\n  T ${m.theirs.replaceAll('\n', '\n    ')}\n  O ${m.ours.replaceAll('\n', '\n    ')}`,
    );
