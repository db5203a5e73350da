// The seeds' filters, tested the way seed 000 tests its filter with golang.org/x/net/bpf's NewVM.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assemble } from '../../src/core/encode.js';
import { jmp, ld, ret } from '../../src/core/insn.js';
import type { ProfileName } from '../../src/core/profiles.js';
import { validate } from '../../src/core/validate.js';
import { run } from '../../src/core/vm.js';

const PROFILES: ProfileName[] = ['linux', 'bsd', 'libpcap'];
const mac = (s: string) => s.split(':').map((h) => Number.parseInt(h, 16));

function ethernet(dst: number[], src: number[], type: number, payload: number[]): Uint8Array {
  return Uint8Array.from([...dst, ...src, type >> 8, type & 0xff, ...payload]);
}
function arp(op: 1 | 2, sha: number[], spa: number[], tha: number[], tpa: number[]): Uint8Array {
  const body = [0, 1, 0x08, 0x00, 6, 4, 0, op, ...sha, ...spa, ...tha, ...tpa];
  return ethernet(op === 1 ? mac('ff:ff:ff:ff:ff:ff') : tha, sha, 0x0806, body);
}
/** IPv4 header (no options) + UDP header + payload. */
function ipv4Udp(srcPort: number, dstPort: number, payload: number[], proto = 17): number[] {
  const udpLen = 8 + payload.length;
  const total = 20 + udpLen;
  return [
    0x45,
    0,
    total >> 8,
    total & 0xff,
    0,
    1,
    0,
    0,
    64,
    proto,
    0,
    0,
    10,
    0,
    0,
    1,
    10,
    0,
    0,
    2,
    srcPort >> 8,
    srcPort & 0xff,
    dstPort >> 8,
    dstPort & 0xff,
    udpLen >> 8,
    udpLen & 0xff,
    0,
    0,
    ...payload,
  ];
}

// seed 000: the six-instruction ARP-reply filter
const arpReplyFilter = assemble([
  ld.abs(12, 2),
  jmp.eq(0x0806, 0, 3),
  ld.abs(20, 2),
  jmp.eq(0x0002, 0, 1),
  ret.k(0xffffffff),
  ret.k(0),
]);

test('seed 000: ARP-reply filter accepts an ARP reply', () => {
  const frame = arp(
    2,
    mac('11:22:33:44:55:66'),
    [10, 0, 0, 2],
    mac('aa:bb:cc:dd:ee:ff'),
    [10, 0, 0, 1],
  );
  for (const profile of PROFILES) {
    assert.deepEqual(validate(arpReplyFilter, profile), []);
    assert.equal(run(arpReplyFilter, frame, { profile }), 0xffffffff);
  }
});

test('seed 000: ARP-reply filter drops an ARP request', () => {
  const frame = arp(1, mac('11:22:33:44:55:66'), [10, 0, 0, 1], [0, 0, 0, 0, 0, 0], [10, 0, 0, 2]);
  for (const profile of PROFILES) assert.equal(run(arpReplyFilter, frame, { profile }), 0);
});

test('seed 000: ARP-reply filter drops an IPv4 frame', () => {
  const frame = ethernet(
    mac('aa:bb:cc:dd:ee:ff'),
    mac('11:22:33:44:55:66'),
    0x0800,
    ipv4Udp(1234, 80, [1, 2, 3]),
  );
  for (const profile of PROFILES) assert.equal(run(arpReplyFilter, frame, { profile }), 0);
});

// seed 001: FilterDhcpOperation(dstPort, op) on a socket that sees the IP header at offset 0
const dhcpFilter = (dstPort: number, op: number) =>
  assemble([
    ld.abs(0, 1),
    jmp.eq(0x45, 0, 7),
    ld.abs(9, 1),
    jmp.eq(0x11, 0, 5),
    ld.abs(23, 1),
    jmp.eq(dstPort, 0, 3),
    ld.abs(28, 1),
    jmp.eq(op, 0, 1),
    ret.k(0xffffffff),
    ret.k(0),
  ]);

test('seed 001: DHCP filter (IP header at offset 0)', () => {
  const f = dhcpFilter(67, 1);
  const bootp = (op: number) => [op, 1, 6, 0, ...new Array(236).fill(0)];
  for (const profile of PROFILES) {
    assert.deepEqual(validate(f, profile), []);
    assert.equal(
      run(f, Uint8Array.from(ipv4Udp(68, 67, bootp(1))), { profile }),
      0xffffffff,
      'DHCP request to the server port',
    );
    assert.equal(
      run(f, Uint8Array.from(ipv4Udp(67, 68, bootp(2))), { profile }),
      0,
      'reply to the client port',
    );
    assert.equal(run(f, Uint8Array.from(ipv4Udp(68, 67, bootp(2))), { profile }), 0, 'wrong op');
    assert.equal(run(f, Uint8Array.from(ipv4Udp(68, 67, bootp(1), 6)), { profile }), 0, 'TCP');
    assert.equal(
      run(f, Uint8Array.from(ipv4Udp(68, 67, [])), { profile }),
      0,
      'truncated before the op',
    );
    assert.equal(
      run(dhcpFilter(68, 2), Uint8Array.from(ipv4Udp(67, 68, bootp(2))), { profile }),
      0xffffffff,
    );
  }
});

// seed 003: port-8080 filter on an AF_INET SOCK_RAW IPPROTO_UDP socket (offset 0 = IP header)
const port8080 = assemble([ld.abs(22, 2), jmp.eq(8080, 0, 1), ret.k(0xffff), ret.k(0)]);

test('seed 003: port-8080 filter on an AF_INET raw packet', () => {
  for (const profile of PROFILES) {
    assert.deepEqual(validate(port8080, profile), []);
    assert.equal(
      run(port8080, Uint8Array.from(ipv4Udp(40000, 8080, [104, 105])), { profile }),
      0xffff,
    );
    assert.equal(run(port8080, Uint8Array.from(ipv4Udp(8080, 53, [104, 105])), { profile }), 0);
    assert.equal(
      run(port8080, Uint8Array.from(ipv4Udp(40000, 8080, [])).subarray(0, 23), { profile }),
      0,
    );
  }
});
