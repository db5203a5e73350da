// The playground's pure parts: what the editor holds, the control-flow graph and its layout, the
// listing, the field tree, the URL, the worker's replies and the trace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile } from '../../src/compiler/index.js';
import { parseTcpdumpD, printTcpdumpDLine } from '../../src/core/text/index.js';
import { printTcpdumpD, printTcpdumpDDD } from '../../src/core/text/tcpdump.js';
import { run } from '../../src/core/vm.js';
import { compactListing } from '../../web/src/build.js';
import { buildGraph, splitLeaves } from '../../web/src/cfg.js';
import { packetFields } from '../../web/src/fields.js';
import { layoutProgram } from '../../web/src/graph-layout.js';
import { createHandler } from '../../web/src/handler.js';
import { hexPackets, samplePackets } from '../../web/src/packets.js';
import { PRESETS } from '../../web/src/presets.js';
import type { Reply } from '../../web/src/protocol.js';
import { buildProgram, detectKind, type SourceOptions } from '../../web/src/source.js';
import { traceRun } from '../../web/src/stepper.js';
import { readUrl, writeUrl } from '../../web/src/url-state.js';
import { segmentCrosses } from '../helpers/geometry.js';

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

const HOSTS12 = Array.from({ length: 12 }, (_, i) => `host 10.0.0.${i + 1}`).join(' or ');

test('splitLeaves: a shared ret is drawn once per edge into it, and nothing else changes', () => {
  for (const [expr, optimize] of [
    ['arp and arp[6:2] = 2', true],
    [HOSTS12, false],
  ] as const) {
    const g = buildGraph(compile(expr, { optimize }));
    const d = splitLeaves(g);
    assert.equal(d.edges.length, g.edges.length);
    const into = new Map<number, number>();
    d.edges.forEach((e, i) => {
      assert.equal(d.nodes[e.from].block, g.edges[i].from);
      assert.equal(d.nodes[e.to].block, g.edges[i].to);
      into.set(e.to, (into.get(e.to) ?? 0) + 1);
    });
    d.nodes.forEach((n, i) => {
      const b = g.blocks[n.block];
      if (b.leaf && b.start === b.end)
        assert.ok((into.get(i) ?? 0) <= 1, `${expr}: leaf copy ${i}`);
    });
    for (const b of g.blocks) assert.equal(d.nodes[d.nodeOf[b.id]].block, b.id);
  }
});

test('layoutProgram: boxes never overlap, edges run from bottom to top and around every other box', () => {
  for (const [expr, optimize] of [
    ['arp and arp[6:2] = 2', true],
    ['tcp port 80 or udp port 53', true],
    ['ip6 and (tcp or udp) and not port 22', false],
    ['host 10.0.0.1 and (tcp port 22 or tcp port 443)', false],
    ['vlan and ip host 10.0.0.1', false],
    ['tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 and not src net 10.0.0.0/8', false],
    [HOSTS12, true],
    [HOSTS12, false],
  ] as const) {
    const program = compile(expr, { optimize });
    const l = layoutProgram(program);
    if (expr === HOSTS12 && !optimize)
      assert.equal(program.length, 298, 'the 300-instruction graph');
    const n = l.nodes;
    for (let i = 0; i < n.length; i++) {
      assert.ok(n[i].x >= 0 && n[i].y >= 0 && n[i].x + n[i].width <= l.width + 0.5);
      for (let j = i + 1; j < n.length; j++) {
        const apart =
          n[i].x + n[i].width <= n[j].x ||
          n[j].x + n[j].width <= n[i].x ||
          n[i].y + n[i].height <= n[j].y ||
          n[j].y + n[j].height <= n[i].y;
        assert.ok(apart, `${expr}: boxes ${i} and ${j} overlap`);
      }
    }
    for (const e of l.edges) {
      const p = e.points;
      assert.equal(p[1], n[e.from].y + n[e.from].height, `${expr}: edge leaves the bottom`);
      assert.equal(p[p.length - 1], n[e.to].y, `${expr}: edge enters the top`);
      for (let k = 0; k + 3 < p.length; k += 2)
        n.forEach((b, i) => {
          if (i !== e.from && i !== e.to)
            assert.ok(
              !segmentCrosses(p.slice(k, k + 4), b),
              `${expr}: an edge runs through box ${i}`,
            );
        });
    }
    // Every instruction is in one box (a split leaf's in several), each box's lines are its own.
    for (let pc = 0; pc < program.length; pc++)
      assert.ok(n.some((b) => b.start <= pc && pc <= b.end));
    for (const b of n.filter((b) => b.leaf))
      assert.match(b.lines.at(-1) ?? '', b.leaf === 'drop' ? /drop/ : /accept|returns A/);
  }
});

test('compactListing: narrower columns, and still tcpdump -d text that reads back as the program', () => {
  for (const expr of ['ip and udp dst port 53', 'tcp[tcpflags] & tcp-syn != 0 or arp', HOSTS12]) {
    const program = compile(expr);
    const wide = program.map((x, pc) => printTcpdumpDLine(x, pc));
    const narrow = compactListing(wide);
    assert.ok(Math.max(...narrow.map((l) => l.length)) < Math.max(...wide.map((l) => l.length)));
    assert.deepEqual(parseTcpdumpD(narrow.join('\n')), parseTcpdumpD(wide.join('\n')), expr);
  }
});

test('packetFields: each sample decodes to headers whose fields lie in the frame', () => {
  const s = samplePackets();
  const kinds: string[][] = [];
  for (let i = 0; i < s.count; i++) {
    const headers = packetFields(s.bytes(i), 1);
    kinds.push(headers.map((h) => h.title.split(/[ ,]/)[0]));
    for (const h of headers)
      for (const f of h.fields)
        assert.ok(f.offset >= 0 && f.offset + f.length <= s.bytes(i).length, `${i}: ${f.name}`);
  }
  assert.deepEqual(kinds, [
    ['Ethernet', 'ARP'],
    ['Ethernet', 'ARP'],
    ['Ethernet', 'IPv4', 'UDP', 'DHCP'],
    ['Ethernet', 'IPv4', 'UDP', 'DNS'],
    ['Ethernet', 'IPv4', 'TCP', 'data'],
  ]);
  // The bytes `ldh [12]` and `ldb [23]` read are the EtherType and the IP protocol.
  const dns = packetFields(s.bytes(3), 1);
  const at = (o: number) =>
    dns.flatMap((h) => h.fields).find((f) => f.offset === o && f.length <= 2);
  assert.equal(at(12)?.name, 'type');
  assert.equal(at(23)?.name, 'protocol');
  assert.equal(at(23)?.value, '17 (UDP)');
  assert.deepEqual(
    packetFields(new Uint8Array(3), 1).map((h) => h.truncated),
    [true],
  );
});

test('the URL fragment carries the source and options, and reads back', () => {
  const state = {
    text: 'tcp port 80 & "x"#',
    mode: 'auto',
    linktype: 'LINUX_SLL',
    profile: 'bsd',
    optimize: false,
    sample: 3,
  };
  assert.deepEqual(readUrl(writeUrl(state)), state);
  const { sample: _, ...rest } = state;
  assert.deepEqual(readUrl(writeUrl({ ...rest, optimize: true })), { ...rest, optimize: true });
  assert.deepEqual(readUrl(''), {});
  assert.deepEqual(readUrl('#s=-1&e=arp'), { text: 'arp', optimize: true });
});

test('the worker answers a build with the unoptimized program, the optimized one, then the graph', () => {
  const replies: Reply[] = [];
  const handle = createHandler((r) => replies.push(r));
  const params = {
    text: 'ip and udp dst port 53',
    mode: 'auto',
    linktype: 'EN10MB',
    profile: 'linux',
  } as const;
  handle({ kind: 'build', id: 7, ...params, optimize: true });
  assert.deepEqual(
    replies.map((r) => [r.kind, r.id, r.kind === 'program' ? r.optimized : undefined]),
    [
      ['program', 7, false],
      ['program', 7, true],
      ['graph', 7, undefined],
    ],
  );
  const [plain, opt, graph] = replies;
  assert.ok(plain.kind === 'program' && plain.built.ok);
  assert.deepEqual(plain.built.program, compile(params.text, { optimize: false }));
  assert.ok(opt.kind === 'program' && opt.built.ok);
  assert.deepEqual(opt.built.program, compile(params.text));
  assert.equal(opt.built.lines?.length, opt.built.program.length);
  assert.ok(graph.kind === 'graph' && graph.graph.drawn && graph.graph.layout.blocks > 3);

  // Program text: one program, as written; an error: no graph; a long program: not drawn unasked.
  replies.length = 0;
  handle({ kind: 'build', id: 8, ...params, text: 'ld #1\nret a', optimize: true });
  assert.deepEqual(
    replies.map((r) => r.kind === 'program' && r.optimized),
    [undefined, false],
  );
  replies.length = 0;
  handle({ kind: 'build', id: 9, ...params, text: 'tcp port 99999', optimize: true });
  const last = replies.at(-1);
  assert.ok(last?.kind === 'graph' && !last.graph.drawn && last.graph.reason === 'none');
  replies.length = 0;
  const many = Array.from({ length: 30 }, (_, i) => `host 10.0.${i}.1`).join(' or ');
  handle({ kind: 'build', id: 10, ...params, text: many, optimize: false });
  const big = replies.at(-1);
  assert.ok(big?.kind === 'graph' && !big.graph.drawn && big.graph.reason === 'too-large');
  replies.length = 0;
  handle({ kind: 'layout', id: 11, params: { ...params, text: many, optimize: false } });
  assert.ok(replies[0]?.kind === 'graph' && replies[0].graph.drawn);
});
