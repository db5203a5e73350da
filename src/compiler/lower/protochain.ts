// `protochain N`: placeholder until the unrolled walk lands.
import type { ProtoQual, Span } from '../ast.js';
import { fail } from '../errors.js';
import type { Ctx } from './context.js';
import type { Pred } from './pred.js';

export function protochain(_ctx: Ctx, _v: number, _proto: ProtoQual | null, span: Span): Pred {
  return fail('UNSUPPORTED', 'protochain is not supported yet', span);
}
