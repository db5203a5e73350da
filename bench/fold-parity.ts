// Measurement (not a test): where cbpf and libpcap 1.10 disagree on a filter whose verdict does not depend
// on the packet. libpcap's optimizer compiles such a filter to one `ret` (its loads gone, so even a packet
// too short for them gets that verdict) or refuses it ("expression rejects all packets"); cbpf must do the
// same where libpcap does, or a short packet's verdict, or the error, differs from tcpdump's. Random
// tautologies and contradictions (`X or not X`, `(X and Y) or (X and not Y)`, `X and not X`, ...) over
// three link types, asked of libpcap's pcap_compile (bench/c/compile-runner.c) and of compile().
// Run: npx tsx bench/fold-parity.ts [--per N] [--seed S] [--show K]
import { parseArgs } from 'node:util';
import { compile } from '../src/compiler/index.js';
import { rng } from '../test/helpers/gen-linux-program.js';
import type { Row } from './compile-sets.js';
import { buildRunner, libpcapRunner } from './libpcap-compile.js';

const { values: opt } = parseArgs({
  options: { per: { type: 'string' }, seed: { type: 'string' }, show: { type: 'string' } },
});
const PER = Number(opt.per ?? 3000);
const SHOW = Number(opt.show ?? 5);
const r = rng(Number(opt.seed ?? 2026));

// biome-ignore format: a word list
const PRIMS = [
  'tcp', 'udp', 'ip', 'ip6', 'arp', 'icmp', 'icmp6', 'port 80', 'tcp port 80', 'udp port 53',
  'tcp dst port 443', 'portrange 1-1024', 'host 1.2.3.4', 'src host 10.0.0.1', 'net 10.0.0.0/8',
  'ip6 host ::1', 'ip[1] > 5', 'ip[9] = 6', 'ip[6:2] & 0x1fff = 0', 'tcp[13] & 2 != 0', 'len > 100',
  'greater 64', 'less 100', 'ip multicast', 'ether broadcast', 'ether[0] & 1 = 0', 'ether src 1:2:3:4:5:6',
];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const term = (depth: number): string => {
  const x = r();
  if (depth === 0 || x < 0.35) return pick(PRIMS);
  if (x < 0.5) return `not ${term(depth - 1)}`;
  return `(${term(depth - 1)} ${pick(['and', 'or'])} ${term(depth - 1)})`;
};
/** Shapes whose verdict is the same for every packet (the first five accept, the rest reject). */
const SHAPES: ((x: string, y: string) => string)[] = [
  (x) => `${x} or not ${x}`,
  (x, y) => `(${x} and ${y}) or (${x} and not ${y})`,
  (x, y) => `(${x} or ${y}) or not (${y} or ${x})`,
  (x, y) => `not ${x} or (${x} and ${y}) or not ${y}`,
  (x, y) => `${y} or (${x} or not ${x})`,
  (x) => `${x} and not ${x}`,
  (x, y) => `(${x} or ${y}) and not (${y} or ${x})`,
  (x, y) => `(${x} and ${y}) and (${x} and not ${y})`,
];
const rows: Row[] = [];
for (const dlt of ['EN10MB', 'LINUX_SLL', 'RAW'])
  for (let i = 0; i < PER; i++) rows.push({ dlt, expr: pick(SHAPES)(term(2), term(2)) });

buildRunner();
const lp = await libpcapRunner(rows, 'fold-parity');
/** What a compiler made of a row: an instruction count and, for one instruction, its `ret` value. */
type Made = { n: number; k: number } | { error: string };
/** The ways the two differ, each with what it prints and its rows. */
const differ = (what: string) => ({ what, rows: [] as string[] });
const onlyLibpcapFolds = differ(
  'libpcap one ret, cbpf a program (a short packet: cbpf rejects, tcpdump accepts)',
);
const onlyCbpfFolds = differ(
  'cbpf one accepting ret, libpcap a program (a short packet: cbpf accepts, tcpdump rejects)',
);
const onlyLibpcapRefuses = differ('libpcap refuses ("rejects all packets"), cbpf compiles');
const onlyCbpfRefuses = differ('cbpf refuses, libpcap compiles');
let agreeFold = 0;
let emptyOk = 0;
for (let i = 0; i < rows.length; i++) {
  const { dlt, expr } = rows[i] as Row;
  const l = (await lp.count(i)).what;
  const theirs: Made = l.startsWith('error') ? { error: l } : { n: Number(l), k: -1 };
  let ours: Made;
  try {
    const p = compile(expr, { linktype: dlt });
    ours = { n: p.length, k: p[0]?.k ?? -1 };
  } catch (e) {
    ours = { error: (e as Error).message };
  }
  const row = `${dlt} ${expr}`;
  if ('error' in theirs || 'error' in ours) {
    if (!('error' in ours)) onlyLibpcapRefuses.rows.push(row);
    else if (!('error' in theirs)) onlyCbpfRefuses.rows.push(row);
    continue;
  }
  if (theirs.n === 1 && ours.n === 1) agreeFold++;
  else if (theirs.n === 1) onlyLibpcapFolds.rows.push(row);
  else if (ours.n === 1 && ours.k !== 0) onlyCbpfFolds.rows.push(row);
  // `ret #0` where libpcap keeps a program: cbpf proved it empty at a strength libpcap lacks; every
  // path of libpcap's program rejects too, so the verdicts are the same.
  else if (ours.n === 1) emptyOk++;
}
lp.close();
console.log(
  `${rows.length} expressions (${PER} per link type, seed ${opt.seed ?? 2026}); both one ret: ${agreeFold}; cbpf ret #0 where libpcap keeps a program (same verdicts): ${emptyOk}`,
);
for (const { what, rows: list } of [
  onlyLibpcapFolds,
  onlyCbpfFolds,
  onlyLibpcapRefuses,
  onlyCbpfRefuses,
]) {
  console.log(`${list.length}  ${what}`);
  for (const x of list.slice(0, SHOW)) console.log(`      ${x}`);
}
