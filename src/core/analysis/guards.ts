// Bounds-check hoisting: one `len` test at the head of a block covers every constant-offset load
// the block and its likeliest continuations make, so the loads themselves carry no test.
//
// A guard "len >= L" at point P may return 0 early only if the program would return 0 anyway
// whenever len < L: every path from P that can return non-zero must make a load ending past L
// (a failed load returns 0, cbpf-reference.md 2). So need(P) is the max of the load ends on the
// path, combined over branches with min, with `ret #0` and always-failing loads counting as
// "anything" (Infinity): a block whose need is Infinity can only return 0. This is cbpfc's rule of
// widening a guard only to what every path to a match reads anyway.
import { type AncillaryData, headerRelative } from '../ancillary.js';
import type { Program } from '../encode.js';
import { BPF_CLASS, BPF_RET, loadSize, OP, SKF_AD_OFF } from '../opcodes.js';
import type { ProfileFacts } from '../profiles.js';
import type { Cfg } from './cfg.js';

/** How a constant-offset load (`ld [k]`, `ldx 4*([k]&0xf)`) reads, resolved at compile time. */
export type StaticLoad =
  /** Packet bytes [off, off + size). */
  | { readonly kind: 'abs'; readonly off: number }
  /** Always out of range (e.g. SKF_NET_OFF with no network header offset): the program returns 0. */
  | { readonly kind: 'fail' }
  /** Linux header-relative load reaching into the headroom: resolved per packet by a helper. */
  | { readonly kind: 'rel'; readonly u: number }
  /** Linux SKF_AD_* field (ld only). */
  | { readonly kind: 'ancillary' };

/** True for `ld [k]`/`ldh [k]`/`ldb [k]` and `ldx 4*([k]&0xf)`: the loads with a constant offset. */
export const isConstLoad = (code: number): boolean =>
  code === OP.LD_W_ABS || code === OP.LD_H_ABS || code === OP.LD_B_ABS || code === OP.LDX_MSH;

/**
 * Resolves a constant-offset load. Linux reads k >= 2^31 as a negative offset: SKF_AD_* metadata
 * (ld only), else SKF_NET_OFF/SKF_LL_OFF relative to the header offsets in `anc`, fixed at compile
 * time (vm.ts rdRel). The other profiles take k as it is: past any packet when huge.
 */
export function resolveConstLoad(
  code: number,
  k: number,
  facts: ProfileFacts,
  anc: Readonly<AncillaryData>,
): StaticLoad {
  if (!facts.linuxExtensions || k < 0x80000000) return { kind: 'abs', off: k };
  if (code !== OP.LDX_MSH && k >= SKF_AD_OFF) return { kind: 'ancillary' };
  const o = headerRelative(k, anc);
  if (o === undefined) return { kind: 'fail' };
  return o >= 0 ? { kind: 'abs', off: o } : { kind: 'rel', u: k };
}

export interface GuardPlan {
  /** Per block: the least captured length any non-zero result from its head needs (Infinity: it only returns 0). */
  readonly need: readonly number[];
  /** Per block: the captured length known at its head once its guard (if any) passed. */
  readonly known: readonly number[];
  /** Per block: the guard to emit at its head (`len < guard` returns 0), or 0 for none. */
  readonly guard: readonly number[];
}

/** Plans the guards of `cfg`'s blocks; `loads[pc]` is the resolved constant load at pc, if any. */
export function planGuards(
  program: Program,
  cfg: Cfg,
  loads: readonly (StaticLoad | undefined)[],
): GuardPlan {
  const { blocks, blockOf } = cfg;
  const need = new Array<number>(blocks.length).fill(0);
  // Backward over blocks: successors of a forward edge come later, so they are done first; a back
  // edge's target is taken as needing nothing, which only makes guards smaller.
  for (let id = blocks.length - 1; id >= 0; id--) {
    const b = blocks[id];
    const last = program[b.end - 1];
    let n: number;
    if (BPF_CLASS(last.code) === BPF_RET) n = last.code === OP.RET_K && last.k === 0 ? Infinity : 0;
    else {
      n = Infinity;
      for (const s of b.succs) n = Math.min(n, s <= b.end - 1 ? 0 : need[blockOf[s]]);
    }
    for (let pc = b.end - 1; pc >= b.start; pc--) {
      const l = loads[pc];
      if (l === undefined) continue;
      if (l.kind === 'fail') n = Infinity;
      else if (l.kind === 'abs') n = Math.max(n, l.off + loadSize(program[pc].code));
    }
    need[id] = n;
  }
  // Forward: what is known at a head is the least of what its predecessors knew at their ends.
  const known = new Array<number>(blocks.length).fill(0);
  const guard = new Array<number>(blocks.length).fill(0);
  for (const b of blocks) {
    if (!b.reachable) continue;
    if (need[b.id] === Infinity) {
      known[b.id] = Infinity; // it returns 0 at its head and continues nowhere
      continue;
    }
    let k = b.id === 0 ? 0 : Infinity;
    for (const p of b.preds) {
      const pb = blocks[p];
      if (!pb.reachable) continue;
      k = Math.min(k, pb.start >= b.start ? 0 : known[p]);
    }
    if (k === Infinity) k = 0;
    if (need[b.id] > k) {
      guard[b.id] = need[b.id];
      k = need[b.id];
    }
    known[b.id] = k;
  }
  return { need, known, guard };
}
