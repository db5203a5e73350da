// Comparisons made in memory byte order: where `ldh [k]` or `ld [k]` is followed in the same block
// by `jeq #K` or `jset #K` and nothing reads A after that jump, the load can skip its byte swap
// and the jump compare against K byte-swapped instead (wasm loads are little-endian; cBPF's are
// big-endian). This is what `arp` and `arp[6:2] = 2` consist of.
import type { Program } from '../encode.js';
import type { Cfg } from '../jit/cfg.js';
import { successors } from '../jit/cfg.js';
import type { StaticLoad } from '../jit/guards.js';
import type { ProfileFacts } from '../profiles.js';

/** Loads that skip their byte swap (by pc) and the constant each fused jump compares with (by pc). */
export interface SwapPlan {
  readonly rawLoads: ReadonlySet<number>;
  readonly swappedK: ReadonlyMap<number, number>;
}

const swap16 = (v: number): number => ((v & 0xff) << 8) | ((v >> 8) & 0xff);
const swap32 = (v: number): number =>
  (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;

/**
 * Per instruction, whether A's value on entry may be read later (a backward pass; the program
 * jumps only forward). Unknown cases count as reads.
 */
export function liveA(program: Program, facts: ProfileFacts): Uint8Array {
  const n = program.length;
  const live = new Uint8Array(n);
  for (let pc = n - 1; pc >= 0; pc--) {
    const { code } = program[pc];
    const cls = code & 7;
    let out = 0;
    for (const s of successors(program, pc, facts)) if (s > pc && s < n) out |= live[s];
    let uses: boolean;
    let defines: boolean;
    if (cls === 0) {
      // A plain load defines A; a Linux ancillary one may read it (SKF_AD_ALU_XOR_X, NLATTR).
      uses = (code & 0xe0) === 0x20 && program[pc].k >= 0x80000000;
      defines = true;
    } else if (cls === 1 || cls === 3) {
      uses = false;
      defines = false;
    } else if (cls === 5) {
      uses = code !== 0x05;
      defines = false;
    } else if (cls === 6) {
      uses = code !== 0x06;
      defines = false;
    } else if (code === 0x87) {
      uses = false;
      defines = true;
    } else {
      // st, ALU, tax and anything unknown.
      uses = true;
      defines = false;
    }
    live[pc] = uses || (!defines && out) ? 1 : 0;
  }
  return live;
}

/** Plans the fused load/compare pairs of a validated, forward-only program. */
export function planSwaps(
  program: Program,
  facts: ProfileFacts,
  cfg: Cfg,
  loads: readonly (StaticLoad | undefined)[],
): SwapPlan {
  const live = liveA(program, facts);
  const rawLoads = new Set<number>();
  const swappedK = new Map<number, number>();
  for (let pc = 1; pc < program.length; pc++) {
    const { code, jt, jf, k } = program[pc];
    if (code !== 0x15 && code !== 0x45) continue; // jeq #k, jset #k
    const ld = program[pc - 1];
    if ((ld.code !== 0x28 && ld.code !== 0x20) || loads[pc - 1]?.kind !== 'abs') continue;
    if (cfg.blockOf[pc] !== cfg.blockOf[pc - 1]) continue; // another edge enters at the jump
    if (live[pc + 1 + jt] || live[pc + 1 + jf]) continue;
    if (ld.code === 0x28) {
      // A is below 2^16: a jeq #K above that never matches, and jset ignores K's high bits.
      if (code === 0x15 && k > 0xffff) continue;
      swappedK.set(pc, swap16(k & 0xffff));
    } else swappedK.set(pc, swap32(k));
    rawLoads.add(pc - 1);
  }
  return { rawLoads, swappedK };
}
