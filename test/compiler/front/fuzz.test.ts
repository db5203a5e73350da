// Robustness: random and mutated expressions give a compiled CFG or a CompileError, never another exception;
// huge or deeply nested input gives TOO_COMPLEX quickly instead of a stack overflow.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatExpr } from '../../../src/compiler/ast-print.js';
import { CompileError } from '../../../src/compiler/errors.js';
import { compile } from '../../../src/compiler/index.js';
import { lower } from '../../../src/compiler/lower/index.js';
import { parse } from '../../../src/compiler/parser.js';

/** The first eight, and link types with their own keywords or variable-length headers. */
// biome-ignore format: a list
const LINKTYPES = [
  0, 1, 101, 108, 113, 228, 229, 276, 105, 127, 163, 119, 192, 117, 123, 9, 104, 107, 7, 6, 10, 178, 140,
  132, 149,
];

/** Compiles all the way (optimizer, emitter, validator); only a CompileError may come out. */
function compileOrError(src: string, linktype: number): void {
  try {
    compile(src, { linktype });
  } catch (e) {
    if (e instanceof CompileError) {
      assert.ok(
        e.span[0] >= 0 && e.span[0] <= e.span[1] && e.span[1] <= src.length,
        `bad span ${e.span} for ${JSON.stringify(src)}`,
      );
      return;
    }
    throw new Error(`${JSON.stringify(src)} on ${linktype}: ${String(e)}`);
  }
}

const WORDS = [
  'ip',
  'ip6',
  'arp',
  'rarp',
  'tcp',
  'udp',
  'icmp',
  'icmp6',
  'sctp',
  'ether',
  'link',
  'host',
  'net',
  'port',
  'portrange',
  'src',
  'dst',
  'proto',
  'protochain',
  'and',
  'or',
  'not',
  '&&',
  '||',
  '!',
  '(',
  ')',
  '[',
  ']',
  ':',
  'len',
  'less',
  'greater',
  'vlan',
  'mpls',
  'pppoes',
  'pppoed',
  'broadcast',
  'multicast',
  'inbound',
  'outbound',
  'ifindex',
  'mask',
  'gateway',
  '80',
  '0',
  '1',
  '2',
  '4',
  '0x800',
  '65535',
  '99999',
  '4095',
  '10.0.0.1',
  '192.168',
  '10.0.0.0/8',
  '255.0.0.0',
  'fe80::1',
  '::/0',
  'aa:bb:cc:dd:ee:ff',
  '1:2:3',
  'http',
  'domain',
  '\\tcp',
  'foo',
  'tcpflags',
  'tcp-syn',
  '=',
  '==',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '^',
  '<<',
  '>>',
  '1-100',
  'type',
  'subtype',
  'dir',
  'mgt',
  'beacon',
  'tods',
  'wlan',
  'addr1',
  'ta',
  'on',
  'eth0',
  'rnr',
  'reason',
  'action',
  'pass',
  'vpi',
  'vci',
  'lane',
  'oamf4',
  'connectmsg',
  'llc',
  'ui',
  'rr',
  'geneve',
  'decnet',
  '63.1023',
  '$0a',
  'radio',
  'fisu',
  'sio',
  'byte',
  'iso',
  'clnp',
  'atalk',
  '525400aabbcc',
];

const SEEDS = [
  'tcp port 80',
  'host 10.0.0.1 and not port 22',
  'ether host aa:bb:cc:dd:ee:ff or arp',
  'vlan 10 and ip6 net fe80::/10',
  'tcp[tcpflags] & (tcp-syn|tcp-ack) != 0',
  'udp dst portrange 1000-2000',
  'ip[ip[0] & 0xf] > 3 or len < 60',
  'ip6 protochain 6',
  'pppoes 3 and ip host 1.2.3.4',
  'not (icmp or icmp6) and greater 100',
  'type data subtype qos-data and wlan addr2 1:2:3:4:5:6',
  'len > 200 and ip and radio[2:2] = 0x1800',
  'on eth0 and action pass or rnr 3',
  'lane and vpi (1 or 2) and ether host 1:2:3:4:5:6',
  'geneve 5 and llc ui or decnet src 1.1024',
];

test('random token sequences compile or throw CompileError', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...WORDS), { maxLength: 14 }),
      fc.constantFrom(...LINKTYPES),
      (words, lt) => {
        compileOrError(words.join(' '), lt);
      },
    ),
    { numRuns: 3000 },
  );
});

test('random strings compile or throw CompileError', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), fc.constantFrom(...LINKTYPES), (s, lt) =>
      compileOrError(s, lt),
    ),
    { numRuns: 2000 },
  );
});

test('mutated valid expressions compile or throw CompileError', () => {
  const mutant = fc
    .tuple(
      fc.constantFrom(...SEEDS),
      fc.nat(),
      fc.nat(),
      fc.constantFrom('', ' ', '(', ')', ':', '.', '-', '0', 'x', 'and', '[', ']', '::', '/'),
    )
    .map(([s, a, b, ins]) => {
      const i = a % (s.length + 1);
      const j = Math.min(s.length, i + (b % 4));
      return s.slice(0, i) + ins + s.slice(j);
    });
  fc.assert(
    fc.property(mutant, fc.constantFrom(...LINKTYPES), (s, lt) => compileOrError(s, lt)),
    { numRuns: 3000 },
  );
});

test('100,000 nested parentheses or nots: no stack overflow; boolean groups to any depth, arithmetic past 200 levels TOO_COMPLEX', () => {
  assert.throws(() => lower(parse(`${'-'.repeat(100000)}1 > 0`), { linktype: 1 }), {
    code: 'TOO_COMPLEX',
  });
  assert.throws(
    () => lower(parse(`${'('.repeat(300)}ip[0]${')'.repeat(300)} > 0`), { linktype: 1 }),
    {
      code: 'TOO_COMPLEX',
    },
  );
  assert.throws(() => lower(parse(`ip[0]${' + 1'.repeat(3000)} > 0`), { linktype: 1 }), {
    code: 'TOO_COMPLEX',
  });
  assert.throws(() => parse('('.repeat(100000)), { code: 'SYNTAX' });
  // Groups, on either side of an and/or or under a not, are parsed, lowered and printed with stacks:
  // libpcap takes generated filters nested like these thousands deep, and so does cbpf.
  const ports = Array.from({ length: 5000 }, (_, i) => `tcp port ${i}`);
  const left = ports.reduce((e, t) => `(${e} or ${t})`);
  const right = ports.reduceRight((e, t) => `(${t} or ${e})`);
  const flat = lower(parse(ports.join(' or ')), { linktype: 1 });
  assert.ok(flat.blocks.length > 5000);
  assert.deepEqual(lower(parse(left), { linktype: 1 }), flat);
  assert.deepEqual(lower(parse(right), { linktype: 1 }), flat);
  assert.equal(formatExpr(parse(right)).length, formatExpr(parse(left)).length);
  const negated = `${'not ('.repeat(5000)}tcp${' and udp)'.repeat(5000)}`;
  assert.ok(lower(parse(negated), { linktype: 1 }).blocks.length > 2);
  // A run of nots too: an even number cancels.
  assert.deepEqual(
    lower(parse(`${'not '.repeat(100000)}tcp`), { linktype: 1 }),
    lower(parse('tcp'), { linktype: 1 }),
  );
  assert.deepEqual(
    lower(parse(`${'not '.repeat(100001)}tcp`), { linktype: 1 }),
    lower(parse('not tcp'), { linktype: 1 }),
  );
  assert.equal(formatExpr(parse(`${'not '.repeat(5000)}tcp`)), `${'!'.repeat(5000)}tcp`);
  assert.deepEqual(parse(`${'('.repeat(100000)}tcp${')'.repeat(100000)}`), {
    kind: 'protoAbbrev',
    proto: 'tcp',
    span: [0, 200003],
  });
});

test('alternating and/or chains past the bound: TOO_COMPLEX, no stack overflow', () => {
  const alt = (n: number) =>
    `tcp${Array.from({ length: n }, (_, i) => (i % 2 ? ' and udp' : ' or icmp')).join('')}`;
  assert.throws(() => lower(parse(alt(50_002)), { linktype: 1 }), { code: 'TOO_COMPLEX' });
  // Each switch nests the predicate a level: 49,000 of them are walked without recursion.
  assert.ok(lower(parse(alt(49_000)), { linktype: 1 }).blocks.length > 2);
  assert.ok(lower(parse(alt(1000)), { linktype: 1 }).blocks.length > 1000);
  const nested = `${'(tcp and udp or '.repeat(190)}udp${')'.repeat(190)}${Array.from({ length: 800 }, (_, i) => (i % 2 ? ' and not udp' : ' or not icmp')).join('')}`;
  assert.ok(lower(parse(nested), { linktype: 1 }).blocks.length > 1000);
});

test('long but legal expressions lower without recursion trouble', () => {
  const hosts = `host 1.1.1.1${' or 2.2.2.2'.repeat(3000)}`;
  const alternating = `tcp${Array.from({ length: 1000 }, (_, i) => (i % 2 ? ' and udp' : ' or icmp')).join('')}`;
  const nested = `${'('.repeat(190)}tcp${')'.repeat(190)}`;
  for (const src of [hosts, alternating, nested])
    assert.ok(lower(parse(src), { linktype: 1 }).blocks.length > 2);
});
