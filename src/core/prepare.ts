// The one setup every engine shares: check the options, copy the program's fields once, validate
// that copy once, and resolve the profile and the ancillary defaults. Engines take what prepare()
// returns (or call it themselves on a plain program), so a program that runs through several of
// them is validated once, and what they run or compile is exactly what was validated.
import { type AncillaryData, withDefaults } from './ancillary.js';
import type { Program } from './encode.js';
import type { RawInsn } from './insn.js';
import {
  DEFAULT_BACKWARD_JUMP_LIMIT,
  type ProfileFacts,
  type ProfileName,
  profileFacts,
} from './profiles.js';
import { assertValid } from './validate.js';

/** What prepare() resolves once for every engine. */
export interface PrepareOptions {
  /** Validator and run-time semantics; default 'linux'. */
  profile?: ProfileName;
  /** Linux metadata for SKF_AD_* loads and SKF_NET_OFF/SKF_LL_OFF offsets; missing fields are 0 / not set. */
  ancillary?: Partial<AncillaryData>;
  /**
   * libpcap profile: backward `ja` a run may take before it returns 0 (default
   * DEFAULT_BACKWARD_JUMP_LIMIT); a non-negative integer or Infinity.
   */
  backwardJumpLimit?: number;
}

/**
 * A program checked for one profile, with its options resolved. Only prepare() makes one; engines
 * recognise it and skip their own setup.
 */
export interface PreparedProgram {
  /**
   * A private, frozen copy of the instructions, validated for `profile`: every field is a plain
   * integer in range (code u16, jt/jf u8, k u32), whatever object the caller passed.
   */
  readonly program: Program;
  readonly profile: ProfileName;
  readonly facts: ProfileFacts;
  /** The metadata with defaults filled in, copied and checked. */
  readonly ancillary: Readonly<AncillaryData>;
  readonly backwardJumpLimit: number;
}

const prepared = new WeakSet<object>();

/** True if `x` came from prepare() (a look-alike object does not count). */
export function isPrepared(x: unknown): x is PreparedProgram {
  return typeof x === 'object' && x !== null && prepared.has(x);
}

/**
 * Checks `options`, copies `program` and validates the copy for the profile; throws the first
 * ValidationError, a RangeError or TypeError for a bad option. A prepared program is returned as it
 * is (it carries its options; giving any again is a TypeError).
 * @example
 * const p = prepare(program, { profile: 'libpcap' });
 * const f = jit(p); const g = interpreter(p); run(p, frame);
 */
export function prepare(
  program: Program | PreparedProgram,
  options?: PrepareOptions,
): PreparedProgram {
  if (isPrepared(program)) {
    if (
      options?.profile !== undefined ||
      options?.ancillary !== undefined ||
      options?.backwardJumpLimit !== undefined
    )
      throw new TypeError('a prepared program carries its options: give them to prepare()');
    return program;
  }
  const profile = options?.profile ?? 'linux';
  const facts = profileFacts(profile);
  const backwardJumpLimit = options?.backwardJumpLimit ?? DEFAULT_BACKWARD_JUMP_LIMIT;
  // A NaN or negative budget would let a libpcap backward loop run forever.
  if (
    !(backwardJumpLimit >= 0) ||
    !(Number.isSafeInteger(backwardJumpLimit) || backwardJumpLimit === Infinity)
  )
    throw new RangeError(
      `backwardJumpLimit: expected a non-negative integer, got ${String(backwardJumpLimit)}`,
    );
  const ancillary = Object.freeze(withDefaults(options?.ancillary));
  checkAncillary(ancillary);
  const copy = snapshot(program, facts);
  assertValid(copy, profile);
  const out: PreparedProgram = Object.freeze({
    program: copy,
    profile,
    facts,
    ancillary,
    backwardJumpLimit,
  });
  prepared.add(out);
  return out;
}

/**
 * Reads each instruction and each of its four fields exactly once (by index: no method of the
 * caller's array runs) into new frozen objects, so that getters, proxies or an Array subclass cannot
 * show the validator one value and an engine another. Whatever is read is kept as it is: the
 * validator then reports anything that is not a number in range.
 */
function snapshot(program: Program, facts: ProfileFacts): Program {
  if (!Array.isArray(program)) return program;
  const n = program.length;
  // Too long for the profile: the validator reports it from the length alone.
  if (!(n <= facts.maxInsns)) return program;
  const out: RawInsn[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x: unknown = program[i];
    if (typeof x !== 'object' || x === null) {
      out[i] = x as RawInsn;
      continue;
    }
    const { code, jt, jf, k } = x as RawInsn;
    out[i] = Object.freeze({ code, jt, jf, k });
  }
  return Object.freeze(out);
}

/** The header offsets become load offsets and the headroom is read at run time: check their kind. */
function checkAncillary(anc: Readonly<AncillaryData>): void {
  for (const key of ['netOffset', 'llOffset'] as const) {
    const v = anc[key];
    if (v !== undefined && !Number.isSafeInteger(v))
      throw new RangeError(`ancillary.${key}: expected an integer or undefined, got ${String(v)}`);
  }
  if (anc.headroom !== undefined && !(anc.headroom instanceof Uint8Array))
    throw new TypeError('ancillary.headroom: expected a Uint8Array or undefined');
}
