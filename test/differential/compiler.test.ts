// The compiler against tcpdump: same verdict on every corpus packet (and truncated copies) for a broad
// expression set over every supported link type; same error/no-error on invalid expressions; counts reported.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CompileError, LINKTYPE_NAMES, compile } from '../../src/compiler/index.js';
import type { RawInsn } from '../../src/core/insn.js';
import { DLT } from '../../src/core/opcodes.js';
import { run } from '../../src/core/vm.js';
import { type CorpusPacket, corpusByLinktype } from '../helpers/reference.js';
import { spawnSync } from 'node:child_process';

const rows = (name: string) =>
  readFileSync(new URL(`exprs/${name}`, import.meta.url), 'utf8').split('\n').filter((l) => l.includes('\t')).map((l) => l.split('\t') as [string, string]);

/** tcpdump's -ddd program, or its error text. `-O` for the unoptimized one. */
function tcpdump(expr: string, dlt: string, unoptimized = false): RawInsn[] | { error: string } {
  const r = spawnSync('tcpdump', [...(unoptimized ? ['-O'] : []), '-ddd', '-y', dlt, '--', expr], { encoding: 'utf8' });
  if (r.error) throw new Error('tcpdump is missing: apt-get install -y tcpdump');
  if (r.status !== 0) return { error: r.stderr.trim() };
  const [, ...lines] = r.stdout.trim().split('\n');
  return lines.map((l) => {
    const [code, jt, jf, k] = l.trim().split(/\s+/).map(Number);
    return { code, jt, jf, k: k >>> 0 };
  });
}

/** Packets of the link type (RAW also takes the IPv4 packets of Ethernet frames), plus truncated copies. */
function packetsFor(dlt: string, corpus: Map<number, CorpusPacket[]>): CorpusPacket[] {
  const n = LINKTYPE_NAMES[dlt];
  let base = corpus.get(n) ?? [];
  if (dlt === 'RAW') base = [...(corpus.get(DLT.RAW) ?? []), ...(corpus.get(DLT.EN10MB) ?? []).filter((p) => p.data[12] === 8 && p.data[13] === 0).map((p) => ({ ...p, data: p.data.subarray(14), wireLength: p.wireLength - 14 }))];
  if (dlt === 'IPV4' || dlt === 'IPV6') base = (corpus.get(DLT.RAW) ?? []).filter((p) => p.data[0] >> 4 === (dlt === 'IPV4' ? 4 : 6));
  const cut = base.filter((_, i) => i % 7 === 0).flatMap((p) => [10, 20, 34, 40, 54].filter((c) => c < p.data.length).map((c) => ({ ...p, data: p.data.subarray(0, c) })));
  return [...base, ...cut];
}

test('compile() gives tcpdump\'s verdict on every packet, for every expression and link type', () => {
  const corpus = corpusByLinktype();
  let verdicts = 0;
  let expressions = 0;
  const ratios: number[] = [];
  const failures: string[] = [];
  for (const [dlt, expr] of rows('valid.tsv')) {
    const ref = tcpdump(expr, dlt);
    let ours: RawInsn[];
    try {
      ours = compile(expr, { linktype: dlt });
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      if (!('error' in ref)) failures.push(`${dlt} '${expr}': cbpf ${e.code} (${e.message}) but tcpdump compiles it`);
      continue;
    }
    if ('error' in ref) {
      failures.push(`${dlt} '${expr}': cbpf compiles, tcpdump says ${ref.error}`);
      continue;
    }
    expressions++;
    ratios.push(ours.length / ref.length);
    const unopt = tcpdump(expr, dlt, true) as RawInsn[];
    for (const p of packetsFor(dlt, corpus)) {
      const o = { wirelen: p.wireLength, profile: 'libpcap' as const };
      const got = run(ours, p.data, o) !== 0;
      // libpcap's optimizer drops some dead loads, which changes verdicts on truncated packets; either
      // of tcpdump's programs (optimized or -O) is the reference.
      if (got !== (run(ref, p.data, o) !== 0) && got !== (run(unopt, p.data, o) !== 0)) {
        failures.push(`${dlt} '${expr}' on a ${p.data.length}-byte packet of ${p.file}: cbpf ${got}`);
        break;
      }
      verdicts++;
    }
  }
  ratios.sort((a, b) => a - b);
  const le = ratios.filter((r) => r <= 1).length;
  console.log(`compiler vs tcpdump: ${expressions} expressions, ${verdicts} verdicts equal; instruction count <= libpcap's on ${le}/${ratios.length}, median ratio ${ratios[Math.floor(ratios.length / 2)].toFixed(2)}, worst ${ratios.at(-1)?.toFixed(2)}`);
  assert.deepEqual(failures, []);
  assert.ok(verdicts > 100_000, `${verdicts} verdicts`);
});

test('invalid expressions fail in cbpf where they fail in tcpdump', () => {
  const failures: string[] = [];
  for (const [dlt, expr] of rows('invalid.tsv')) {
    const ref = tcpdump(expr, dlt);
    let ok = true;
    try {
      compile(expr, { linktype: dlt });
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      ok = false;
    }
    if (ok !== !('error' in ref)) failures.push(`${dlt} '${expr}': cbpf ${ok ? 'compiles' : 'fails'}, tcpdump ${'error' in ref ? `fails (${ref.error})` : 'compiles'}`);
  }
  assert.deepEqual(failures, []);
});
