// Random programs valid for a profile (any opcode family, ancillary and SKF_NET_OFF/LL_OFF offsets,
// zero divisors, wide shifts, backward ja where the profile runs them), for JIT-vs-interpreter tests.
import type { Program } from '../../src/core/encode.js';
import type { RawInsn } from '../../src/core/insn.js';
import type { ProfileName } from '../../src/core/profiles.js';
import { isValid } from '../../src/core/validate.js';

const CODES = [
  0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x00, 0x80, 0x60, 0x01, 0x81, 0x61, 0xb1, 0x02, 0x03,
  0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x94, 0x9c, 0x44, 0x4c, 0x54, 0x5c, 0xa4, 0xac,
  0x64, 0x6c, 0x74, 0x7c, 0x84, 0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x07, 0x87,
];

function pickK(r: () => number, code: number): number {
  const x = r();
  if ((code & 7) <= 1 && (code & 0xe0) === 0x20 && x < 0.15) {
    // SKF_AD_OFF + small, SKF_NET_OFF + small, SKF_LL_OFF + small
    const base = [0xfffff000, 0xfff00000, 0xffe00000][Math.floor(r() * 3)];
    return (base + Math.floor(r() * 64)) >>> 0;
  }
  if (x < 0.5) return Math.floor(r() * 40);
  if (x < 0.6) return 0;
  if (x < 0.7) return Math.floor(r() * 0x100000000);
  if (x < 0.8) return 0xffffffff - Math.floor(r() * 8);
  return Math.floor(r() * 256);
}

/** One random program valid for `profile`; retries until the validator accepts. */
export function genProgram(r: () => number, profile: ProfileName, max = 12): Program {
  for (;;) {
    const n = 1 + Math.floor(r() * max);
    const prog: RawInsn[] = [];
    for (let pc = 0; pc < n - 1; pc++) {
      const code = CODES[Math.floor(r() * CODES.length)];
      let k = pickK(r, code);
      const left = n - pc - 2;
      let jt = 0;
      let jf = 0;
      if (code === 0x05) {
        k = profile === 'libpcap' && r() < 0.3 ? (-(1 + Math.floor(r() * (pc + 1)))) >>> 0 : Math.floor(r() * (left + 1));
      } else if ((code & 7) === 5) {
        jt = Math.floor(r() * (left + 1));
        jf = Math.floor(r() * (left + 1));
      }
      if ((code & 0x07) <= 3 && ((code & 0xe0) === 0x60 || (code & 7) >= 2)) k = Math.floor(r() * 16);
      prog.push({ code, jt, jf, k });
    }
    prog.push(r() < 0.5 ? { code: 0x16, jt: 0, jf: 0, k: 0 } : { code: 0x06, jt: 0, jf: 0, k: pickK(r, 6) });
    if (isValid(prog, profile)) return prog;
  }
}

/** A random packet, sometimes empty or longer than typical headers. */
export function genPacket(r: () => number, maxLen = 80): Uint8Array {
  const p = new Uint8Array(Math.floor(r() * maxLen));
  for (let i = 0; i < p.length; i++) p[i] = r() < 0.3 ? 0 : Math.floor(r() * 256);
  return p;
}
