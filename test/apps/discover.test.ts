// Discovery's pure parts: what frames say (ARP, ND, echo, DHCP, DHCPv6), the neighbour table's changes,
// and the kernel filter in the interpreter (only the MACs asked about, server replies always).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  discoveryFilter,
  eui64Address,
  ipv6Probes,
  NeighborTable,
  observe,
  solicitedNode,
} from '../../src/apps/discover/index.js';
import { run } from '../../src/core/vm.js';
import { parseIpv6, parseMac } from '../../src/packets/addr.js';
import { buildDhcpFrame } from '../../src/packets/build-app.js';
import { buildIpFrame } from '../../src/packets/build-ip.js';
import { buildArpFrame } from '../../src/packets/build-link.js';

const vm = '52:54:00:aa:00:01';
const other = '52:54:00:bb:00:02';
const me = {
  mac: '02:00:00:00:00:01',
  ipv4: '10.0.0.1',
  linkLocal: 'fe80::1',
  global6: ['fd00::1'],
};

/** An ND message (135 NS / 136 NA) for `target` with a link-layer address option. */
function nd(type: 135 | 136, mac: string, src: string, target: string, option = true): Uint8Array {
  const body = new Uint8Array(4 + 16 + (option ? 8 : 0));
  body.set(parseIpv6(target), 4);
  if (option) body.set([type === 135 ? 1 : 2, 1, ...parseMac(mac)], 20);
  return buildIpFrame(
    { src: mac, dst: '33:33:00:00:00:01' },
    { version: 6, src, dst: 'ff02::1', hopLimit: 255 },
    { kind: 'icmpv6', type, body },
  );
}

/** A DHCPv6 REPLY to `mac` (DUID-LL in CLIENTID) with IA_NA addresses. */
function dhcpv6Reply(mac: string, addresses: string[]): Uint8Array {
  const opt = (code: number, body: number[]) => [
    code >> 8,
    code & 0xff,
    body.length >> 8,
    body.length & 0xff,
    ...body,
  ];
  const iaaddrs = addresses.flatMap((a) =>
    opt(5, [...parseIpv6(a), 0, 0, 0x0e, 0x10, 0, 0, 0x1c, 0x20]),
  );
  const msg = [
    7,
    0x12,
    0x34,
    0x56,
    ...opt(2, [0, 3, 0, 1, 2, 0, 0, 0, 0, 0xfe]), // SERVERID
    ...opt(1, [0, 3, 0, 1, ...parseMac(mac)]), // CLIENTID, DUID-LL
    ...opt(3, [0, 0, 0, 1, 0, 0, 0x07, 0x08, 0, 0, 0x0b, 0x40, ...iaaddrs]),
  ];
  return buildIpFrame(
    { src: '02:00:00:00:00:fe', dst: mac },
    { version: 6, src: 'fe80::fe', dst: 'fe80::5054:ff:feaa:1' },
    { kind: 'udp', srcPort: 547, dstPort: 546, payload: Uint8Array.from(msg) },
  );
}

test('observe: ARP requests, replies, announcements and probes', () => {
  assert.deepEqual(
    observe(
      buildArpFrame({ op: 'request', senderMac: vm, senderIp: '10.0.0.5', targetIp: '10.0.0.1' }),
    ),
    [{ mac: vm, ip: '10.0.0.5', family: 4, how: 'arp' }],
  );
  assert.deepEqual(
    observe(
      buildArpFrame({ op: 'request', senderMac: vm, senderIp: '10.0.0.5', targetIp: '10.0.0.5' }),
    ),
    [{ mac: vm, ip: '10.0.0.5', family: 4, how: 'arp-announce' }],
  );
  assert.deepEqual(
    observe(
      buildArpFrame({ op: 'request', senderMac: vm, senderIp: '0.0.0.0', targetIp: '10.0.0.7' }),
    ),
    [{ mac: vm, ip: '10.0.0.7', family: 4, how: 'arp-probe' }],
  );
});

test('observe: neighbour solicitations and advertisements (options and DAD), echo replies', () => {
  assert.deepEqual(observe(nd(135, vm, 'fe80::5054:ff:feaa:1', 'fe80::1')), [
    { mac: vm, ip: 'fe80::5054:ff:feaa:1', family: 6, how: 'nd' },
  ]);
  assert.deepEqual(observe(nd(135, vm, '::', 'fd00::42', false)), [
    { mac: vm, ip: 'fd00::42', family: 6, how: 'dad' },
  ]);
  assert.deepEqual(observe(nd(136, vm, 'fd00::42', 'fd00::42')), [
    { mac: vm, ip: 'fd00::42', family: 6, how: 'nd' },
  ]);
  const reply = buildIpFrame(
    { src: vm, dst: me.mac },
    { version: 6, src: 'fd00::9', dst: 'fd00::1' },
    { kind: 'icmpv6', type: 129, id: 1, seq: 1 },
  );
  assert.deepEqual(observe(reply), [{ mac: vm, ip: 'fd00::9', family: 6, how: 'echo' }]);
  // A truncated ND option list with a zero length must not loop.
  const bad = nd(136, vm, 'fd00::42', 'fd00::42');
  bad[bad.length - 7] = 0;
  assert.equal(observe(bad).length, 1);
});

test('observe: a DHCP ACK and a DHCPv6 REPLY name the client and its addresses', () => {
  const ack = buildDhcpFrame({
    type: 'ack',
    chaddr: vm,
    yiaddr: '10.0.0.50',
    serverId: '10.0.0.1',
  });
  assert.deepEqual(observe(ack), [{ mac: vm, ip: '10.0.0.50', family: 4, how: 'dhcp' }]);
  assert.deepEqual(observe(dhcpv6Reply(vm, ['fd00::50', 'fd00::51'])), [
    { mac: vm, ip: 'fd00::50', family: 6, how: 'dhcpv6' },
    { mac: vm, ip: 'fd00::51', family: 6, how: 'dhcpv6' },
  ]);
});

test('the table: new, moved to another MAC, gone after maxAge; probes never take an address', () => {
  const t = new NeighborTable();
  const o = (mac: string, ip: string, how: 'arp' | 'dad' | 'nd' = 'arp') => ({
    mac,
    ip,
    family: (ip.includes(':') ? 6 : 4) as 4 | 6,
    how,
  });
  assert.deepEqual(
    t.observe(o(vm, '10.0.0.5'), 1000).map((c) => c.kind),
    ['new'],
  );
  assert.deepEqual(t.observe(o(vm, '10.0.0.5'), 2000), []);
  assert.deepEqual(t.observe(o(other, '10.0.0.5', 'dad'), 2500), []);
  const moved = t.observe(o(other, '10.0.0.5'), 3000);
  assert.deepEqual(moved, [
    { kind: 'moved', mac: other, from: vm, ip: '10.0.0.5', family: 4, how: 'arp', time: 3000 },
  ]);
  t.observe(o(vm, 'FD00::5', 'nd'), 3500);
  assert.deepEqual(
    t.observe(o(vm, 'fd00::5', 'dad'), 3600),
    [],
    'the same address, however written',
  );
  assert.deepEqual(
    t.neighbors().map((n) => [n.mac, n.addresses.map((a) => `${a.ip} ${a.how}`)]),
    [
      [vm, ['FD00::5 nd,dad']],
      [other, ['10.0.0.5 arp']],
    ],
  );
  assert.deepEqual(
    t.expire(6000, 2800).map((c) => `${c.kind} ${c.ip}`),
    ['gone 10.0.0.5'],
  );
  const only = new NeighborTable([vm]);
  assert.deepEqual(only.observe(o(other, '10.0.0.6'), 1), []);
});

test('probes: solicited-node groups, EUI-64 addresses, and the frames of one IPv6 round', () => {
  assert.equal(eui64Address('fe80::', '52:54:00:12:34:56'), 'fe80::5054:ff:fe12:3456');
  assert.deepEqual(solicitedNode('fd00::5054:ff:fe12:3456'), {
    ip: 'ff02::1:ff12:3456',
    mac: '33:33:ff:12:34:56',
  });
  const frames = ipv6Probes(me, [vm], 1);
  assert.equal(
    frames.length,
    2 + 2,
    'an echo from each of our addresses, an NS per address per MAC',
  );
  // Our own frames, seen coming back, are solicitations from us: they say we have fe80::1.
  assert.deepEqual(observe(frames[2]), [{ mac: me.mac, ip: 'fe80::1', family: 6, how: 'nd' }]);
});

test('the kernel filter passes only the MACs asked about, and server replies; nothing else', () => {
  const f = discoveryFilter([vm]);
  const all = discoveryFilter([]);
  const pass = (p: ReturnType<typeof discoveryFilter>, frame: Uint8Array) => run(p, frame) !== 0;
  const arpFrom = (mac: string) =>
    buildArpFrame({
      op: 'reply',
      senderMac: mac,
      senderIp: '10.0.0.5',
      targetMac: me.mac,
      targetIp: '10.0.0.1',
    });
  const cases: [string, Uint8Array, boolean, boolean][] = [
    ['ARP from the VM', arpFrom(vm), true, true],
    ['ARP from another host', arpFrom(other), false, true],
    ['NA from the VM', nd(136, vm, 'fd00::42', 'fd00::42'), true, true],
    ['NA from another host', nd(136, other, 'fd00::43', 'fd00::43'), false, true],
    [
      'DHCP ACK from a server',
      buildDhcpFrame({ type: 'ack', chaddr: vm, yiaddr: '10.0.0.50', serverId: '10.0.0.1' }),
      true,
      true,
    ],
    ['DHCPv6 REPLY from a server', dhcpv6Reply(vm, ['fd00::50']), true, true],
    [
      'TCP from the VM',
      buildIpFrame(
        { src: vm, dst: me.mac },
        { src: '10.0.0.5', dst: '10.0.0.1' },
        { kind: 'tcp', srcPort: 1, dstPort: 2 },
      ),
      false,
      false,
    ],
    [
      'DNS from the VM',
      buildIpFrame(
        { src: vm, dst: me.mac },
        { src: '10.0.0.5', dst: '10.0.0.1' },
        { kind: 'udp', srcPort: 53, dstPort: 2 },
      ),
      false,
      false,
    ],
  ];
  for (const [what, frame, inSet, inAll] of cases) {
    assert.equal(pass(f, frame), inSet, `with --mac: ${what}`);
    assert.equal(pass(all, frame), inAll, `without --mac: ${what}`);
  }
});
