// What the relation lowerings (arith.ts, and arith-lp.ts in libpcap's mode) work in; a module of its own
// so that the two import it rather than each other.
import type { Span } from '../ast.js';
import type { Ctx } from './context.js';
import type { Pred } from './pred.js';

export interface ArithEnv {
  readonly ctx: Ctx;
  /** The protocol test of `tcp`, `udp` ... alone (libpcap gen_proto_abbrev), used as a load's guard. */
  readonly abbrev: (proto: string, span: Span) => Pred;
}
