// A tiny label assembler for hand-written filters: jumps name labels, offsets are computed.

import { assembleOne } from '../core/encode.js';
import { EncodeError } from '../core/errors.js';
import type { Insn, JumpCond, RawInsn } from '../core/insn.js';

/** A conditional jump whose targets are labels ('next' falls through). */
export interface LabelJump {
  readonly kind: 'labelJump';
  readonly cond: JumpCond;
  readonly k: number;
  readonly t: string;
  readonly f: string;
}
/** Marks the position of the next instruction. */
export interface Label {
  readonly kind: 'label';
  readonly name: string;
}
export type Item = Insn | LabelJump | Label;

/** if (A cond k) goto t else goto f. */
export const jumpTo = (cond: JumpCond, k: number, t: string, f: string): LabelJump => ({
  kind: 'labelJump',
  cond,
  k: k >>> 0,
  t,
  f,
});
export const label = (name: string): Label => ({ kind: 'label', name });

/** Resolves labels to forward jump offsets; throws EncodeError for unknown, backward or > 255 targets. */
export function assembleLabeled(items: readonly Item[]): RawInsn[] {
  const at = new Map<string, number>();
  let n = 0;
  for (const it of items) {
    if (it.kind === 'label') at.set(it.name, n);
    else n++;
  }
  const out: RawInsn[] = [];
  for (const it of items) {
    if (it.kind === 'label') continue;
    const i = out.length;
    if (it.kind !== 'labelJump') {
      out.push(assembleOne(it, i));
      continue;
    }
    const rel = (name: string) => {
      if (name === 'next') return 0;
      const target = at.get(name);
      if (target === undefined) throw new EncodeError(i, `unknown label '${name}'`);
      const d = target - i - 1;
      if (d < 0 || d > 255) throw new EncodeError(i, `label '${name}' is ${d} instructions away`);
      return d;
    };
    out.push(
      assembleOne(
        { kind: 'jmp', cond: it.cond, src: 'k', k: it.k, jt: rel(it.t), jf: rel(it.f) },
        i,
      ),
    );
  }
  return out;
}
