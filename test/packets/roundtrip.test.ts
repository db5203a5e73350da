// Builder -> decoder round trips (fast-check), and checksums verified by tcpdump -vv.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { DLT } from '../../src/core/opcodes.js';
import {
  buildArpFrame,
  buildDhcpFrame,
  buildIpFrame,
  DHCP_MESSAGE_TYPE,
  type DhcpMessageTypeName,
  decodeFrame,
  formatIpv4,
  formatIpv6,
  formatMac,
  type IpOptions,
  internetChecksum,
  onesSum,
  parseIpv4,
  parseIpv6,
  pseudoHeaderSum,
  type TransportSpec,
} from '../../src/packets/index.js';
import { PcapWriter } from '../../src/pcap/index.js';

const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => formatMac(b));
const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => formatIpv4(b));
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => formatIpv6(b));
// Not the ports decodeFrame reads on as DHCP or DNS (53, 67, 68, 5353): a random payload there is a
// truncated message, not the payload layer these round trips check (those protocols have their own).
const port = fc.integer({ min: 0, max: 65535 }).filter((p) => ![53, 67, 68, 5353].includes(p));
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const payload = fc.uint8Array({ maxLength: 64 });
const vlans = fc.array(
  fc.record({
    vid: fc.integer({ min: 0, max: 4095 }),
    pcp: fc.integer({ min: 0, max: 7 }),
    tpid: fc.constantFrom(0x8100, 0x88a8, 0x9100),
  }),
  { maxLength: 3 },
);

test('ARP frames round-trip', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('request' as const, 'reply' as const),
      mac,
      ipv4,
      mac,
      ipv4,
      vlans,
      (op, sha, spa, tha, tpa, tags) => {
        const f = buildArpFrame({
          op,
          senderMac: sha,
          senderIp: spa,
          targetMac: tha,
          targetIp: tpa,
          vlans: tags.map((t) => ({ ...t })),
        });
        const d = decodeFrame(f, DLT.EN10MB);
        assert.equal(d.truncated, false);
        const a = d.layers.at(-1);
        assert.ok(a?.kind === 'arp');
        assert.deepEqual(
          [a.op, a.sha, a.spa, a.tha, a.tpa],
          [op === 'request' ? 1 : 2, sha, spa, tha, tpa],
        );
        assert.deepEqual(
          d.layers.filter((l) => l.kind === 'vlan').map((l) => (l.kind === 'vlan' ? l.vid : -1)),
          tags.map((t) => t.vid),
        );
      },
    ),
  );
});

const ip: fc.Arbitrary<IpOptions> = fc.oneof(
  fc
    .record({
      src: ipv4,
      dst: ipv4,
      ttl: fc.integer({ min: 0, max: 255 }),
      id: fc.integer({ min: 0, max: 65535 }),
      df: fc.boolean(),
    })
    .map((r) => ({ ...r })),
  fc
    .record({
      version: fc.constant(6 as const),
      src: ipv6,
      dst: ipv6,
      hopLimit: fc.integer({ min: 0, max: 255 }),
      flowLabel: fc.integer({ min: 0, max: 0xfffff }),
    })
    .map((r) => ({ ...r })),
);
const transport: fc.Arbitrary<TransportSpec> = fc.oneof(
  fc
    .record({ kind: fc.constant('udp' as const), srcPort: port, dstPort: port, payload })
    .map((r) => ({ ...r })),
  fc
    .record({
      kind: fc.constant('tcp' as const),
      srcPort: port,
      dstPort: port,
      seq: u32,
      ack: u32,
      flags: fc.integer({ min: 0, max: 0xff }),
      window: port,
      payload,
    })
    .map((r) => ({ ...r })),
  fc
    .record({
      kind: fc.constant('icmp' as const),
      type: fc.constantFrom(0, 8),
      id: port,
      seq: port,
      payload,
    })
    .map((r) => ({ ...r })),
  fc
    .record({
      kind: fc.constant('icmpv6' as const),
      type: fc.constantFrom(128, 129),
      id: port,
      seq: port,
      payload,
    })
    .map((r) => ({ ...r })),
);

/** Verifies a transport checksum over the decoded frame's bytes. */
function transportChecksumOk(
  f: Uint8Array,
  ipOff: number,
  v6: boolean,
  proto: number,
  start: number,
  end: number,
): boolean {
  if (proto === 1) return internetChecksum(f, start, end - start) === 0;
  const src = v6 ? f.subarray(ipOff + 8, ipOff + 24) : f.subarray(ipOff + 12, ipOff + 16);
  const dst = v6 ? f.subarray(ipOff + 24, ipOff + 40) : f.subarray(ipOff + 16, ipOff + 20);
  return (
    internetChecksum(f, start, end - start, pseudoHeaderSum(src, dst, proto, end - start)) === 0
  );
}

test('IP frames round-trip with valid checksums', () => {
  fc.assert(
    fc.property(mac, mac, ip, transport, (src, dst, ipo, t) => {
      // ICMP rides on IPv4 only, ICMPv6 on IPv6 only: mismatches are skipped by rewriting the kind.
      const v6 = ipo.version === 6;
      const tt: TransportSpec =
        t.kind === 'icmp' && v6
          ? { ...t, kind: 'icmpv6', type: t.type === 8 ? 128 : 129 }
          : t.kind === 'icmpv6' && !v6
            ? { ...t, kind: 'icmp', type: t.type === 128 ? 8 : 0 }
            : t;
      const f = buildIpFrame({ src, dst }, ipo, tt);
      const d = decodeFrame(f, DLT.EN10MB);
      assert.equal(d.truncated, false);
      const [eth, l3, l4] = d.layers;
      assert.ok(eth.kind === 'ethernet' && eth.src === src && eth.dst === dst);
      assert.ok(l3.kind === (v6 ? 'ipv6' : 'ipv4'));
      if (l3.kind === 'ipv4') {
        assert.equal(l3.checksumValid, true);
        assert.deepEqual(
          [l3.src, l3.dst, l3.ttl, l3.id, l3.df],
          [
            ipo.src,
            ipo.dst,
            (ipo as { ttl: number }).ttl,
            (ipo as { id: number }).id,
            (ipo as { df: boolean }).df,
          ],
        );
      } else if (l3.kind === 'ipv6') {
        assert.deepEqual(
          [l3.src, l3.dst, l3.hopLimit, l3.flowLabel],
          [
            ipo.src,
            ipo.dst,
            (ipo as { hopLimit: number }).hopLimit,
            (ipo as { flowLabel: number }).flowLabel,
          ],
        );
      }
      assert.equal(l4.kind, tt.kind);
      const proto = { udp: 17, tcp: 6, icmp: 1, icmpv6: 58, raw: -1 }[tt.kind];
      assert.ok(
        transportChecksumOk(f, 14, v6, proto, 14 + l3.headerLength, f.length),
        'transport checksum',
      );
      if (l4.kind === 'udp' && tt.kind === 'udp')
        assert.deepEqual(
          [l4.srcPort, l4.dstPort, l4.length],
          [tt.srcPort, tt.dstPort, 8 + (tt.payload?.length ?? 0)],
        );
      if (l4.kind === 'tcp' && tt.kind === 'tcp')
        assert.deepEqual(
          [l4.srcPort, l4.dstPort, l4.seq, l4.ack, l4.flags, l4.window],
          [tt.srcPort, tt.dstPort, tt.seq, tt.ack, tt.flags, tt.window],
        );
      if (
        (l4.kind === 'icmp' || l4.kind === 'icmpv6') &&
        (tt.kind === 'icmp' || tt.kind === 'icmpv6')
      )
        assert.deepEqual([l4.type, l4.id, l4.seq], [tt.type, tt.id, tt.seq]);
      const data = d.layers[3];
      if ((tt.payload?.length ?? 0) > 0)
        assert.ok(data?.kind === 'payload' && data.headerLength === tt.payload?.length);
    }),
    { numRuns: 500 },
  );
});

test('DHCP messages round-trip', () => {
  const types: DhcpMessageTypeName[] = [
    'discover',
    'offer',
    'request',
    'ack',
    'nak',
    'decline',
    'release',
    'inform',
  ];
  fc.assert(
    fc.property(
      fc.constantFrom(...types),
      mac,
      u32,
      ipv4,
      ipv4,
      fc.option(fc.stringMatching(/^[a-z0-9-]{1,20}$/), { nil: undefined }),
      fc.option(u32, { nil: undefined }),
      (type, chaddr, xid, yiaddr, server, hostname, lease) => {
        const f = buildDhcpFrame({
          type,
          chaddr,
          xid,
          yiaddr,
          serverId: server,
          hostname,
          leaseTime: lease,
          clientId: true,
          requestedIp: yiaddr,
        });
        const d = decodeFrame(f, DLT.EN10MB);
        assert.equal(d.truncated, false);
        const m = d.layers.at(-1);
        assert.ok(m?.kind === 'dhcp');
        assert.equal(
          m.messageType,
          DHCP_MESSAGE_TYPE[type.toUpperCase() as keyof typeof DHCP_MESSAGE_TYPE],
        );
        assert.deepEqual(
          [
            m.chaddr,
            m.xid,
            m.yiaddr,
            m.serverId,
            m.hostname,
            m.leaseTime,
            m.requestedIp,
            m.clientId,
          ],
          [chaddr, xid, yiaddr, server, hostname, lease, yiaddr, `01:${chaddr}`],
        );
      },
    ),
    { numRuns: 300 },
  );
});

test('checksum helpers: RFC 1071 example and odd lengths', () => {
  const b = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
  assert.equal(onesSum(b), 0xddf2);
  assert.equal(internetChecksum(b), 0x220d);
  assert.equal(onesSum(Uint8Array.from([0x01])), 0x0100);
  assert.deepEqual(parseIpv4('10.1.2.3'), Uint8Array.from([10, 1, 2, 3]));
  assert.equal(parseIpv6('::1')[15], 1);
});

test('tcpdump -vv finds every built checksum correct', () => {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < 40; i++) {
    const v6 = i % 2 === 1;
    const ipo: IpOptions = v6
      ? { version: 6, src: `2001:db8::${i + 1}`, dst: 'fe80::1' }
      : { src: `10.0.${i}.1`, dst: '10.0.0.2' };
    const pl = Uint8Array.from({ length: i * 3 }, (_, j) => (j * 7 + i) & 0xff);
    const kinds: TransportSpec[] = [
      { kind: 'udp', srcPort: 1000 + i, dstPort: 9999, payload: pl },
      { kind: 'tcp', srcPort: 1000 + i, dstPort: 9999, seq: i * 1000, flags: 0x18, payload: pl },
      v6
        ? { kind: 'icmpv6', id: i, seq: i, payload: pl }
        : { kind: 'icmp', id: i, seq: i, payload: pl },
    ];
    for (const t of kinds) frames.push(buildIpFrame({}, ipo, t));
  }
  const w = new PcapWriter({ linktype: DLT.EN10MB });
  const parts = frames.map((data, i) => w.write({ timestampNs: BigInt(i) * 1000n, data }));
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-cksum-'));
  try {
    const file = join(dir, 'built.pcap');
    writeFileSync(file, Buffer.concat(parts));
    const r = spawnSync('tcpdump', ['-r', file, '-n', '-vv'], { encoding: 'utf8' });
    if (r.error)
      throw new Error(
        `tcpdump not runnable (${r.error.message}); install it: apt-get install -y tcpdump`,
      );
    // tcpdump -vv says "[udp sum ok]", "[icmp6 sum ok]", "cksum 0x... (correct)" for TCP; it only
    // speaks of IPv4 header and ICMP checksums when they are wrong ("bad cksum", "wrong icmp cksum").
    const ok = (
      r.stdout.match(/\[udp sum ok\]|\[icmp6 sum ok\]|cksum 0x[0-9a-f]+ \(correct\)/g) ?? []
    ).length;
    const bad = r.stdout
      .split('\n')
      .filter((l) => /incorrect|bad cksum|wrong icmp cksum|bad udp cksum|bad icmp6 cksum/.test(l));
    assert.deepEqual(bad, []);
    assert.equal(ok, 100, `${ok} checksums confirmed (40 UDP + 40 TCP + 20 ICMPv6 expected)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
