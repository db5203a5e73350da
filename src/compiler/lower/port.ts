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

/**
 * The protocol field (at `at` in the network header) is one of the transports and `rest` holds: the
 * protocols tested first and `rest` once, or, in libpcap's shape (LowerOptions.portsPerTransport), the
 * protocol and `rest` once per transport, as gen_portop builds them.
 */
function anyTransport(ctx: Ctx, proto: PortProto, at: number, rest: () => Pred): Pred {
  const is = (p: number) => cmpAt(ctx, 'linkpl', at, 1, p);
  if (ctx.portsPerTransport) return or(...protos(proto).map((p) => and(is(p), rest())));
  if (proto === null) ctx.sharedPortTests = true;
  return and(or(...protos(proto).map(is)), rest());
}

/** The transport header's ports as `dir` names them (after IPv6 with `v6`, else IPv4). */
function portsByDir(ctx: Ctx, dir: DirQual | null, atom: Atom, v6: boolean, span: Span): Pred {
  return byDir(
    dir,
    () => atom(ctx, 0, v6),
    () => atom(ctx, 2, v6),
    span,
  );
}

/** The IPv4 half (libpcap gen_port / gen_portrange). */
export function ports4(
  ctx: Ctx,
  proto: PortProto,
  dir: DirQual | null,
  atom: Atom,
  span: Span,
): Pred {
  return and(
    linktype(ctx, ETHERTYPE.IP, span),
    anyTransport(ctx, proto, 9, () =>
      and(ipFirstFragment(ctx), portsByDir(ctx, dir, atom, false, span)),
    ),
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
  return and(
    linktype(ctx, ETHERTYPE.IPV6, span),
    anyTransport(ctx, proto, 6, () => portsByDir(ctx, dir, atom, true, span)),
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
