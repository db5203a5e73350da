// A pre-decoded interpreter: the program is validated and decoded once into an Int32Array of dense
// operation numbers with jump targets resolved, then each packet runs a switch over that array
// with A, X and M[] held as int32 (u32 values reinterpreted), so nothing is allocated per packet.
//
// Semantics are vm.ts's run() exactly. The few operations whose result depends on Linux metadata
// (SKF_AD_* loads, header-relative offsets: cbpf-reference.md 5), and constant offsets too close to
// 2^31 to store, are decoded as SLOW: reaching one reruns the packet through run(), which is exact
// because a run has no side effects. Adjacent pairs that tcpdump emits all the time (a load and a
// jeq, two jeq on one A) are fused into one operation; jumps landing on the second half still find
// it decoded on its own.
import { type AncillaryData, withDefaults } from './ancillary.js';
import type { Program } from './encode.js';
import { PROFILES, type ProfileName } from './profiles.js';
import { assertValid } from './validate.js';
import { DEFAULT_BACKWARD_JUMP_LIMIT, type RunOptions, run } from './vm.js';

export interface InterpreterOptions {
  /** Validator and run-time semantics; default 'linux', as run(). */
  profile?: ProfileName;
  /** Linux metadata for SKF_AD_* loads and SKF_NET_OFF/SKF_LL_OFF offsets, as run() takes it. */
  ancillary?: Partial<AncillaryData>;
  /** libpcap profile: backward `ja` a run may take before it returns 0 (default as run()). */
  backwardJumpLimit?: number;
}

/** A program decoded for the interpreter, with the calling forms of a CompiledFilter. */
export interface InterpretedFilter {
  /** The filter's u32 result for `packet` (the captured bytes); `wirelen` defaults to its length. */
  (packet: Uint8Array, wirelen?: number): number;
  /** The result for the `buflen` bytes at `buf[offset]`; throws RangeError when they lie outside `buf`. */
  at(buf: Uint8Array, offset: number, buflen: number, wirelen: number): number;
  /** How many of the `n` packets `buf[offsets[i] .. offsets[i] + lengths[i])` the filter accepts. */
  count(
    buf: Uint8Array,
    offsets: ArrayLike<number>,
    lengths: ArrayLike<number>,
    wirelens: ArrayLike<number>,
    n: number,
  ): number;
}

// Dense operation numbers (not opcodes). exec() spells them as literals in its case labels: only a
// switch over literal small integers becomes a jump table (V8's SwitchOnSmi), names give a chain of
// comparisons. Each decoded instruction is 4 int32s: op, k, a, b.
// Loads keep their offset in k and the end of the bytes they read (k + size) in a; jumps keep
// their absolute targets in a (taken) and b (not taken).
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
const SIGN = -0x80000000;

interface Decoded {
  readonly ins: Int32Array;
  /** Some instruction reads or writes M[]: the scratch words must be cleared per run. */
  readonly scratch: boolean;
}

function decode(program: Program, profile: ProfileName): Decoded {
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

/** A decoded program with everything a run reads besides the packet (one shape for every program). */
interface Machine {
  readonly ins: Int32Array;
  readonly scratch: boolean;
  /** Scratch words, reused by every run (a run never re-enters). */
  readonly M: Int32Array;
  /** `ld [x + k]` adds as signed 32-bit, negative sums being header-relative (Linux). */
  readonly linuxIndexed: boolean;
  readonly limit: number;
  /** The validated program and run()'s options, for SLOW. */
  readonly prog: Program;
  readonly runOptions: RunOptions & { wirelen: number };
  /** The result of the last packet exec() ran. */
  last: number;
  /** One packet's offset, length and wire length, for the one-packet forms. */
  readonly oneOff: Float64Array;
  readonly oneLen: Float64Array;
  readonly oneWl: Float64Array;
}

/** Reruns the packet through the reference interpreter (Linux metadata loads). */
function slow(m: Machine, p: Uint8Array, b: number, len: number, wl: number): number {
  m.runOptions.wirelen = wl;
  return run(m.prog, p.subarray(b, b + len), m.runOptions);
}

/**
 * Decodes `program` for the interpreter: the same results as run() with the same options, without
 * run()'s per-call preparation. Validates first and throws the first ValidationError.
 * @example
 * const f = interpreter(program, { profile: 'libpcap' });
 * f(frame); f.at(fileBytes, 40, 60, 60); f.count(fileBytes, offsets, lengths, wirelens, n);
 */
export function interpreter(program: Program, options?: InterpreterOptions): InterpretedFilter {
  const profile = options?.profile ?? 'linux';
  if (!Object.hasOwn(PROFILES, profile)) throw new RangeError(`unknown profile ${String(profile)}`);
  const prog = program.map(({ code, jt, jf, k }) => ({ code, jt, jf, k }));
  assertValid(prog, profile);
  const limit = options?.backwardJumpLimit ?? DEFAULT_BACKWARD_JUMP_LIMIT;
  // As jit(): a NaN or negative budget would let a libpcap backward loop run forever.
  if (!(limit >= 0) || !(Number.isSafeInteger(limit) || limit === Infinity))
    throw new RangeError(
      `backwardJumpLimit: expected a non-negative integer, got ${String(limit)}`,
    );
  const anc = withDefaults(options?.ancillary);
  const { ins, scratch } = decode(prog, profile);
  const m: Machine = {
    ins,
    scratch,
    M: new Int32Array(16),
    linuxIndexed: PROFILES[profile].linuxExtensions,
    limit,
    prog,
    runOptions: { profile, ancillary: anc, backwardJumpLimit: limit, wirelen: 0 },
    last: 0,
    oneOff: new Float64Array(1),
    oneLen: new Float64Array(1),
    oneWl: new Float64Array(1),
  };
  if (prog.length === 0) {
    const r = PROFILES[profile].emptyAcceptsAll ? 0xffffffff : 0;
    const count = (
      _b: Uint8Array,
      _o: ArrayLike<number>,
      _l: ArrayLike<number>,
      _w: ArrayLike<number>,
      n: number,
    ) => (r === 0 ? 0 : n);
    return Object.assign((_p: Uint8Array, _w?: number) => r, { at: () => r, count });
  }

  const one = (buf: Uint8Array, offset: number, buflen: number, wirelen: number): number => {
    m.oneOff[0] = offset;
    m.oneLen[0] = buflen;
    m.oneWl[0] = wirelen;
    exec(m, buf, m.oneOff, m.oneLen, m.oneWl, 1);
    return m.last;
  };
  const f = (packet: Uint8Array, wirelen?: number): number =>
    one(packet, 0, packet.length, (wirelen ?? packet.length) >>> 0);
  const at = (buf: Uint8Array, offset: number, buflen: number, wirelen: number): number => {
    if (!(offset >= 0 && buflen >= 0 && offset + buflen <= buf.length))
      throw new RangeError(
        `at: bytes [${offset}, ${offset + buflen}) lie outside a ${buf.length}-byte buffer`,
      );
    return one(buf, offset, buflen, wirelen >>> 0);
  };
  const count = (
    buf: Uint8Array,
    offsets: ArrayLike<number>,
    lengths: ArrayLike<number>,
    wirelens: ArrayLike<number>,
    n: number,
  ): number => exec(m, buf, offsets, lengths, wirelens, n);
  return Object.assign(f, { at, count });
}

/**
 * Runs `m` on the packets p[offs[q] .. offs[q] + lens[q]) for q < n (wire lengths wls[q]): returns
 * how many it accepts and leaves the last result in m.last. The packet loop and the dispatch loop
 * are one function so V8 compiles them together: the dispatch loop is too large to be inlined into
 * a caller, and a call per packet costs about as much as running a short program.
 */
function exec(
  m: Machine,
  p: Uint8Array,
  offs: ArrayLike<number>,
  lens: ArrayLike<number>,
  wls: ArrayLike<number>,
  n: number,
): number {
  const ins = m.ins;
  const M = m.M;
  const scratch = m.scratch;
  const limit = m.limit;
  const plen = p.length;
  let c = 0;
  let r = 0;
  for (let q = 0; q < n; q++) {
    const b = offs[q];
    const len = lens[q];
    if (!(b >= 0 && len >= 0 && b + len <= plen))
      throw new RangeError(`count: packet ${q} lies outside the buffer`);
    if (scratch) M.fill(0);
    let A = 0;
    let X = 0;
    let pc = 0;
    let back = 0; // backward jumps taken
    packet: for (;;) {
      const i = pc << 2;
      switch (ins[i]) {
        case 54 /* LD_H_ABS_JEQ */:
          {
            if (ins[i + 2] > len) {
              r = 0;
              break packet;
            }
            const o = b + ins[i + 1];
            A = (p[o] << 8) | p[o + 1];
            pc = A === ins[i + 5] ? ins[i + 6] : ins[i + 7];
            if (pc < 0) {
              r = ins[((-1 - pc) << 2) + 1] >>> 0;
              break packet;
            }
            continue;
          }
        case 55 /* LD_B_ABS_JEQ */:
          if (ins[i + 2] > len) {
            r = 0;
            break packet;
          }
          A = p[b + ins[i + 1]];
          pc = A === ins[i + 5] ? ins[i + 6] : ins[i + 7];
          if (pc < 0) {
            r = ins[((-1 - pc) << 2) + 1] >>> 0;
            break packet;
          }
          continue;
        case 56 /* LD_W_ABS_JEQ */:
          {
            if (ins[i + 2] > len) {
              r = 0;
              break packet;
            }
            const o = b + ins[i + 1];
            A = (p[o] << 24) | (p[o + 1] << 16) | (p[o + 2] << 8) | p[o + 3];
            pc = A === ins[i + 5] ? ins[i + 6] : ins[i + 7];
            if (pc < 0) {
              r = ins[((-1 - pc) << 2) + 1] >>> 0;
              break packet;
            }
            continue;
          }
        case 57 /* LD_H_ABS_JSET */:
          {
            if (ins[i + 2] > len) {
              r = 0;
              break packet;
            }
            const o = b + ins[i + 1];
            A = (p[o] << 8) | p[o + 1];
            pc = (A & ins[i + 5]) !== 0 ? ins[i + 6] : ins[i + 7];
            if (pc < 0) {
              r = ins[((-1 - pc) << 2) + 1] >>> 0;
              break packet;
            }
            continue;
          }
        case 60 /* LDX_MSH_H_IND_JEQ */:
          {
            if (ins[i + 2] > len) {
              r = 0;
              break packet;
            }
            X = (p[b + ins[i + 1]] & 15) << 2;
            let o: number;
            if (m.linuxIndexed) {
              o = (X + ins[i + 5]) | 0;
              if (o < 0) {
                r = slow(m, p, b, len, wls[q] >>> 0);
                break packet;
              }
            } else o = X + (ins[i + 5] >>> 0);
            if (o + 2 > len) {
              r = 0;
              break packet;
            }
            o += b;
            A = (p[o] << 8) | p[o + 1];
            pc = A === ins[i + 9] ? ins[i + 10] : ins[i + 11];
            if (pc < 0) {
              r = ins[((-1 - pc) << 2) + 1] >>> 0;
              break packet;
            }
            continue;
          }
        case 58 /* LD_H_IND_JEQ */:
          {
            let o: number;
            if (m.linuxIndexed) {
              o = (X + ins[i + 1]) | 0;
              if (o < 0) {
                r = slow(m, p, b, len, wls[q] >>> 0);
                break packet;
              }
            } else o = (X >>> 0) + (ins[i + 1] >>> 0);
            if (o + 2 > len) {
              r = 0;
              break packet;
            }
            o += b;
            A = (p[o] << 8) | p[o + 1];
            pc = A === ins[i + 5] ? ins[i + 6] : ins[i + 7];
            if (pc < 0) {
              r = ins[((-1 - pc) << 2) + 1] >>> 0;
              break packet;
            }
            continue;
          }
        case 0 /* LD_W_ABS */:
          {
            if (ins[i + 2] > len) {
              r = 0;
              break packet;
            }
            const o = b + ins[i + 1];
            A = (p[o] << 24) | (p[o + 1] << 16) | (p[o + 2] << 8) | p[o + 3];
            pc++;
            continue;
          }
        case 1 /* LD_H_ABS */:
          {
            if (ins[i + 2] > len) {
              r = 0;
              break packet;
            }
            const o = b + ins[i + 1];
            A = (p[o] << 8) | p[o + 1];
            pc++;
            continue;
          }
        case 2 /* LD_B_ABS */:
          if (ins[i + 2] > len) {
            r = 0;
            break packet;
          }
          A = p[b + ins[i + 1]];
          pc++;
          continue;
        case 6 /* LDX_MSH */:
          if (ins[i + 2] > len) {
            r = 0;
            break packet;
          }
          X = (p[b + ins[i + 1]] & 15) << 2;
          pc++;
          continue;
        case 3 /* LD_W_IND */:
        case 4 /* LD_H_IND */:
        case 5 /* LD_B_IND */:
          {
            let o: number;
            if (m.linuxIndexed) {
              o = (X + ins[i + 1]) | 0; // the kernel's signed sum; negative is header-relative
              if (o < 0) {
                r = slow(m, p, b, len, wls[q] >>> 0);
                break packet;
              }
            } else o = (X >>> 0) + (ins[i + 1] >>> 0); // exact: an overflowing sum is out of range
            const size = ins[i + 2];
            if (o + size > len) {
              r = 0;
              break packet;
            }
            o += b;
            A =
              size === 1
                ? p[o]
                : size === 2
                  ? (p[o] << 8) | p[o + 1]
                  : (p[o] << 24) | (p[o + 1] << 16) | (p[o + 2] << 8) | p[o + 3];
            pc++;
            continue;
          }
        case 7 /* LD_IMM */:
          A = ins[i + 1];
          pc++;
          continue;
        case 8 /* LDX_IMM */:
          X = ins[i + 1];
          pc++;
          continue;
        case 9 /* LD_LEN */:
          A = wls[q] | 0;
          pc++;
          continue;
        case 10 /* LDX_LEN */:
          X = wls[q] | 0;
          pc++;
          continue;
        case 11 /* LD_MEM */:
          A = M[ins[i + 1]];
          pc++;
          continue;
        case 12 /* LDX_MEM */:
          X = M[ins[i + 1]];
          pc++;
          continue;
        case 13 /* ST */:
          M[ins[i + 1]] = A;
          pc++;
          continue;
        case 14 /* STX */:
          M[ins[i + 1]] = X;
          pc++;
          continue;
        case 15 /* ADD_K */:
          A = (A + ins[i + 1]) | 0;
          pc++;
          continue;
        case 16 /* ADD_X */:
          A = (A + X) | 0;
          pc++;
          continue;
        case 17 /* SUB_K */:
          A = (A - ins[i + 1]) | 0;
          pc++;
          continue;
        case 18 /* SUB_X */:
          A = (A - X) | 0;
          pc++;
          continue;
        case 19 /* MUL_K */:
          A = Math.imul(A, ins[i + 1]);
          pc++;
          continue;
        case 20 /* MUL_X */:
          A = Math.imul(A, X);
          pc++;
          continue;
        case 21 /* DIV_K */:
          A = ((A >>> 0) / (ins[i + 1] >>> 0)) | 0;
          pc++;
          continue;
        case 22 /* DIV_X */:
          if (X === 0) {
            r = 0;
            break packet;
          }
          A = ((A >>> 0) / (X >>> 0)) | 0;
          pc++;
          continue;
        case 23 /* MOD_K */:
          A = ((A >>> 0) % (ins[i + 1] >>> 0)) | 0;
          pc++;
          continue;
        case 24 /* MOD_X */:
          if (X === 0) {
            r = 0;
            break packet;
          }
          A = ((A >>> 0) % (X >>> 0)) | 0;
          pc++;
          continue;
        case 25 /* OR_K */:
          A |= ins[i + 1];
          pc++;
          continue;
        case 26 /* OR_X */:
          A |= X;
          pc++;
          continue;
        case 27 /* AND_K */:
          A &= ins[i + 1];
          pc++;
          continue;
        case 28 /* AND_X */:
          A &= X;
          pc++;
          continue;
        case 29 /* XOR_K */:
          A ^= ins[i + 1];
          pc++;
          continue;
        case 30 /* XOR_X */:
          A ^= X;
          pc++;
          continue;
        case 31 /* LSH_K */:
          A <<= ins[i + 1];
          pc++;
          continue;
        case 32 /* LSH_X */:
          A <<= X;
          pc++;
          continue;
        case 52 /* LSH_X_ZERO */:
          A = X >>> 0 < 32 ? A << X : 0;
          pc++;
          continue;
        case 33 /* RSH_K */:
          A = (A >>> ins[i + 1]) | 0;
          pc++;
          continue;
        case 34 /* RSH_X */:
          A = (A >>> X) | 0;
          pc++;
          continue;
        case 53 /* RSH_X_ZERO */:
          A = X >>> 0 < 32 ? (A >>> X) | 0 : 0;
          pc++;
          continue;
        case 35 /* NEG */:
          A = -A | 0;
          pc++;
          continue;
        case 36 /* JA */:
          pc = ins[i + 2];
          continue;
        case 37 /* JA_BACK */:
          // libpcap adds k signed (its protochain loops); the budget bounds every run.
          if (++back > limit) {
            r = 0;
            break packet;
          }
          pc = ins[i + 2];
          continue;
        case 59 /* JEQ_JEQ */:
          pc = A === ins[i + 1] ? ins[i + 2] : A === ins[i + 5] ? ins[i + 6] : ins[i + 7];
          if (pc < 0) {
            r = ins[((-1 - pc) << 2) + 1] >>> 0;
            break packet;
          }
          continue;
        case 38 /* JEQ_K */:
          pc = A === ins[i + 1] ? ins[i + 2] : ins[i + 3];
          if (pc < 0) {
            r = ins[((-1 - pc) << 2) + 1] >>> 0;
            break packet;
          }
          continue;
        case 39 /* JEQ_X */:
          pc = A === X ? ins[i + 2] : ins[i + 3];
          if (pc < 0) {
            r = ins[((-1 - pc) << 2) + 1] >>> 0;
            break packet;
          }
          continue;
        case 40 /* JGT_K */:
          pc = (A ^ SIGN) > ins[i + 1] ? ins[i + 2] : ins[i + 3];
          if (pc < 0) {
            r = ins[((-1 - pc) << 2) + 1] >>> 0;
            break packet;
          }
          continue;
        case 41 /* JGT_X */:
          pc = (A ^ SIGN) > (X ^ SIGN) ? ins[i + 2] : ins[i + 3];
          if (pc < 0) {
            r = ins[((-1 - pc) << 2) + 1] >>> 0;
            break packet;
          }
          continue;
        case 42 /* JGE_K */:
          pc = (A ^ SIGN) >= ins[i + 1] ? ins[i + 2] : ins[i + 3];
          if (pc < 0) {
            r = ins[((-1 - pc) << 2) + 1] >>> 0;
            break packet;
          }
          continue;
        case 43 /* JGE_X */:
          pc = (A ^ SIGN) >= (X ^ SIGN) ? ins[i + 2] : ins[i + 3];
          if (pc < 0) {
            r = ins[((-1 - pc) << 2) + 1] >>> 0;
            break packet;
          }
          continue;
        case 44 /* JSET_K */:
          pc = (A & ins[i + 1]) !== 0 ? ins[i + 2] : ins[i + 3];
          if (pc < 0) {
            r = ins[((-1 - pc) << 2) + 1] >>> 0;
            break packet;
          }
          continue;
        case 45 /* JSET_X */:
          pc = (A & X) !== 0 ? ins[i + 2] : ins[i + 3];
          if (pc < 0) {
            r = ins[((-1 - pc) << 2) + 1] >>> 0;
            break packet;
          }
          continue;
        case 46 /* RET_K */:
          r = ins[i + 1] >>> 0;
          break packet;
        case 47 /* RET_A */:
          r = A >>> 0;
          break packet;
        case 48 /* TAX */:
          X = A;
          pc++;
          continue;
        case 49 /* TXA */:
          A = X;
          pc++;
          continue;
        case 51 /* SLOW */:
          r = slow(m, p, b, len, wls[q] >>> 0);
          break packet;
        default:
          r = 0;
          break packet;
      }
    }
    if (r !== 0) c++;
  }
  m.last = r;
  return c;
}
