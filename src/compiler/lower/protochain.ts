// `[ip|ip6] protochain N` (libpcap gen_protochain): the IP header's protocol is N, or the header chain behind
// it reaches N past IPv6 extension headers and AH. The walk over the chain is one statement (walk.ts), which
// the emitter unrolls WALK_DEPTH headers deep: verdicts equal libpcap's for every packet whose chain has at
// most that many skippable headers before the match or the end; a longer chain is rejected here (libpcap
// would keep walking).
import type { ProtoQual, Span } from '../ast.js';
import { fail } from '../errors.js';
import { ETHERTYPE } from '../names.js';
import { skipped } from '../walk.js';
import { allocReg, type Ctx } from './context.js';
import { linktype } from './linktype.js';
import { and, or, type Pred, test } from './pred.js';

/**
 * The scratch word holding an IP version's walk result, taken once per lowering as variable offsets take
 * theirs: every protochain of one version shares it, so a later one can read an earlier walk's result.
 */
const slots = new WeakMap<Ctx, { v4?: number; v6?: number }>();

function slotFor(ctx: Ctx, v6: boolean, span: Span): number {
  let s = slots.get(ctx);
  if (!s) {
    s = {};
    slots.set(ctx, s);
  }
  if (v6) {
    s.v6 ??= allocReg(ctx, span);
    return s.v6;
  }
  s.v4 ??= allocReg(ctx, span);
  return s.v4;
}

export function protochain(ctx: Ctx, v: number, proto: ProtoQual | null, span: Span): Pred {
  if (proto === null) return or(protochain(ctx, v, 'ip', span), protochain(ctx, v, 'ip6', span));
  if (proto !== 'ip' && proto !== 'ip6')
    return fail('BAD_QUALIFIER', "bad protocol applied for 'protochain'", span);
  if (ctx.offLinkPl.v !== null)
    return fail(
      'UNSUPPORTED_FOR_LINKTYPE',
      "'protochain' not supported with variable length headers",
      span,
    );
  ctx.noOptimize = true;
  const nl = (ctx.offLinkPl.k + ctx.offNl) >>> 0;
  const v6 = proto === 'ip6';
  const slot = slotFor(ctx, v6, span);
  return and(linktype(ctx, v6 ? ETHERTYPE.IPV6 : ETHERTYPE.IP, span), walk(nl, v, v6, slot));
}

/** The walk, then `A == v`. The walk stops at v only where v is a header it would skip. */
function walk(n: number, v: number, v6: boolean, slot: number): Pred {
  const stop = skipped(v6).includes(v) ? v : -1;
  return test([{ kind: 'walk', v6, nl: n, stop, slot }], 'jeq', v);
}
