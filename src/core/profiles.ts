// The three platforms cbpf models and the facts in which they differ (cbpf-reference.md sections 2, 4 and 7).
import { BSD_MAXINSNS, LINUX_MAXINSNS } from './opcodes.js';

/** Which platform's validator and run-time semantics to follow. */
export type ProfileName = 'linux' | 'bsd' | 'libpcap';

/** Everything validate() and run() need to know about a platform, as plain data. */
export interface ProfileFacts {
  readonly name: ProfileName;
  /** Longest accepted program (libpcap's userland has no bound). */
  readonly maxInsns: number;
  /** FreeBSD: a zero-length program means "no filter" and every packet is accepted whole. */
  readonly emptyAcceptsAll: boolean;
  /** libpcap accepts a `ja` whose target lands in the program after 32-bit wraparound, and runs k as signed. */
  readonly backwardJa: boolean;
  /** `lsh #k`/`rsh #k` with k >= 32 rejected (true everywhere: platforms that accept them disagree on the result). */
  readonly rejectConstShift32: boolean;
  /** Result of a shift by a count >= 32 at run time: Linux takes the count mod 32, the others give 0. */
  readonly wideShift: 'mod32' | 'zero';
  /** `ld [x + k]` offset: Linux's signed 32-bit wraparound, or the exact sum (overflow fails). */
  readonly indexedOffset: 'signed32' | 'exact';
  /** Linux's SKF_AD_* loads and SKF_NET_OFF/SKF_LL_OFF header-relative offsets. */
  readonly linuxExtensions: boolean;
  /** Last instruction must be exactly `ret #k`/`ret a` (Linux) rather than any RET class opcode. */
  readonly strictFinalRet: boolean;
  /** Linux's literal `check_load_and_stores` pass (scratch read before write). */
  readonly scratchCheck: boolean;
}

export const PROFILES: Readonly<Record<ProfileName, ProfileFacts>> = {
  linux: {
    name: 'linux',
    maxInsns: LINUX_MAXINSNS,
    emptyAcceptsAll: false,
    backwardJa: false,
    rejectConstShift32: true,
    wideShift: 'mod32',
    indexedOffset: 'signed32',
    linuxExtensions: true,
    strictFinalRet: true,
    scratchCheck: true,
  },
  bsd: {
    name: 'bsd',
    maxInsns: BSD_MAXINSNS,
    emptyAcceptsAll: true,
    backwardJa: false,
    // FreeBSD's validator has no shift check and its interpreter then does C undefined behaviour,
    // so (cbpf-reference.md 7.7) cbpf rejects constant shifts >= 32 here too; a register shift by
    // X >= 32, equally undefined in FreeBSD's C, gives 0 as in libpcap and Go.
    rejectConstShift32: true,
    wideShift: 'zero',
    indexedOffset: 'exact',
    linuxExtensions: false,
    strictFinalRet: false,
    scratchCheck: false,
  },
  libpcap: {
    name: 'libpcap',
    maxInsns: Number.POSITIVE_INFINITY,
    emptyAcceptsAll: false,
    backwardJa: true,
    rejectConstShift32: true,
    wideShift: 'zero',
    indexedOffset: 'exact',
    linuxExtensions: false,
    strictFinalRet: false,
    scratchCheck: false,
  },
};

export const PROFILE_NAMES: readonly ProfileName[] = ['linux', 'bsd', 'libpcap'];

/** The facts of profile `name`; a RangeError for anything that is not a profile name. */
export function profileFacts(name: ProfileName): ProfileFacts {
  if (!Object.hasOwn(PROFILES, name)) throw new RangeError(`unknown profile ${String(name)}`);
  return PROFILES[name];
}

/** True if `name` is a profile name (for CLI arguments). */
export function isProfileName(name: unknown): name is ProfileName {
  return name === 'linux' || name === 'bsd' || name === 'libpcap';
}

/**
 * libpcap profile: how many backward `ja` a run may take before it is stopped with result 0, unless
 * the caller says otherwise (libpcap 1.10 has no limit, libpcap master stops at 64). The other
 * profiles have no backward jumps, so every run ends within the program's length.
 */
export const DEFAULT_BACKWARD_JUMP_LIMIT = 65_536;
