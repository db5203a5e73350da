// Benchmark (not a test): compile time of expressions of 5,000 terms (issue 16: none may take more than
// a few seconds; past its work budget the optimizer stops with a correct, less optimized program).
// cbpf's compile() as shipped (an esbuild bundle of src/compiler), once per shape in one process, wall
// time; beside it `tcpdump -d -F FILE` (the whole process, libpcap's pcap_compile) up to a timeout.
// Run: npx tsx bench/long-exprs.ts [--terms N] [--timeout SECONDS] [--no-tcpdump]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { shippedCompiler } from './compile-passes.js';

const { values: opt } = parseArgs({
  options: {
    terms: { type: 'string' },
    timeout: { type: 'string' },
    'no-tcpdump': { type: 'boolean' },
  },
});
const N = Number(opt.terms ?? 5000);
const TIMEOUT = Number(opt.timeout ?? 10);

const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const hex = (n: number) => n.toString(16);
const list = (f: (i: number) => string, n = N, join = ' or ') =>
  Array.from({ length: n }, (_, i) => f(i)).join(join);

/** Shapes people write (lists of hosts, ports, nets, MACs) and the ones that test one value many times. */
const SHAPES: { name: string; expr: string }[] = [
  { name: 'host A', expr: list((i) => `host ${ip(i)}`) },
  { name: 'dst host A', expr: list((i) => `dst host ${ip(i)}`) },
  { name: 'port N', expr: list((i) => `port ${i + 1}`) },
  { name: 'tcp dst port N', expr: list((i) => `tcp dst port ${i + 1}`) },
  { name: 'udp dst port N', expr: list((i) => `udp dst port ${i + 1}`) },
  { name: 'portrange N-M', expr: list((i) => `portrange ${i * 10}-${i * 10 + 5}`) },
  { name: 'src net A/24', expr: list((i) => `src net 10.${(i >> 8) & 255}.${i & 255}.0/24`) },
  {
    name: 'ether dst MAC',
    expr: list((i) => `ether dst 0:1:2:3:${hex((i >> 8) & 255)}:${hex(i & 255)}`),
  },
  { name: 'ip6 dst host A', expr: list((i) => `ip6 dst host fe80::${hex(i)}`) },
  { name: 'ether proto N', expr: list((i) => `ether proto ${i + 1}`) },
  {
    name: '(tcp port N and host A)',
    expr: list((i) => `(tcp port ${i + 1} and host ${ip(i)})`, N / 2),
  },
  { name: 'not tcp dst port N (and)', expr: list((i) => `not tcp dst port ${i + 1}`, N, ' and ') },
  {
    name: 'mixed primitives',
    expr: list(
      (i) =>
        [
          `host ${ip(i)}`,
          `port ${i}`,
          `net 10.${i & 255}.0.0/16`,
          `udp port ${i}`,
          `ip6 host ::${hex(i)}`,
        ][i % 5] as string,
    ),
  },
  { name: 'ip[2:2] = N', expr: list((i) => `ip[2:2] = ${i}`) },
  { name: 'len + 10 = N', expr: list((i) => `len + 10 = ${i + 60}`) },
  { name: 'ip[i:2] + N * 2 > M', expr: list((i) => `ip[${i % 20}:2] + ${i} * 2 > ${i * 7}`) },
  { name: 'tcp[i] & N != 0', expr: list((i) => `tcp[${i % 40}] & ${1 + (i % 200)} != 0`) },
];

const here = new URL('.', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cbpf-long-'));
try {
  const compile = await shippedCompiler(`${here}../src/compiler/index.ts`, `${dir}/compiler.mjs`);
  // Warm the compiler on a short list, as a process that compiles more than once is.
  compile(list((i) => `host ${ip(i)}`, 50));

  console.log(`| ${N} terms | cbpf | instructions | tcpdump -d | instructions |`);
  console.log('|---|--:|--:|--:|--:|');
  for (const { name, expr } of SHAPES) {
    const t0 = performance.now();
    let cbpf: string;
    let insns: string;
    try {
      insns = String(compile(expr).length);
      cbpf = `${((performance.now() - t0) / 1000).toFixed(2)} s`;
    } catch (e) {
      cbpf = 'refused';
      insns = (e as Error).message.slice(0, 60);
    }
    let ref = '';
    let refInsns = '';
    if (!opt['no-tcpdump']) {
      // From a file: past 128 KB an expression cannot be one argument.
      const file = join(dir, 'expr.txt');
      writeFileSync(file, expr);
      const t1 = performance.now();
      const r = spawnSync('tcpdump', ['-d', '-y', 'EN10MB', '-F', file], {
        encoding: 'utf8',
        timeout: TIMEOUT * 1000,
        maxBuffer: 256 << 20,
      });
      const s = (performance.now() - t1) / 1000;
      if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error('tcpdump is missing: apt-get install -y tcpdump');
      if (r.signal) ref = `> ${TIMEOUT} s`;
      else {
        ref = `${s.toFixed(2)} s`;
        refInsns =
          r.status === 0
            ? String(r.stdout.trim().split('\n').length)
            : (r.stderr.trim().split('\n').pop() ?? '');
      }
    }
    console.log(`| ${name} | ${cbpf} | ${insns} | ${ref} | ${refInsns} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
