// Where the compiler meets libpcap's limits, against tcpdump: filters whose verdict does not depend on the
// packet (one `ret`, as libpcap's), protochain 9 to 16 extension headers deep, libpcap's number spellings and
// their errors, long expressions, and the optimizer's work budget (past it, a correct, less optimized
// program).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompileError, compile, emit, lower, parse } from '../../src/compiler/index.js';
import { optimize } from '../../src/compiler/optimize/index.js';
import { WALK_DEPTH } from '../../src/compiler/walk.js';
import type { RawInsn } from '../../src/core/insn.js';
import { DLT } from '../../src/core/opcodes.js';
import { assertValid } from '../../src/core/validate.js';
import { run } from '../../src/core/vm.js';
import { buildEthernet, buildIpv6, buildTransport } from '../../src/packets/index.js';
import { rng } from '../helpers/gen-linux-program.js';
import { synthPackets } from './synth-packets.js';
import { askTcpdump, type OracleAnswer, oracleKey } from './tcpdump-oracle.js';

const programOf = (a: OracleAnswer | undefined, what: string): RawInsn[] => {
  if (!a || 'error' in a)
    throw new Error(`tcpdump refuses ${what}: ${a && 'error' in a ? a.error : '?'}`);
  return a.program;
};
const accepts = (p: RawInsn[], data: Uint8Array, wirelen = data.length) =>
  run(p, data, { wirelen, profile: 'libpcap' }) !== 0;

/** Generated Ethernet frames, their cuts, and frames of every length up to 60 bytes. */
function etherPackets(): { data: Uint8Array; wirelen: number }[] {
  const out = synthPackets('EN10MB').map((p) => ({ data: p.data, wirelen: p.wirelen }));
  for (let n = 0; n <= 60; n++) {
    out.push({ data: new Uint8Array(n), wirelen: n });
    out.push({ data: new Uint8Array(n).fill(0xff), wirelen: n });
  }
  return out;
}

test("a filter whose verdict does not depend on the packet is one ret where tcpdump's is, with its verdict on frames of every length", async () => {
  const exprs = [
    'port 80 or not port 80',
    'tcp or not tcp',
    'tcp port 80 or not tcp port 80',
    'host 1.2.3.4 or not host 1.2.3.4',
    'ip6 or not ip6',
    'not (tcp or udp) or udp or tcp',
    'udp port 53 or not udp port 53',
    'tcp[13] & 2 != 0 or not tcp[13] & 2 != 0',
    // libpcap does not see these through: they keep their loads here too.
    'portrange 1-100 or not portrange 1-100',
    'ip[2:2] > 100 or ip[2:2] <= 100',
  ];
  const rows = exprs.flatMap((expr) => [
    { dlt: 'EN10MB', expr },
    { dlt: 'EN10MB', expr, unoptimized: true },
  ]);
  const answers = await askTcpdump(rows);
  const packets = etherPackets();
  const failures: string[] = [];
  let folded = 0;
  for (const expr of exprs) {
    const ref = programOf(answers.get(oracleKey({ dlt: 'EN10MB', expr })), expr);
    const unopt = programOf(
      answers.get(oracleKey({ dlt: 'EN10MB', expr, unoptimized: true })),
      expr,
    );
    const ours = compile(expr);
    if (ref.length === 1) {
      folded++;
      if (ours.length !== 1 || ours[0]?.k !== ref[0]?.k)
        failures.push(`'${expr}': tcpdump compiles it to one ret, cbpf to ${ours.length}`);
      continue;
    }
    for (const p of packets) {
      const got = accepts(ours, p.data, p.wirelen);
      if (got !== accepts(ref, p.data, p.wirelen) && got !== accepts(unopt, p.data, p.wirelen)) {
        failures.push(`'${expr}' on a ${p.data.length}-byte frame: cbpf ${got}`);
        break;
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.equal(folded, 8);
  // The frame: 6 bytes, accepted by tcpdump's one-instruction program.
  assert.equal(run(compile('port 80 or not port 80'), new Uint8Array(6)), 262144);
});

const SKIPPABLE = [0, 60, 43, 44] as const;

/** An IPv6 packet whose transport (or `last`) sits behind `kinds`, each an extension header. */
function chained(kinds: readonly number[], last: 6 | 17 | 58 | 59): Uint8Array {
  const ip = { version: 6 as const, src: 'fe80::1', dst: 'fe80::2' };
  let next: number = last;
  let body =
    last === 6 || last === 17
      ? buildTransport(
          ip,
          last === 6
            ? { kind: 'tcp', srcPort: 1024, dstPort: 80 }
            : { kind: 'udp', srcPort: 1024, dstPort: 53 },
        ).bytes
      : new Uint8Array(8);
  for (let i = kinds.length - 1; i >= 0; i--) {
    const kind = kinds[i] as number;
    const len = kind === 44 ? 0 : i % 3 === 0 ? 1 : 0;
    const h = new Uint8Array((len + 1) * 8 + body.length);
    h[0] = next;
    h[1] = len;
    h.set(body, (len + 1) * 8);
    next = kind;
    body = h;
  }
  return buildEthernet({ ethertype: 0x86dd }, buildIpv6({ ...ip, nextHeader: next }, body));
}

test(`protochain walks ${WALK_DEPTH} headers: tcpdump's verdicts behind 9 to 16 extension headers, and the walk is shared`, async () => {
  assert.ok(WALK_DEPTH >= 16);
  const r = rng(0x9c4a1);
  const packets: Uint8Array[] = [];
  for (let n = 9; n <= WALK_DEPTH; n++)
    for (const last of [6, 17, 58, 59] as const)
      for (let j = 0; j < 3; j++) {
        const kinds = Array.from({ length: n }, () => SKIPPABLE[Math.floor(r() * 4)] as number);
        const p = chained(kinds, last);
        packets.push(p);
        for (const cut of [54, 80, 120, p.length - 1])
          if (cut < p.length) packets.push(p.subarray(0, cut));
      }
  const shared = Array.from({ length: 25 }, (_, i) => `ip6 protochain ${i + 1}`).join(' or ');
  const exprs = [
    'ip6 protochain 6',
    'ip6 protochain 17',
    'protochain 58',
    'ip6 protochain 59',
    'ip6 protochain 0',
    'ip6 protochain 44',
    'ip6 protochain 60',
    'not ip6 protochain 6',
    'ip6 protochain 6 or tcp or ip6 protochain 17',
    shared,
  ];
  const answers = await askTcpdump(exprs.map((expr) => ({ dlt: 'EN10MB', expr })));
  const failures: string[] = [];
  let deepMatches = 0;
  for (const expr of exprs) {
    const ref = programOf(answers.get(oracleKey({ dlt: 'EN10MB', expr })), expr);
    const ours = compile(expr);
    for (const p of packets) {
      const got = accepts(ours, p);
      if (got !== accepts(ref, p)) {
        failures.push(`'${expr.slice(0, 60)}' on a ${p.length}-byte chain: cbpf ${got}`);
        break;
      }
      if (got && expr === 'ip6 protochain 6' && p.length > 200) deepMatches++;
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(deepMatches >= 8, `${deepMatches} deep TCP chains matched`);
  // 25 protochains walk once: fewer instructions than libpcap's 25 loops (869).
  const n = compile(shared).length;
  const theirs = programOf(answers.get(oracleKey({ dlt: 'EN10MB', expr: shared })), shared).length;
  assert.ok(n < theirs && n < 2 * compile('ip6 protochain 6').length, `${n} vs tcpdump ${theirs}`);
  // One header more than the walk takes: rejected here where libpcap would go on (the README says so).
  const deep = chained(Array(WALK_DEPTH + 1).fill(60), 6);
  assert.equal(accepts(compile('ip6 protochain 6'), deep), false);
  assert.equal(accepts(compile('ip6 protochain 60'), deep), true);
});

test("numbers as libpcap's scanner reads them: a leading 0 is octal, with its errors word for word", async () => {
  const invalid = [
    'port 0080',
    'ip[0] = 08',
    'port 09',
    'ip[0] = 4294967296',
    'ip[0] = 0x100000000',
  ];
  const valid = [
    'ip[0] = 010',
    'port 00',
    'ip[0] = 0X1f',
    'port 0120',
    'ip[9] = 021',
    'udp port 065',
  ];
  const answers = await askTcpdump([...invalid, ...valid].map((expr) => ({ dlt: 'EN10MB', expr })));
  for (const expr of invalid) {
    const ref = answers.get(oracleKey({ dlt: 'EN10MB', expr }));
    assert.ok(ref && 'error' in ref, `tcpdump compiles '${expr}'`);
    assert.throws(
      () => compile(expr),
      (e: unknown) => e instanceof CompileError && `tcpdump: ${e.message}` === ref.error,
      `'${expr}': tcpdump says ${ref.error}`,
    );
  }
  const packets = etherPackets();
  for (const expr of valid) {
    const ref = programOf(answers.get(oracleKey({ dlt: 'EN10MB', expr })), expr);
    const ours = compile(expr);
    for (const p of packets.filter((q) => q.data.length === q.wirelen))
      assert.equal(accepts(ours, p.data), accepts(ref, p.data), `'${expr}'`);
  }
});

test("long expressions libpcap compiles: over 50,000 tokens, 1,000 arithmetic operators in all, groups 400 deep, 1,001 nots, 1,500 and 5,000 switches of and/or, with tcpdump's verdicts", async () => {
  // 2,200 comparisons of one value with 22 operators each (52,800 tokens; a walk down this chain from
  // every member made the optimizer quadratic), and 1,500 comparisons of TCP flag bytes.
  const exprs = [
    Array.from({ length: 2200 }, (_, i) => `len+1+1+1+1+1+1+1+1+1+1=${60 + i}`).join(' or '),
    Array.from({ length: 1500 }, (_, i) => `tcp[${i % 40}] & ${1 + (i % 200)} != 0`).join(' or '),
    // A generated filter's groups, 400 deep: `((tcp port 1 or tcp port 2) or tcp port 3) ...`, and the
    // other way, alternating `and` and `or`: `(port 1 and (port 2 or (port 3 and ...)))`.
    Array.from({ length: 400 }, (_, i) => `tcp port ${i + 1}`).reduce((e, t) => `(${e} or ${t})`),
    Array.from({ length: 400 }, (_, i) => `port ${i + 1}`).reduceRight(
      (e, t, i) => `(${t} ${i % 2 ? 'or' : 'and'} ${e})`,
    ),
    // 1,001 nots.
    `${'not '.repeat(1001)}tcp`,
    // 1,500 switches between `or` and `and`, each nesting the predicate a level.
    `ip${Array.from({ length: 1500 }, (_, i) => (i % 2 ? ` and ip[1] = ${i & 255}` : ` or ip[2] = ${i & 255}`)).join('')}`,
  ];
  const answers = await askTcpdump(
    exprs.flatMap((expr) => [
      { dlt: 'EN10MB', expr },
      { dlt: 'EN10MB', expr, unoptimized: true },
    ]),
  );
  const packets = etherPackets();
  const failures: string[] = [];
  for (const expr of exprs) {
    const what = `'${expr.slice(0, 40)}...'`;
    const ref = programOf(answers.get(oracleKey({ dlt: 'EN10MB', expr })), what);
    const unopt = programOf(
      answers.get(oracleKey({ dlt: 'EN10MB', expr, unoptimized: true })),
      what,
    );
    const ours = compile(expr);
    assertValid(ours, 'libpcap');
    for (const p of packets) {
      const got = accepts(ours, p.data, p.wirelen);
      if (got !== accepts(ref, p.data, p.wirelen) && got !== accepts(unopt, p.data, p.wirelen)) {
        failures.push(`${what} on a ${p.data.length}-byte frame: cbpf ${got}`);
        break;
      }
    }
  }
  assert.deepEqual(failures, []);
  // 5,000 switches that contradict (`tcp or icmp and udp or icmp and udp ...`): refused as tcpdump does.
  const contradiction = `tcp${' or icmp and udp'.repeat(2500)}`;
  const refusal = (await askTcpdump([{ dlt: 'EN10MB', expr: contradiction }])).get(
    oracleKey({ dlt: 'EN10MB', expr: contradiction }),
  );
  assert.deepEqual(refusal, { error: 'tcpdump: expression rejects all packets' });
  assert.throws(() => compile(contradiction), { code: 'REJECTS_ALL' });
  // The limit is per comparison: past 1,000 operators in one, TOO_COMPLEX.
  assert.throws(() => compile(`len${'+1'.repeat(1001)} = 5`), { code: 'TOO_COMPLEX' });
});

test('past its work budget the optimizer stops with a correct program: the verdicts of the unoptimized one', async () => {
  const hosts = Array.from({ length: 40 }, (_, i) => `host 10.0.${i}.1`).join(' or ');
  const exprs = [
    'tcp port 80',
    'host 10.0.0.1 and (tcp port 22 or tcp port 443)',
    'ip6 net fe80::/10',
    'port 80 or not port 80',
    'not (tcp or udp) and ip[2:2] > 100',
    'tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn',
    hosts,
  ];
  const answers = await askTcpdump(
    exprs.flatMap((expr) => [
      { dlt: 'EN10MB', expr },
      { dlt: 'EN10MB', expr, unoptimized: true },
    ]),
  );
  const packets = synthPackets('EN10MB');
  const failures: string[] = [];
  let cutShort = 0;
  for (const expr of exprs) {
    const ref = programOf(answers.get(oracleKey({ dlt: 'EN10MB', expr })), expr);
    const refO = programOf(
      answers.get(oracleKey({ dlt: 'EN10MB', expr, unoptimized: true })),
      expr,
    );
    const ir = lower(parse(expr), { linktype: DLT.EN10MB });
    const unoptimized = emit(ir);
    const full = emit(optimize(ir)).length;
    for (const budget of [0, 10, 100, 1000, 10_000]) {
      const program = emit(optimize(ir, { budget }));
      assertValid(program, 'linux');
      if (program.length > full) cutShort++;
      for (const p of packets) {
        const got = accepts(program, p.data, p.wirelen);
        // The first stage drops loads libpcap's optimizer drops: on a packet too short for one of them,
        // tcpdump's programs are the reference, as in compiler.test.ts.
        if (
          got !== accepts(unoptimized, p.data, p.wirelen) &&
          got !== accepts(ref, p.data, p.wirelen) &&
          got !== accepts(refO, p.data, p.wirelen)
        ) {
          failures.push(`'${expr.slice(0, 50)}' at budget ${budget} on ${p.file}: ${got}`);
          break;
        }
      }
    }
  }
  assert.deepEqual(failures, []);
  // The small budgets did stop the optimizer short (else this test shows nothing).
  assert.ok(cutShort >= exprs.length, `${cutShort} programs longer than the fully optimized one`);
  // compile() takes the budget too.
  assert.deepEqual(compile(hosts, { budget: 0 }), compile(hosts, { optimize: false }));
  assert.ok(compile(hosts, { budget: 1000 }).length > compile(hosts).length);
});
