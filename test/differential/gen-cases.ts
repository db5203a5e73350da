// Seeded generator of (program, packet) batch lines for the libpcap differential test.
import type { RawInsn } from '../../src/core/insn.js';
import { SKF_AD_OFF, SKF_LL_OFF, SKF_NET_OFF, VALID_OPCODES } from '../../src/core/opcodes.js';
import { rng as mulberry32 } from '../helpers/gen-linux-program.js';

/** The seeded mulberry32 generator with the draws the cases need. */
export function rng(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const u32 = (): number => (int(0x10000) * 0x10000 + int(0x10000)) >>> 0;
  return { next, int, pick, u32, chance: (p: number) => next() < p };
}
export type Rng = ReturnType<typeof rng>;

const OPCODES = [...VALID_OPCODES];
const LOAD_K = [
  0,
  1,
  2,
  3,
  9,
  12,
  13,
  14,
  20,
  22,
  23,
  30,
  34,
  36,
  40,
  60,
  62,
  63,
  64,
  100,
  0x7fffffff,
  0x80000000,
  0xfffffffc,
  0xfffffffe,
  0xffffffff,
  SKF_AD_OFF,
  SKF_AD_OFF + 44,
  SKF_AD_OFF + 48,
  SKF_AD_OFF + 2,
  SKF_AD_OFF + 64,
  SKF_AD_OFF + 40,
  SKF_NET_OFF + 9,
  SKF_LL_OFF + 12,
];
const X_VALUES = [
  0, 1, 2, 4, 14, 20, 31, 32, 33, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffc, 0xffffffff,
];
const ALU_K = [
  0, 1, 2, 3, 7, 8, 10, 31, 32, 33, 255, 0x8000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
];
const SHIFT_K = [0, 1, 7, 31, 32, 33, 64, 0xffffffff];
const NONCANONICAL = [
  0x0e, 0x0d, 0x08, 0x10, 0x18, 0x21, 0x68, 0xa0, 0xc0, 0x22, 0x0f, 0xb4, 0x8c, 0x55, 0x0120, 0xff,
  0x1106, 0xe0,
];

/** k for opcode `code` at index i of an n-instruction program (never a wrapped backward ja). */
function kFor(r: Rng, code: number, i: number, n: number): number {
  const cls = code & 7;
  const mode = code & 0xe0;
  if (code === 0x05) {
    const room = n - i - 1;
    if (r.chance(0.85) && room > 0) return r.int(room);
    return room + r.int(4); // forward past the end: invalid, never wraps into the program
  }
  if (code === 0x64 || code === 0x74) return r.pick(SHIFT_K);
  if (code === 0x01 && r.chance(0.7)) return r.pick(X_VALUES);
  if (cls === 0 && mode === 0x60) return r.chance(0.95) ? r.int(16) : 16 + r.int(3);
  if (code === 0x61 || code === 0x02 || code === 0x03)
    return r.chance(0.95) ? r.int(16) : 16 + r.int(3);
  if (cls === 0 || cls === 1) return r.chance(0.7) ? r.int(70) : r.pick(LOAD_K);
  if (cls === 4) return r.chance(0.5) ? r.pick(ALU_K) : r.chance(0.5) ? r.int(300) : r.u32();
  if (cls === 5) return r.chance(0.5) ? r.pick(ALU_K) : r.chance(0.6) ? r.int(256) : r.u32();
  if (cls === 6) return r.chance(0.5) ? r.pick([0, 1, 0xffff, 0x40000, 0xffffffff]) : r.u32();
  return r.chance(0.8) ? 0 : r.u32();
}

/** A random program biased towards valid ones; every canonical opcode appears. */
export function randomProgram(r: Rng): RawInsn[] {
  const n = 1 + r.int(r.chance(0.8) ? 12 : 40);
  const p: RawInsn[] = [];
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    let code: number;
    if (last && r.chance(0.9)) code = r.pick([0x06, 0x16]);
    else if (r.chance(0.03)) code = r.pick(NONCANONICAL);
    else code = r.pick(OPCODES);
    const room = n - i - 1;
    const jt = r.chance(0.95) ? r.int(Math.max(1, room)) : r.int(256);
    const jf = r.chance(0.95) ? r.int(Math.max(1, room)) : r.int(256);
    p.push({
      code,
      jt: (code & 7) === 5 ? jt : r.chance(0.9) ? 0 : r.int(256),
      jf: (code & 7) === 5 ? jf : r.chance(0.9) ? 0 : r.int(256),
      k: kFor(r, code, i, n) >>> 0,
    });
  }
  return p;
}

/** A loop with a backward ja: M[15] counts to `limit`; the body never writes M[15] and has no jumps. */
export function loopProgram(r: Rng): RawInsn[] {
  const pre: RawInsn[] = [];
  for (let i = 0, m = r.int(4); i < m; i++) pre.push(bodyInsn(r));
  const body: RawInsn[] = [];
  for (let i = 0, m = 1 + r.int(6); i < m; i++) body.push(bodyInsn(r));
  const limit = r.pick([0, 1, 2, 5, 64, 65, 200, 1000]);
  const head = pre.length;
  const p: RawInsn[] = [
    ...pre,
    { code: 0x60, jt: 0, jf: 0, k: 15 },
    { code: 0x04, jt: 0, jf: 0, k: 1 },
    { code: 0x02, jt: 0, jf: 0, k: 15 },
    { code: 0x35, jt: body.length + 1, jf: 0, k: limit },
    ...body,
  ];
  const jaAt = p.length;
  p.push({ code: 0x05, jt: 0, jf: 0, k: (head - (jaAt + 1)) >>> 0 });
  p.push(r.chance(0.5) ? { code: 0x16, jt: 0, jf: 0, k: 0 } : { code: 0x60, jt: 0, jf: 0, k: 15 }, {
    code: 0x16,
    jt: 0,
    jf: 0,
    k: 0,
  });
  return p;
}

function bodyInsn(r: Rng): RawInsn {
  for (;;) {
    const code = r.pick(OPCODES);
    if ((code & 7) === 5 || (code & 7) === 6) continue;
    const k = kFor(r, code, 0, 1);
    if ((code === 0x02 || code === 0x03) && k === 15) continue;
    return { code, jt: 0, jf: 0, k: k >>> 0 };
  }
}

/** Synthetic frames: Ethernet/IPv4/TCP-UDP, ARP, IPv6 with extension headers, VLAN; then cut and mutated. */
export function randomPacket(r: Rng, corpus: readonly Uint8Array[]): Uint8Array {
  const kind = r.int(6);
  let bytes: number[];
  if (kind === 0) {
    bytes = Array.from({ length: r.int(80) }, () => r.int(256));
  } else if (kind === 1 && corpus.length > 0) {
    bytes = [...r.pick(corpus)];
  } else if (kind === 2) {
    bytes = [
      ...mac(r),
      ...mac(r),
      0x08,
      0x06,
      0,
      1,
      8,
      0,
      6,
      4,
      0,
      r.pick([1, 2]),
      ...mac(r),
      10,
      0,
      0,
      1,
      ...mac(r),
      10,
      0,
      0,
      2,
    ];
  } else if (kind === 3) {
    const nh = r.pick([0, 43, 44, 60, 6, 17, 58, 51]);
    bytes = [
      ...mac(r),
      ...mac(r),
      0x86,
      0xdd,
      0x60,
      0,
      0,
      0,
      0,
      40,
      nh,
      64,
      ...rand(r, 32),
      ...(nh === 51
        ? [6, 2, 0, 0, ...rand(r, 12)]
        : [r.pick([6, 17, 43, 60]), r.int(3), ...rand(r, 6)]),
      ...rand(r, 30),
    ];
  } else {
    const vlan = r.chance(0.2) ? [0x81, 0x00, r.int(16), r.int(256)] : [];
    const proto = r.pick([6, 17, 1, 132, 47]);
    const ihl = r.chance(0.85) ? 5 : 5 + r.int(11);
    const flags = r.chance(0.8) ? [0x40, 0] : [r.int(256), r.int(256)];
    bytes = [
      ...mac(r),
      ...mac(r),
      ...vlan,
      0x08,
      0x00,
      0x40 | ihl,
      0,
      0,
      60,
      0,
      1,
      ...flags,
      64,
      proto,
      0,
      0,
      10,
      r.int(3),
      0,
      1,
      192,
      168,
      r.int(3),
      2,
      ...rand(r, (ihl - 5) * 4),
      ...port(r),
      ...port(r),
      ...rand(r, 16),
    ];
  }
  if (r.chance(0.3)) bytes = bytes.slice(0, r.int(bytes.length + 1));
  if (r.chance(0.15) && bytes.length > 0) bytes[r.int(bytes.length)] = r.int(256);
  return Uint8Array.from(bytes);
}

const rand = (r: Rng, n: number) => Array.from({ length: n }, () => r.int(256));
const mac = (r: Rng) => (r.chance(0.2) ? [255, 255, 255, 255, 255, 255] : rand(r, 6));
const port = (r: Rng) => {
  const p = r.pick([53, 67, 68, 80, 443, 8080, 22, r.int(65536)]);
  return [p >> 8, p & 0xff];
};

export function wirelenFor(r: Rng, caplen: number): number {
  const c = r.next();
  if (c < 0.6) return caplen;
  if (c < 0.9) return caplen + r.int(2000);
  if (c < 0.95) return r.int(caplen + 1);
  return r.u32();
}

/** Programs that stress Linux's check_load_and_stores: scratch traffic between branches and rets. */
export function scratchProgram(r: Rng): RawInsn[] {
  const n = 2 + r.int(12);
  const p: RawInsn[] = [];
  for (let i = 0; i < n - 1; i++) {
    const room = n - i - 1;
    const code = r.pick([0x02, 0x03, 0x60, 0x61, 0x60, 0x15, 0x05, 0x06, 0x30, 0x16]);
    const k = code === 0x05 ? r.int(room) : code === 0x15 ? r.int(3) : r.int(3);
    p.push({ code, jt: code === 0x15 ? r.int(room) : 0, jf: code === 0x15 ? r.int(room) : 0, k });
  }
  p.push({ code: 0x16, jt: 0, jf: 0, k: 0 });
  return p;
}
