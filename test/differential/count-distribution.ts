// The instruction-count comparison with libpcap's optimizer, shared by the differential test and
// scripts/compare-counts.ts: share at or below libpcap, a ratio histogram, median, worst cases.

export interface CountRow {
  readonly dlt: string;
  readonly expr: string;
  /** cbpf's instruction count. */
  readonly ours: number;
  /** tcpdump -ddd's (libpcap's optimizer on). */
  readonly theirs: number;
}

export interface Distribution {
  readonly n: number;
  readonly atOrBelow: number;
  readonly median: number;
  /** Rows by ratio, worst first. */
  readonly rows: readonly CountRow[];
  /** Human-readable summary: totals, histogram, worst `worst` rows. */
  readonly report: string;
}

const BUCKETS: [string, (x: number) => boolean][] = [
  ['< 0.8', (x) => x < 0.8],
  ['0.8-<1', (x) => x >= 0.8 && x < 1],
  ['= 1', (x) => x === 1],
  ['>1-1.1', (x) => x > 1 && x <= 1.1],
  ['>1.1-1.5', (x) => x > 1.1 && x <= 1.5],
  ['> 1.5', (x) => x > 1.5],
];

export function countDistribution(counts: readonly CountRow[], worst = 10): Distribution {
  const ratio = (r: CountRow) => r.ours / r.theirs;
  const rows = [...counts].sort((a, b) => ratio(b) - ratio(a) || b.ours - a.ours);
  const n = rows.length;
  const ratios = rows.map(ratio).sort((a, b) => a - b);
  const median =
    n === 0
      ? 1
      : n % 2
        ? (ratios[(n - 1) / 2] as number)
        : ((ratios[n / 2 - 1] as number) + (ratios[n / 2] as number)) / 2;
  const atOrBelow = rows.filter((r) => r.ours <= r.theirs).length;
  const sum = (f: (r: CountRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const pct = (k: number) => `${((100 * k) / Math.max(n, 1)).toFixed(1)}%`;
  const lines = [
    `instruction count <= libpcap's on ${atOrBelow}/${n} (${pct(atOrBelow)}); median ratio ${median.toFixed(2)}; total ${sum((r) => r.ours)} vs ${sum((r) => r.theirs)}`,
    ...BUCKETS.map(([name, inBucket]) => {
      const k = ratios.filter(inBucket).length;
      return `  ratio ${name.padEnd(8)} ${String(k).padStart(5)}  ${pct(k)}`;
    }),
    `worst ${Math.min(worst, n)}:`,
    ...rows
      .slice(0, worst)
      .map((r) => `  ${ratio(r).toFixed(2)}  ${r.ours}/${r.theirs}  ${r.dlt}  ${r.expr}`),
  ];
  return { n, atOrBelow, median, rows, report: lines.join('\n') };
}
