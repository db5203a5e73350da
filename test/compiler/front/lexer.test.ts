// Lexer table: token kinds, values and spans for libpcap's number, address and name spellings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompileError } from '../../../src/compiler/errors.js';
import { compile } from '../../../src/compiler/index.js';
import { lex, type Token } from '../../../src/compiler/lexer.js';

const brief = (t: Token) => {
  switch (t.kind) {
    case 'num':
      return `num:${t.value}`;
    case 'id':
      return `id:${t.escaped ? '\\' : ''}${t.text}`;
    case 'kw':
      return `kw:${t.text}`;
    case 'op':
      return `op:${t.text}`;
    case 'ipv4':
      return `ipv4:${t.parts.join('.')}`;
    case 'ipv6':
      return `ipv6:${t.bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}`;
    case 'mac':
      return `mac:${t.bytes.map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    case 'eof':
      return 'eof';
  }
};

const TABLE: [string, string[]][] = [
  ['80', ['num:80', 'eof']],
  ['0x50', ['num:80', 'eof']],
  ['0120', ['num:80', 'eof']],
  ['00', ['num:0', 'eof']],
  ['0X1f', ['num:31', 'eof']],
  ['037777777', ['num:8388607', 'eof']],
  ['0xffffffff', ['num:4294967295', 'eof']],
  ['0', ['num:0', 'eof']],
  ['4294967295', ['num:4294967295', 'eof']],
  ['10', ['num:10', 'eof']],
  ['192.168', ['ipv4:192.168', 'eof']],
  ['10.1.2', ['ipv4:10.1.2', 'eof']],
  ['10.1.2.3', ['ipv4:10.1.2.3', 'eof']],
  ['aa:bb:cc:dd:ee:ff', ['mac:aa:bb:cc:dd:ee:ff', 'eof']],
  ['1:2:3:4:5:6', ['mac:01:02:03:04:05:06', 'eof']],
  ['aa-bb-cc-dd-ee-ff', ['mac:aa:bb:cc:dd:ee:ff', 'eof']],
  ['aabb.ccdd.eeff', ['mac:aa:bb:cc:dd:ee:ff', 'eof']],
  ['::1', ['ipv6:00000000000000000000000000000001', 'eof']],
  ['fe80::1', ['ipv6:fe800000000000000000000000000001', 'eof']],
  ['::ffff:1.2.3.4', ['ipv6:00000000000000000000ffff01020304', 'eof']],
  ['1:2:3:4:5:6:7:8', ['ipv6:00010002000300040005000600070008', 'eof']],
  ['\\tcp', ['id:\\tcp', 'eof']],
  ['tcp', ['kw:tcp', 'eof']],
  ['es-is', ['kw:esis', 'eof']],
  ['tcp-syn', ['num:2', 'eof']],
  ['tcpflags', ['num:13', 'eof']],
  ['icmp-echo', ['num:8', 'eof']],
  ['icmp6-echo', ['num:128', 'eof']],
  ['www.example.com', ['id:www.example.com', 'eof']],
  ['1-100', ['id:1-100', 'eof']],
  ['len-1', ['id:len-1', 'eof']],
  ['&& || ! and or not', ['kw:and', 'kw:or', 'kw:not', 'kw:and', 'kw:or', 'kw:not', 'eof']],
  ['ip[12:2]', ['kw:ip', 'op:[', 'num:12', 'op::', 'num:2', 'op:]', 'eof']],
  [
    'a>=1<=2!=3==4<<5>>6',
    [
      'id:a',
      'op:>=',
      'num:1',
      'op:<=',
      'num:2',
      'op:!=',
      'num:3',
      'op:=',
      'num:4',
      'op:<<',
      'num:5',
      'op:>>',
      'num:6',
      'eof',
    ],
  ],
  ['+-*/%&|^', ['op:+', 'op:-', 'op:*', 'op:/', 'op:%', 'op:&', 'op:|', 'op:^', 'eof']],
  // Words of letters only (read without the address patterns when they cannot be one) and their edges.
  ['face', ['id:face', 'eof']],
  ['dead:beef::1', ['ipv6:deadbeef000000000000000000000001', 'eof']],
  ['abcdefabcdef', ['mac:ab:cd:ef:ab:cd:ef', 'eof']],
  ['abcdefabcdefg', ['id:abcdefabcdefg', 'eof']],
  ['host(tcp)', ['kw:host', 'op:(', 'kw:tcp', 'op:)', 'eof']],
  ['tcp6 udp.x ab_cd Host', ['id:tcp6', 'id:udp.x', 'id:ab_cd', 'id:Host', 'eof']],
  ['ether:', ['kw:ether', 'op::', 'eof']],
  [`${'z'.repeat(200)}zzz`, [`id:${'z'.repeat(200)}`, 'id:zzz', 'eof']],
];

test('lexer table', () => {
  for (const [src, want] of TABLE) assert.deepEqual(lex(src).map(brief), want, src);
});

// Names an object inherits: a plain-object table once answered them (`port valueOf` compiled to a port).
const INHERITED = [
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
];

test('names an object inherits are plain names', () => {
  for (const name of INHERITED) assert.deepEqual(lex(name).map(brief), [`id:${name}`, 'eof'], name);
  // And unknown ones where a port, protocol or number name is looked up.
  for (const name of INHERITED)
    for (const [expr, message] of [
      [`port ${name}`, `unknown port '${name}'`],
      [`ip proto ${name}`, `unknown ip proto '${name}'`],
      [`ether proto ${name}`, `unknown ether proto '${name}'`],
      [
        `tcp[tcpflags] = ${name}`,
        `expected a number, 'len' or 'proto[offset]', found name '${name}'`,
      ],
    ])
      assert.throws(() => compile(expr as string), { message }, expr);
});

test('digit runs: numbers and addresses where a name, address or MAC cannot go on', () => {
  const cases: [string, string[]][] = [
    ['port 80)', ['kw:port', 'num:80', 'op:)', 'eof']],
    ['ip[9]=6', ['kw:ip', 'op:[', 'num:9', 'op:]', 'op:=', 'num:6', 'eof']],
    [
      'len>=1500&&len<9000',
      ['kw:len', 'op:>=', 'num:1500', 'kw:and', 'kw:len', 'op:<', 'num:9000', 'eof'],
    ],
    ['123456789012', ['mac:12:34:56:78:90:12', 'eof']],
    ['80abc', ['id:80abc', 'eof']],
    ['80.1', ['ipv4:80.1', 'eof']],
    ['80-90', ['id:80-90', 'eof']],
    // Dotted parts: IPv4 where nothing goes on after them, else what word() reads.
    ['10.0.0.1)', ['ipv4:10.0.0.1', 'op:)', 'eof']],
    ['10.0.0.1/24', ['ipv4:10.0.0.1', 'op:/', 'num:24', 'eof']],
    ['1.2.3.4:80', ['ipv4:1.2.3.4', 'op::', 'num:80', 'eof']],
    ['1234.5678.90', ['ipv4:1234.5678.90', 'eof']],
    ['1234.5678.9012', ['mac:12:34:56:78:90:12', 'eof']],
    ['1.2.3.4.5.6', ['mac:01:02:03:04:05:06', 'eof']],
    ['10.0.0.1a', ['id:10.0.0.1a', 'eof']],
    // Digits before one colon (no address has one alone), and hex numbers.
    ['ip[6:2]', ['kw:ip', 'op:[', 'num:6', 'op::', 'num:2', 'op:]', 'eof']],
    ['06:2', ['num:6', 'op::', 'num:2', 'eof']],
    ['1:ab', ['num:1', 'op::', 'id:ab', 'eof']],
    ['6:2.5', ['num:6', 'op::', 'ipv4:2.5', 'eof']],
    ['12:0x1f', ['num:12', 'op::', 'num:31', 'eof']],
    ['0x1fff]', ['num:8191', 'op:]', 'eof']],
    ['0X1F', ['num:31', 'eof']],
    ['0x1fffg', ['id:0x1fffg', 'eof']],
    ['0x', ['id:0x', 'eof']],
  ];
  for (const [src, want] of cases) assert.deepEqual(lex(src).map(brief), want, src);
  assert.throws(() => lex('12345678901'), { message: 'number 12345678901 overflows 32 bits' });
  assert.throws(() => lex('4294967296:2'), { message: 'number 4294967296 overflows 32 bits' });
  assert.throws(() => lex('0x123456789'), { message: 'number 0x123456789 overflows 32 bits' });
  assert.throws(() => lex('1:2:3'), { code: 'BAD_ADDRESS' });
  // A run as long as word()'s window goes to word(), as before these fast paths.
  const long = `1:${'a'.repeat(200)}`;
  assert.deepEqual(lex(long).map(brief), ['num:1', 'op::', `id:${'a'.repeat(200)}`, 'eof']);
});

test('names from a letter after f: letters, digits, - _ and ., ending in no - or _', () => {
  const cases: [string, string[]][] = [
    ['ip6 or icmp6', ['kw:ip6', 'kw:or', 'kw:icmp6', 'eof']],
    ['tcp-syn|tcp-ack', ['num:2', 'op:|', 'num:16', 'eof']],
    ['icmp-echo)', ['num:8', 'op:)', 'eof']],
    ['gw_1-', ['id:gw_1', 'op:-', 'eof']],
    ['h.example.', ['id:h.example.', 'eof']],
    ['x__y', ['id:x__y', 'eof']],
    ['Zz9:1', ['id:Zz9', 'op::', 'num:1', 'eof']],
    // From a-f, word() decides: an address or a MAC may start so.
    ['fe80::1', ['ipv6:fe800000000000000000000000000001', 'eof']],
    ['ab:cd:ef:01:23:45', ['mac:ab:cd:ef:01:23:45', 'eof']],
  ];
  for (const [src, want] of cases) assert.deepEqual(lex(src).map(brief), want, src);
});

test('token spans are [start, end) offsets', () => {
  assert.deepEqual(
    lex('  tcp  port 80').map((t) => t.span),
    [
      [2, 5],
      [7, 11],
      [12, 14],
      [14, 14],
    ],
  );
  assert.deepEqual(lex('ether host aa:bb:cc:dd:ee:ff')[2]?.span, [11, 28]);
});

const ERRORS: [string, string, [number, number]][] = [
  ['1:2:3', 'BAD_ADDRESS', [0, 5]],
  ['host 1::2::3', 'BAD_ADDRESS', [5, 12]],
  ['4294967296', 'OUT_OF_RANGE', [0, 10]],
  ['0x100000000', 'OUT_OF_RANGE', [0, 11]],
  ['port 0080', 'SYNTAX', [5, 9]],
  ['08', 'SYNTAX', [0, 2]],
  ['tcp $ udp', 'SYNTAX', [4, 5]],
  ['\\', 'SYNTAX', [0, 1]],
];

test("number errors say what libpcap's scanner says", () => {
  // tcpdump: "number 0080 contains non-octal digit", "number 4294967296 overflows 32 bits".
  assert.throws(() => lex('port 0080'), { message: 'number 0080 contains non-octal digit' });
  assert.throws(() => lex('ip[0] = 09'), { message: 'number 09 contains non-octal digit' });
  assert.throws(() => lex('4294967296'), { message: 'number 4294967296 overflows 32 bits' });
  assert.throws(() => lex('0x100000000'), { message: 'number 0x100000000 overflows 32 bits' });
});

test('lexer errors carry code and span', () => {
  for (const [src, code, span] of ERRORS) {
    assert.throws(
      () => lex(src),
      (e: unknown) =>
        e instanceof CompileError &&
        e.code === code &&
        e.span[0] === span[0] &&
        e.span[1] === span[1],
      src,
    );
  }
});
