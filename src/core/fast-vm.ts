// A pre-decoded interpreter: the program is prepared (validated once) and decoded once into an
// Int32Array of dense operation numbers with jump targets resolved, then each packet runs a switch
// over that array with A, X and M[] held as int32 (u32 values reinterpreted), so nothing is
// allocated per packet.
//
// Semantics are vm.ts's run() exactly, profile differences and Linux metadata being settled by the
// decoder (fast-vm-decode.ts). Adjacent pairs that tcpdump emits all the time (a load and a jeq,
// two jeq on one A) are fused into one operation; jumps landing on the second half still find it
// decoded on its own.
import { type AncillaryData, ancillaryValue, relativeLoad } from './ancillary.js';
import type { Program } from './encode.js';
import { decode, type Fast, SIGN } from './fast-vm-decode.js';
import {
  type Accepted,
  checkSpan,
  constantFilter,
  emptyProgramResult,
  type InterpretedFilter,
} from './filter.js';
import { type PreparedProgram, type PrepareOptions, prepare } from './prepare.js';

export type { Accepted, InterpretedFilter } from './filter.js';

/** The options prepare() takes: profile (default 'linux'), Linux metadata, backward-jump budget. */
export type InterpreterOptions = PrepareOptions;

/** A decoded program with everything a run reads besides the packet (one shape for every program). */
interface Machine {
  readonly ins: Int32Array;
  readonly scratch: boolean;
  /** Scratch words, reused by every run (a run never re-enters). */
  readonly M: Int32Array;
  /** `ld [x + k]` adds as signed 32-bit, negative sums being header-relative (Linux). */
  readonly linuxIndexed: boolean;
  readonly limit: number;
  readonly anc: Readonly<AncillaryData>;
  /** The result of the last packet exec() ran. */
  last: number;
  /** One packet's offset, length and wire length, for the one-packet forms. */
  readonly oneOff: Float64Array;
  readonly oneLen: Float64Array;
  readonly oneWl: Float64Array;
}

/**
 * Decodes a program for the interpreter: the same results as run() with the same options, without
 * run()'s per-call setup. A plain program is prepared first (throws the first ValidationError).
 * @example
 * const f = interpreter(program, { profile: 'libpcap' });
 * f(frame); f.at(fileBytes, 40, 60, 60); f.count(fileBytes, offsets, lengths, wirelens, n);
 */
export function interpreter(
  program: Program | PreparedProgram,
  options?: InterpreterOptions,
): InterpretedFilter {
  const { program: prog, facts, ancillary: anc, backwardJumpLimit } = prepare(program, options);
  if (prog.length === 0) return constantFilter(emptyProgramResult(facts.emptyAcceptsAll));
  const { ins, scratch } = decode(prog, facts, anc);
  const m: Machine = {
    ins,
    scratch,
    M: new Int32Array(16),
    linuxIndexed: facts.linuxExtensions,
    limit: backwardJumpLimit,
    anc,
    last: 0,
    oneOff: new Float64Array(1),
    oneLen: new Float64Array(1),
    oneWl: new Float64Array(1),
  };
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

/** Big-endian half-word and word at p[o] (as int32). */
const be16 = (p: Uint8Array, o: number): number => (p[o] << 8) | p[o + 1];
const be32 = (p: Uint8Array, o: number): number =>
  (p[o] << 24) | (p[o + 1] << 16) | (p[o + 2] << 8) | p[o + 3];
const read = (p: Uint8Array, o: number, size: number): number =>
  size === 1 ? p[o] : size === 2 ? be16(p, o) : be32(p, o);

/**
 * Runs `m` on the packets p[offs[q] .. offs[q] + lens[q]) for q < n (wire lengths wls[q]): returns
 * how many it accepts (their indices into `out`, if given) and leaves the last result in m.last.
 * The packet loop and the dispatch loop are one function so V8 compiles them together: the
 * dispatch loop is too large to be inlined into a caller, and a call per packet costs about as much
 * as running a short program.
 *
 * Each case is its operation's number `satisfies` its FAST_OPS entry: literal labels make the
 * switch a jump table, and the type checker ties each number to its name. An operation either
 * continues at the next instruction (`pc++; continue`), ends the packet (`break packet`), or sets
 * pc and leaves the switch to the jump tail, which returns k at once when the target is `ret #k`.
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
    r = 0; // what a failing load, a division by 0 or FAIL leaves
    packet: for (;;) {
      const i = pc << 2;
      switch (ins[i]) {
        // Loads at a constant offset: ins[i + 2] is where the bytes end. The hot loads spell out
        // their bytes instead of calling be16/be32: exec is too large for V8's cumulative inlining
        // budget, and an A/B against the pre-table interpreter measured the calls at 5-12% on short
        // programs (arp).
        case 54 satisfies Fast['LD_H_ABS_JEQ']:
          if (ins[i + 2] > len) break packet;
          A = (p[b + ins[i + 1]] << 8) | p[b + ins[i + 1] + 1];
          pc = A === ins[i + 5] ? ins[i + 6] : ins[i + 7];
          break;
        case 55 satisfies Fast['LD_B_ABS_JEQ']:
          if (ins[i + 2] > len) break packet;
          A = p[b + ins[i + 1]];
          pc = A === ins[i + 5] ? ins[i + 6] : ins[i + 7];
          break;
        case 56 satisfies Fast['LD_W_ABS_JEQ']:
          if (ins[i + 2] > len) break packet;
          A =
            (p[b + ins[i + 1]] << 24) |
            (p[b + ins[i + 1] + 1] << 16) |
            (p[b + ins[i + 1] + 2] << 8) |
            p[b + ins[i + 1] + 3];
          pc = A === ins[i + 5] ? ins[i + 6] : ins[i + 7];
          break;
        case 57 satisfies Fast['LD_H_ABS_JSET']:
          if (ins[i + 2] > len) break packet;
          A = (p[b + ins[i + 1]] << 8) | p[b + ins[i + 1] + 1];
          pc = (A & ins[i + 5]) !== 0 ? ins[i + 6] : ins[i + 7];
          break;
        case 0 satisfies Fast['LD_W_ABS']:
          if (ins[i + 2] > len) break packet;
          A =
            (p[b + ins[i + 1]] << 24) |
            (p[b + ins[i + 1] + 1] << 16) |
            (p[b + ins[i + 1] + 2] << 8) |
            p[b + ins[i + 1] + 3];
          pc++;
          continue;
        case 1 satisfies Fast['LD_H_ABS']:
          if (ins[i + 2] > len) break packet;
          A = (p[b + ins[i + 1]] << 8) | p[b + ins[i + 1] + 1];
          pc++;
          continue;
        case 2 satisfies Fast['LD_B_ABS']:
          if (ins[i + 2] > len) break packet;
          A = p[b + ins[i + 1]];
          pc++;
          continue;
        case 6 satisfies Fast['LDX_MSH']:
          if (ins[i + 2] > len) break packet;
          X = (p[b + ins[i + 1]] & 15) << 2;
          pc++;
          continue;
        // Indexed loads: Linux adds as signed 32-bit (a negative sum is header-relative), the others
        // exactly (an overflowing sum is out of range).
        case 60 satisfies Fast['LDX_MSH_H_IND_JEQ']: {
          if (ins[i + 2] > len) break packet;
          X = (p[b + ins[i + 1]] & 15) << 2;
          const o = m.linuxIndexed ? (X + ins[i + 5]) | 0 : X + (ins[i + 5] >>> 0);
          if (o < 0) A = relativeLoad(o >>> 0, 2, p, b, len, m.anc);
          else if (o + 2 > len) break packet;
          else A = (p[b + o] << 8) | p[b + o + 1];
          if (A < 0) break packet;
          pc = A === ins[i + 9] ? ins[i + 10] : ins[i + 11];
          break;
        }
        case 58 satisfies Fast['LD_H_IND_JEQ']: {
          const o = m.linuxIndexed ? (X + ins[i + 1]) | 0 : (X >>> 0) + (ins[i + 1] >>> 0);
          if (o < 0) A = relativeLoad(o >>> 0, 2, p, b, len, m.anc);
          else if (o + 2 > len) break packet;
          else A = (p[b + o] << 8) | p[b + o + 1];
          if (A < 0) break packet;
          pc = A === ins[i + 5] ? ins[i + 6] : ins[i + 7];
          break;
        }
        case 3 satisfies Fast['LD_W_IND']:
        case 4 satisfies Fast['LD_H_IND']:
        case 5 satisfies Fast['LD_B_IND']: {
          const size = ins[i + 2];
          const o = m.linuxIndexed ? (X + ins[i + 1]) | 0 : (X >>> 0) + (ins[i + 1] >>> 0);
          if (o < 0) {
            const v = relativeLoad(o >>> 0, size, p, b, len, m.anc);
            if (v < 0) break packet;
            A = v | 0;
          } else if (o + size > len) break packet;
          else A = read(p, b + o, size);
          pc++;
          continue;
        }
        // Rare loads: far offsets, Linux header-relative offsets and netlink attributes.
        case 51 satisfies Fast['LD_FAR']: {
          const o = ins[i + 1] >>> 0;
          if (o + ins[i + 2] > len) break packet;
          const v = read(p, b + o, ins[i + 2]);
          if (ins[i + 3] === 1) X = (v & 15) << 2;
          else A = v;
          pc++;
          continue;
        }
        case 61 satisfies Fast['LD_REL']: {
          const v = relativeLoad(ins[i + 1] >>> 0, ins[i + 2], p, b, len, m.anc);
          if (v < 0) break packet;
          A = v | 0;
          pc++;
          continue;
        }
        case 62 satisfies Fast['LDX_MSH_REL']: {
          const v = relativeLoad(ins[i + 1] >>> 0, 1, p, b, len, m.anc);
          if (v < 0) break packet;
          X = (v & 15) << 2;
          pc++;
          continue;
        }
        case 63 satisfies Fast['LD_NLATTR']:
          A = ancillaryValue(ins[i + 1] >>> 0, A >>> 0, X >>> 0, m.anc, p.subarray(b, b + len));
          pc++;
          continue;
        case 7 satisfies Fast['LD_IMM']:
          A = ins[i + 1];
          pc++;
          continue;
        case 8 satisfies Fast['LDX_IMM']:
          X = ins[i + 1];
          pc++;
          continue;
        case 9 satisfies Fast['LD_LEN']:
          A = wls[q] | 0;
          pc++;
          continue;
        case 10 satisfies Fast['LDX_LEN']:
          X = wls[q] | 0;
          pc++;
          continue;
        case 11 satisfies Fast['LD_MEM']:
          A = M[ins[i + 1]];
          pc++;
          continue;
        case 12 satisfies Fast['LDX_MEM']:
          X = M[ins[i + 1]];
          pc++;
          continue;
        case 13 satisfies Fast['ST']:
          M[ins[i + 1]] = A;
          pc++;
          continue;
        case 14 satisfies Fast['STX']:
          M[ins[i + 1]] = X;
          pc++;
          continue;
        case 15 satisfies Fast['ADD_K']:
          A = (A + ins[i + 1]) | 0;
          pc++;
          continue;
        case 16 satisfies Fast['ADD_X']:
          A = (A + X) | 0;
          pc++;
          continue;
        case 17 satisfies Fast['SUB_K']:
          A = (A - ins[i + 1]) | 0;
          pc++;
          continue;
        case 18 satisfies Fast['SUB_X']:
          A = (A - X) | 0;
          pc++;
          continue;
        case 19 satisfies Fast['MUL_K']:
          A = Math.imul(A, ins[i + 1]);
          pc++;
          continue;
        case 20 satisfies Fast['MUL_X']:
          A = Math.imul(A, X);
          pc++;
          continue;
        case 21 satisfies Fast['DIV_K']:
          A = ((A >>> 0) / (ins[i + 1] >>> 0)) | 0;
          pc++;
          continue;
        case 22 satisfies Fast['DIV_X']:
          if (X === 0) break packet;
          A = ((A >>> 0) / (X >>> 0)) | 0;
          pc++;
          continue;
        case 23 satisfies Fast['MOD_K']:
          A = ((A >>> 0) % (ins[i + 1] >>> 0)) | 0;
          pc++;
          continue;
        case 24 satisfies Fast['MOD_X']:
          if (X === 0) break packet;
          A = ((A >>> 0) % (X >>> 0)) | 0;
          pc++;
          continue;
        case 25 satisfies Fast['OR_K']:
          A |= ins[i + 1];
          pc++;
          continue;
        case 26 satisfies Fast['OR_X']:
          A |= X;
          pc++;
          continue;
        case 27 satisfies Fast['AND_K']:
          A &= ins[i + 1];
          pc++;
          continue;
        case 28 satisfies Fast['AND_X']:
          A &= X;
          pc++;
          continue;
        case 29 satisfies Fast['XOR_K']:
          A ^= ins[i + 1];
          pc++;
          continue;
        case 30 satisfies Fast['XOR_X']:
          A ^= X;
          pc++;
          continue;
        case 31 satisfies Fast['LSH_K']:
          A <<= ins[i + 1];
          pc++;
          continue;
        case 32 satisfies Fast['LSH_X']:
          A <<= X;
          pc++;
          continue;
        case 52 satisfies Fast['LSH_X_ZERO']:
          A = X >>> 0 < 32 ? A << X : 0;
          pc++;
          continue;
        case 33 satisfies Fast['RSH_K']:
          A = (A >>> ins[i + 1]) | 0;
          pc++;
          continue;
        case 34 satisfies Fast['RSH_X']:
          A = (A >>> X) | 0;
          pc++;
          continue;
        case 53 satisfies Fast['RSH_X_ZERO']:
          A = X >>> 0 < 32 ? (A >>> X) | 0 : 0;
          pc++;
          continue;
        case 35 satisfies Fast['NEG']:
          A = -A | 0;
          pc++;
          continue;
        case 36 satisfies Fast['JA']:
          pc = ins[i + 2];
          continue;
        case 37 satisfies Fast['JA_BACK']:
          // libpcap adds k signed (its protochain loops); the budget bounds every run.
          if (++back > limit) break packet;
          pc = ins[i + 2];
          continue;
        // Conditional jumps: set pc and leave the switch for the jump tail.
        case 59 satisfies Fast['JEQ_JEQ']:
          pc = A === ins[i + 1] ? ins[i + 2] : A === ins[i + 5] ? ins[i + 6] : ins[i + 7];
          break;
        case 38 satisfies Fast['JEQ_K']:
          pc = A === ins[i + 1] ? ins[i + 2] : ins[i + 3];
          break;
        case 39 satisfies Fast['JEQ_X']:
          pc = A === X ? ins[i + 2] : ins[i + 3];
          break;
        case 40 satisfies Fast['JGT_K']:
          pc = (A ^ sign) > ins[i + 1] ? ins[i + 2] : ins[i + 3];
          break;
        case 41 satisfies Fast['JGT_X']:
          pc = (A ^ sign) > (X ^ sign) ? ins[i + 2] : ins[i + 3];
          break;
        case 42 satisfies Fast['JGE_K']:
          pc = (A ^ sign) >= ins[i + 1] ? ins[i + 2] : ins[i + 3];
          break;
        case 43 satisfies Fast['JGE_X']:
          pc = (A ^ sign) >= (X ^ sign) ? ins[i + 2] : ins[i + 3];
          break;
        case 44 satisfies Fast['JSET_K']:
          pc = (A & ins[i + 1]) !== 0 ? ins[i + 2] : ins[i + 3];
          break;
        case 45 satisfies Fast['JSET_X']:
          pc = (A & X) !== 0 ? ins[i + 2] : ins[i + 3];
          break;
        case 46 satisfies Fast['RET_K']:
          r = ins[i + 1] >>> 0;
          break packet;
        case 47 satisfies Fast['RET_A']:
          r = A >>> 0;
          break packet;
        case 48 satisfies Fast['TAX']:
          X = A;
          pc++;
          continue;
        case 49 satisfies Fast['TXA']:
          A = X;
          pc++;
          continue;
        default: // FAIL
          break packet;
      }
      // The jump tail: a target stored as -1 - t is `ret #k` at t.
      if (pc < 0) {
        r = ins[((-1 - pc) << 2) + 1] >>> 0;
        break;
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
