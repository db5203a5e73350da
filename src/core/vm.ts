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
import type { RawInsn } from './insn.js';
import { SKF_AD, SKF_AD_OFF } from './opcodes.js';
import { PROFILES, type ProfileFacts, type ProfileName } from './profiles.js';
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

export interface RunOptions {
  /** Length of the packet on the wire, what `ld #len`/`ldx #len` load; defaults to the captured length. Bounds checks always use the captured bytes. */
  wirelen?: number;
  /** Run-time semantics to follow; default 'linux'. */
  profile?: ProfileName;
  /** Linux metadata for SKF_AD_* loads and SKF_NET_OFF/SKF_LL_OFF offsets (linux profile only); missing fields are 0 / not set. */
  ancillary?: Partial<AncillaryData>;
  /** Called before every instruction (slow: copies M each step). */
  trace?: (step: TraceStep) => void;
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

export const DEFAULT_BACKWARD_JUMP_LIMIT = 65_536;

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
  p: Uint8Array;
  chain: readonly Uint8Array[] | undefined;
  quirk: boolean;
  wirelen: number;
  facts: ProfileFacts;
  anc: Readonly<AncillaryData>;
  trace: ((step: TraceStep) => void) | undefined;
}

const validated = new WeakMap<Program, Set<ProfileName>>();

function prepare(
  program: Program,
  packet: Uint8Array,
  chain: readonly Uint8Array[] | undefined,
  options: ChunkRunOptions | undefined,
): Ctx {
  const profile = options?.profile ?? 'linux';
  if (!Object.hasOwn(PROFILES, profile)) throw new RangeError(`unknown profile ${String(profile)}`);
  const facts = PROFILES[profile];
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
    p: packet,
    chain,
    quirk: chain !== undefined,
    wirelen: (options?.wirelen ?? packet.length) >>> 0,
    facts,
    anc: withDefaults(options?.ancillary),
    trace: options?.trace,
  };
}

const newState = (options: RunOptions | undefined): State => ({
  pc: 0,
  A: 0,
  X: 0,
  M: new Uint32Array(16),
  backBudget: options?.backwardJumpLimit ?? DEFAULT_BACKWARD_JUMP_LIMIT,
  steps: 0,
});

/**
 * Runs `program` on `packet` (the captured bytes) and returns the filter's u32 result: 0 drops,
 * anything else accepts (as a snap length). A, X and M[] start at 0.
 */
export function run(program: Program, packet: Uint8Array, options?: RunOptions): number {
  const ctx = prepare(program, packet, undefined, options);
  if (program.length === 0) return emptyResult(ctx);
  // Reuse one state between runs (allocating the scratch array dominates short runs); a run
  // started from inside a trace callback finds it taken and allocates its own.
  const s = spare ?? newState(options);
  spare = undefined;
  s.pc = 0;
  s.A = 0;
  s.X = 0;
  s.M.fill(0);
  s.backBudget = options?.backwardJumpLimit ?? DEFAULT_BACKWARD_JUMP_LIMIT;
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
  program: Program,
  chunks: readonly Uint8Array[],
  options?: ChunkRunOptions,
): number {
  if (!options?.freebsdChainQuirk) return run(program, concatChunks(chunks), options);
  let total = 0;
  for (const c of chunks) total += c.length;
  const ctx = prepare(program, EMPTY, chunks, { ...options, wirelen: options.wirelen ?? total });
  if (program.length === 0) return emptyResult(ctx);
  return exec(ctx, newState(options), Number.POSITIVE_INFINITY);
}

const EMPTY = new Uint8Array(0);

/** FreeBSD treats a zero-length program as "no filter": accept the whole packet (bpf_filter returns -1). */
const emptyResult = (ctx: Ctx): number => (ctx.facts.emptyAcceptsAll ? 0xffffffff : 0);

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
export function createMachine(program: Program, packet: Uint8Array, options?: RunOptions): Machine {
  const ctx = prepare(program, packet, undefined, options);
  const s = newState(options);
  let result: number | undefined = program.length === 0 ? emptyResult(ctx) : undefined;
  const snapshot = (): MachineState => ({
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
      return snapshot();
    },
    step() {
      if (result === undefined) {
        const r = exec(ctx, s, 1);
        if (r >= 0) result = r;
      }
      return snapshot();
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
  const size = SIZE[(code >> 3) & 3];
  let offset: number;
  if (code === 0x20 || code === 0x28 || code === 0x30) offset = k >>> 0;
  else if (code === 0x40 || code === 0x48 || code === 0x50) offset = (X + k) >>> 0;
  else if (code === 0xb1) return k >>> 0 >= 0x80000000 ? undefined : { offset: k >>> 0, size: 1 };
  else return undefined;
  return offset >= 0x80000000 ? undefined : { offset, size };
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

const SIZE = [4, 2, 1, 0];

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
      // ld [k] / ldh [k] / ldb [k]
      case 0x20:
      case 0x28:
      case 0x30: {
        const size = SIZE[(code >> 3) & 3];
        if (linux && k >= 0x80000000) {
          if (k >= SKF_AD_OFF) {
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
      // ld [x + k] / ldh / ldb
      case 0x40:
      case 0x48:
      case 0x50: {
        let o: number;
        if (linux) {
          o = ((X + k) | 0) >>> 0; // the kernel's signed 32-bit offset; negative (>= 2^31 here) = header-relative
        } else if (ctx.quirk) {
          o = (X + k) >>> 0; // FreeBSD's chain path skips the overflow check: the u32 sum wraps
        } else {
          o = X + k; // exact: an overflowing sum is simply out of range
        }
        const size = SIZE[(code >> 3) & 3];
        const v = linux && o >= 0x80000000 ? rdRel(ctx, o, size) : rd(ctx, o, size);
        if (v < 0) {
          result = 0;
          break loop;
        }
        A = v;
        continue;
      }
      case 0xb1: {
        // ldxb 4*([k]&0xf)
        const v = linux && k >= 0x80000000 ? rdRel(ctx, k, 1) : rd(ctx, k, 1);
        if (v < 0) {
          result = 0;
          break loop;
        }
        X = (v & 0xf) << 2;
        continue;
      }
      case 0x00:
        A = k;
        continue;
      case 0x01:
        X = k;
        continue;
      case 0x80:
        A = ctx.wirelen;
        continue;
      case 0x81:
        X = ctx.wirelen;
        continue;
      case 0x60:
      case 0x61:
      case 0x02:
      case 0x03:
        if (k >= 16) {
          result = 0;
          break loop;
        }
        if (code === 0x60) A = M[k];
        else if (code === 0x61) X = M[k];
        else if (code === 0x02) M[k] = A;
        else M[k] = X;
        continue;
      // ALU with k / with X
      case 0x04:
        A = (A + k) >>> 0;
        continue;
      case 0x0c:
        A = (A + X) >>> 0;
        continue;
      case 0x14:
        A = (A - k) >>> 0;
        continue;
      case 0x1c:
        A = (A - X) >>> 0;
        continue;
      case 0x24:
        A = Math.imul(A, k) >>> 0;
        continue;
      case 0x2c:
        A = Math.imul(A, X) >>> 0;
        continue;
      case 0x34:
      case 0x3c:
      case 0x94:
      case 0x9c: {
        const d = code & 0x08 ? X : k;
        if (d === 0) {
          result = 0;
          break loop;
        }
        A = (code & 0xf0) === 0x30 ? (A / d) >>> 0 : A % d;
        continue;
      }
      case 0x44:
        A = (A | k) >>> 0;
        continue;
      case 0x4c:
        A = (A | X) >>> 0;
        continue;
      case 0x54:
        A = (A & k) >>> 0;
        continue;
      case 0x5c:
        A = (A & X) >>> 0;
        continue;
      case 0xa4:
        A = (A ^ k) >>> 0;
        continue;
      case 0xac:
        A = (A ^ X) >>> 0;
        continue;
      case 0x64:
      case 0x6c: {
        const c = code === 0x64 ? k : X;
        A = c < 32 || wideMod32 ? (A << (c & 31)) >>> 0 : 0;
        continue;
      }
      case 0x74:
      case 0x7c: {
        const c = code === 0x74 ? k : X;
        A = c < 32 || wideMod32 ? A >>> (c & 31) : 0;
        continue;
      }
      case 0x84:
        A = (0 - A) >>> 0;
        continue;
      // jumps
      case 0x05:
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
      case 0x15:
        pc += A === k ? ins.jt : ins.jf;
        continue;
      case 0x1d:
        pc += A === X ? ins.jt : ins.jf;
        continue;
      case 0x25:
        pc += A > k ? ins.jt : ins.jf;
        continue;
      case 0x2d:
        pc += A > X ? ins.jt : ins.jf;
        continue;
      case 0x35:
        pc += A >= k ? ins.jt : ins.jf;
        continue;
      case 0x3d:
        pc += A >= X ? ins.jt : ins.jf;
        continue;
      case 0x45:
        pc += (A & k) !== 0 ? ins.jt : ins.jf;
        continue;
      case 0x4d:
        pc += (A & X) !== 0 ? ins.jt : ins.jf;
        continue;
      case 0x06:
        result = k >>> 0;
        break loop;
      case 0x16:
        result = A;
        break loop;
      case 0x07:
        X = A;
        continue;
      case 0x87:
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
