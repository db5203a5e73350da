// The fast interpreter's operations and its decoder (fast-vm.ts runs what decode() produces): raw
// instructions to dense operation numbers with resolved targets, profile differences and Linux
// metadata settled at decode time, and the adjacent pairs tcpdump emits fused into
// superinstructions.
import { type AncillaryData, ancillaryValue } from './ancillary.js';
import type { Program } from './encode.js';
import { BPF_CLASS, BPF_JMP, OP, type OpName, opName, SKF_AD, SKF_AD_OFF } from './opcodes.js';
import type { ProfileFacts } from './profiles.js';

/**
 * The decoded operations by name, numbered densely from 0: only a switch over literal small
 * integers becomes a jump table (V8's SwitchOnSmi), so fast-vm.ts's exec() spells each case as its
 * number `satisfies` this table's entry (`case 54 satisfies Fast['LD_H_ABS_JEQ']`), which the type
 * checker ties to the name. Every classic BPF operation decodes to the entry of its own OP name
 * (with the operand prepared); the rest are profile variants, Linux metadata loads and fused pairs.
 *
 * Each decoded instruction is 4 int32s: op, k, a, b. Loads keep their offset in k and the end of
 * the bytes they read (k + size) in a (indexed loads: the size); jumps keep their absolute targets
 * in a (taken) and b (not taken), or -1 - t for a target t that is `ret #k` (the jump returns k).
 */
export const FAST_OPS = {
  LD_W_ABS: 0,
  LD_H_ABS: 1,
  LD_B_ABS: 2,
  LD_W_IND: 3,
  LD_H_IND: 4,
  LD_B_IND: 5,
  LDX_MSH: 6,
  LD_IMM: 7,
  LDX_IMM: 8,
  LD_LEN: 9,
  LDX_LEN: 10,
  LD_MEM: 11,
  LDX_MEM: 12,
  ST: 13,
  STX: 14,
  ADD_K: 15,
  ADD_X: 16,
  SUB_K: 17,
  SUB_X: 18,
  MUL_K: 19,
  MUL_X: 20,
  DIV_K: 21,
  DIV_X: 22,
  MOD_K: 23,
  MOD_X: 24,
  OR_K: 25,
  OR_X: 26,
  AND_K: 27,
  AND_X: 28,
  XOR_K: 29,
  XOR_X: 30,
  LSH_K: 31,
  LSH_X: 32,
  RSH_K: 33,
  RSH_X: 34,
  NEG: 35,
  JA: 36,
  /** libpcap's backward `ja`, which spends one unit of the backward-jump budget. */
  JA_BACK: 37,
  JEQ_K: 38,
  JEQ_X: 39,
  /** `jgt`/`jge #k` compare with the sign bit of both sides flipped (u32 order as int32 order). */
  JGT_K: 40,
  JGT_X: 41,
  JGE_K: 42,
  JGE_X: 43,
  JSET_K: 44,
  JSET_X: 45,
  RET_K: 46,
  RET_A: 47,
  TAX: 48,
  TXA: 49,
  /** Returns 0: a load that can never succeed, a division by constant 0, an unknown opcode. */
  FAIL: 50,
  /** A constant-offset load whose end lies past 2^31 - 1 (k: offset, a: size, b: 1 to load X as ldxb). */
  LD_FAR: 51,
  /** Shift by X >= 32 gives 0 (libpcap, BSD) instead of X mod 32 (Linux). */
  LSH_X_ZERO: 52,
  RSH_X_ZERO: 53,
  // Superinstructions: a load followed by a conditional jump on A, decoded at the load when the
  // pair is adjacent (tcpdump's programs are mostly such pairs). The jump's own record, still in
  // place for jumps that land on it, supplies the constant and the targets.
  LD_H_ABS_JEQ: 54,
  LD_B_ABS_JEQ: 55,
  LD_W_ABS_JEQ: 56,
  LD_H_ABS_JSET: 57,
  LD_H_IND_JEQ: 58,
  /** `jeq #k1` whose false edge is a `jeq #k2` right after it: one dispatch for the pair. */
  JEQ_JEQ: 59,
  /** `ldxb 4*([k]&0xf); ldh [x + k2]; jeq #k3`: tcpdump's port test after the IPv4 header length. */
  LDX_MSH_H_IND_JEQ: 60,
  /** Linux `ld [k]` header-relative (SKF_NET_OFF/SKF_LL_OFF): k is the u32 offset, a the size. */
  LD_REL: 61,
  /** Linux `ldxb 4*([k]&0xf)` header-relative. */
  LDX_MSH_REL: 62,
  /** Linux SKF_AD_NLATTR / SKF_AD_NLATTR_NEST (k: the offset): a walk over the packet from A. */
  LD_NLATTR: 63,
} as const satisfies { readonly [name in OpName]: number } & { readonly [name: string]: number };

/** The decoded operations' numbers, for `case N satisfies Fast['NAME']`. */
export type Fast = typeof FAST_OPS;

/** Flips the sign bit so that signed int32 comparison orders the u32 values. */
export const SIGN = -0x80000000;

export interface Decoded {
  readonly ins: Int32Array;
  /** Some instruction reads or writes M[]: the scratch words must be cleared per run. */
  readonly scratch: boolean;
}

/** Highest end offset an int32 can hold: past it a constant-offset load is LD_FAR. */
const INT32_MAX = 0x7fffffff;

/**
 * Decodes a validated `program` for a profile and its metadata (unvalidated input still decodes to
 * safe operations: anything unknown is FAIL, and a jump off the program lands on a final FAIL).
 */
export function decode(
  program: Program,
  facts: ProfileFacts,
  anc: Readonly<AncillaryData>,
): Decoded {
  const n = program.length;
  // One more instruction than the program: FAIL, where running or jumping off the end arrives.
  const ins = new Int32Array(4 * (n + 1));
  ins[4 * n] = FAST_OPS.FAIL;
  let scratch = false;
  for (let pc = 0; pc < n; pc++) {
    const { code, jt, jf } = program[pc];
    const name = opName(code);
    decodeOne(ins, pc, name, program[pc].k >>> 0, facts, anc);
    if (name === 'LD_MEM' || name === 'LDX_MEM' || name === 'ST' || name === 'STX') scratch = true;
    if (BPF_CLASS(code) !== BPF_JMP) continue;
    if (code !== OP.JA) {
      ins[4 * pc + 2] = pc + 1 + jt;
      ins[4 * pc + 3] = pc + 1 + jf;
    }
    // A jump off the program (only an unvalidated one has it) lands on the final FAIL, as run().
    for (let f = 4 * pc + 2; f <= 4 * pc + 3; f++) if (ins[f] < 0 || ins[f] > n) ins[f] = n;
  }
  fuse(program, ins);
  // A conditional jump straight to `ret #k` returns without dispatching it: its target is stored
  // as -1 - (the ret's index), and the jump reads k from there.
  for (let pc = 0; pc < n; pc++) {
    const code = program[pc].code;
    if (BPF_CLASS(code) !== BPF_JMP || code === OP.JA) continue;
    for (let f = 4 * pc + 2; f <= 4 * pc + 3; f++) {
      const t = ins[f];
      if (t < n && ins[4 * t] === FAST_OPS.RET_K) ins[f] = -1 - t;
    }
  }
  return { ins, scratch };
}

/**
 * Writes instruction pc's operation and operands (op, k as int32, a, b) to ins; a conditional jump's
 * targets are decode()'s.
 */
function decodeOne(
  ins: Int32Array,
  pc: number,
  name: OpName | undefined,
  k: number,
  facts: ProfileFacts,
  anc: Readonly<AncillaryData>,
): void {
  let op: number = FAST_OPS.FAIL;
  let kk = k | 0;
  let a = 0;
  let b = 0;
  const mod32 = facts.wideShift === 'mod32';
  switch (name) {
    case undefined:
      break;
    case 'LD_W_ABS':
    case 'LD_H_ABS':
    case 'LD_B_ABS':
    case 'LDX_MSH': {
      const size = name === 'LD_W_ABS' ? 4 : name === 'LD_H_ABS' ? 2 : 1;
      if (facts.linuxExtensions && k >= 0x80000000) {
        // Linux reads k >= 2^31 as a negative offset: metadata or header-relative.
        if (name !== 'LDX_MSH' && k >= SKF_AD_OFF) [op, kk] = ancillary(k, anc);
        else [op, a] = [name === 'LDX_MSH' ? FAST_OPS.LDX_MSH_REL : FAST_OPS.LD_REL, size];
      } else if (k >= 0x80000000)
        op = FAST_OPS.FAIL; // elsewhere past any packet
      else if (k + size > INT32_MAX)
        [op, a, b] = [FAST_OPS.LD_FAR, size, name === 'LDX_MSH' ? 1 : 0];
      else [op, a] = [FAST_OPS[name], k + size];
      break;
    }
    case 'LD_W_IND':
    case 'LD_H_IND':
    case 'LD_B_IND':
      op = FAST_OPS[name];
      a = name === 'LD_W_IND' ? 4 : name === 'LD_H_IND' ? 2 : 1;
      break;
    case 'LD_MEM':
    case 'LDX_MEM':
    case 'ST':
    case 'STX':
      if (k < 16) op = FAST_OPS[name];
      break;
    case 'DIV_K':
    case 'MOD_K':
      if (k !== 0) op = FAST_OPS[name];
      break;
    // A constant count >= 32 is rejected by every validator; run() still defines it.
    case 'LSH_K':
    case 'RSH_K':
      if (mod32) [op, kk] = [FAST_OPS[name], k & 31];
      else if (k < 32) op = FAST_OPS[name];
      else [op, kk] = [FAST_OPS.LD_IMM, 0];
      break;
    case 'LSH_X':
      op = mod32 ? FAST_OPS.LSH_X : FAST_OPS.LSH_X_ZERO;
      break;
    case 'RSH_X':
      op = mod32 ? FAST_OPS.RSH_X : FAST_OPS.RSH_X_ZERO;
      break;
    case 'JA':
      // libpcap adds k as signed (its protochain loops).
      if (facts.backwardJa && (k | 0) < 0) [op, a] = [FAST_OPS.JA_BACK, pc + 1 + (k | 0)];
      else [op, a] = [FAST_OPS.JA, pc + 1 + k];
      break;
    case 'JGT_K':
    case 'JGE_K':
      // u32 order as int32 order: both sides get the sign bit flipped.
      [op, kk] = [FAST_OPS[name], (k | 0) ^ SIGN];
      break;
    default:
      op = FAST_OPS[name];
  }
  if (op === FAST_OPS.FAIL) kk = 0;
  const at = 4 * pc;
  ins[at] = op;
  ins[at + 1] = kk;
  ins[at + 2] = a;
  ins[at + 3] = b;
}

/**
 * `ld [SKF_AD_OFF + n]`: the metadata is fixed for the program, so every field but the netlink walks
 * is a constant; SKF_AD_ALU_XOR_X is `xor x`; an unknown field returns 0, as run(). [op, k].
 */
function ancillary(k: number, anc: Readonly<AncillaryData>): [number, number] {
  const n = k - SKF_AD_OFF;
  if (n === SKF_AD.alu_xor_x) return [FAST_OPS.XOR_X, 0];
  if (n === SKF_AD.nlattr || n === SKF_AD.nlattr_nest) return [FAST_OPS.LD_NLATTR, k | 0];
  const v = ancillaryValue(k, 0, 0, anc, EMPTY);
  return v < 0 ? [FAST_OPS.FAIL, 0] : [FAST_OPS.LD_IMM, v | 0];
}

const EMPTY = new Uint8Array(0);

/** Rewrites the first instruction of each adjacent pair (or triple) the interpreter fuses. */
function fuse(program: Program, ins: Int32Array): void {
  const n = program.length;
  for (let pc = 0; pc + 1 < n; pc++) {
    const op = ins[4 * pc];
    const next = ins[4 * pc + 4];
    let fused = -1;
    if (next === FAST_OPS.JEQ_K) {
      if (op === FAST_OPS.LD_H_ABS) fused = FAST_OPS.LD_H_ABS_JEQ;
      else if (op === FAST_OPS.LD_B_ABS) fused = FAST_OPS.LD_B_ABS_JEQ;
      else if (op === FAST_OPS.LD_W_ABS) fused = FAST_OPS.LD_W_ABS_JEQ;
      else if (op === FAST_OPS.LD_H_IND) fused = FAST_OPS.LD_H_IND_JEQ;
      else if (op === FAST_OPS.JEQ_K && program[pc].jf === 0) fused = FAST_OPS.JEQ_JEQ;
    } else if (next === FAST_OPS.JSET_K && op === FAST_OPS.LD_H_ABS) fused = FAST_OPS.LD_H_ABS_JSET;
    else if (
      op === FAST_OPS.LDX_MSH &&
      next === FAST_OPS.LD_H_IND &&
      pc + 2 < n &&
      program[pc + 2].code === OP.JEQ_K
    )
      fused = FAST_OPS.LDX_MSH_H_IND_JEQ;
    if (fused >= 0) ins[4 * pc] = fused;
  }
}
