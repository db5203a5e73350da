// `[ip|ip6] protochain N` (libpcap gen_protochain): the IP header's protocol is N, or the header chain behind
// it reaches N past IPv6 extension headers and AH. The walk over the chain is one statement (walk.ts), which
// the emitter unrolls WALK_DEPTH headers deep: verdicts equal libpcap's for every packet whose chain has at
// most that many skippable headers before the match or the end; a longer chain is rejected here (libpcap
// would keep walking).
import type { ProtoQual, Span } from '../ast.js';
import { fail } from '../errors.js';
import { ETHERTYPE } from '../names.js';
import { skipped } from '../walk.js';
import { type Ctx, nl } from './context.js';
import { and, or, type Pred, test } from './pred.js';

/** Scratch words holding each IP version's walk result, high so arithmetic's (from M[0] up) rarely meets them. */
const SLOT_V6 = 15;
const SLOT_V4 = 14;

export function protochain(ctx: Ctx, v: number, proto: ProtoQual | null, span: Span): Pred {
  ctx.noOptimize = true;
  switch (proto) {
    case null:
      return or(protochain(ctx, v, 'ip', span), protochain(ctx, v, 'ip6', span));
    case 'ip':
      return and(ctx.link.linktype(ctx, ETHERTYPE.IP, span), walk(nl(ctx), v, false));
    case 'ip6':
      return and(ctx.link.linktype(ctx, ETHERTYPE.IPV6, span), walk(nl(ctx), v, true));
    default:
      return fail('BAD_QUALIFIER', "bad protocol applied for 'protochain'", span);
  }
}

/** The walk, then `A == v`. The walk stops at v only where v is a header it would skip. */
function walk(n: number, v: number, v6: boolean): Pred {
  const stop = skipped(v6).includes(v) ? v : -1;
  return test([{ kind: 'walk', v6, nl: n, stop, slot: v6 ? SLOT_V6 : SLOT_V4 }], 'jeq', v);
}
