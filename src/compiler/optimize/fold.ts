// Constant propagation and folding: an ALU result (or a scratch reload) known on every path becomes `ld #k`,
// an X operand known constant becomes an immediate, and a test decided on every path into its block (by
// constants or by what earlier tests proved) becomes a goto.
import type { Block, Stmt } from '../ir.js';
import { operandOf } from './dataflow.js';
import { decide, type Facts } from './facts.js';
import { gotoTerm, testLike, uniform } from './graph.js';
import type { Regs, Values } from './values.js';

/** Operand constants the Linux validator refuses (÷0, shifts ≥ 32) stay in X. */
const kAllowed = (op: string, k: number) =>
  !((op === 'div' || op === 'mod') && k === 0) && !((op === 'lsh' || op === 'rsh') && k >= 32);

/** `s` rewritten to a more constant form, given registers `before` and `after` it. */
export function folded(v: Values, s: Stmt, before: Regs, after: Regs): Stmt {
  const a = v.constOf(after.A);
  if (
    (s.kind === 'alu' || s.kind === 'neg' || s.kind === 'ldMem' || s.kind === 'txa') &&
    a !== undefined
  )
    return uniform({ kind: 'ldImm', k: a });
  const x = v.constOf(after.X);
  if ((s.kind === 'ldxMem' || s.kind === 'tax') && x !== undefined)
    return uniform({ kind: 'ldxImm', k: x });
  const bx = v.constOf(before.X);
  if (s.kind === 'alu' && s.src === 'x' && bx !== undefined && kAllowed(s.op, bx))
    return uniform({ kind: 'alu', op: s.op, src: 'k', k: bx });
  // `[x + k]` with X known is `[c + k]` (below 2^31: Linux reads negative offsets as ancillary areas).
  if (
    s.kind === 'ldInd' &&
    bx !== undefined &&
    bx + s.k < 0x80000000 &&
    v.strength !== 'equalities'
  )
    return uniform({ kind: 'ldAbs', size: s.size, k: bx + s.k });
  return s;
}

/** Folds block `b`'s test, given the facts on entry and the registers before it; true if it changed. */
export function foldTest(v: Values, b: Block, facts: Facts, r: Regs): boolean {
  const t = b.term;
  if (t.kind !== 'branch') return false;
  const d = decide(v, facts, t.cond, r.A, operandOf(v, t, r));
  if (d !== undefined) {
    b.term = gotoTerm(d ? t.t : t.f);
    return true;
  }
  if (t.src === 'x' && v.constOf(r.X) !== undefined) {
    b.term = testLike(t, t.t, t.f, t.cond, v.constOf(r.X)!, 'k');
    return true;
  }
  return false;
}
