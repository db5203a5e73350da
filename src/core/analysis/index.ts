// The analysis the code generators share (the JIT and the WebAssembly backend): blocks and edges,
// the constant-offset loads resolved for the profile, the bounds guards, the scratch words used.
// Done once per program, read by each emitter.
import type { AncillaryData } from '../ancillary.js';
import type { Program } from '../encode.js';
import { BPF_CLASS, BPF_LD, BPF_LDX, BPF_MEM, BPF_MODE, BPF_ST, BPF_STX } from '../opcodes.js';
import type { ProfileFacts } from '../profiles.js';
import { buildCfg, type Cfg } from './cfg.js';
import {
  type GuardPlan,
  isConstLoad,
  planGuards,
  resolveConstLoad,
  type StaticLoad,
} from './guards.js';

export { type Block, buildCfg, type Cfg, successors } from './cfg.js';
export {
  type GuardPlan,
  isConstLoad,
  planGuards,
  resolveConstLoad,
  type StaticLoad,
} from './guards.js';

/** What an emitter needs to know about a validated, non-empty program beyond its instructions. */
export interface Analysis {
  readonly cfg: Cfg;
  /** Per instruction: its constant-offset load resolved for the profile, or undefined. */
  readonly loads: readonly (StaticLoad | undefined)[];
  readonly plan: GuardPlan;
  /** The scratch words M[k] the program reads or writes, ascending. */
  readonly scratch: readonly number[];
}

/** Analyses a validated, non-empty program for a profile and its metadata. */
export function analyze(
  program: Program,
  facts: ProfileFacts,
  anc: Readonly<AncillaryData>,
): Analysis {
  const loads = program.map(({ code, k }) =>
    isConstLoad(code) ? resolveConstLoad(code, k, facts, anc) : undefined,
  );
  const cfg = buildCfg(program, facts);
  return { cfg, loads, plan: planGuards(program, cfg, loads), scratch: scratchWords(program) };
}

/** Scratch words the program reads or writes, ascending. */
export function scratchWords(program: Program): number[] {
  const used = new Set<number>();
  for (const { code, k } of program) {
    const cls = BPF_CLASS(code);
    if (
      cls === BPF_ST ||
      cls === BPF_STX ||
      ((cls === BPF_LD || cls === BPF_LDX) && BPF_MODE(code) === BPF_MEM)
    )
      used.add(k);
  }
  return [...used].sort((a, b) => a - b);
}
