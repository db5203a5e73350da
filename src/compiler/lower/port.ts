// TCP/UDP/SCTP port and port-range tests (libpcap gen_port/gen_port6/gen_portrange*): IPv4 only on the first
// fragment with the real header length (ldxb 4*([nl]&0xf)); IPv6 only with the transport header right after
// the fixed header.
import type { DirQual, Span } from '../ast.js';
import { ETHERTYPE, IPPROTO } from '../names.js';
import type { Ctx } from './context.js';
import { byDir } from './dir.js';
import { ipFirstFragment } from './ip.js';
import { linktype } from './linktype.js';
import { cmpAt, loadAt } from './load.js';
import { and, not, or, type Pred, test } from './pred.js';

/** Which transports a port test covers; null = tcp, udp and sctp (libpcap PROTO_UNDEF). */
export type PortProto = 6 | 17 | 132 | null;

type Atom = (ctx: Ctx, off: number, v6: boolean) => Pred;

function portLoad(ctx: Ctx, off: number, v6: boolean) {
  return loadAt(ctx, v6 ? 'tran6' : 'tran4', off, 2);
}

function protos(proto: PortProto): number[] {
  return proto === null ? [IPPROTO.SCTP, IPPROTO.TCP, IPPROTO.UDP] : [proto];
}

/** The IPv4 half (libpcap gen_port / gen_portrange). */
export function ports4(
  ctx: Ctx,
  proto: PortProto,
  dir: DirQual | null,
  atom: Atom,
  span: Span,
): Pred {
  const rest = () =>
    and(
      ipFirstFragment(ctx),
      byDir(
        dir,
        () => atom(ctx, 0, false),
        () => atom(ctx, 2, false),
        span,
      ),
    );
  const proto4 = (p: number) => cmpAt(ctx, 'linkpl', 9, 1, p);
  if (proto === null && !ctx.portsPerTransport) ctx.sharedPortTests = true;
  return and(
    linktype(ctx, ETHERTYPE.IP, span),
    ctx.portsPerTransport
      ? or(...protos(proto).map((p) => and(proto4(p), rest())))
      : and(or(...protos(proto).map(proto4)), rest()),
  );
}

/** The IPv6 half (libpcap gen_port6 / gen_portrange6). */
export function ports6(
  ctx: Ctx,
  proto: PortProto,
  dir: DirQual | null,
  atom: Atom,
  span: Span,
): Pred {
  const rest = () =>
    byDir(
      dir,
      () => atom(ctx, 0, true),
      () => atom(ctx, 2, true),
      span,
    );
  const proto6 = (p: number) => cmpAt(ctx, 'linkpl', 6, 1, p);
  if (proto === null && !ctx.portsPerTransport) ctx.sharedPortTests = true;
  return and(
    linktype(ctx, ETHERTYPE.IPV6, span),
    ctx.portsPerTransport
      ? or(...protos(proto).map((p) => and(proto6(p), rest())))
      : and(or(...protos(proto).map(proto6)), rest()),
  );
}

/** A port equals `port`. */
export const portAtom =
  (port: number): Atom =>
  (c, off, v6) =>
    test(portLoad(c, off, v6), 'jeq', port);

function ports(ctx: Ctx, proto: PortProto, dir: DirQual | null, atom: Atom, span: Span): Pred {
  // libpcap tries IPv6 first; the two are exclusive, so the order only mirrors its load order.
  const v4 = ports4(ctx, proto, dir, atom, span);
  const v6 = ports6(ctx, proto, dir, atom, span);
  return or(v6, v4);
}

/** `[tcp|udp|sctp] [dir] port N` */
export function portTest(
  ctx: Ctx,
  port: number,
  proto: PortProto,
  dir: DirQual | null,
  span: Span,
): Pred {
  return ports(ctx, proto, dir, portAtom(port), span);
}

/** `[tcp|udp|sctp] [dir] portrange lo-hi` (bounds swapped when reversed, as libpcap). */
export function portRangeTest(
  ctx: Ctx,
  lo: number,
  hi: number,
  proto: PortProto,
  dir: DirQual | null,
  span: Span,
): Pred {
  const [a, b] = lo <= hi ? [lo, hi] : [hi, lo];
  return ports(
    ctx,
    proto,
    dir,
    (c, off, v6) =>
      and(test(portLoad(c, off, v6), 'jge', a), not(test(portLoad(c, off, v6), 'jgt', b))),
    span,
  );
}
