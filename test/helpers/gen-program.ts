// Random programs valid for a profile, with packets and metadata to run them on: every opcode
// family, loads at, around and far past the packet end, Linux SKF_AD/SKF_NET_OFF/SKF_LL_OFF
// offsets, zero divisors in X, wide shifts, scratch memory, mid-program returns and, under libpcap,
// backward `ja`. Built for JIT-vs-interpreter properties; constants are biased towards the values
// packets hold so both edges of a jump get taken.
import type { AncillaryData } from '../../src/core/ancillary.js';
import type { Program } from '../../src/core/encode.js';
import type { RawInsn } from '../../src/core/insn.js';
import { SKF_AD, SKF_AD_OFF, SKF_LL_OFF, SKF_NET_OFF } from '../../src/core/opcodes.js';
import type { ProfileName } from '../../src/core/profiles.js';
import { isValid } from '../../src/core/validate.js';

type Rng = () => number;
const int = (r: Rng, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)];

const LD_ABS = [0x20, 0x28, 0x30];
const LD_IND = [0x40, 0x48, 0x50];
const ALU_K = [0x04, 0x14, 0x24, 0x34, 0x44, 0x54, 0x64, 0x74, 0x94, 0xa4];
const ALU_X = [0x0c, 0x1c, 0x2c, 0x3c, 0x4c, 0x5c, 0x6c, 0x7c, 0x9c, 0xac, 0x84];
const JMP = [0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d];
const AD_FIELDS = Object.values(SKF_AD);

/** A value packets and registers often hold: small numbers, bytes, all-ones, or anything. */
function value(r: Rng): number {
  const x = r();
  if (x < 0.3) return int(r, 4);
  if (x < 0.55) return int(r, 256);
  if (x < 0.65) return int(r, 0x10000);
  if (x < 0.75) return (0xffffffff - int(r, 4)) >>> 0;
  if (x < 0.8) return 0x80000000 + int(r, 4);
  return int(r, 0x100000000);
}

/** A packet offset: mostly inside a short packet, sometimes at its end, past it, or wrapping. */
function offset(r: Rng, linux: boolean, ancillaryOk: boolean): number {
  const x = r();
  if (x < 0.55) return int(r, 48);
  if (x < 0.7) return 40 + int(r, 50);
  if (x < 0.78) return 0xffffffff - int(r, 8);
  if (x < 0.82) return 0x7fffffff - int(r, 4);
  if (!linux || x < 0.86) return int(r, 0x100000000);
  const y = r();
  if (y < 0.35 && ancillaryOk) return SKF_AD_OFF + pick(r, AD_FIELDS);
  if (y < 0.65) return SKF_NET_OFF + int(r, 40);
  if (y < 0.9) return SKF_LL_OFF + int(r, 40);
  return (SKF_LL_OFF - 1 - int(r, 4)) >>> 0; // below every header-relative range
}

function insn(r: Rng, profile: ProfileName, pc: number, n: number): RawInsn {
  const linux = profile === 'linux';
  const left = n - pc - 2; // how far a jump here may skip and still land before the end
  // Mostly short skips, so runs go deep into the program.
  const skip = (): number => (r() < 0.7 ? int(r, Math.min(left, 2) + 1) : int(r, left + 1));
  const x = r();
  const z = { jt: 0, jf: 0 };
  if (x < 0.16) return { code: pick(r, LD_ABS), ...z, k: offset(r, linux, true) };
  if (x < 0.24) return { code: pick(r, LD_IND), ...z, k: offset(r, linux, false) };
  if (x < 0.27) return { code: 0xb1, ...z, k: offset(r, linux, false) };
  if (x < 0.31) return { code: pick(r, [0x00, 0x01]), ...z, k: value(r) };
  if (x < 0.33) return { code: pick(r, [0x01]), ...z, k: pick(r, [0, 1, 31, 32, 33, 64]) };
  if (x < 0.36) return { code: pick(r, [0x80, 0x81]), ...z, k: 0 };
  if (x < 0.41) return { code: pick(r, [0x02, 0x03]), ...z, k: int(r, 16) };
  if (x < 0.45) return { code: pick(r, [0x60, 0x61]), ...z, k: int(r, 16) };
  if (x < 0.55) {
    const code = pick(r, ALU_K);
    const op = code & 0xf0;
    let k = value(r);
    if (op === 0x60 || op === 0x70) k = int(r, 32);
    if ((op === 0x30 || op === 0x90) && k === 0) k = 1 + int(r, 300);
    return { code, ...z, k };
  }
  if (x < 0.62) return { code: pick(r, ALU_X), ...z, k: 0 };
  if (x < 0.65) return { code: pick(r, [0x07, 0x87]), ...z, k: 0 };
  if (x < 0.7) {
    if (profile === 'libpcap' && r() < 0.35)
      return { code: 0x05, ...z, k: -(1 + int(r, pc + 1)) >>> 0 };
    return { code: 0x05, ...z, k: skip() };
  }
  if (x < 0.96) return { code: pick(r, JMP), jt: skip(), jf: skip(), k: value(r) };
  return r() < 0.5 ? { code: 0x16, ...z, k: 0 } : { code: 0x06, ...z, k: value(r) };
}

/** One random program valid for `profile` (1..max instructions); retries until the validator accepts. */
export function genProgram(r: Rng, profile: ProfileName, max = 12): Program {
  for (;;) {
    const n = 1 + int(r, max);
    const prog: RawInsn[] = [];
    for (let pc = 0; pc < n - 1; pc++) prog.push(insn(r, profile, pc, n));
    prog.push(
      r() < 0.4
        ? { code: 0x16, jt: 0, jf: 0, k: 0 }
        : { code: 0x06, jt: 0, jf: 0, k: value(r) || 1 },
    );
    if (isValid(prog, profile)) return prog;
  }
}

/** Random Linux metadata: every field, header offsets unset, inside, negative (with headroom) or far out. */
export function genAncillary(r: Rng): Partial<AncillaryData> {
  const headerOffset = (): number | undefined => {
    const x = r();
    if (x < 0.25) return undefined;
    if (x < 0.6) return int(r, 30);
    if (x < 0.85) return -int(r, 24);
    return 1000 + int(r, 100);
  };
  const h = r() < 0.5 ? undefined : Uint8Array.from({ length: int(r, 30) }, () => int(r, 256));
  return {
    protocol: pick(r, [0x0800, 0x86dd, 0x0806, int(r, 0x10000)]),
    pkttype: int(r, 5),
    ifindex: int(r, 10),
    mark: value(r),
    queue: int(r, 8),
    hatype: pick(r, [1, 772, 65534]),
    rxhash: value(r),
    cpu: int(r, 4),
    vlanTci: int(r, 0x10000),
    vlanPresent: int(r, 2),
    vlanTpid: pick(r, [0, 0x8100, 0x88a8]),
    random: value(r),
    payOffset: int(r, 100),
    netOffset: headerOffset(),
    llOffset: headerOffset(),
    headroom: h,
  };
}

/** A random packet (sometimes short or empty), bytes biased to small values so jumps on them go both ways. */
export function genPacket(r: Rng, maxLen = 100): Uint8Array {
  const p = new Uint8Array(r() < 0.3 ? int(r, 50) : int(r, maxLen));
  for (let i = 0; i < p.length; i++) p[i] = r() < 0.4 ? int(r, 4) : int(r, 256);
  return p;
}

/** A wire length: usually the captured length, sometimes longer (a snapped capture) or huge. */
export function genWirelen(r: Rng, p: Uint8Array): number {
  const x = r();
  if (x < 0.6) return p.length;
  if (x < 0.9) return p.length + int(r, 2000);
  return value(r);
}
