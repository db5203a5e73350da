// Optimizer regressions: shapes it must reach and mistakes it once made. The broad verdict and count
// checks are the differential (test/differential/compiler.test.ts) and lower-verdict tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile } from '../../../src/compiler/index.js';
import { run } from '../../../src/core/vm.js';
import { buildIpPacket } from '../../../src/packets/index.js';

const verdict = (expr: string, linktype: string, packet: Uint8Array) =>
  run(compile(expr, { linktype }), packet, { wirelen: packet.length, profile: 'libpcap' });

test('a test whose two edges meet proves nothing on the way out', () => {
  // `not ip6[6] = 17 and ip multicast` is false on IPV6 and leaves `jeq #17` with both edges joined; the
  // threading once learned "[6] = 17" there and sent every packet to accept.
  const expr = '(not ip6[6] = 17 and ip multicast or not tcp or len < 100)';
  const tcp = buildIpPacket(
    { version: 6, src: 'fe80::1', dst: 'fe80::2' },
    { kind: 'tcp', srcPort: 1, dstPort: 2, payload: new Uint8Array(80) },
  );
  assert.equal(verdict(expr, 'IPV6', tcp), 0);
  const udp = buildIpPacket(
    { version: 6, src: 'fe80::1', dst: 'fe80::2' },
    { kind: 'udp', srcPort: 1, dstPort: 2, payload: new Uint8Array(80) },
  );
  assert.notEqual(verdict(expr, 'IPV6', udp), 0);
});

test('known shapes: value sets at joins, pull-up of and-chains, folded constant masks', () => {
  // Counts equal to tcpdump -ddd (libpcap 1.10).
  const cases: [string, string, number][] = [
    ['EN10MB', 'ip6 proto 50 or ip6 proto 51', 10],
    ['EN10MB', 'ip host 10.0.0.1 and ip host 10.0.0.2', 11],
    ['EN10MB', 'ip6 net fe80::/10', 10],
    ['EN10MB', 'net 0.0.0.0/0', 6],
    ['EN10MB', 'tcp and port 80 and host 10.0.0.1', 17],
  ];
  for (const [lt, expr, n] of cases)
    assert.equal(compile(expr, { linktype: lt }).length, n, `${lt} '${expr}'`);
});

test('a short packet keeps the unoptimized verdict where a load the precise analysis made useless could stop', () => {
  // `not (tcp and udp)` is true of every packet, but the loads of `tcp` stop the run on a truncated IPv4
  // packet, as in tcpdump -O's program (libpcap's optimizer, seeing the tautology, drops them: `ret` alone).
  const p = buildIpPacket(
    { src: '10.0.0.1', dst: '10.0.0.2' },
    { kind: 'udp', srcPort: 1, dstPort: 2 },
  );
  assert.notEqual(verdict('not (tcp and udp)', 'RAW', p), 0);
  assert.equal(verdict('not (tcp and udp)', 'RAW', p.subarray(0, 8)), 0);
});

test('protochain anywhere leaves the program unoptimized, as libpcap does, even where a constant absorbs it', () => {
  // On IPV6 `not host 10.0.0.1` is always true, so the protochain after it is never lowered into the
  // graph; libpcap still skips its optimizer, and `tcp` keeps rejecting a 1-byte packet on its load.
  const expr = 'tcp or not host 10.0.0.1 or (protochain 17 and tcp)';
  assert.equal(verdict(expr, 'IPV6', Uint8Array.of(0x60)), 0);
  assert.notEqual(verdict(expr, 'IPV6', new Uint8Array(40).fill(0x60)), 0);
  // And never "rejects all packets": tcpdump compiles `arp and protochain 6` on RAW (to a program that
  // accepts nothing).
  assert.equal(verdict('arp and protochain 6', 'RAW', new Uint8Array(60).fill(0x45)), 0);
});
