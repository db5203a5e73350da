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
import { decode, SIGN } from './fast-vm-decode.js';
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
  /**
   * How many of the `n` packets `buf[offsets[i] .. offsets[i] + lengths[i])` the filter accepts; with
   * `accepted`, their indices i, in order, are written to accepted[0 ..] (it needs room for n).
   */
  count(
    buf: Uint8Array,
    offsets: ArrayLike<number>,
    lengths: ArrayLike<number>,
    wirelens: ArrayLike<number>,
    n: number,
    accepted?: Accepted,
  ): number;
}

/** Where count() writes the indices of the packets it accepts. */
export type Accepted = { [index: number]: number };

/** The filter whose result is always `r` (an empty program; the JIT's constant programs). */
export function constantFilter(r: number): InterpretedFilter {
  const count = (
    _b: Uint8Array,
    _o: ArrayLike<number>,
    _l: ArrayLike<number>,
    _w: ArrayLike<number>,
    n: number,
    out?: Accepted,
  ): number => {
    if (r === 0) return 0;
    if (out !== undefined) for (let i = 0; i < n; i++) out[i] = i;
    return n;
  };
  return Object.assign((_p: Uint8Array, _w?: number) => r, { at: () => r, count });
}

/** at()'s check that `buflen` bytes at `buf[offset]` lie inside `buf`. */
export function checkSpan(buf: Uint8Array, offset: number, buflen: number): void {
  if (!(offset >= 0 && buflen >= 0 && offset + buflen <= buf.length))
    throw new RangeError(
      `at: bytes [${offset}, ${offset + buflen}) lie outside a ${buf.length}-byte buffer`,
    );
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
  if (prog.length === 0) return constantFilter(PROFILES[profile].emptyAcceptsAll ? 0xffffffff : 0);

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
    checkSpan(buf, offset, buflen);
    return one(buf, offset, buflen, wirelen >>> 0);
  };
  const count = (
    buf: Uint8Array,
    offsets: ArrayLike<number>,
    lengths: ArrayLike<number>,
    wirelens: ArrayLike<number>,
    n: number,
    accepted?: Accepted,
  ): number => exec(m, buf, offsets, lengths, wirelens, n, accepted);
  return Object.assign(f, { at, count });
}

/**
 * Runs `m` on the packets p[offs[q] .. offs[q] + lens[q]) for q < n (wire lengths wls[q]): returns
 * how many it accepts (their indices into `out`, if given) and leaves the last result in m.last. The packet loop and the dispatch loop
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
  out?: Accepted,
): number {
  const ins = m.ins;
  const M = m.M;
  const scratch = m.scratch;
  const sign = SIGN; // a local: an imported binding is looked up on every use
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
          pc = (A ^ sign) > ins[i + 1] ? ins[i + 2] : ins[i + 3];
          if (pc < 0) {
            r = ins[((-1 - pc) << 2) + 1] >>> 0;
            break packet;
          }
          continue;
        case 41 /* JGT_X */:
          pc = (A ^ sign) > (X ^ sign) ? ins[i + 2] : ins[i + 3];
          if (pc < 0) {
            r = ins[((-1 - pc) << 2) + 1] >>> 0;
            break packet;
          }
          continue;
        case 42 /* JGE_K */:
          pc = (A ^ sign) >= ins[i + 1] ? ins[i + 2] : ins[i + 3];
          if (pc < 0) {
            r = ins[((-1 - pc) << 2) + 1] >>> 0;
            break packet;
          }
          continue;
        case 43 /* JGE_X */:
          pc = (A ^ sign) >= (X ^ sign) ? ins[i + 2] : ins[i + 3];
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
    if (r !== 0) {
      if (out !== undefined) out[c] = q;
      c++;
    }
  }
  m.last = r;
  return c;
}
