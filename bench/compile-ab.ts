// Benchmark (not a test): this checkout's compiler against another commit's, for a change too small for
// bench/compile.ts's ratios against libpcap to show. First it compiles every expression of the sets and
// lists with both and lists the programs that differ (a speed change should leave every one the same, or
// say which it shortened). Then it times both as shipped (esbuild bundles of src/compiler), each pass
// in a process of its own, the two taking turns: timing two bundles in one process, passes taking
// turns, favoured the one timed second by up to 5%, more than most single changes give. On this shared
// machine runs still differ by 10-30%: a change under 5% needs several runs of this, and the fastest
// process of each side is the steadiest figure.
// Run: npx tsx bench/compile-ab.ts --base REV [--runs N] [--passes P] [--no-time]
//   --runs: processes per side and set (default 8); --passes: timed warm passes per process (default 10).
// Child mode (internal): --child BUNDLE TSV PASSES prints the median CPU ms of a warm pass.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleCompiler, median, timedPass, warmUp } from './compile-passes.js';
import { differentialSet, LISTS, mixedBatch, type Row } from './compile-sets.js';

type Compile = (
  expr: string,
  options: { linktype: string },
) => { code: number; jt: number; jf: number; k: number }[];

const { values: opt, positionals } = parseArgs({
  options: {
    base: { type: 'string' },
    runs: { type: 'string' },
    passes: { type: 'string' },
    'no-time': { type: 'boolean' },
    child: { type: 'string' },
  },
  allowPositionals: true,
});

if (opt.child) {
  // The child: --child BUNDLE TSV PASSES. Warm, then the median of PASSES timed passes, in ms.
  const [tsv, passes] = positionals;
  const { compile } = (await import(opt.child)) as { compile: Compile };
  const rows = readFileSync(tsv as string, 'utf8')
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => ({ dlt: l.slice(0, l.indexOf('\t')), expr: l.slice(l.indexOf('\t') + 1) }));
  await warmUp(() => timedPass(compile, rows));
  const times = Array.from({ length: Number(passes) }, () => timedPass(compile, rows) / 1e6);
  process.stdout.write(`${median(times)}\n`);
  process.exit(0);
}

if (!opt.base) {
  console.error(
    'usage: npx tsx bench/compile-ab.ts --base REV [--runs N] [--passes P] [--no-time]',
  );
  process.exit(2);
}
const here = new URL('.', import.meta.url).pathname;
const root = join(here, '..');
const out = join(here, 'out');
mkdirSync(out, { recursive: true });

// The base commit's sources, as a directory of its own (the revision must name a commit).
const rev = execFileSync('git', ['rev-parse', '--verify', `${opt.base}^{commit}`], {
  cwd: root,
  encoding: 'utf8',
}).trim();
const baseDir = mkdtempSync(join(tmpdir(), 'cbpf-ab-'));
const tar = execFileSync('git', ['archive', rev, 'src'], { cwd: root, maxBuffer: 1 << 28 });
const untar = spawnSync('tar', ['-x', '-C', baseDir], { input: tar });
if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);

const bundles = { base: join(out, 'ab-base.mjs'), head: join(out, 'ab-head.mjs') };
for (const [side, entry] of [
  ['base', join(baseDir, 'src/compiler/index.ts')],
  ['head', join(root, 'src/compiler/index.ts')],
] as const)
  await bundleCompiler(entry, bundles[side]);
rmSync(baseDir, { recursive: true, force: true });

const sets = [
  { name: 'differential set', rows: differentialSet(), file: join(out, 'ab-differential.tsv') },
  { name: 'mixed batch', rows: mixedBatch(915), file: join(out, 'ab-mixed.tsv') },
];
for (const s of sets) writeFileSync(s.file, s.rows.map((r) => `${r.dlt}\t${r.expr}\n`).join(''));

// Programs: the same expression compiled by both, as -ddd numbers or the error's code.
const base = (await import(bundles.base)) as { compile: Compile };
const head = (await import(bundles.head)) as { compile: Compile };
const program = (compile: Compile, r: Row): string => {
  try {
    return compile(r.expr, { linktype: r.dlt })
      .map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k}`)
      .join(',');
  } catch (e) {
    return `error ${(e as { code?: string }).code ?? String(e)}`;
  }
};
const all = [
  ...sets.flatMap((s) => s.rows),
  ...LISTS.filter((l) => !l.name.startsWith('5,000')).map((l) => ({ dlt: 'EN10MB', expr: l.expr })),
];
const length = (p: string) => (p.startsWith('error') ? p : `${p.split(',').length}`);
const differ = all.flatMap((r) => {
  const a = program(base.compile, r);
  const b = program(head.compile, r);
  return a === b ? [] : [{ r, a: length(a), b: length(b) }];
});
console.log(
  `programs: ${all.length - differ.length} of ${all.length} the same (base ${rev.slice(0, 7)}, head the checkout)`,
);
for (const d of differ.slice(0, 20))
  console.log(
    `  ${d.a} -> ${d.b}: ${d.r.dlt} ${d.r.expr.length > 120 ? `${d.r.expr.slice(0, 120)}...` : d.r.expr}`,
  );
if (differ.length > 20) console.log(`  ... and ${differ.length - 20} more`);
if (opt['no-time']) process.exit(0);

// Timing: one process per measurement, the sides taking turns and each going first every other run.
const runs = Number(opt.runs ?? 8);
const passes = Number(opt.passes ?? 10);
const child = (bundle: string, file: string): number => {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', bundle, file, String(passes)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (r.status !== 0) throw new Error(`child failed for ${bundle}`);
  return Number(r.stdout.trim());
};
for (const s of sets) {
  const t: Record<'base' | 'head', number[]> = { base: [], head: [] };
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const order = i % 2 ? (['head', 'base'] as const) : (['base', 'head'] as const);
    for (const side of order) t[side].push(child(bundles[side], s.file));
    ratios.push((t.head[i] as number) / (t.base[i] as number));
  }
  console.log(
    `${s.name}: base ${median(t.base).toFixed(1)} ms, head ${median(t.head).toFixed(1)} ms (medians of ${runs} processes, ` +
      `each the median of ${passes} warm passes); head / base ${(median(t.head) / median(t.base)).toFixed(3)}, ` +
      `paired ${median(ratios).toFixed(3)} (runs ${ratios.map((x) => x.toFixed(2)).join(' ')}); ` +
      `fastest ${Math.min(...t.base).toFixed(1)} against ${Math.min(...t.head).toFixed(1)} ms, ` +
      `${(Math.min(...t.head) / Math.min(...t.base)).toFixed(3)}`,
  );
}
