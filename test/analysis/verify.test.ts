// Translation validation over the differential expression set: the optimizer's graph proven equal to the
// lowering (on the packets where the lowering reaches a ret) and the emitted program to the optimizer's
// graph. A sample runs here within a time budget; scripts/prove-exprs.ts runs the whole set.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyCompile } from '../../src/analysis/verify.js';
import { CompileError } from '../../src/compiler/index.js';
import { exprRows } from '../differential/tcpdump-oracle.js';
import { runCli } from '../helpers/cli.js';

/** Differences known before this check existed (none so far); anything else found fails the test. */
const KNOWN: ReadonlySet<string> = new Set<string>([]);

/** Every 24th row of valid.tsv and broad.tsv, within this much wall time (a loaded machine does fewer). */
const EVERY = 24;
const BUDGET_MS = 30_000;

test('compile --verify over the differential expressions: every step proven or out of time, no difference', async () => {
  const rows = ['valid.tsv', 'broad.tsv']
    .flatMap((f) => exprRows(f))
    .filter((_, i) => i % EVERY === 0);
  const tally = { proven: 0, timeout: 0, unknown: 0, different: 0 };
  const bugs: string[] = [];
  const t0 = performance.now();
  let done = 0;
  for (const { dlt, expr } of rows) {
    if (performance.now() - t0 > BUDGET_MS) break;
    let report: Awaited<ReturnType<typeof verifyCompile>>;
    try {
      report = await verifyCompile(expr, { linktype: dlt, timeoutMs: 10_000 });
    } catch (err) {
      if (err instanceof CompileError) continue;
      throw err;
    }
    done++;
    for (const [step, o] of [
      ['optimizer', report.optimizer],
      ['emit', report.emit],
    ] as const) {
      tally[o.status]++;
      if (o.status === 'different' && !KNOWN.has(`${dlt}\t${expr}`)) {
        const c = o.counterexample;
        bugs.push(
          `${step} ${dlt} '${expr}': ${Buffer.from(c.packet).toString('hex')} (wire ${c.wirelen}) gives ${c.results[0]} vs ${c.results[1]}`,
        );
      }
    }
  }
  console.log(
    `verify: ${done} of ${rows.length} sampled expressions, steps ${JSON.stringify(tally)}`,
  );
  assert.deepEqual(bugs, []);
  assert.ok(done >= 8, `only ${done} expressions verified in the budget`);
  // Out of solver time is no wrong answer, but most steps must be decided.
  assert.ok(tally.proven >= 1.8 * done, JSON.stringify(tally));
});

test('the claim is needed: without it, the optimizer step differs on a packet too short for a dropped load', async () => {
  // `ip6 net fe80::/10` tests words masked with 0, which the optimizer folds away with their loads.
  const { stages } = await verifyCompile('ip6 net fe80::/10');
  const { equivalentFlows } = await import('../../src/analysis/equiv.js');
  const all = await equivalentFlows(
    { graph: stages.ir },
    { graph: stages.optimized },
    { profile: 'libpcap' },
  );
  assert.equal(all.equal, false);
  if (!all.equal) {
    assert.ok(all.stopped[0] && !all.stopped[1], JSON.stringify(all));
    assert.equal(all.results[0], 0);
  }
});

test('cbpf compile --verify reports both steps and keeps stdout the program', async () => {
  const r = await runCli(['compile', '-ddd', '--verify', 'udp dst port 67']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d+\n40 0 0 12\n/);
  assert.match(r.stderr, /verify: optimizer: proven .*runs to a ret/);
  assert.match(r.stderr, /verify: emitter: proven .*on every packet/);
  const batch = await runCli(['compile', '--batch', '--verify'], 'EN10MB\tip\n');
  assert.equal(batch.code, 2);
});
