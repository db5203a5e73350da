// The fast interpreter's decoder (fast-vm.ts runs what it produces): raw instructions to dense
// operation numbers with resolved targets, profile differences settled at decode time, and the
// adjacent pairs tcpdump emits fused into superinstructions.
import type { Program } from './encode.js';
import { PROFILES, type ProfileName } from './profiles.js';

// Dense operation numbers (not opcodes). fast-vm.ts's exec() spells them as literals in its case
// labels: only a switch over literal small integers becomes a jump table (V8's SwitchOnSmi), names
// give a chain of comparisons. Each decoded instruction is 4 int32s: op, k, a, b. Loads keep their
// offset in k and the end of the bytes they read (k + size) in a; jumps keep their absolute
// targets in a (taken) and b (not taken).
const LD_W_ABS = 0;
const LD_H_ABS = 1;
const LD_B_ABS = 2;
const LD_W_IND = 3;
const LD_H_IND = 4;
const LD_B_IND = 5;
const LDX_MSH = 6;
const LD_IMM = 7;
const LDX_IMM = 8;
const LD_LEN = 9;
const LDX_LEN = 10;
const LD_MEM = 11;
const LDX_MEM = 12;
const ST = 13;
const STX = 14;
const ADD_K = 15;
const ADD_X = 16;
const SUB_K = 17;
const SUB_X = 18;
const MUL_K = 19;
const MUL_X = 20;
const DIV_K = 21;
const DIV_X = 22;
const MOD_K = 23;
const MOD_X = 24;
const OR_K = 25;
const OR_X = 26;
const AND_K = 27;
const AND_X = 28;
const XOR_K = 29;
const XOR_X = 30;
const LSH_K = 31;
const LSH_X = 32;
const RSH_K = 33;
const RSH_X = 34;
const NEG = 35;
const JA = 36;
const JA_BACK = 37;
const JEQ_K = 38;
const JEQ_X = 39;
const JGT_K = 40;
const JGT_X = 41;
const JGE_K = 42;
const JGE_X = 43;
const JSET_K = 44;
const JSET_X = 45;
const RET_K = 46;
const RET_A = 47;
const TAX = 48;
const TXA = 49;
/** Returns 0: a load that can never succeed, a division by constant 0, an unknown opcode. */
const FAIL = 50;
/** Needs Linux metadata (or an offset near 2^31): the packet is rerun through run(). */
const SLOW = 51;
/** Shift by X >= 32 gives 0 (libpcap, BSD) instead of X mod 32 (Linux). */
const LSH_X_ZERO = 52;
const RSH_X_ZERO = 53;
// Superinstructions: a load followed by a conditional jump on A, decoded at the load when the
// pair is adjacent (tcpdump's programs are mostly such pairs). The jump's own record, still in
// place for jumps that land on it, supplies the constant and the targets.
const LD_H_ABS_JEQ = 54;
const LD_B_ABS_JEQ = 55;
const LD_W_ABS_JEQ = 56;
const LD_H_ABS_JSET = 57;
const LD_H_IND_JEQ = 58;
/** `jeq #k1` whose false edge is a `jeq #k2` right after it: one dispatch for the pair. */
const JEQ_JEQ = 59;
/** `ldxb 4*([k]&0xf); ldh [x + k2]; jeq #k3`: tcpdump's port test after the IPv4 header length. */
const LDX_MSH_H_IND_JEQ = 60;

/** Flips the sign bit so that signed int32 comparison orders the u32 values. */
export const SIGN = -0x80000000;

export interface Decoded {
  readonly ins: Int32Array;
  /** Some instruction reads or writes M[]: the scratch words must be cleared per run. */
  readonly scratch: boolean;
}

/** Decodes a validated `program` for `profile` (unvalidated input still decodes to safe operations). */
export function decode(program: Program, profile: ProfileName): Decoded {
  const facts = PROFILES[profile];
  const linux = facts.linuxExtensions;
  const n = program.length;
  // One more instruction than the program: FAIL, where running or jumping off the end arrives.
  const ins = new Int32Array(4 * (n + 1));
  ins[4 * n] = FAIL;
  let scratch = false;
  for (let pc = 0; pc < n; pc++) {
    const { code, jt, jf } = program[pc];
    const k = program[pc].k >>> 0;
    let op = FAIL;
    let a = 0;
    let b = 0;
    const absLoad = (o: number, size: number): number => {
      // Linux reads k >= 2^31 as a negative offset (metadata or header-relative); elsewhere such
      // an offset is past any packet.
      if (k >= 0x80000000) return linux ? SLOW : FAIL;
      // An end past int32 cannot be stored; only a packet of 2 GiB could reach it, so run() decides.
      if (k + size > 0x7fffffff) return SLOW;
      a = k + size;
      return o;
    };
    switch (code) {
      case 0x20:
        op = absLoad(LD_W_ABS, 4);
        break;
      case 0x28:
        op = absLoad(LD_H_ABS, 2);
        break;
      case 0x30:
        op = absLoad(LD_B_ABS, 1);
        break;
      case 0xb1:
        op = absLoad(LDX_MSH, 1);
        break;
      case 0x40:
        op = LD_W_IND;
        a = 4;
        break;
      case 0x48:
        op = LD_H_IND;
        a = 2;
        break;
      case 0x50:
        op = LD_B_IND;
        a = 1;
        break;
      case 0x00:
        op = LD_IMM;
        break;
      case 0x01:
        op = LDX_IMM;
        break;
      case 0x80:
        op = LD_LEN;
        break;
      case 0x81:
        op = LDX_LEN;
        break;
      case 0x60:
      case 0x61:
      case 0x02:
      case 0x03:
        scratch = true;
        op =
          k >= 16
            ? FAIL
            : code === 0x60
              ? LD_MEM
              : code === 0x61
                ? LDX_MEM
                : code === 0x02
                  ? ST
                  : STX;
        break;
      case 0x04:
        op = ADD_K;
        break;
      case 0x0c:
        op = ADD_X;
        break;
      case 0x14:
        op = SUB_K;
        break;
      case 0x1c:
        op = SUB_X;
        break;
      case 0x24:
        op = MUL_K;
        break;
      case 0x2c:
        op = MUL_X;
        break;
      case 0x34:
        op = k === 0 ? FAIL : DIV_K;
        break;
      case 0x3c:
        op = DIV_X;
        break;
      case 0x94:
        op = k === 0 ? FAIL : MOD_K;
        break;
      case 0x9c:
        op = MOD_X;
        break;
      case 0x44:
        op = OR_K;
        break;
      case 0x4c:
        op = OR_X;
        break;
      case 0x54:
        op = AND_K;
        break;
      case 0x5c:
        op = AND_X;
        break;
      case 0xa4:
        op = XOR_K;
        break;
      case 0xac:
        op = XOR_X;
        break;
      // A constant count >= 32 is rejected by every validator; run() still defines it.
      case 0x64:
        op = k < 32 || facts.wideShift === 'mod32' ? LSH_K : LD_IMM;
        break;
      case 0x74:
        op = k < 32 || facts.wideShift === 'mod32' ? RSH_K : LD_IMM;
        break;
      case 0x6c:
        op = facts.wideShift === 'mod32' ? LSH_X : LSH_X_ZERO;
        break;
      case 0x7c:
        op = facts.wideShift === 'mod32' ? RSH_X : RSH_X_ZERO;
        break;
      case 0x84:
        op = NEG;
        break;
      case 0x05:
        if (facts.backwardJa && (k | 0) < 0) {
          op = JA_BACK;
          a = pc + 1 + (k | 0);
        } else {
          op = JA;
          a = pc + 1 + k;
        }
        break;
      case 0x15:
        op = JEQ_K;
        break;
      case 0x1d:
        op = JEQ_X;
        break;
      case 0x25:
        op = JGT_K;
        break;
      case 0x2d:
        op = JGT_X;
        break;
      case 0x35:
        op = JGE_K;
        break;
      case 0x3d:
        op = JGE_X;
        break;
      case 0x45:
        op = JSET_K;
        break;
      case 0x4d:
        op = JSET_X;
        break;
      case 0x06:
        op = RET_K;
        break;
      case 0x16:
        op = RET_A;
        break;
      case 0x07:
        op = TAX;
        break;
      case 0x87:
        op = TXA;
        break;
    }
    let kk = k | 0;
    if ((code & 0x07) === 0x05 && code !== 0x05) {
      a = pc + 1 + jt;
      b = pc + 1 + jf;
      // u32 order as int32 order: both sides get the sign bit flipped.
      if (op === JGT_K || op === JGE_K) kk ^= SIGN;
    }
    if ((op === LSH_K || op === RSH_K) && facts.wideShift === 'mod32') kk &= 31;
    if (op === LD_IMM && (code === 0x64 || code === 0x74)) kk = 0;
    // A jump off the program (only an unvalidated one has it) lands on the final FAIL, as run().
    if ((code & 0x07) === 0x05) {
      if (a < 0 || a > n) a = n;
      if (b < 0 || b > n) b = n;
    }
    ins[4 * pc] = op;
    ins[4 * pc + 1] = kk;
    ins[4 * pc + 2] = a;
    ins[4 * pc + 3] = b;
  }
  for (let pc = 0; pc + 1 < n; pc++) {
    const op = ins[4 * pc];
    const next = ins[4 * pc + 4];
    let fused = -1;
    if (next === JEQ_K) {
      if (op === LD_H_ABS) fused = LD_H_ABS_JEQ;
      else if (op === LD_B_ABS) fused = LD_B_ABS_JEQ;
      else if (op === LD_W_ABS) fused = LD_W_ABS_JEQ;
      else if (op === LD_H_IND) fused = LD_H_IND_JEQ;
      else if (op === JEQ_K && program[pc].jf === 0) fused = JEQ_JEQ;
    } else if (next === JSET_K && op === LD_H_ABS) fused = LD_H_ABS_JSET;
    else if (op === LDX_MSH && next === LD_H_IND && pc + 2 < n && program[pc + 2].code === 0x15)
      fused = LDX_MSH_H_IND_JEQ;
    if (fused >= 0) ins[4 * pc] = fused;
  }
  // A conditional jump straight to `ret #k` returns without dispatching it: its target is stored
  // as -1 - (the ret's index), and the jump reads k from there.
  for (let pc = 0; pc < n; pc++) {
    const code = program[pc].code;
    if ((code & 0x07) !== 0x05 || code === 0x05) continue;
    for (const f of [2, 3]) {
      const t = ins[4 * pc + f];
      if (t < n && ins[4 * t] === RET_K) ins[4 * pc + f] = -1 - t;
    }
  }
  return { ins, scratch };
}
