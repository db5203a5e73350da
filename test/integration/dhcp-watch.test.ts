// The DHCP watcher on a veth pair in a private namespace: DHCP frames built with the packet builders
// (no server needed) among unrelated traffic; the watcher reports exactly the DHCP exchange.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { type DhcpEvent, watchDhcp } from '../../src/apps/dhcp-watch/index.js';
import { PacketSocket } from '../../src/node/linux/packet-socket.js';
import { buildDhcpFrame, buildDnsQuery } from '../../src/packets/build-app.js';
import { buildDhcp6Frame } from '../../src/packets/build-dhcp6.js';
import { buildIpFrame } from '../../src/packets/build-ip.js';
import { buildArpFrame } from '../../src/packets/build-link.js';
import { runCli } from '../helpers/cli.js';
import { enterNetns, type Netns, waitForPacketSockets } from '../helpers/netns.js';

let ns: Netns;
before(() => {
  ns = enterNetns(`cbpf-dhcp-${process.pid}`);
});
after(() => ns?.dispose());

const client = '52:54:00:aa:bb:01';

test('dhcp-watch reports DISCOVER/OFFER/REQUEST/ACK with client, IPs and hostname, and nothing else', async () => {
  const stop = new AbortController();
  const events: DhcpEvent[] = [];
  const watching = (async () => {
    for await (const e of watchDhcp({ interface: 'cba', signal: stop.signal })) {
      if (e.family === 4) events.push(e);
      if (events.length === 4) stop.abort();
    }
  })();
  await waitForPacketSockets(1); // the watcher's socket exists, with its filter (and ring) set up
  const tx = new PacketSocket({ interface: 'cbb' });
  try {
    const noise = [
      buildArpFrame({ senderMac: client, senderIp: '10.0.0.9', targetIp: '10.0.0.1', padTo: 60 }),
      buildIpFrame(
        { src: client, dst: '02:00:00:00:00:fe' },
        { src: '10.0.0.9', dst: '10.0.0.1' },
        {
          kind: 'udp',
          srcPort: 40000,
          dstPort: 53,
          payload: buildDnsQuery({ questions: [{ name: 'example.org' }] }),
        },
      ),
      buildIpFrame(
        { src: client, dst: '02:00:00:00:00:fe' },
        { src: '10.0.0.9', dst: '10.0.0.1' },
        { kind: 'udp', srcPort: 68, dstPort: 6767, payload: new Uint8Array(300) },
      ),
    ];
    const exchange = [
      buildDhcpFrame({ type: 'discover', chaddr: client, xid: 0x42, hostname: 'vm1' }),
      buildDhcpFrame({
        type: 'offer',
        chaddr: client,
        xid: 0x42,
        yiaddr: '10.0.0.50',
        serverId: '10.0.0.1',
        leaseTime: 3600,
      }),
      buildDhcpFrame({
        type: 'request',
        chaddr: client,
        xid: 0x42,
        requestedIp: '10.0.0.50',
        serverId: '10.0.0.1',
        hostname: 'vm1',
      }),
      buildDhcpFrame({
        type: 'ack',
        chaddr: client,
        xid: 0x42,
        yiaddr: '10.0.0.50',
        serverId: '10.0.0.1',
        leaseTime: 3600,
      }),
    ];
    for (const frame of exchange) {
      for (const n of noise) tx.send(n);
      tx.send(frame);
    }
    await Promise.race([watching, new Promise((r) => setTimeout(r, 2000))]);
  } finally {
    stop.abort();
    tx.close();
    await watching;
  }
  assert.deepEqual(
    events.map((e) => [e.type, e.clientMac, e.xid, e.requestedIp, e.assignedIp, e.hostname]),
    [
      ['DISCOVER', client, 0x42, undefined, undefined, 'vm1'],
      ['OFFER', client, 0x42, undefined, '10.0.0.50', undefined],
      ['REQUEST', client, 0x42, '10.0.0.50', undefined, 'vm1'],
      ['ACK', client, 0x42, undefined, '10.0.0.50', undefined],
    ],
  );
});

test('cbpf dhcp-watch --table: DHCP and DHCPv6 events, a release, and the lease table they leave', async () => {
  const stop = new AbortController();
  // The first test's sockets close asynchronously: count only the watcher's.
  const sockets = () => readFileSync('/proc/net/packet', 'utf8').trim().split('\n').length - 1;
  for (let i = 0; sockets() > 0 && i < 500; i++) await new Promise((r) => setTimeout(r, 10));
  const cli = runCli(['dhcp-watch', '-i', 'cba', '-c', '7', '--table'], '', stop.signal);
  await waitForPacketSockets(1);
  const tx = new PacketSocket({ interface: 'cbb' });
  const other = '52:54:00:aa:bb:02';
  try {
    for (const f of [
      buildDhcpFrame({ type: 'discover', chaddr: client, xid: 1, hostname: 'vm1' }),
      buildDhcpFrame({
        type: 'ack',
        chaddr: client,
        xid: 1,
        yiaddr: '10.0.0.50',
        serverId: '10.0.0.1',
        leaseTime: 3600,
      }),
      buildDhcpFrame({
        type: 'ack',
        chaddr: other,
        xid: 2,
        yiaddr: '10.0.0.51',
        serverId: '10.0.0.1',
        leaseTime: 3600,
      }),
      buildDhcpFrame({
        type: 'release',
        chaddr: other,
        xid: 3,
        ciaddr: '10.0.0.51',
        serverId: '10.0.0.1',
      }),
      buildDhcp6Frame({ type: 'solicit', clientMac: client, xid: 4 }),
      buildDhcp6Frame({
        type: 'reply',
        clientMac: client,
        xid: 4,
        addresses: [{ ip: 'fd00::50', valid: 7200 }],
      }),
      buildDhcp6Frame({
        type: 'reply',
        clientMac: other,
        xid: 5,
        addresses: [{ ip: 'fd00::51', valid: 0xffffffff }],
      }),
    ])
      tx.send(f);
    const timer = setTimeout(() => stop.abort(), 5000);
    const r = await cli;
    clearTimeout(timer);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(
      lines.slice(0, 8).map((l) => l.split(/\s+/).slice(1, 4).join(' ')),
      [
        `DISCOVER ${client} (vm1)`,
        `ACK ${client} 10.0.0.50`,
        `ACK ${other} 10.0.0.51`,
        `RELEASE ${other} wants`,
        'released: 10.0.0.51 of',
        `SOLICIT ${client} from`,
        `REPLY ${client} fd00::50`,
        `REPLY ${other} fd00::51`,
      ],
    );
    assert.match(lines[8], /^ADDRESS +CLIENT +HOSTNAME +SERVER +GRANTED +EXPIRES$/);
    assert.deepEqual(
      lines.slice(9).map((l) => l.split(/\s+/).slice(0, 3).join(' ')),
      [
        `10.0.0.50 ${client} vm1`,
        `fd00::50 ${client} 000300010200000000fe`,
        `fd00::51 ${other} 000300010200000000fe`,
      ],
    );
  } finally {
    tx.close();
  }
});
