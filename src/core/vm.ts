// The interpreter: runs raw instructions on a packet under a profile's run-time semantics (cbpf-reference.md 2, 5, 7).
//
// Semantics common to every profile: A, X and M[] start at 0; a load past the captured bytes, a
// division or modulo by 0, an unknown opcode or a jump off the program ends the run with 0;
// `ld #len` is the wire length. Where the platforms differ:
//   linux   - `ld [x + k]` offset is the signed 32-bit sum; negative offsets are SKF_NET_OFF /
//             SKF_LL_OFF header-relative (ABS, IND, MSH) or, for ABS only, SKF_AD_* metadata of any
//             load size; shifts take the count mod 32.
//   libpcap - exact X + k (overflow is out of range); shifts by >= 32 give 0; the SKF range is just
//             out of range; `ja` adds k as signed, so backward jumps run, bounded by a budget of
//             backward jumps (RunOptions.backwardJumpLimit) after which the run returns 0.
//   bsd     - as libpcap at run time (FreeBSD's C is undefined for shifts >= 32; cbpf gives 0), no
//             backward jumps, and an empty program accepts everything (FreeBSD's "no filter").
import { type AncillaryData, ancillaryValue, headerRelative, withDefaults } from './ancillary.js';
import { chainRead, concatChunks } from './chain.js';
import type { Program } from './encode.js';
import { emptyProgramResult } from './filter.js';
import type { RawInsn } from './insn.js';
import { BPF_DIV, BPF_OP, loadSize, OP, SKF_AD, SKF_AD_OFF } from './opcodes.js';
import { isPrepared, type PreparedProgram, prepare } from './prepare.js';
import {
  DEFAULT_BACKWARD_JUMP_LIMIT,
  type ProfileFacts,
  type ProfileName,
  profileFacts,
} from './profiles.js';
import { assertValid } from './validate.js';

export type { AncillaryData } from './ancillary.js';

/** The machine just before it executes the instruction at `pc`. */
export interface TraceStep {
  readonly pc: number;
  readonly insn: RawInsn;
  readonly A: number;
  readonly X: number;
  /** A copy of the 16 scratch words. */
  readonly M: readonly number[];
}

/** What a run takes besides the program and the packet; a prepared program takes only these. */
export interface PacketOptions {
  /** Length of the packet on the wire, what `ld #len`/`ldx #len` load; defaults to the captured length. Bounds checks always use the captured bytes. */
  wirelen?: number;
  /** Called before every instruction (slow: copies M each step). */
  trace?: (step: TraceStep) => void;
}

/** A run of a plain program: the packet's options and the program's (which prepare() otherwise resolves). */
export interface RunOptions extends PacketOptions {
  /** Run-time semantics to follow; default 'linux'. */
  profile?: ProfileName;
  /** Linux metadata for SKF_AD_* loads and SKF_NET_OFF/SKF_LL_OFF offsets (linux profile only); missing fields are 0 / not set. */
  ancillary?: Partial<AncillaryData>;
  /**
   * run() assumes a program valid for the profile and does not check it. With `validate: true` it
   * validates first (once per program array and profile, cached) and throws the first ValidationError.
   * Unvalidated programs never crash or loop: unknown opcodes, jumps off the program and scratch
   * indices >= 16 return 0.
   */
  validate?: boolean;
  /**
   * libpcap profile only: how many backward `ja` a run may take before it is stopped with result 0
   * (default 65,536; libpcap 1.10 has no limit, libpcap master stops at 64). The other profiles
   * have no backward jumps, so every run ends within the program's length.
   */
  backwardJumpLimit?: number;
}

export interface ChunkRunOptions extends RunOptions {
  /**
   * Load exactly as FreeBSD's bpf_filter does on an mbuf chain (buflen 0): a word or half-word may
   * straddle into the next chunk only, and, FreeBSD's quirk, a failed `ldh [k]` (ABS) does not drop
   * the packet but sets A = 0 and continues; and `ld [x + k]` uses the 32-bit wrapped sum (the
   * chain path skips the overflow check). Off (default): the chunks behave as one buffer.
   */
  freebsdChainQuirk?: boolean;
}

/** Mutable machine state shared by run() and the step API. */
interface State {
  pc: number;
  A: number;
  X: number;
  M: Uint32Array;
  backBudget: number;
  steps: number;
}

interface Ctx {
  prog: Program;
  limit: number;
  p: Uint8Array;
  chain: readonly Uint8Array[] | undefined;
  quirk: boolean;
  wirelen: number;
  facts: ProfileFacts;
  anc: Readonly<AncillaryData>;
  trace: ((step: TraceStep) => void) | undefined;
}

const validated = new WeakMap<Program, Set<ProfileName>>();

/** The run's context: from a prepared program, or from a plain one and the options (unchecked, as run() always was). */
function context(
  program: Program | PreparedProgram,
  packet: Uint8Array,
  chain: readonly Uint8Array[] | undefined,
  options: ChunkRunOptions | undefined,
): Ctx {
  const wirelen = (options?.wirelen ?? packet.length) >>> 0;
  const trace = options?.trace;
  if (isPrepared(program)) {
    prepare(program, options); // only refuses options the program already carries
    const { facts, ancillary: anc, backwardJumpLimit: limit } = program;
    return {
      prog: program.program,
      limit,
      p: packet,
      chain,
      quirk: !!chain,
      wirelen,
      facts,
      anc,
      trace,
    };
  }
  const profile = options?.profile ?? 'linux';
  const facts = profileFacts(profile);
  if (options?.validate) {
    let seen = validated.get(program);
    if (!seen?.has(profile)) {
      assertValid(program, profile);
      if (!seen) {
        seen = new Set();
        validated.set(program, seen);
      }
      seen.add(profile);
    }
  }
  return {
    prog: program,
    limit: options?.backwardJumpLimit ?? DEFAULT_BACKWARD_JUMP_LIMIT,
    p: packet,
    chain,
    quirk: !!chain,
    wirelen,
    facts,
    anc: withDefaults(options?.ancillary),
    trace,
  };
}

const newState = (ctx: Ctx): State => ({
  pc: 0,
  A: 0,
  X: 0,
  M: new Uint32Array(16),
  backBudget: ctx.limit,
  steps: 0,
});

/**
 * Runs `program` on `packet` (the captured bytes) and returns the filter's u32 result: 0 drops,
 * anything else accepts (as a snap length). A, X and M[] start at 0.
 */
export function run(
  program: Program | PreparedProgram,
  packet: Uint8Array,
  options?: RunOptions,
): number {
  const ctx = context(program, packet, undefined, options);
  if (ctx.prog.length === 0) return emptyResult(ctx);
  // Reuse one state between runs (allocating the scratch array dominates short runs); a run
  // started from inside a trace callback finds it taken and allocates its own.
  const s = spare ?? newState(ctx);
  spare = undefined;
  s.pc = 0;
  s.A = 0;
  s.X = 0;
  s.M.fill(0);
  s.backBudget = ctx.limit;
  s.steps = 0;
  try {
    return exec(ctx, s, Number.POSITIVE_INFINITY);
  } finally {
    spare = s;
  }
}

let spare: State | undefined;

/**
 * Runs `program` on a packet given as a chain of chunks (FreeBSD's mbuf case). By default the
 * result equals run() on the concatenation; see `freebsdChainQuirk` for FreeBSD's exact chain loads.
 * `wirelen` defaults to the total length.
 */
export function runChunks(
  program: Program | PreparedProgram,
  chunks: readonly Uint8Array[],
  options?: ChunkRunOptions,
): number {
  if (!options?.freebsdChainQuirk) return run(program, concatChunks(chunks), options);
  let total = 0;
  for (const c of chunks) total += c.length;
  const { freebsdChainQuirk: _, ...rest } = options;
  const ctx = context(program, EMPTY, chunks, { ...rest, wirelen: options.wirelen ?? total });
  if (ctx.prog.length === 0) return emptyResult(ctx);
  return exec(ctx, newState(ctx), Number.POSITIVE_INFINITY);
}

const EMPTY = new Uint8Array(0);

/** FreeBSD treats a zero-length program as "no filter": accept the whole packet (bpf_filter returns -1). */
const emptyResult = (ctx: Ctx): number => emptyProgramResult(ctx.facts.emptyAcceptsAll);

/** A snapshot of a stepping machine. */
export interface MachineState {
  readonly pc: number;
  readonly A: number;
  readonly X: number;
  readonly M: readonly number[];
  readonly done: boolean;
  /** The program's result once done, else undefined. */
  readonly result: number | undefined;
  /** Instructions executed so far. */
  readonly steps: number;
}

/** A machine that executes one instruction per step(), for debuggers. */
export interface Machine {
  readonly state: MachineState;
  /** Executes one instruction (nothing once done) and returns the new state. */
  step(): MachineState;
  /** Runs to the end and returns the result. */
  finish(): number;
}

/** A stepping machine over the same semantics as run(). */
export function createMachine(
  program: Program | PreparedProgram,
  packet: Uint8Array,
  options?: RunOptions,
): Machine {
  const ctx = context(program, packet, undefined, options);
  const s = newState(ctx);
  let result: number | undefined = ctx.prog.length === 0 ? emptyResult(ctx) : undefined;
  const stateNow = (): MachineState => ({
    pc: s.pc,
    A: s.A,
    X: s.X,
    M: Array.from(s.M),
    done: result !== undefined,
    result,
    steps: s.steps,
  });
  return {
    get state() {
      return stateNow();
    },
    step() {
      if (result === undefined) {
        const r = exec(ctx, s, 1);
        if (r >= 0) result = r;
      }
      return stateNow();
    },
    finish() {
      if (result === undefined) result = exec(ctx, s, Number.POSITIVE_INFINITY);
      return result;
    },
  };
}

/**
 * The packet bytes [offset, offset + size) the instruction `insn` reads when executed with index
 * register `X`: `ld`/`ldh`/`ldb` [k] and [x + k], and `ldxb 4*([k]&0xf)`. Undefined for every other
 * instruction and for Linux's negative (header-relative or SKF_AD metadata) offsets. For debuggers
 * to show what a load looks at; the range may lie past the captured bytes (the load then fails).
 */
export function loadedBytes(
  insn: RawInsn,
  X: number,
): { offset: number; size: number } | undefined {
  const { code, k } = insn;
  let offset: number;
  if (code === OP.LD_W_ABS || code === OP.LD_H_ABS || code === OP.LD_B_ABS) offset = k >>> 0;
  else if (code === OP.LD_W_IND || code === OP.LD_H_IND || code === OP.LD_B_IND)
    offset = (X + k) >>> 0;
  else if (code === OP.LDX_MSH) offset = k >>> 0;
  else return undefined;
  return offset >= 0x80000000 ? undefined : { offset, size: loadSize(code) };
}

/** Reads `size` big-endian bytes at `o`, or -1 when out of range. */
function rd(ctx: Ctx, o: number, size: number): number {
  if (ctx.chain !== undefined) return chainRead(ctx.chain, o, size);
  const p = ctx.p;
  if (o < 0 || o + size > p.length) return -1;
  if (size === 1) return p[o];
  if (size === 2) return (p[o] << 8) | p[o + 1];
  return ((p[o] << 24) | (p[o + 1] << 16) | (p[o + 2] << 8) | p[o + 3]) >>> 0;
}

/**
 * Linux: a load at negative offset `u` (as u32): header-relative, possibly reaching back into the
 * headroom; -1 when it fails.
 */
function rdRel(ctx: Ctx, u: number, size: number): number {
  const o = headerRelative(u, ctx.anc);
  if (o === undefined) return -1;
  if (o >= 0) return rd(ctx, o, size);
  const h = ctx.anc.headroom;
  const p = ctx.chain === undefined ? ctx.p : concatChunks(ctx.chain);
  if (h === undefined || o < -h.length || o + size > p.length) return -1;
  let v = 0;
  for (let i = o; i < o + size; i++) v = v * 256 + (i < 0 ? h[h.length + i] : p[i]);
  return v;
}

/**
 * The interpreter loop. Executes at most `maxSteps` instructions; returns the program's result
 * (>= 0) or -1 if it paused, with the registers written back to `s`.
 */
function exec(ctx: Ctx, s: State, maxSteps: number): number {
  const prog = ctx.prog;
  const n = prog.length;
  const facts = ctx.facts;
  const linux = facts.linuxExtensions;
  const wideMod32 = facts.wideShift === 'mod32';
  const signedJa = facts.backwardJa;
  const trace = ctx.trace;
  const M = s.M;
  let { pc, A, X } = s;
  let steps = maxSteps;
  let executed = 0;
  let result = -1;
  loop: while (steps-- > 0) {
    if (pc >= n || pc < 0) {
      result = 0; // off the program: only an invalid program gets here
      break;
    }
    const ins = prog[pc];
    if (trace !== undefined) trace({ pc, insn: ins, A, X, M: Array.from(M) });
    const code = ins.code;
    const k = ins.k;
    executed++;
    pc++;
    switch (code) {
      case OP.LD_W_ABS:
      case OP.LD_H_ABS:
      case OP.LD_B_ABS: {
        const size = loadSize(code);
        if (linux && k >= SKF_AD_OFF) {
          if (k === SKF_AD_OFF + SKF_AD.alu_xor_x) {
            A = (A ^ X) >>> 0;
            continue;
          }
          const v = ancillaryValue(k, A, X, ctx.anc, ctx.p);
          if (v < 0) {
            result = 0;
            break loop;
          }
          A = v;
          continue;
        }
        const v = linux && k >= 0x80000000 ? rdRel(ctx, k, size) : rd(ctx, k, size);
        if (v < 0) {
          // FreeBSD's chain code ignores the half-word helper's error flag for ABS loads.
          if (ctx.quirk && size === 2) {
            A = 0;
            continue;
          }
          result = 0;
          break loop;
        }
        A = v;
        continue;
      }
      case OP.LD_W_IND:
      case OP.LD_H_IND:
      case OP.LD_B_IND: {
        let o: number;
        if (linux) {
          o = ((X + k) | 0) >>> 0; // the kernel's signed 32-bit offset; negative (>= 2^31 here) = header-relative
        } else if (ctx.quirk) {
          o = (X + k) >>> 0; // FreeBSD's chain path skips the overflow check: the u32 sum wraps
        } else {
          o = X + k; // exact: an overflowing sum is simply out of range
        }
        const size = loadSize(code);
        const v = linux && o >= 0x80000000 ? rdRel(ctx, o, size) : rd(ctx, o, size);
        if (v < 0) {
          result = 0;
          break loop;
        }
        A = v;
        continue;
      }
      case OP.LDX_MSH: {
        const v = linux && k >= 0x80000000 ? rdRel(ctx, k, 1) : rd(ctx, k, 1);
        if (v < 0) {
          result = 0;
          break loop;
        }
        X = (v & 15) << 2;
        continue;
      }
      case OP.LD_IMM:
        A = k;
        continue;
      case OP.LDX_IMM:
        X = k;
        continue;
      case OP.LD_LEN:
        A = ctx.wirelen;
        continue;
      case OP.LDX_LEN:
        X = ctx.wirelen;
        continue;
      case OP.LD_MEM:
      case OP.LDX_MEM:
      case OP.ST:
      case OP.STX:
        if (k >= 16) {
          result = 0;
          break loop;
        }
        if (code === OP.LD_MEM) A = M[k];
        else if (code === OP.LDX_MEM) X = M[k];
        else if (code === OP.ST) M[k] = A;
        else M[k] = X;
        continue;
      case OP.ADD_K:
        A = (A + k) >>> 0;
        continue;
      case OP.ADD_X:
        A = (A + X) >>> 0;
        continue;
      case OP.SUB_K:
        A = (A - k) >>> 0;
        continue;
      case OP.SUB_X:
        A = (A - X) >>> 0;
        continue;
      case OP.MUL_K:
        A = Math.imul(A, k) >>> 0;
        continue;
      case OP.MUL_X:
        A = Math.imul(A, X) >>> 0;
        continue;
      case OP.DIV_K:
      case OP.DIV_X:
      case OP.MOD_K:
      case OP.MOD_X: {
        const d = code === OP.DIV_X || code === OP.MOD_X ? X : k;
        if (d === 0) {
          result = 0;
          break loop;
        }
        A = BPF_OP(code) === BPF_DIV ? (A / d) >>> 0 : A % d;
        continue;
      }
      case OP.OR_K:
        A = (A | k) >>> 0;
        continue;
      case OP.OR_X:
        A = (A | X) >>> 0;
        continue;
      case OP.AND_K:
        A = (A & k) >>> 0;
        continue;
      case OP.AND_X:
        A = (A & X) >>> 0;
        continue;
      case OP.XOR_K:
        A = (A ^ k) >>> 0;
        continue;
      case OP.XOR_X:
        A = (A ^ X) >>> 0;
        continue;
      case OP.LSH_K:
      case OP.LSH_X: {
        const c = code === OP.LSH_K ? k : X;
        A = c < 32 || wideMod32 ? (A << (c & 31)) >>> 0 : 0;
        continue;
      }
      case OP.RSH_K:
      case OP.RSH_X: {
        const c = code === OP.RSH_K ? k : X;
        A = c < 32 || wideMod32 ? A >>> (c & 31) : 0;
        continue;
      }
      case OP.NEG:
        A = (0 - A) >>> 0;
        continue;
      case OP.JA:
        if (signedJa && (k | 0) < 0) {
          // libpcap adds k signed (for its protochain loops); the budget bounds every run.
          if (--s.backBudget < 0) {
            result = 0;
            break loop;
          }
          pc += k | 0;
        } else {
          pc += k;
        }
        continue;
      case OP.JEQ_K:
        pc += A === k ? ins.jt : ins.jf;
        continue;
      case OP.JEQ_X:
        pc += A === X ? ins.jt : ins.jf;
        continue;
      case OP.JGT_K:
        pc += A > k ? ins.jt : ins.jf;
        continue;
      case OP.JGT_X:
        pc += A > X ? ins.jt : ins.jf;
        continue;
      case OP.JGE_K:
        pc += A >= k ? ins.jt : ins.jf;
        continue;
      case OP.JGE_X:
        pc += A >= X ? ins.jt : ins.jf;
        continue;
      case OP.JSET_K:
        pc += (A & k) !== 0 ? ins.jt : ins.jf;
        continue;
      case OP.JSET_X:
        pc += (A & X) !== 0 ? ins.jt : ins.jf;
        continue;
      case OP.RET_K:
        result = k >>> 0;
        break loop;
      case OP.RET_A:
        result = A;
        break loop;
      case OP.TAX:
        X = A;
        continue;
      case OP.TXA:
        A = X;
        continue;
      default:
        // Not one of the 49 opcodes (libpcap 1.10 aborts, libpcap master returns 0): drop.
        result = 0;
        break loop;
    }
  }
  // A finished machine stays on its ret (or on the failing instruction) for debuggers.
  s.pc = result >= 0 && pc > 0 && pc <= n ? pc - 1 : pc;
  s.A = A;
  s.X = X;
  s.steps += executed;
  return result;
}
