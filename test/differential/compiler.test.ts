// The compiler against tcpdump: same verdict on every packet for a broad expression set over every supported
// link type (exprs/valid.tsv and exprs/links.tsv on the whole corpus, exprs/broad.tsv on a third of it; all
// also on generated packets and truncated copies); same error/no-error on invalid expressions and on the
// rows of links.tsv tcpdump refuses; the instruction-count distribution against libpcap's optimizer held to
// a floor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompileError, compile, LINKTYPE_NAMES } from '../../src/compiler/index.js';
import { dltOfLinktype } from '../../src/compiler/names.js';
import type { RawInsn } from '../../src/core/insn.js';
import { DLT } from '../../src/core/opcodes.js';
import { run } from '../../src/core/vm.js';
import { type CorpusPacket, corpusByLinktype } from '../helpers/reference.js';
import { countDistribution } from './count-distribution.js';
import { synthPackets } from './synth-packets.js';
import { askTcpdump, exprRows, oracleKey } from './tcpdump-oracle.js';

/** Packets of the link type (RAW also takes the IPv4 packets of Ethernet frames), plus truncated copies. */
function corpusFor(dlt: string, corpus: Map<number, CorpusPacket[]>): CorpusPacket[] {
  const n = LINKTYPE_NAMES[dlt];
  // Capture files give LINKTYPE values; a few differ from the DLT value the name stands for.
  let base = [...corpus].filter(([lt]) => dltOfLinktype(lt) === n).flatMap(([, ps]) => ps);
  if (dlt === 'RAW')
    base = [
      ...(corpus.get(DLT.RAW) ?? []),
      ...(corpus.get(DLT.EN10MB) ?? [])
        .filter((p) => p.data[12] === 8 && p.data[13] === 0)
        .map((p) => ({ ...p, data: p.data.subarray(14), wirelen: p.wirelen - 14 })),
    ];
  if (dlt === 'IPV4' || dlt === 'IPV6')
    base = (corpus.get(DLT.RAW) ?? []).filter((p) => p.data[0] >> 4 === (dlt === 'IPV4' ? 4 : 6));
  const cut = base
    .filter((_, i) => i % 7 === 0)
    .flatMap((p) =>
      [10, 20, 34, 40, 54]
        .filter((c) => c < p.data.length)
        .map((c) => ({ ...p, data: p.data.subarray(0, c) })),
    );
  return [...base, ...cut];
}

/** Expression files and the share of the corpus each runs on (broad.tsv is large: every third packet). */
const FILES: [string, number][] = [
  ['valid.tsv', 1],
  ['broad.tsv', 3],
  ['links.tsv', 1],
];

/** Count floor: regressions of the optimizer show here (figures measured when it was set, minus a margin). */
const MIN_AT_OR_BELOW = 0.95;
const MAX_MEDIAN = 1.0;
/**
 * Worst ratio, leaving out protochain: its walk is unrolled because the Linux validator refuses libpcap's
 * backward loop.
 */
const MAX_RATIO = 1.1;
const exempt = (r: { expr: string }) => /protochain/.test(r.expr);

test("compile() gives tcpdump's verdict on every packet, for every expression and link type", async () => {
  const corpus = corpusByLinktype();
  const rows = FILES.flatMap(([f, every]) => exprRows(f).map((r) => ({ ...r, every })));
  const answers = await askTcpdump(rows.flatMap((r) => [r, { ...r, unoptimized: true }]));
  const packets = new Map<string, CorpusPacket[]>();
  let verdicts = 0;
  let expressions = 0;
  const counts: { dlt: string; expr: string; ours: number; theirs: number }[] = [];
  const failures: string[] = [];
  for (const { dlt, expr, every } of rows) {
    const ref = answers.get(oracleKey({ dlt, expr }))!;
    let ours: RawInsn[];
    try {
      ours = compile(expr, { linktype: dlt });
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      if (!('error' in ref))
        failures.push(`${dlt} '${expr}': cbpf ${e.code} (${e.message}) but tcpdump compiles it`);
      continue;
    }
    if ('error' in ref) {
      // cbpf has `vlan` on cooked captures, where libpcap has none (its issue 1105).
      if (!/no VLAN support for Linux cooked/.test(ref.error))
        failures.push(`${dlt} '${expr}': cbpf compiles, tcpdump says ${ref.error}`);
      continue;
    }
    const unopt = answers.get(oracleKey({ dlt, expr, unoptimized: true }))!;
    if ('error' in unopt) throw new Error(unopt.error);
    expressions++;
    counts.push({ dlt, expr, ours: ours.length, theirs: ref.program.length });
    const key = `${dlt}/${every}`;
    if (!packets.has(key))
      packets.set(key, [
        ...corpusFor(dlt, corpus).filter((_, i) => i % every === 0),
        ...synthPackets(dlt),
      ]);
    for (const p of packets.get(key)!) {
      const o = { wirelen: p.wirelen, profile: 'libpcap' as const };
      const got = run(ours, p.data, o) !== 0;
      // libpcap's optimizer drops some loads whose value is unused, which changes verdicts on truncated
      // packets; cbpf's keeps the unoptimized verdict. Either of tcpdump's programs is the reference.
      if (
        got !== (run(ref.program, p.data, o) !== 0) &&
        got !== (run(unopt.program, p.data, o) !== 0)
      ) {
        failures.push(
          `${dlt} '${expr}' on a ${p.data.length}-byte packet of ${p.file}: cbpf ${got}`,
        );
        break;
      }
      verdicts++;
    }
  }
  const d = countDistribution(counts);
  console.log(`compiler vs tcpdump: ${expressions} expressions, ${verdicts} verdicts equal`);
  console.log(d.report);
  assert.deepEqual(failures, []);
  assert.ok(verdicts > 1_000_000, `${verdicts} verdicts`);
  assert.ok(
    d.atOrBelow / d.n >= MIN_AT_OR_BELOW,
    `instruction count <= libpcap's on only ${d.atOrBelow}/${d.n}`,
  );
  assert.ok(d.median <= MAX_MEDIAN, `median ratio ${d.median}`);
  const worst = d.rows.filter((r) => !exempt(r))[0];
  assert.ok(
    !worst || worst.ours / worst.theirs <= MAX_RATIO,
    `worst ratio ${worst?.ours}/${worst?.theirs} on ${worst?.dlt} '${worst?.expr}'`,
  );
});

test('invalid expressions fail in cbpf where they fail in tcpdump', async () => {
  const rows = exprRows('invalid.tsv');
  const answers = await askTcpdump(rows);
  const failures: string[] = [];
  for (const { dlt, expr } of rows) {
    const ref = answers.get(oracleKey({ dlt, expr }))!;
    let ok = true;
    try {
      compile(expr, { linktype: dlt });
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      ok = false;
    }
    if (ok !== !('error' in ref))
      failures.push(
        `${dlt} '${expr}': cbpf ${ok ? 'compiles' : 'fails'}, tcpdump ${'error' in ref ? `fails (${ref.error})` : 'compiles'}`,
      );
  }
  assert.deepEqual(failures, []);
});
