// Random programs the Linux validator accepts (no ancillary loads), for kernel-vs-interpreter tests.
import type { RawInsn } from '../../src/core/insn.js';
import { validate } from '../../src/core/validate.js';

/** A small deterministic PRNG (mulberry32) so failures reproduce from the seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: () => number, n: number) => Math.floor(r() * n);

const ALU_K = [0x04, 0x14, 0x24, 0x34, 0x44, 0x54, 0x64, 0x74, 0x94, 0xa4]; // add sub mul div or and lsh rsh mod xor
const ALU_X = [0x0c, 0x1c, 0x2c, 0x4c, 0x5c, 0xac];
const JMP_K = [0x15, 0x25, 0x35, 0x45];

/** One program of 2..`max` instructions ending in a ret, valid for the 'linux' profile. */
export function genLinuxProgram(r: () => number, max = 14): RawInsn[] {
  for (;;) {
    const n = 1 + int(r, max - 1);
    const p: RawInsn[] = [];
    let memWritten = 0;
    for (let i = 0; i < n; i++) {
      const left = n - i; // instructions after this one, including the final ret at index n
      const c = int(r, 12);
      let x: RawInsn;
      if (c < 3)
        x = { code: pick(r, [0x20, 0x28, 0x30]), jt: 0, jf: 0, k: int(r, 90) }; // ld w/h/b abs
      else if (c === 3)
        x = { code: pick(r, [0x40, 0x48, 0x50]), jt: 0, jf: 0, k: int(r, 40) }; // ld ind
      else if (c === 4)
        x = { code: pick(r, [0x80, 0x00, 0x01, 0xb1, 0x81]), jt: 0, jf: 0, k: int(r, 100) }; // len/imm/ldx imm/msh/ldx len
      else if (c === 5) {
        const code = pick(r, ALU_K);
        let k = int(r, 0x10000) * (r() < 0.5 ? 1 : 0x10001);
        if (code === 0x34 || code === 0x94) k = 1 + int(r, 300);
        if (code === 0x64 || code === 0x74) k = int(r, 32);
        x = { code, jt: 0, jf: 0, k: k >>> 0 };
      } else if (c === 6) x = { code: pick(r, ALU_X), jt: 0, jf: 0, k: 0 };
      else if (c < 9)
        x = {
          code: pick(r, JMP_K),
          jt: int(r, left),
          jf: int(r, left),
          k: r() < 0.5 ? int(r, 256) : int(r, 0x10000),
        };
      else if (c === 9)
        x = { code: pick(r, [0x07, 0x87]), jt: 0, jf: 0, k: 0 }; // tax / txa
      else if (c === 10) {
        const m = int(r, 16);
        memWritten |= 1 << m;
        x = { code: pick(r, [0x02, 0x03]), jt: 0, jf: 0, k: m }; // st / stx
      } else if (memWritten) {
        let m = int(r, 16);
        while (!(memWritten & (1 << m))) m = (m + 1) & 15;
        x = { code: pick(r, [0x60, 0x61]), jt: 0, jf: 0, k: m }; // ld/ldx M[]
      } else x = { code: 0x16, jt: 0, jf: 0, k: 0 }; // ret a
      p.push(x);
    }
    p.push(
      r() < 0.4
        ? { code: 0x16, jt: 0, jf: 0, k: 0 }
        : { code: 0x06, jt: 0, jf: 0, k: pick(r, [0, 1, 13, 14, 20, 59, 64, 0xffff, 0xffffffff]) },
    );
    if (validate(p, 'linux').length === 0) return p;
  }
}

/** An Ethernet frame with ethertype 0x88b5 and random payload, 60..`maxLen` bytes. */
export function genFrame(r: () => number, maxLen = 120): Uint8Array {
  const f = new Uint8Array(60 + int(r, maxLen - 59));
  for (let i = 14; i < f.length; i++) f[i] = int(r, 256);
  f.set([0x02, 0, 0, 0, 0, 0xaa, 0x02, 0, 0, 0, 0, 0xbb, 0x88, 0xb5]);
  return f;
}
