// DHCPv6 events and the lease table: exchanges built with the packet builders decode as tcpdump -v
// decodes them (type, xid, client DUID, IA addresses and lifetimes); relayed messages are read through
// their wrapper; no input throws; the table grants, renews, ends and expires leases of both families.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { dhcpEvent } from '../../src/apps/dhcp-watch/events.js';
import { decodeDhcp6, dhcp6Event, LeaseTable } from '../../src/apps/dhcp-watch/index.js';
import { DLT } from '../../src/core/opcodes.js';
import { buildDhcpFrame } from '../../src/packets/build-app.js';
import { buildDhcp6, buildDhcp6Frame, duidLl } from '../../src/packets/build-dhcp6.js';
import { summarize } from '../../src/packets/summary.js';
import { PcapWriter } from '../../src/pcap/index.js';

const a = '52:54:00:00:00:0a';
const b = '52:54:00:00:00:0b';
const llt = Uint8Array.of(0, 1, 0, 1, 0x2b, 0x3c, 0x4d, 0x5e, 0x52, 0x54, 0, 0, 0, 0x0b); // DUID-LLT of b

/** Two clients' exchanges: solicit, advertise, request, reply, renew, reply, release, reply. */
function exchanges(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const [mac, duid, ip, xid] of [
    [a, undefined, 'fd00::a', 0x10],
    [b, llt, 'fd00::b', 0x20],
  ] as const) {
    const lease = [{ ip, preferred: 3600, valid: 7200 }];
    out.push(
      buildDhcp6Frame({ type: 'solicit', clientMac: mac, clientDuid: duid, xid }),
      buildDhcp6Frame({
        type: 'advertise',
        clientMac: mac,
        clientDuid: duid,
        xid,
        addresses: lease,
      }),
      buildDhcp6Frame({
        type: 'request',
        clientMac: mac,
        clientDuid: duid,
        xid: xid + 1,
        addresses: lease,
      }),
      buildDhcp6Frame({
        type: 'reply',
        clientMac: mac,
        clientDuid: duid,
        xid: xid + 1,
        addresses: lease,
      }),
      buildDhcp6Frame({
        type: 'renew',
        clientMac: mac,
        clientDuid: duid,
        xid: xid + 2,
        addresses: lease,
      }),
      buildDhcp6Frame({
        type: 'reply',
        clientMac: mac,
        clientDuid: duid,
        xid: xid + 2,
        addresses: lease,
      }),
      buildDhcp6Frame({
        type: 'release',
        clientMac: mac,
        clientDuid: duid,
        xid: xid + 3,
        addresses: lease,
      }),
      buildDhcp6Frame({ type: 'reply', clientMac: mac, clientDuid: duid, xid: xid + 3 }),
    );
  }
  return out;
}

test('DHCPv6 exchanges built with the packet builders print and decode as tcpdump prints and decodes them', () => {
  const frames = exchanges();
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-dhcp6-'));
  try {
    const w = new PcapWriter({ linktype: DLT.EN10MB });
    const file = join(dir, 'dhcp6.pcap');
    writeFileSync(
      file,
      Buffer.concat([
        w.header(),
        ...frames.map((data, i) => w.write({ timestampNs: BigInt(i) * 1_000_000n, data })),
      ]),
    );
    // Without -v: cbpf's summary line is tcpdump's, word for word.
    const plain = spawnSync('tcpdump', ['-r', file, '-n', '-t'], { encoding: 'utf8' });
    assert.deepEqual(
      frames.map((f) => summarize(f, DLT.EN10MB)),
      plain.stdout.trim().split('\n'),
    );
    const r = spawnSync('tcpdump', ['-r', file, '-n', '-v'], { encoding: 'utf8' });
    if (r.error)
      throw new Error(
        'tcpdump is missing: apt-get install -y tcpdump (npm test installs it as root)',
      );
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, frames.length);
    frames.forEach((f, i) => {
      const e = dhcp6Event(f);
      assert.ok(e, `frame ${i} decodes`);
      // tcpdump: `dhcp6 reply (xid=11 (client-ID hwaddr type 1 52540000000a) ... (IA_ADDR fd00::a pltime:3600 vltime:7200)))`
      const m =
        /dhcp6 (\S+) \(xid=([0-9a-f]+) \(client-ID (?:hwaddr type 1 ([0-9a-f]+)|hwaddr\/time type 1 time \d+ ([0-9a-f]+))\)/.exec(
          lines[i],
        );
      assert.ok(m, lines[i]);
      assert.equal(e.type.toLowerCase().replace('advertise', 'advertise'), m[1]);
      assert.equal(e.xid, Number.parseInt(m[2], 16));
      assert.equal(e.clientMac?.replaceAll(':', ''), m[3] ?? m[4]);
      const tcpAddrs = [...lines[i].matchAll(/IA_ADDR (\S+) pltime:(\d+) vltime:(\d+)/g)].map(
        (x) => `${x[1]} ${x[2]} ${x[3]}`,
      );
      assert.deepEqual(
        e.addresses.map((x) => `${x.ip} ${x.preferred} ${x.valid}`),
        tcpAddrs,
        lines[i],
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a relayed message is read through RELAY-FORW/RELAY-REPL; nothing malformed throws', () => {
  const inner = buildDhcp6({ type: 'solicit', clientMac: a, xid: 7 });
  const relay = (msg: Uint8Array, type = 12) =>
    Uint8Array.from([
      type,
      0,
      ...new Array(32).fill(0),
      0,
      9,
      msg.length >> 8,
      msg.length & 0xff,
      ...msg,
    ]);
  assert.deepEqual(decodeDhcp6(relay(relay(inner), 12)), decodeDhcp6(inner));
  assert.equal(decodeDhcp6(inner)?.clientMac, a);
  assert.equal(decodeDhcp6(relay(Uint8Array.of(99, 0, 0, 0))), undefined);
  let deep = inner;
  for (let i = 0; i < 40; i++) deep = relay(deep);
  assert.equal(decodeDhcp6(deep), undefined, 'deeper than 32 relays is malformed');
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), fc.nat(255), (bytes, at, v) => {
      decodeDhcp6(bytes);
      const m = buildDhcp6({ type: 'reply', clientMac: a, addresses: [{ ip: 'fd00::1' }] });
      m[at % m.length] = v;
      decodeDhcp6(m);
      decodeDhcp6(m.subarray(0, at % m.length));
    }),
    { numRuns: 2000 },
  );
});

test('the lease table: DHCPv4 ACK, NAK and RELEASE; DHCPv6 REPLY, renew, RELEASE; expiry', () => {
  const t = new LeaseTable();
  const v4 = (o: Parameters<typeof buildDhcpFrame>[0], time: number) =>
    dhcpEvent(buildDhcpFrame(o), DLT.EN10MB, time)!;
  assert.deepEqual(t.apply(v4({ type: 'discover', chaddr: a, hostname: 'vm-a' }, 0)), []);
  t.apply(
    v4({ type: 'ack', chaddr: a, yiaddr: '10.0.0.10', serverId: '10.0.0.1', leaseTime: 60 }, 1000),
  );
  t.apply(
    v4(
      { type: 'ack', chaddr: b, yiaddr: '10.0.0.11', serverId: '10.0.0.1', leaseTime: 3600 },
      1000,
    ),
  );
  const v6 = (o: Parameters<typeof buildDhcp6Frame>[0], time: number) =>
    dhcp6Event(buildDhcp6Frame(o), time)!;
  t.apply6(v6({ type: 'reply', clientMac: a, addresses: [{ ip: 'fd00::a', valid: 120 }] }, 2000));
  t.apply6(
    v6(
      {
        type: 'reply',
        clientMac: b,
        clientDuid: llt,
        addresses: [{ ip: 'fd00::b', valid: 0xffffffff }],
      },
      2000,
    ),
  );
  assert.deepEqual(
    t.leases().map((l) => `${l.ip} ${l.mac} ${l.hostname ?? '-'} ${l.expires ?? 'forever'}`),
    [
      '10.0.0.10 52:54:00:00:00:0a vm-a 61000',
      '10.0.0.11 52:54:00:00:00:0b - 3601000',
      'fd00::a 52:54:00:00:00:0a - 122000',
      'fd00::b 52:54:00:00:00:0b - forever',
    ],
  );
  // A renewal moves the expiry; RELEASE and NAK end leases; time ends the rest.
  t.apply6(
    v6({ type: 'reply', clientMac: a, addresses: [{ ip: 'fd00::a', valid: 300 }] }, 100_000),
  );
  assert.deepEqual(
    t
      .apply6(
        v6(
          { type: 'release', clientMac: b, clientDuid: llt, addresses: [{ ip: 'fd00::b' }] },
          101_000,
        ),
      )
      .map((e) => `${e.reason} ${e.lease.ip}`),
    ['released fd00::b'],
  );
  assert.deepEqual(
    t
      .apply(v4({ type: 'nak', chaddr: b, serverId: '10.0.0.1' }, 102_000))
      .map((e) => `${e.reason} ${e.lease.ip}`),
    ['refused 10.0.0.11'],
  );
  assert.deepEqual(
    t.expire(200_000).map((e) => `${e.reason} ${e.lease.ip}`),
    ['expired 10.0.0.10'],
  );
  assert.deepEqual(
    t.expire(400_001).map((e) => `${e.reason} ${e.lease.ip}`),
    ['expired fd00::a'],
  );
  assert.deepEqual(t.leases(), []);
  assert.deepEqual([...duidLl(a)], [0, 3, 0, 1, 0x52, 0x54, 0, 0, 0, 0x0a]);
});
