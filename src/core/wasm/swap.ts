// Comparisons made in memory byte order: where the value of `ldh [k]` or `ld [k]` is only ever
// tested by `jeq #K` or `jset #K`, the load skips its byte swap and those jumps compare against K
// byte-swapped instead (wasm loads are little-endian, cBPF's big-endian). Most of what tcpdump's
// header tests do (`arp`, `host a or host b`) is this.
import { type StaticLoad, successors } from '../analysis/index.js';
import type { Program } from '../encode.js';
import {
  BPF_ABS,
  BPF_ALU,
  BPF_CLASS,
  BPF_JMP,
  BPF_LD,
  BPF_LDX,
  BPF_MODE,
  BPF_RET,
  BPF_STX,
  OP,
} from '../opcodes.js';
import type { ProfileFacts } from '../profiles.js';

/** Loads that skip their byte swap (by pc) and the constant each swapped jump compares with (by pc). */
export interface SwapPlan {
  readonly rawLoads: ReadonlySet<number>;
  readonly swappedK: ReadonlyMap<number, number>;
}

const swap16 = (v: number): number => ((v & 0xff) << 8) | ((v >> 8) & 0xff);
const swap32 = (v: number): number =>
  (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;

/** How instruction `code` (with operand k) touches A: reads it, writes it, or both. */
function touchesA(code: number, k: number): { reads: boolean; writes: boolean } {
  const cls = BPF_CLASS(code);
  // A plain load writes A; a Linux ancillary one may also read it (SKF_AD_ALU_XOR_X, NLATTR).
  if (cls === BPF_LD) return { reads: BPF_MODE(code) === BPF_ABS && k >= 0x80000000, writes: true };
  if (cls === BPF_LDX || cls === BPF_STX) return { reads: false, writes: false };
  if (cls === BPF_JMP) return { reads: code !== OP.JA, writes: false };
  if (cls === BPF_RET) return { reads: code !== OP.RET_K, writes: false };
  if (code === OP.TXA) return { reads: false, writes: true };
  if (cls === BPF_ALU) return { reads: true, writes: true };
  return { reads: true, writes: false }; // st, tax and anything unknown
}

/**
 * Plans the swapped loads of a validated, forward-only program: a load qualifies when every
 * instruction that reads its value is a `jeq #K`/`jset #K` whose value of A can only come from
 * loads that qualify too and have the same size (so a chain of compares on one load, as in
 * `host a or host b`, all test swapped constants).
 */
export function planSwaps(
  program: Program,
  facts: ProfileFacts,
  loads: readonly (StaticLoad | undefined)[],
): SwapPlan {
  const n = program.length;
  // Reaching definitions of A at each instruction's entry (-1: the initial A = 0).
  const reaching: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  reaching[0].add(-1);
  const readers = new Map<number, number[]>(); // def pc -> pcs reading its value
  const reads: number[] = []; // every pc that reads A
  for (let pc = 0; pc < n; pc++) {
    const { code, k } = program[pc];
    const t = touchesA(code, k);
    if (t.reads) {
      reads.push(pc);
      for (const d of reaching[pc]) {
        const rs = readers.get(d);
        if (rs) rs.push(pc);
        else readers.set(d, [pc]);
      }
    }
    const out = t.writes ? new Set([pc]) : reaching[pc];
    for (const s of successors(program, pc, facts))
      if (s > pc && s < n) for (const d of out) reaching[s].add(d);
  }
  const size = (pc: number): number => (program[pc].code === OP.LD_H_ABS ? 2 : 4);
  const comparable = (pc: number, bytes: number): boolean => {
    const { code, k } = program[pc];
    if (code === OP.JSET_K) return true;
    // A below 2^16 never equals a larger K: leave such a jeq unswapped.
    return code === OP.JEQ_K && (bytes === 4 || k <= 0xffff);
  };
  const raw = new Set<number>();
  for (let pc = 0; pc < n; pc++) {
    const c = program[pc].code;
    if ((c === OP.LD_H_ABS || c === OP.LD_W_ABS) && loads[pc]?.kind === 'abs') raw.add(pc);
  }
  // A reader is bad when it is not a swappable compare of loads of one size; every load it may
  // read is then disqualified, which makes the other readers of those loads bad in turn. Each
  // reader and each load is handled once: linear in the reader-definition pairs.
  const bad: number[] = [];
  const isBad = new Uint8Array(n);
  const markBad = (u: number) => {
    if (isBad[u]) return;
    isBad[u] = 1;
    bad.push(u);
  };
  for (const u of reads) {
    let bytes = 0;
    let ok = true;
    for (const d of reaching[u]) {
      if (!raw.has(d) || (bytes !== 0 && size(d) !== bytes)) ok = false;
      else bytes = size(d);
    }
    if (!ok || !comparable(u, bytes)) markBad(u);
  }
  while (bad.length > 0) {
    const u = bad.pop() as number;
    for (const d of reaching[u]) {
      if (!raw.delete(d)) continue;
      for (const v of readers.get(d) ?? []) markBad(v);
    }
  }
  const swappedK = new Map<number, number>();
  for (const d of raw)
    for (const u of readers.get(d) ?? []) {
      const k = program[u].k;
      swappedK.set(u, size(d) === 2 ? swap16(k & 0xffff) : swap32(k));
    }
  return { rawLoads: raw, swappedK };
}
