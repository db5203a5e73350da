// decompile → compile → equiv round trips: cbpf's and tcpdump's programs for the differential expressions
// come back as expressions proven equal to them (decompile proves it), re-checked here by running both on
// generated packets; hand-written blobs (seed 001, tc) too; Linux metadata give the decision tree. A
// sample within a wall budget here; scripts/prove-exprs.ts --part decompile runs the whole set.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { decompile } from '../../src/analysis/decompile/index.js';
import { CompileError, compile } from '../../src/compiler/index.js';
import type { Program } from '../../src/core/encode.js';
import { assemble } from '../../src/core/encode.js';
import { jmp, ld, ret } from '../../src/core/insn.js';
import { run } from '../../src/core/vm.js';
import { synthPackets } from '../differential/synth-packets.js';
import { exprRows } from '../differential/tcpdump-oracle.js';
import { runCli } from '../helpers/cli.js';
import { tcpdumpProgram } from '../helpers/reference.js';

/** Expressions whose programs have no expression short enough: protochain's unrolled walk. */
const TOO_BIG = /protochain/;
const EVERY = 30;
const BUDGET_MS = 30_000;

/** Runs the original and the decompiled expression's program on generated packets of the link type. */
function sameOnPackets(
  original: Program,
  expr: string,
  dlt: string,
  snaplen: number | undefined,
  verdict: boolean,
): string | undefined {
  const again = compile(expr, { linktype: dlt, snaplen });
  for (const p of synthPackets(dlt, 120)) {
    const o = { profile: 'libpcap' as const, wirelen: p.wirelen };
    const a = run(original, p.data, o);
    const b = run(again, p.data, o);
    if (verdict ? (a === 0) !== (b === 0) : a !== b) return `${p.file}: ${a} vs ${b}`;
  }
  return undefined;
}

test('decompile → compile → equiv round-trips the differential expressions', async () => {
  const rows = ['valid.tsv', 'broad.tsv']
    .flatMap((f) => exprRows(f))
    .filter((_, i) => i % EVERY === 3);
  const t0 = performance.now();
  let expressions = 0;
  let tree = 0;
  let timeouts = 0;
  const failures: string[] = [];
  for (const { dlt, expr } of rows) {
    if (performance.now() - t0 > BUDGET_MS) break;
    let program: Program;
    try {
      program = compile(expr, { linktype: dlt });
    } catch (err) {
      if (err instanceof CompileError) continue;
      throw err;
    }
    const d = await decompile(program, { linktype: dlt, profile: 'libpcap', timeoutMs: 20_000 });
    if (d.expression === undefined) {
      tree++;
      // The solver running out of time is no wrong answer; a machine under load makes a few.
      if (d.why?.startsWith('no answer within')) timeouts++;
      else if (!TOO_BIG.test(expr)) failures.push(`${dlt} '${expr}': ${d.why}`);
      assert.ok(d.structured.length > 0);
      continue;
    }
    expressions++;
    const wrong = sameOnPackets(program, d.expression, dlt, d.snaplen, d.proof === 'verdict');
    if (wrong) failures.push(`${dlt} '${expr}' → '${d.expression}': ${wrong}`);
  }
  console.log(
    `decompile: ${expressions} expressions proven, ${tree} decision trees (${timeouts} out of solver time)`,
  );
  assert.deepEqual(failures, []);
  assert.ok(timeouts <= expressions / 5, `${timeouts} timeouts`);
  // A loaded machine does few in the budget; the whole set is scripts/prove-exprs.ts's.
  assert.ok(expressions >= 5, `${expressions} round trips in the budget`);
});

test("tcpdump's own -ddd programs decompile too", async () => {
  for (const [dlt, expr] of [
    ['EN10MB', 'udp dst port 67'],
    ['EN10MB', 'tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn'],
    ['LINUX_SLL', 'host 10.0.0.1 and not port 22'],
    ['RAW', 'icmp or ip6'],
  ]) {
    const program = tcpdumpProgram(expr, dlt);
    const d = await decompile(program, { linktype: dlt, profile: 'libpcap' });
    assert.ok(d.expression, `${dlt} '${expr}': ${d.why}`);
    assert.equal(sameOnPackets(program, d.expression, dlt, d.snaplen, false), undefined);
  }
});

test("seed 001's DHCP filter reads back as the field tests it is", async () => {
  const f = assemble([
    ld.abs(0, 1),
    jmp.eq(0x45, 0, 7),
    ld.abs(9, 1),
    jmp.eq(0x11, 0, 5),
    ld.abs(23, 1),
    jmp.eq(67, 0, 3),
    ld.abs(28, 1),
    jmp.eq(1, 0, 1),
    ret.k(0xffffffff),
    ret.k(0),
  ]);
  const d = await decompile(f, { linktype: 'RAW', profile: 'linux' });
  assert.equal(d.expression, 'link[0] = 69 and link[9] = 17 and link[23] = 67 and link[28] = 1');
  assert.equal(d.proof, 'value');
  assert.equal(d.snaplen, 0xffffffff);
});

test('cbpf decompile: a tc blob, an iptables blob, tcpdump -dd text, Linux metadata, bad text', async () => {
  const tc = await runCli(['decompile', '4,40 0 0 12,21 0 1 2048,6 0 0 65535,6 0 0 0']);
  assert.equal(tc.code, 0, tc.stderr);
  assert.equal(tc.stdout, 'ip\n');
  assert.match(tc.stderr, /# proven: the same result .* -s 65535/);
  // iptables -m bpf --bytecode: the same comma form, run on the IP header (RAW), accepting with 1.
  const ipt = await runCli(['decompile', '-y', 'RAW', '4,48 0 0 9,21 0 1 6,6 0 0 1,6 0 0 0']);
  assert.equal(ipt.code, 0, ipt.stderr);
  assert.equal(ipt.stdout, 'link[9] = 6\n');
  assert.match(ipt.stderr, /# proven: .* -y RAW -s 1\b/);
  // tcpdump -dd output on stdin (the C initializer form).
  const dd = spawnSync('tcpdump', ['-dd', '-y', 'EN10MB', 'udp dst port 67'], { encoding: 'utf8' });
  assert.equal(dd.status, 0, `tcpdump -dd: ${dd.error ?? dd.stderr}`);
  const fromDd = await runCli(['decompile'], dd.stdout);
  assert.equal(fromDd.code, 0, fromDd.stderr);
  assert.match(fromDd.stdout, /udp dst port 67/);
  assert.match(fromDd.stderr, /# proven: /);
  // `ld #proto` (SKF_AD_PROTOCOL) has no pcap-filter spelling: the tree, exit 1.
  const meta = await runCli(['decompile', '4,32 0 0 4294963200,21 0 1 2048,6 0 0 65535,6 0 0 0']);
  assert.equal(meta.code, 1);
  assert.match(meta.stdout, /^if skb\.protocol = 0x800/);
  assert.match(meta.stderr, /Linux metadata/);
  const bad = await runCli(['decompile', '3,40 0 0 12,oops']);
  assert.equal(bad.code, 2);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});
