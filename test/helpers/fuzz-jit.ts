// The JIT-vs-interpreter fuzz loop shared by `npm run fuzz:jit` and its short CI run; the
// pre-decoded interpreter (fast-vm.ts) is checked against run() on the same pairs.
import type { AncillaryData } from '../../src/core/ancillary.js';
import type { Program } from '../../src/core/encode.js';
import { interpreter } from '../../src/core/fast-vm.js';
import { jit } from '../../src/core/jit/index.js';
import { PROFILE_NAMES, type ProfileName } from '../../src/core/profiles.js';
import { run } from '../../src/core/vm.js';
import { rng } from './gen-linux-program.js';
import { genAncillary, genPacket, genProgram, genWirelen } from './gen-program.js';

export interface Mismatch {
  profile: ProfileName;
  program: Program;
  packet: number[];
  wirelen: number;
  ancillary: Partial<AncillaryData> | undefined;
  want: number;
  got: number;
  form: 'call' | 'at' | 'interp' | 'interp-at';
}

export interface FuzzResult {
  pairs: number;
  programs: number;
  accepted: number;
  mismatches: number;
  perProfile: [ProfileName, number][];
}

/**
 * Runs `total` (program, packet) pairs, 10 packets per program, each through the one-packet and the
 * offset form; `report` sees the first 10 mismatches.
 */
export function fuzzJit(total: number, seed: number, report: (m: Mismatch) => void): FuzzResult {
  const r = rng(seed);
  const per = new Map<ProfileName, number>(PROFILE_NAMES.map((p) => [p, 0]));
  const buf = new Uint8Array(256);
  let pairs = 0;
  let programs = 0;
  let accepted = 0;
  let mismatches = 0;
  while (pairs < total) {
    const profile = PROFILE_NAMES[Math.floor(r() * PROFILE_NAMES.length)];
    const program = genProgram(r, profile, 20);
    const ancillary = profile === 'linux' ? genAncillary(r) : undefined;
    const o = { profile, ancillary, backwardJumpLimit: 64 };
    const f = jit(program, o);
    const g = interpreter(program, o);
    programs++;
    per.set(profile, (per.get(profile) ?? 0) + 1);
    for (let j = 0; j < 10 && pairs < total; j++, pairs++) {
      const p = genPacket(r, 120);
      const wirelen = genWirelen(r, p);
      const want = run(program, p, { ...o, wirelen });
      if (want !== 0) accepted++;
      buf.set(p, 7);
      for (const [form, got] of [
        ['call', f(p, wirelen)],
        ['at', f.at(buf, 7, p.length, wirelen)],
        ['interp', g(p, wirelen)],
        ['interp-at', g.at(buf, 7, p.length, wirelen)],
      ] as const) {
        if (got === want) continue;
        mismatches++;
        if (mismatches <= 10)
          report({ profile, program, packet: Array.from(p), wirelen, ancillary, want, got, form });
      }
    }
  }
  return { pairs, programs, accepted, mismatches, perProfile: [...per] };
}
