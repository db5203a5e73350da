import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { DLT } from '../../src/core/opcodes.js';
import {
  buildArpFrame,
  buildDhcpFrame,
  buildDnsQuery,
  buildIpFrame,
  createTcpSeqState,
  decodeFrame,
  formatIpv6,
  parseIpv6,
  parseMac,
  summarize,
} from '../../src/packets/index.js';
import { parseCapture } from '../../src/pcap/index.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const hex = (s: string) =>
  Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (h) => Number.parseInt(h, 16));
const kinds = (b: Uint8Array, lt: number = DLT.EN10MB) =>
  decodeFrame(b, lt).layers.map((l) => l.kind);

test("IPv6 text matches inet_ntop (RFC 5952 with glibc's v4 tails)", () => {
  const cases: Array<[string, string]> = [
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ['0:0:0:0:0:ffff:c000:201', '::ffff:192.0.2.1'],
    ['0:0:0:0:0:0:c000:201', '::192.0.2.1'],
    ['1:0:1:1:1:1:1:1', '1:0:1:1:1:1:1:1'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
  ];
  for (const [input, want] of cases) assert.equal(formatIpv6(parseIpv6(input)), want, input);
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) =>
      assert.deepEqual(parseIpv6(formatIpv6(b)), b),
    ),
  );
});

test('ARP request and reply decode and summarise as tcpdump does', () => {
  const req = buildArpFrame({
    senderMac: 'aa:bb:cc:dd:ee:01',
    senderIp: '10.0.0.1',
    targetIp: '10.0.0.5',
  });
  assert.deepEqual(kinds(req), ['ethernet', 'arp']);
  assert.equal(
    summarize(req, DLT.EN10MB),
    'ARP, Request who-has 10.0.0.5 tell 10.0.0.1, length 28',
  );
  assert.equal(
    summarize(req, DLT.EN10MB, { link: true }),
    'aa:bb:cc:dd:ee:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.0.0.5 tell 10.0.0.1, length 28',
  );
  const rep = buildArpFrame({
    op: 'reply',
    senderMac: '52:54:00:12:34:56',
    senderIp: '10.0.0.5',
    targetMac: 'aa:bb:cc:dd:ee:01',
    targetIp: '10.0.0.1',
    padTo: 60,
  });
  assert.equal(
    summarize(rep, DLT.EN10MB),
    'ARP, Reply 10.0.0.5 is-at 52:54:00:12:34:56, length 46',
  );
});

test('VLAN stacks (802.1ad, 802.1Q, 0x9100) are walked', () => {
  const f = buildArpFrame({
    senderMac: '02:00:00:00:00:01',
    senderIp: '10.0.0.1',
    targetIp: '10.0.0.2',
    vlans: [
      { vid: 200, tpid: 0x88a8 },
      { vid: 10, tpid: 0x9100 },
      { vid: 2001, pcp: 5 },
    ],
  });
  const d = decodeFrame(f, DLT.EN10MB);
  assert.deepEqual(
    d.layers.map((l) => l.kind),
    ['ethernet', 'vlan', 'vlan', 'vlan', 'arp'],
  );
  const v = d.layers.filter((l) => l.kind === 'vlan');
  assert.deepEqual(
    v.map((l) => (l.kind === 'vlan' ? [l.tpid, l.vid, l.pcp] : [])),
    [
      [0x88a8, 200, 0],
      [0x9100, 10, 0],
      [0x8100, 2001, 5],
    ],
  );
});

test('SLL, SLL2, NULL (either host order), LOOP and raw IP link types', () => {
  const ip = buildIpFrame(
    {},
    { src: '10.0.0.1', dst: '10.0.0.2' },
    { kind: 'udp', srcPort: 1000, dstPort: 2000 },
  ).subarray(14);
  const sll = new Uint8Array(16 + ip.length);
  sll.set(hex('0000 0001 0006 525400123456 0000 0800'));
  sll.set(ip, 16);
  assert.deepEqual(kinds(sll, DLT.LINUX_SLL), ['sll', 'ipv4', 'udp']);
  assert.equal(
    summarize(sll, DLT.LINUX_SLL, { link: true }),
    ' In 52:54:00:12:34:56 ethertype IPv4 (0x0800), length 44: 10.0.0.1.1000 > 10.0.0.2.2000: UDP, length 0',
  );
  const sll2 = new Uint8Array(20 + ip.length);
  sll2.set(hex('0800 0000 00000002 0001 04 06 525400123456 0000'));
  sll2.set(ip, 20);
  assert.deepEqual(kinds(sll2, DLT.LINUX_SLL2), ['sll2', 'ipv4', 'udp']);
  for (const head of ['02000000', '00000002']) {
    const n = new Uint8Array([...hex(head), ...ip]);
    assert.deepEqual(kinds(n, DLT.NULL), ['null', 'ipv4', 'udp'], head);
  }
  assert.deepEqual(kinds(new Uint8Array([...hex('00000002'), ...ip]), DLT.LOOP), [
    'null',
    'ipv4',
    'udp',
  ]);
  assert.deepEqual(kinds(ip, DLT.RAW), ['ipv4', 'udp']);
  assert.deepEqual(kinds(ip, DLT.IPV4), ['ipv4', 'udp']);
});

test('IPv4 options and fragments; IPv6 extension chain', () => {
  const f = buildIpFrame(
    {},
    { src: '1.2.3.4', dst: '5.6.7.8', options: hex('94040000'), mf: true, id: 7 },
    { kind: 'udp', srcPort: 1, dstPort: 2, payload: new Uint8Array(8) },
  );
  const d = decodeFrame(f, DLT.EN10MB);
  const ip = d.layers[1];
  assert.ok(ip.kind === 'ipv4');
  assert.equal(ip.ihl, 24);
  assert.deepEqual(
    ip.options.map((o) => o.type),
    [0x94],
  );
  assert.equal(ip.mf, true);
  assert.equal(ip.checksumValid, true);
  const frag = buildIpFrame(
    {},
    { src: '1.2.3.4', dst: '5.6.7.8', fragmentOffset: 1480 },
    { kind: 'raw', protocol: 17, payload: new Uint8Array(16) },
  );
  assert.deepEqual(kinds(frag), ['ethernet', 'ipv4', 'payload']);
  // Hop-by-hop (router alert) then destination options then ICMPv6.
  const icmp = hex('8000 0000 0001 0002');
  const ext = hex('3c00 0502 0000 0100 3a00 0104 00000000');
  const raw = new Uint8Array(40 + ext.length + icmp.length);
  raw.set(hex('60000000'), 0);
  raw[4] = 0;
  raw[5] = ext.length + icmp.length;
  raw[6] = 0;
  raw[7] = 1;
  raw.set(parseIpv6('fe80::1'), 8);
  raw.set(parseIpv6('ff02::1'), 24);
  raw.set(ext, 40);
  raw.set(icmp, 40 + ext.length);
  const d6 = decodeFrame(raw, DLT.IPV6);
  const l6 = d6.layers[0];
  assert.ok(l6.kind === 'ipv6');
  assert.deepEqual(
    l6.extensions.map((e) => e.type),
    [0, 60],
  );
  assert.equal(l6.protocol, 58);
  assert.deepEqual(
    d6.layers.map((l) => l.kind),
    ['ipv6', 'icmpv6'],
  );
  assert.equal(
    summarize(raw, DLT.IPV6),
    'IP6 fe80::1 > ff02::1: HBH DSTOPT ICMP6, echo request, id 1, seq 2, length 8',
  );
});

test('TCP flags and options, ICMP echo, DHCP and DNS summaries', () => {
  const syn = buildIpFrame(
    {},
    { src: '1.2.3.4', dst: '5.6.7.8' },
    {
      kind: 'tcp',
      srcPort: 80,
      dstPort: 1234,
      seq: 100,
      ack: 7,
      flags: 0x12,
      options: hex('020405b4 0103 0307 0402'),
    },
  );
  assert.equal(
    summarize(syn, DLT.EN10MB),
    'IP 1.2.3.4.80 > 5.6.7.8.1234: Flags [S.], seq 100, ack 7, win 65535, options [mss 1460,nop,wscale 7,sackOK,eol], length 0',
  );
  const ping = buildIpFrame(
    {},
    { src: '10.0.0.1', dst: '10.0.0.2' },
    { kind: 'icmp', id: 9, seq: 3, payload: new Uint8Array(56) },
  );
  assert.equal(
    summarize(ping, DLT.EN10MB),
    'IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 9, seq 3, length 64',
  );
  const disc = buildDhcpFrame({
    type: 'discover',
    chaddr: '52:54:00:aa:bb:cc',
    xid: 0x1234,
    hostname: 'vm1',
    clientId: true,
    requestedIp: '192.168.1.50',
  });
  assert.equal(
    summarize(disc, DLT.EN10MB),
    'IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request from 52:54:00:aa:bb:cc, length 300',
  );
  const dhcp = decodeFrame(disc, DLT.EN10MB).layers[3];
  assert.ok(dhcp.kind === 'dhcp');
  assert.equal(dhcp.messageType, 1);
  assert.equal(dhcp.hostname, 'vm1');
  assert.equal(dhcp.clientId, '01:52:54:00:aa:bb:cc');
  assert.equal(dhcp.requestedIp, '192.168.1.50');
  const dns = buildIpFrame(
    {},
    { version: 6, src: '2001:db8::1', dst: '2620:fe::9' },
    {
      kind: 'udp',
      srcPort: 12345,
      dstPort: 53,
      payload: buildDnsQuery({ id: 4660, questions: [{ name: 'example.com' }] }),
    },
  );
  assert.equal(
    summarize(dns, DLT.EN10MB),
    'IP6 2001:db8::1.12345 > 2620:fe::9.53: 4660+ A? example.com. (29)',
  );
});

test('DNS name compression, and a compression loop ends', () => {
  // Question 1 www.example.com, question 2 mail + pointer to offset 16 (example.com).
  const msg = hex(
    '0001 0100 0002 0000 0000 0000 03777777 076578616d706c65 03636f6d 00 0001 0001 046d61696c c010 001c 0001',
  );
  const f = buildIpFrame(
    {},
    { src: '10.0.0.1', dst: '10.0.0.53' },
    { kind: 'udp', srcPort: 5000, dstPort: 53, payload: msg },
  );
  const d = decodeFrame(f, DLT.EN10MB).layers.at(-1);
  assert.ok(d?.kind === 'dns');
  assert.deepEqual(
    d.questions.map((q) => [q.name, q.type]),
    [
      ['www.example.com', 1],
      ['mail.example.com', 28],
    ],
  );
  const loop = hex('0001 0100 0001 0000 0000 0000 c00c 0001 0001');
  const f2 = buildIpFrame(
    {},
    { src: '10.0.0.1', dst: '10.0.0.53' },
    { kind: 'udp', srcPort: 5000, dstPort: 53, payload: loop },
  );
  const d2 = decodeFrame(f2, DLT.EN10MB).layers.at(-1);
  assert.ok(d2?.kind === 'dns');
  assert.equal(d2.truncated, true);
});

test('decoders never throw on short or garbage input, and mark cuts as truncated', () => {
  const full = buildIpFrame(
    {},
    { src: '1.2.3.4', dst: '5.6.7.8' },
    { kind: 'tcp', srcPort: 1, dstPort: 2, payload: new Uint8Array(10) },
  );
  for (let n = 0; n < full.length; n++) {
    const d = decodeFrame(full.subarray(0, n), DLT.EN10MB);
    if (n > 0) assert.equal(d.truncated, true, `cut at ${n}`);
    summarize(full.subarray(0, n), DLT.EN10MB, { link: true });
  }
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 400 }),
      fc.constantFrom(0, 1, 101, 108, 113, 228, 229, 276, 147),
      (b, lt) => {
        const d = decodeFrame(b, lt);
        assert.ok(Array.isArray(d.layers));
        summarize(b, lt);
        summarize(b, lt, { link: true });
      },
    ),
    { numRuns: 3000 },
  );
  // Garbage under real headers: random bytes after an Ethernet/IPv4 prefix reach every decoder.
  const prefixes = [
    hex('ffffffffffff 020000000001 0800 45000000'),
    hex('ffffffffffff 020000000001 86dd 60000000'),
  ];
  fc.assert(
    fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 300 }), (p, tail) => {
      const b = new Uint8Array([...p, ...tail]);
      decodeFrame(b, DLT.EN10MB);
      summarize(b, DLT.EN10MB, { link: true });
    }),
    { numRuns: 3000 },
  );
  assert.throws(() => parseMac('zz'), RangeError);
});

test('relative TCP sequence numbers follow tcpdump without -S', () => {
  const a = { src: '10.0.0.1', dst: '10.0.0.2' };
  const b = { src: '10.0.0.2', dst: '10.0.0.1' };
  const seg = (
    ip: typeof a,
    sp: number,
    dp: number,
    seq: number,
    ack: number,
    flags: number,
    len = 0,
  ) =>
    buildIpFrame({}, ip, {
      kind: 'tcp',
      srcPort: sp,
      dstPort: dp,
      seq,
      ack,
      flags,
      payload: new Uint8Array(len),
    });
  const tcpSeq = createTcpSeqState();
  const lines = [
    seg(a, 5000, 80, 1000, 0, 0x02),
    seg(b, 80, 5000, 9000, 1001, 0x12),
    seg(a, 5000, 80, 1001, 9001, 0x10),
    seg(a, 5000, 80, 1001, 9001, 0x18, 10),
    seg(b, 80, 5000, 9001, 1011, 0x10),
  ].map((f) => summarize(f, DLT.EN10MB, { tcpSeq }).replace(/, win \d+/, ''));
  assert.deepEqual(lines, [
    'IP 10.0.0.1.5000 > 10.0.0.2.80: Flags [S], seq 1000, length 0',
    'IP 10.0.0.2.80 > 10.0.0.1.5000: Flags [S.], seq 9000, ack 1001, length 0',
    'IP 10.0.0.1.5000 > 10.0.0.2.80: Flags [.], ack 1, length 0',
    // Port 80: tcpdump hands the payload to its HTTP printer, which names the protocol.
    'IP 10.0.0.1.5000 > 10.0.0.2.80: Flags [P.], seq 1:11, ack 1, length 10: HTTP',
    'IP 10.0.0.2.80 > 10.0.0.1.5000: Flags [.], ack 11, length 0',
  ]);
});

test('mutated real frames (corpus) never make a decoder or the summary throw', () => {
  const dir = CORPUS_DIR;
  const frames: Array<{ data: Uint8Array; linktype: number }> = [];
  for (const name of readdirSync(dir).sort()) {
    if (frames.length > 3000) break;
    const { records } = parseCapture(new Uint8Array(readFileSync(dir + name)));
    for (const r of records.slice(0, 20)) frames.push({ data: r.data, linktype: r.linktype });
  }
  fc.assert(
    fc.property(
      fc.nat(frames.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.nat(),
      (i, flips, cut) => {
        const { data, linktype } = frames[i];
        const b = data.slice(0, data.length === 0 ? 0 : 1 + (cut % data.length));
        for (const [at, v] of flips) if (b.length) b[at % b.length] = v;
        for (const lt of [linktype, DLT.EN10MB, DLT.RAW]) {
          decodeFrame(b, lt);
          summarize(b, lt, { link: true, tcpSeq: createTcpSeqState() });
        }
      },
    ),
    { numRuns: 5000 },
  );
});
