// One table case per instruction behaviour, run through the JIT and the interpreter as subtests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AncillaryData } from '../../../src/core/ancillary.js';
import type { RawInsn } from '../../../src/core/insn.js';
import { jit } from '../../../src/core/jit/index.js';
import { SKF_AD, SKF_AD_OFF, SKF_LL_OFF, SKF_NET_OFF } from '../../../src/core/opcodes.js';
import type { ProfileName } from '../../../src/core/profiles.js';
import { run } from '../../../src/core/vm.js';

const I = (code: number, k = 0, jt = 0, jf = 0): RawInsn => ({ code, jt, jf, k: k >>> 0 });
const RET_A = I(0x16);
const LDI = (k: number) => I(0x00, k);
const LDXI = (k: number) => I(0x01, k);
const AD = (n: number) => SKF_AD_OFF + n;

interface Case {
  name: string;
  profiles?: readonly ProfileName[];
  program: RawInsn[];
  packet?: number[];
  wirelen?: number;
  ancillary?: Partial<AncillaryData>;
  limit?: number;
  want: number;
}

const P = [
  0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x06, 0x45, 0xff,
];
const ALL: readonly ProfileName[] = ['linux', 'bsd', 'libpcap'];
const NOT_LINUX: readonly ProfileName[] = ['bsd', 'libpcap'];

const cases: Case[] = [
  // loads
  { name: 'ld [k] word', program: [I(0x20, 12), RET_A], packet: P, want: 0x080645ff },
  { name: 'ldh [k]', program: [I(0x28, 12), RET_A], packet: P, want: 0x0806 },
  { name: 'ldb [k]', program: [I(0x30, 15), RET_A], packet: P, want: 0xff },
  {
    name: 'ld [k] ending exactly at the end',
    program: [I(0x20, 12), RET_A],
    packet: P,
    want: 0x080645ff,
  },
  {
    name: 'ld [k] one past the end returns 0',
    program: [I(0x20, 13), I(0x06, 7)],
    packet: P,
    want: 0,
  },
  {
    name: 'ldb on an empty packet returns 0',
    program: [I(0x30, 0), I(0x06, 7)],
    packet: [],
    want: 0,
  },
  {
    name: 'ld [huge k] returns 0',
    program: [I(0x20, 0xfffffffe), I(0x06, 7)],
    packet: P,
    profiles: NOT_LINUX,
    want: 0,
  },
  { name: 'ldh [x + k]', program: [LDXI(10), I(0x48, 2), RET_A], packet: P, want: 0x0806 },
  {
    name: 'ld [x + k] past the end returns 0',
    program: [LDXI(13), I(0x40, 0), I(0x06, 7)],
    packet: P,
    want: 0,
  },
  {
    name: 'ldb [x + k] with a wrapping sum returns 0 (exact)',
    program: [LDXI(0xffffffff), I(0x50, 2), I(0x06, 7)],
    packet: P,
    profiles: NOT_LINUX,
    want: 0,
  },
  {
    name: 'ldb [x + k] signed sum on Linux: -1 + 2 = 1',
    program: [LDXI(0xffffffff), I(0x50, 2), RET_A],
    packet: P,
    profiles: ['linux'],
    want: 0x11,
  },
  { name: 'ldxb 4*([k]&0xf)', program: [I(0xb1, 14), I(0x87), RET_A], packet: P, want: 20 },
  { name: 'ldxb past the end returns 0', program: [I(0xb1, 16), I(0x06, 7)], packet: P, want: 0 },
  {
    name: 'ld #len is the wire length',
    program: [I(0x80), RET_A],
    packet: P,
    wirelen: 1514,
    want: 1514,
  },
  { name: 'ldx #len', program: [I(0x81), I(0x87), RET_A], packet: P, wirelen: 99, want: 99 },
  {
    name: 'bounds use the captured length, not wirelen',
    program: [I(0x30, 20), I(0x06, 7)],
    packet: P,
    wirelen: 1514,
    want: 0,
  },
  { name: 'ld #k', program: [LDI(0xdeadbeef), RET_A], want: 0xdeadbeef },
  { name: 'st / ld M[k]', program: [LDI(5), I(0x02, 3), LDI(0), I(0x60, 3), RET_A], want: 5 },
  {
    name: 'stx / ldx M[k]',
    program: [LDXI(6), I(0x03, 15), LDXI(0), I(0x61, 15), I(0x87), RET_A],
    want: 6,
  },
  {
    name: 'scratch starts at 0',
    program: [LDI(9), I(0x60, 4), RET_A],
    profiles: NOT_LINUX,
    want: 0,
  },
  // ALU
  { name: 'add wraps', program: [LDI(0xffffffff), I(0x04, 2), RET_A], want: 1 },
  { name: 'sub wraps', program: [LDI(1), I(0x14, 2), RET_A], want: 0xffffffff },
  {
    name: 'mul keeps the low 32 bits',
    program: [LDI(0x10001), I(0x24, 0x10001), RET_A],
    want: 0x20001,
  },
  { name: 'div k', program: [LDI(0xffffffff), I(0x34, 16), RET_A], want: 0x0fffffff },
  { name: 'mod k', program: [LDI(100), I(0x94, 7), RET_A], want: 2 },
  { name: 'div x by zero returns 0', program: [LDI(7), I(0x3c), I(0x06, 9)], want: 0 },
  { name: 'mod x by zero returns 0', program: [LDI(7), I(0x9c), I(0x06, 9)], want: 0 },
  { name: 'div x', program: [LDI(100), LDXI(7), I(0x3c), RET_A], want: 14 },
  {
    name: 'or / and / xor k',
    program: [LDI(0xf0), I(0x44, 0x0f), I(0x54, 0x3c), I(0xa4, 0xffffffff), RET_A],
    want: 0xffffffc3,
  },
  {
    name: 'or / and / xor x',
    program: [LDXI(0x80000001), LDI(2), I(0x4c), I(0x5c), I(0xac), RET_A],
    want: 0,
  },
  { name: 'lsh 31', program: [LDI(3), I(0x64, 31), RET_A], want: 0x80000000 },
  { name: 'rsh 31', program: [LDI(0x80000000), I(0x74, 31), RET_A], want: 1 },
  {
    name: 'lsh x by 32: mod 32 on Linux',
    program: [LDI(3), LDXI(32), I(0x6c), RET_A],
    profiles: ['linux'],
    want: 3,
  },
  {
    name: 'lsh x by 33: 0 elsewhere',
    program: [LDI(3), LDXI(33), I(0x6c), RET_A],
    profiles: NOT_LINUX,
    want: 0,
  },
  {
    name: 'rsh x by 33: mod 32 on Linux',
    program: [LDI(4), LDXI(33), I(0x7c), RET_A],
    profiles: ['linux'],
    want: 2,
  },
  {
    name: 'rsh x by 32: 0 elsewhere',
    program: [LDI(4), LDXI(32), I(0x7c), RET_A],
    profiles: NOT_LINUX,
    want: 0,
  },
  { name: 'neg', program: [LDI(1), I(0x84), RET_A], want: 0xffffffff },
  { name: 'neg 0', program: [LDI(0), I(0x84), I(0x15, 0, 0, 1), I(0x06, 1), I(0x06, 2)], want: 1 },
  // jumps
  { name: 'jeq k true', program: [LDI(5), I(0x15, 5, 0, 1), I(0x06, 1), I(0x06, 2)], want: 1 },
  {
    name: 'jgt k is unsigned',
    program: [LDI(0x80000000), I(0x25, 1, 0, 1), I(0x06, 1), I(0x06, 2)],
    want: 1,
  },
  { name: 'jge k equal', program: [LDI(7), I(0x35, 7, 0, 1), I(0x06, 1), I(0x06, 2)], want: 1 },
  {
    name: 'jset k',
    program: [LDI(0x80000000), I(0x45, 0x80000000, 1, 0), I(0x06, 1), I(0x06, 2)],
    want: 2,
  },
  { name: 'jeq x', program: [LDI(4), LDXI(4), I(0x1d, 0, 1, 0), I(0x06, 1), I(0x06, 2)], want: 2 },
  {
    name: 'jgt x false',
    program: [LDI(4), LDXI(4), I(0x2d, 0, 1, 0), I(0x06, 1), I(0x06, 2)],
    want: 1,
  },
  {
    name: 'jge x',
    program: [LDI(0xffffffff), LDXI(1), I(0x3d, 0, 0, 1), I(0x06, 1), I(0x06, 2)],
    want: 1,
  },
  {
    name: 'jset x false',
    program: [LDI(1), LDXI(2), I(0x4d, 0, 0, 1), I(0x06, 1), I(0x06, 2)],
    want: 2,
  },
  { name: 'ja forward', program: [I(0x05, 1), I(0x06, 1), I(0x06, 2)], want: 2 },
  { name: 'ja 0', program: [I(0x05, 0), I(0x06, 3)], want: 3 },
  { name: 'jt = jf', program: [LDI(1), I(0x15, 9, 1, 1), I(0x06, 1), I(0x06, 2)], want: 2 },
  {
    name: 'far jump to a shared ret',
    program: [LDI(1), I(0x15, 1, 3, 0), LDI(2), I(0x15, 2, 1, 0), I(0x06, 5), RET_A],
    want: 1,
  },
  // ret, misc
  { name: 'ret #k', program: [I(0x06, 0xffffffff)], want: 0xffffffff },
  { name: 'ret a', program: [LDI(77), RET_A], want: 77 },
  { name: 'tax / txa', program: [LDI(8), I(0x07), LDI(0), I(0x87), RET_A], want: 8 },
  // libpcap backward ja
  {
    name: 'backward ja loop counts to 5',
    profiles: ['libpcap'],
    // M0 = 0; loop: M0 += 1; if M0 == 5 ret M0; ja loop
    program: [
      LDI(0),
      I(0x02, 0),
      I(0x60, 0),
      I(0x04, 1),
      I(0x02, 0),
      I(0x15, 5, 1, 0),
      I(0x05, -5),
      RET_A,
    ],
    want: 5,
  },
  {
    name: 'backward ja beyond the budget returns 0',
    profiles: ['libpcap'],
    program: [
      LDI(0),
      I(0x02, 0),
      I(0x60, 0),
      I(0x04, 1),
      I(0x02, 0),
      I(0x15, 50, 1, 0),
      I(0x05, -5),
      RET_A,
    ],
    limit: 10,
    want: 0,
  },
  {
    name: 'ja to itself stops at the budget',
    profiles: ['libpcap'],
    program: [I(0x05, -1), I(0x06, 1)],
    limit: 3,
    want: 0,
  },
  {
    name: 'ja back to 0',
    profiles: ['libpcap'],
    program: [I(0x81), I(0x87), I(0x04, 1), I(0x15, 3, 1, 0), I(0x05, -5), RET_A],
    want: 0,
  },
  // Linux ancillary and header-relative loads
  ...(
    [
      ['protocol', { protocol: 0x86dd }, 0x86dd],
      ['pkttype', { pkttype: 3 }, 3],
      ['ifindex', { ifindex: 12 }, 12],
      ['mark', { mark: 0xfeedface }, 0xfeedface],
      ['queue', { queue: 2 }, 2],
      ['hatype', { hatype: 772 }, 772],
      ['rxhash', { rxhash: 0x12345678 }, 0x12345678],
      ['cpu', { cpu: 1 }, 1],
      ['vlan_tag', { vlanTci: 0x2064 }, 0x2064],
      ['vlan_tag_present', { vlanPresent: 1 }, 1],
      ['pay_offset', { payOffset: 54 }, 54],
      ['random', { random: 4 }, 4],
      ['vlan_tpid', { vlanTpid: 0x88a8 }, 0x88a8],
    ] as const
  ).map(
    ([field, anc, want]): Case => ({
      name: `SKF_AD ${field}`,
      profiles: ['linux'],
      program: [I(0x30, AD(SKF_AD[field])), RET_A],
      ancillary: anc,
      want,
    }),
  ),
  {
    name: 'SKF_AD alu_xor_x',
    profiles: ['linux'],
    program: [LDI(0xff), LDXI(0x0f), I(0x20, AD(SKF_AD.alu_xor_x)), RET_A],
    want: 0xf0,
  },
  {
    name: 'SKF_AD nlattr finds attribute type 2',
    profiles: ['linux'],
    // two attributes: {len 4, type 1}, {len 8, type 2, 4 bytes}; A = start offset 0, X = type
    program: [LDI(0), LDXI(2), I(0x20, AD(SKF_AD.nlattr)), RET_A],
    packet: [4, 0, 1, 0, 8, 0, 2, 0, 9, 9, 9, 9],
    want: 4,
  },
  {
    name: 'SKF_NET_OFF relative ldh',
    profiles: ['linux'],
    program: [I(0x28, SKF_NET_OFF + 2), RET_A],
    packet: P,
    ancillary: { netOffset: 10 },
    want: 0x0806,
  },
  {
    name: 'SKF_NET_OFF without a network offset returns 0',
    profiles: ['linux'],
    program: [I(0x28, SKF_NET_OFF + 2), I(0x06, 1)],
    packet: P,
    want: 0,
  },
  {
    name: 'SKF_LL_OFF relative ldb',
    profiles: ['linux'],
    program: [I(0x30, SKF_LL_OFF + 1), RET_A],
    packet: P,
    ancillary: { llOffset: 0 },
    want: 0x11,
  },
  {
    name: 'below SKF_LL_OFF returns 0',
    profiles: ['linux'],
    program: [I(0x30, SKF_LL_OFF - 1), I(0x06, 1)],
    packet: P,
    ancillary: { llOffset: 0 },
    want: 0,
  },
  {
    name: 'SKF_NET_OFF into the headroom',
    profiles: ['linux'],
    program: [I(0x20, SKF_NET_OFF), RET_A],
    packet: P,
    ancillary: { netOffset: -2, headroom: Uint8Array.of(0xab, 0xcd) },
    want: 0xabcd0011,
  },
  {
    name: 'ldxb 4*([SKF_NET_OFF]&0xf)',
    profiles: ['linux'],
    program: [I(0xb1, SKF_NET_OFF), I(0x87), RET_A],
    packet: P,
    ancillary: { netOffset: 14 },
    want: 20,
  },
  {
    name: 'ld [x + k] negative sum is header-relative',
    profiles: ['linux'],
    program: [LDXI(SKF_NET_OFF), I(0x50, 1), RET_A],
    packet: P,
    ancillary: { netOffset: 12 },
    want: 0x06,
  },
  {
    name: 'ld [x + k] never reads ancillary data',
    profiles: ['linux'],
    program: [LDXI(AD(0)), I(0x40, 0), I(0x06, 1)],
    packet: P,
    ancillary: { protocol: 8, netOffset: 0 },
    want: 0,
  },
];

for (const c of cases) {
  for (const profile of c.profiles ?? ALL) {
    const packet = Uint8Array.from(c.packet ?? []);
    const opts = { profile, ancillary: c.ancillary, backwardJumpLimit: c.limit };
    test(`${c.name} [${profile}]`, async (t) => {
      await t.test('interpreter', () => {
        assert.equal(run(c.program, packet, { ...opts, wirelen: c.wirelen }), c.want);
      });
      await t.test('jit', () => {
        const f = jit(c.program, opts);
        assert.equal(f(packet, c.wirelen), c.want);
        const buf = new Uint8Array(packet.length + 8);
        buf.set(packet, 5);
        assert.equal(f.at(buf, 5, packet.length, c.wirelen ?? packet.length), c.want);
        assert.equal(
          f.count(buf, [5], [packet.length], [c.wirelen ?? packet.length], 1),
          c.want !== 0 ? 1 : 0,
        );
      });
    });
  }
}
