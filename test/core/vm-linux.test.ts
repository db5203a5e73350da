// Each measured Linux kernel fact in cbpf-reference.md, under the linux profile.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawInsn } from '../../src/core/insn.js';
import { SKF_AD, SKF_AD_OFF, SKF_LL_OFF, SKF_NET_OFF } from '../../src/core/opcodes.js';
import { validate } from '../../src/core/validate.js';
import { run } from '../../src/core/vm.js';

const I = (code: number, k = 0, jt = 0, jf = 0): RawInsn => ({ code, jt, jf, k: k >>> 0 });
const RETA = I(0x16);
// Ethernet + IPv4 (ihl 6 = 24 bytes) + UDP
const frame = Uint8Array.from([
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00],
  ...[0x46, 0, 0, 36, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 1, 1, 0, 0],
  ...[0x12, 0x34, 0x00, 0x35, 0, 12, 0, 0, 0xaa, 0xbb, 0xcc, 0xdd],
]);
const eth = { netOffset: 14, llOffset: 0 };

test('register shifts: count mod 32 (lsh x with X = 33 shifts by 1, X = 0xffffffff by 31)', () => {
  const sh = (code: number, a: number, x: number) =>
    run([I(0x00, a), I(0x01, x), I(code), RETA], frame);
  assert.equal(sh(0x6c, 3, 33), 6);
  assert.equal(sh(0x6c, 1, 0xffffffff), 0x80000000);
  assert.equal(sh(0x6c, 7, 32), 7);
  assert.equal(sh(0x7c, 0x80000000, 0xffffffff), 1);
});

test('ld [x + k] is the signed 32-bit sum: X = 0xffffffff, k = 1 reads offset 0', () => {
  assert.equal(run([I(0x01, 0xffffffff), I(0x50, 1), RETA], frame), 1);
  assert.equal(run([I(0x01, 0xffffffff), I(0x50, 1), RETA], frame, { profile: 'libpcap' }), 0);
  assert.equal(run([I(0x01, 0xffffffff), I(0x50, 1), RETA], frame, { profile: 'bsd' }), 0);
  // a negative sum below SKF_LL_OFF fails
  assert.equal(run([I(0x01, 0x80000000), I(0x50, 0), I(0x06, 1)], frame), 0);
});

test('ancillary loads: the size is ignored (ldb [proto] yields the 16-bit protocol)', () => {
  for (const code of [0x20, 0x28, 0x30]) {
    assert.equal(
      run([I(code, SKF_AD_OFF + SKF_AD.protocol), RETA], frame, {
        ancillary: { protocol: 0x86dd },
      }),
      0x86dd,
    );
    assert.equal(
      run([I(code, SKF_AD_OFF + SKF_AD.ifindex), RETA], frame, {
        ancillary: { ifindex: 0x12345678 },
      }),
      0x12345678,
    );
  }
});

test('ancillary values come from the metadata object and default to 0', () => {
  const anc = {
    protocol: 0x800,
    pkttype: 3,
    ifindex: 7,
    mark: 0xdeadbeef,
    queue: 2,
    hatype: 1,
    rxhash: 99,
    cpu: 5,
    vlanTci: 0x2064,
    vlanPresent: 1,
    vlanTpid: 0x88a8,
    random: 42,
    payOffset: 46,
  };
  const expect: [number, number][] = [
    [SKF_AD.protocol, 0x800],
    [SKF_AD.pkttype, 3],
    [SKF_AD.ifindex, 7],
    [SKF_AD.mark, 0xdeadbeef],
    [SKF_AD.queue, 2],
    [SKF_AD.hatype, 1],
    [SKF_AD.rxhash, 99],
    [SKF_AD.cpu, 5],
    [SKF_AD.vlan_tag, 0x2064],
    [SKF_AD.vlan_tag_present, 1],
    [SKF_AD.vlan_tpid, 0x88a8],
    [SKF_AD.random, 42],
    [SKF_AD.pay_offset, 46],
  ];
  for (const [n, v] of expect) {
    const p = [I(0x20, SKF_AD_OFF + n), RETA];
    assert.deepEqual(validate(p, 'linux'), []);
    assert.equal(run(p, frame, { ancillary: anc }), v, `SKF_AD ${n}`);
    assert.equal(run(p, frame), 0, `SKF_AD ${n} default`);
    assert.equal(run(p, frame, { ancillary: anc, profile: 'libpcap' }), 0, 'libpcap: out of range');
  }
  // SKF_AD_ALU_XOR_X is A ^= X, not a load
  assert.equal(
    run([I(0x00, 0xf0), I(0x01, 0xff), I(0x30, SKF_AD_OFF + SKF_AD.alu_xor_x), RETA], frame),
    0x0f,
  );
  // IND loads never mean ancillary
  assert.equal(
    run([I(0x01, 0), I(0x50, SKF_AD_OFF + SKF_AD.protocol), I(0x06, 1)], frame, { ancillary: anc }),
    0,
  );
});

test('netlink attribute search (SKF_AD_NLATTR / _NEST)', () => {
  // nlmsg-ish payload: 4 bytes junk, then attrs {len 8,type 1}, {len 12,type 2 (nested: {len 8, type 5})}
  const p = Uint8Array.from([
    0, 0, 0, 0, 8, 0, 1, 0, 1, 2, 3, 4, 12, 0, 2, 0x80, 8, 0, 5, 0, 9, 9, 9, 9,
  ]);
  const nla = (a: number, x: number, n: number) =>
    run([I(0x00, a), I(0x01, x), I(0x20, SKF_AD_OFF + n), RETA], p);
  assert.equal(nla(4, 1, SKF_AD.nlattr), 4);
  assert.equal(nla(4, 2, SKF_AD.nlattr), 12, 'type masked (NLA_F_NESTED)');
  assert.equal(nla(4, 3, SKF_AD.nlattr), 0);
  assert.equal(nla(12, 5, SKF_AD.nlattr_nest), 16);
  assert.equal(nla(12, 6, SKF_AD.nlattr_nest), 0);
  assert.equal(nla(100, 1, SKF_AD.nlattr), 0);
});

test('SKF_NET_OFF / SKF_LL_OFF: ABS, IND and MSH, relative to the header offsets given', () => {
  assert.equal(
    run([I(0x30, SKF_NET_OFF + 9), RETA], frame, { ancillary: eth }),
    17,
    'ldb [net+9] = IP protocol',
  );
  assert.equal(
    run([I(0x28, SKF_LL_OFF + 12), RETA], frame, { ancillary: eth }),
    0x0800,
    'ldh [ll+12] = EtherType',
  );
  assert.equal(
    run([I(0xb1, SKF_NET_OFF), I(0x87), RETA], frame, { ancillary: eth }),
    24,
    'ldxb 4*([net]&0xf)',
  );
  assert.equal(
    run([I(0x01, 2), I(0x48, SKF_NET_OFF + 24), RETA], frame, { ancillary: eth }),
    0x35,
    'ldh [x + net+24]',
  );
  // X + k signed lands in the net range: X = SKF_NET_OFF, k = 9
  assert.equal(run([I(0x01, SKF_NET_OFF), I(0x50, 9), RETA], frame, { ancillary: eth }), 17);
  // on an AF_INET socket offset 0 is the IP header: net 0, no link header
  const ip = frame.subarray(14);
  assert.equal(run([I(0x30, SKF_NET_OFF + 9), RETA], ip, { ancillary: { netOffset: 0 } }), 17);
  assert.equal(
    run([I(0x28, SKF_LL_OFF + 12), I(0x06, 1)], ip, { ancillary: { netOffset: 0 } }),
    0,
    'link header not set',
  );
  // headers not given at all: the loads fail
  assert.equal(run([I(0x30, SKF_NET_OFF + 9), I(0x06, 1)], frame), 0);
  // past the end, and below SKF_LL_OFF
  assert.equal(run([I(0x30, SKF_NET_OFF + 100), I(0x06, 1)], frame, { ancillary: eth }), 0);
  assert.equal(run([I(0x30, SKF_LL_OFF - 1), I(0x06, 1)], frame, { ancillary: eth }), 0);
  // other profiles: plain out-of-range loads
  assert.equal(
    run([I(0x30, SKF_NET_OFF + 9), I(0x06, 1)], frame, { profile: 'libpcap', ancillary: eth }),
    0,
  );
});

test('constants with the top bit set compare unsigned', () => {
  const p = [I(0x00, 0xfffffff0), I(0x25, 0x80000000, 0, 1), I(0x06, 1), I(0x06, 2)];
  assert.equal(run(p, frame), 1);
});

test('headroom: header-relative loads reach bytes in front of offset 0 (UDP socket, SOCK_DGRAM packet socket)', () => {
  const ethHdr = frame.subarray(0, 14);
  const ipHdr = frame.subarray(14, 38);
  const udp = frame.subarray(38);
  // UDP socket: offset 0 is the UDP header; the IP header is in the headroom, Ethernet before it
  const anc = { netOffset: -24, llOffset: -38, headroom: frame.subarray(0, 38) };
  assert.equal(run([I(0x30, SKF_NET_OFF + 9), RETA], udp, { ancillary: anc }), 17);
  assert.equal(run([I(0x28, SKF_LL_OFF + 12), RETA], udp, { ancillary: anc }), 0x0800);
  assert.equal(run([I(0xb1, SKF_NET_OFF), I(0x87), RETA], udp, { ancillary: anc }), 24);
  assert.equal(
    run([I(0x20, SKF_NET_OFF + 22), RETA], udp, { ancillary: anc }),
    0x00001234,
    'straddles headroom and packet',
  );
  assert.equal(
    run([I(0x28, 2), RETA], udp, { ancillary: anc }),
    0x35,
    'plain offsets start at the UDP header',
  );
  assert.equal(
    run([I(0x28, SKF_LL_OFF + 12), RETA], udp, { ancillary: { ...anc, headroom: ipHdr } }),
    0,
    'before the headroom: fails',
  );
  // SOCK_DGRAM packet socket (seed 001's ETH_P_IP): offset 0 = IP header, Ethernet in the headroom
  const dgram = { netOffset: 0, llOffset: -14, headroom: ethHdr };
  assert.equal(
    run([I(0x28, SKF_LL_OFF + 12), RETA], frame.subarray(14), { ancillary: dgram }),
    0x0800,
  );
  assert.equal(
    run([I(0x01, SKF_LL_OFF), I(0x48, 12), RETA], frame.subarray(14), { ancillary: dgram }),
    0x0800,
    'IND',
  );
});
