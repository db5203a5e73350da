// `[ip|ip6] protochain N`: walk the IPv6 extension-header chain (hop-by-hop, destination options, routing,
// fragment) and AH headers looking for next-header N (libpcap gen_protochain). libpcap emits a backward loop;
// kernels reject backward jumps, so this lowering unrolls it: at most PROTOCHAIN_UNROLL headers are skipped.
// Verdicts equal libpcap's for every packet whose chain has at most that many skippable headers before the
// match or the end; a longer chain is rejected here (libpcap would keep walking).
import type { ProtoQual, Span } from '../ast.js';
import { fail } from '../errors.js';
import type { BlockId, Stmt } from '../ir.js';
import { ETHERTYPE, IPPROTO } from '../names.js';
import type { Ctx } from './context.js';
import { linktype } from './linktype.js';
import { type AddBlock, and, or, type Pred } from './pred.js';

/** Extension/AH headers skipped before giving up. */
export const PROTOCHAIN_UNROLL = 8;

/** Scratch word holding the next-header value while X advances. */
const MEM_NEXT = 0;

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
  return and(linktype(ctx, v6 ? ETHERTYPE.IPV6 : ETHERTYPE.IP, span), walk(nl, v, v6));
}

/** A = next header, X = offset of the header after the current one; the walk keeps both as libpcap does. */
function walk(n: number, v: number, v6: boolean): Pred {
  // Advance over the header at X: A = its next-header byte, X += (len+1)*8 for IPv6 extension headers. For AH,
  // libpcap 1.10 sets X = (len+2)*4, dropping the offset walked so far; verdicts must match, so we do the same.
  const advance = (plus: number, unit: number, cumulative: boolean): Stmt[] => [
    { kind: 'ldInd', size: 1, k: n },
    { kind: 'st', k: MEM_NEXT },
    { kind: 'ldInd', size: 1, k: n + 1 },
    { kind: 'alu', op: 'add', src: 'k', k: plus },
    { kind: 'alu', op: 'mul', src: 'k', k: unit },
    ...(cumulative ? [{ kind: 'alu', op: 'add', src: 'x' } as const] : []),
    { kind: 'tax' },
    { kind: 'ldMem', k: MEM_NEXT },
  ];
  const start: Stmt[] = v6
    ? [
        { kind: 'ldAbs', size: 1, k: n + 6 },
        { kind: 'ldxImm', k: 40 },
      ]
    : [
        { kind: 'ldAbs', size: 1, k: n + 9 },
        { kind: 'ldxMsh', k: n },
      ];
  return {
    kind: 'graph',
    build: (add: AddBlock, t: BlockId, f: BlockId): BlockId => {
      const branch = (stmts: Stmt[], k: number, yes: BlockId, no: BlockId) =>
        add(stmts, { kind: 'branch', cond: 'jeq', src: 'k', k, t: yes, f: no });
      // Built from the last iteration back to the first; `next` is the head of the following iteration.
      let next = f;
      for (let i = PROTOCHAIN_UNROLL; i >= 0; i--) {
        const pre = i === 0 ? start : [];
        if (i === PROTOCHAIN_UNROLL) {
          next = branch(pre, v, t, f);
          continue;
        }
        const head = next;
        const ah = branch(
          [],
          IPPROTO.AH,
          add(advance(2, 4, false), { kind: 'goto', target: head }),
          f,
        );
        let notFound = ah;
        if (v6) {
          const adv6 = add(advance(1, 8, true), { kind: 'goto', target: head });
          notFound = branch(
            [],
            IPPROTO.HOPOPTS,
            adv6,
            branch(
              [],
              IPPROTO.DSTOPTS,
              adv6,
              branch([], IPPROTO.ROUTING, adv6, branch([], IPPROTO.FRAGMENT, adv6, ah)),
            ),
          );
        }
        const none = branch([], IPPROTO.NONE, f, notFound);
        next = branch(pre, v, t, none);
      }
      return next;
    },
  };
}
