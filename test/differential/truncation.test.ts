// Short packets, swept: for every expression of the differential sets, generated packets tcpdump accepts are
// cut at every length up to the last byte a program could load, and cbpf's verdict on each cut must be one
// of tcpdump's (its optimized or unoptimized program). This is where an optimizer that moves or drops loads
// which may run past the packet's end differs, and the fixed cuts of compiler.test.ts miss lengths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompileError, compile } from '../../src/compiler/index.js';
import { run } from '../../src/core/vm.js';
import { synthPackets } from './synth-packets.js';
import { askTcpdump, exprRows, oracleKey } from './tcpdump-oracle.js';

/** Accepted packets swept per expression, and the longest cut (past every header the sets look at). */
const PER_EXPR = 6;
const MAX_CUT = 96;
/** Behind a radio header and an 802.11 header, the transport header starts past 96 bytes. */
const LONG_HEADERS = /^(IEEE802_11|PRISM_HEADER|PPI|PFLOG|SUNATM|JUNIPER)/;

test("every cut of an accepted packet gets one of tcpdump's verdicts", async () => {
  const rows = ['valid.tsv', 'broad.tsv', 'links.tsv'].flatMap((f) => exprRows(f));
  const answers = await askTcpdump(rows.flatMap((r) => [r, { ...r, unoptimized: true }]));
  const pools = new Map<string, Uint8Array[]>();
  const failures: string[] = [];
  let cuts = 0;
  for (const { dlt, expr } of rows) {
    const ref = answers.get(oracleKey({ dlt, expr }))!;
    const unopt = answers.get(oracleKey({ dlt, expr, unoptimized: true }))!;
    if ('error' in ref || 'error' in unopt) continue;
    let ours: ReturnType<typeof compile>;
    try {
      ours = compile(expr, { linktype: dlt });
    } catch (e) {
      if (e instanceof CompileError) continue;
      throw e;
    }
    if (!pools.has(dlt))
      pools.set(
        dlt,
        synthPackets(dlt)
          .filter((p) => p.data.length === p.wirelen)
          .map((p) => p.data),
      );
    const accepted = pools
      .get(dlt)!
      .filter((d) => run(ref.program, d, { profile: 'libpcap' }) !== 0)
      .slice(0, PER_EXPR);
    const max = LONG_HEADERS.test(dlt) ? 2 * MAX_CUT : MAX_CUT;
    for (const full of accepted) {
      for (let n = 0; n <= Math.min(full.length, max); n++) {
        const d = full.subarray(0, n);
        const o = { wirelen: full.length, profile: 'libpcap' as const };
        const got = run(ours, d, o) !== 0;
        cuts++;
        if (got !== (run(ref.program, d, o) !== 0) && got !== (run(unopt.program, d, o) !== 0)) {
          failures.push(
            `${dlt} '${expr}': cbpf ${got} on a ${full.length}-byte packet cut to ${n}`,
          );
          break;
        }
      }
    }
  }
  console.log(`truncation sweep: ${cuts} cuts`);
  assert.deepEqual(failures, []);
  assert.ok(cuts > 100_000, `${cuts} cuts`);
});
