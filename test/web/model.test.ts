// The playground's pure parts: what the editor holds, the control-flow graph and its layout, the trace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile } from '../../src/compiler/index.js';
import { printTcpdumpD, printTcpdumpDDD } from '../../src/core/text/tcpdump.js';
import { run } from '../../src/core/vm.js';
import { buildGraph, layoutGraph } from '../../web/src/cfg.js';
import { hexPackets, samplePackets } from '../../web/src/packets.js';
import { PRESETS } from '../../web/src/presets.js';
import { buildProgram, detectKind, type SourceOptions } from '../../web/src/source.js';
import { traceRun } from '../../web/src/stepper.js';

const OPTS: SourceOptions = { mode: 'auto', linktype: 'EN10MB', optimize: true, profile: 'linux' };

test('detectKind tells expressions from program text', () => {
  const p = compile('tcp port 80');
  assert.equal(detectKind('tcp port 80'), 'expression');
  assert.equal(detectKind('not arp and len > 100'), 'expression');
  assert.equal(detectKind(printTcpdumpD(p)), 'tcpdump-d');
  assert.equal(detectKind(printTcpdumpDDD(p)), 'tcpdump-ddd');
  assert.equal(detectKind('ldh [12]\njeq #0x806, ok, drop\nok: ret #-1\ndrop: ret #0'), 'bpf-asm');
  assert.equal(detectKind('  ld #len\n ret a'), 'bpf-asm');
});

test('buildProgram: the compiled program, or the message and span to underline', () => {
  const ok = buildProgram('ip and udp', OPTS);
  assert.ok(ok.ok);
  assert.deepEqual(ok.program, compile('ip and udp'));
  const bad = buildProgram('tcp port 99999', OPTS);
  assert.ok(!bad.ok);
  assert.deepEqual(bad.span, [9, 14]);
  const text = buildProgram('(000) ldh [12]\n(001) ret #frob', OPTS);
  assert.ok(
    !text.ok && text.kind === 'tcpdump-d' && text.span !== undefined && text.span[0] > 15,
    JSON.stringify(text),
  );
  const unopt = buildProgram('ip and udp', { ...OPTS, optimize: false });
  assert.ok(unopt.ok && unopt.program.length > ok.program.length);
  const rejected = buildProgram('ld #1', { ...OPTS, mode: 'program' });
  assert.ok(rejected.ok && rejected.warnings.length === 1, JSON.stringify(rejected));
});

test('buildGraph: blocks end at jumps and returns; true/false edges; accept and drop leaves', () => {
  const g = buildGraph(compile('arp and arp[6:2] = 2'));
  assert.deepEqual(
    g.blocks.map((b) => [b.start, b.end, b.leaf]),
    [
      [0, 1, undefined],
      [2, 3, undefined],
      [4, 4, 'accept'],
      [5, 5, 'drop'],
    ],
  );
  assert.deepEqual(g.edges, [
    { from: 0, to: 1, kind: 'true' },
    { from: 0, to: 3, kind: 'false' },
    { from: 1, to: 2, kind: 'true' },
    { from: 1, to: 3, kind: 'false' },
  ]);
});

test('layoutGraph: every edge points down and boxes in a layer do not overlap', () => {
  for (const expr of [
    'tcp port 80 or udp port 53',
    'ip6 and (tcp or udp) and not port 22',
    'vlan and ip host 10.0.0.1',
  ]) {
    const g = buildGraph(compile(expr));
    const sizes = g.blocks.map((b) => ({
      width: 100 + 7 * (b.end - b.start),
      height: 20 * (b.end - b.start + 1),
    }));
    const { placed, width, height } = layoutGraph(g, sizes);
    for (const e of g.edges)
      assert.ok(placed[e.to].y > placed[e.from].y, `${expr}: edge ${e.from}→${e.to}`);
    for (const a of placed)
      for (const b of placed)
        if (a !== b && a.layer === b.layer)
          assert.ok(a.x + a.width <= b.x || b.x + b.width <= a.x, `${expr}: overlap`);
    for (const p of placed)
      assert.ok(p.x >= 0 && p.x + p.width <= width && p.y + p.height <= height);
  }
});

test("traceRun ends in run()'s result on every sample; hex paste reads frames", () => {
  const program = compile('arp or udp port 53');
  const s = samplePackets();
  assert.equal(s.count, 5);
  for (let i = 0; i < s.count; i++) {
    const states = traceRun(program, s.bytes(i), s.wirelen(i), 'linux').states;
    assert.equal(states.at(-1)?.result, run(program, s.bytes(i)));
    assert.equal(states[0].steps, 0);
  }
  const pasted = hexPackets('0x0000:  ffff ffff ffff 5254\n0x0008: 00a1\n\naa:bb', 1);
  assert.ok(typeof pasted !== 'string');
  assert.deepEqual(
    [...pasted.bytes(0)],
    [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0xa1],
  );
  assert.deepEqual([...pasted.bytes(1)], [0xaa, 0xbb]);
  assert.equal(typeof hexPackets('abc', 1), 'string');
});

test('presets: each program and expression builds, and the pair agrees on every sample', () => {
  const s = samplePackets();
  for (let i = 0; i < PRESETS.length; i += 2) {
    const [prog, expr] = [PRESETS[i], PRESETS[i + 1]].map((p) =>
      buildProgram(p.text, { ...OPTS, linktype: p.linktype }),
    );
    assert.ok(prog.ok && prog.kind === 'bpf-asm' && prog.warnings.length === 0, PRESETS[i].label);
    assert.ok(expr.ok && expr.kind === 'expression', PRESETS[i + 1].label);
    for (let j = 0; j < s.count; j++)
      assert.equal(
        run(prog.program, s.bytes(j)) !== 0,
        run(expr.program, s.bytes(j)) !== 0,
        `${PRESETS[i].label}, sample ${j}`,
      );
  }
});

test('a -ddd paste with one bad token on line 11 is reported on line 11, in auto and program mode', () => {
  const lines = printTcpdumpDDD(compile('tcp port 80')).trimEnd().split('\n');
  lines[10] = '48 0 0 x23';
  const text = lines.join('\n');
  const at = text.indexOf('x23');
  for (const mode of ['auto', 'program'] as const) {
    const r = buildProgram(text, { ...OPTS, mode });
    assert.ok(!r.ok && r.kind === 'tcpdump-ddd', JSON.stringify(r));
    assert.match(r.message, /^11:8: /);
    assert.deepEqual(r.span, [at, at + 3]);
  }
  // bpf_asm whose first label looks like hex, or a MAC/IPv6 address, or an expression.
  assert.equal(detectKind('a: ret #0'), 'bpf-asm');
  assert.equal(detectKind('beef:\n  ret #0'), 'bpf-asm');
  assert.equal(detectKind('ether host aa:bb:cc:dd:ee:ff'), 'expression');
  assert.equal(detectKind('host fe80::1'), 'expression');
  assert.equal(detectKind('tcp\nand port 80'), 'expression');
});
