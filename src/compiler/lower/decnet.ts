// DECnet Phase IV host tests (libpcap gen_dnhostop): data packets with 0 or 1 byte of padding, long or short
// header. Addresses are 16-bit little-endian in the packet (area << 10 | node), so libpcap compares
// byte-swapped values; the flags are tested the same way.
import type { DirQual, Span } from '../ast.js';
import { ETHERTYPE } from '../names.js';
import type { Ctx } from './context.js';
import { byDir } from './dir.js';
import { linktype } from './linktype.js';
import { cmpAt, mcmpAt } from './load.js';
import { and, or, type Pred } from './pred.js';

const swap16 = (v: number) => ((v & 0xff) << 8) | ((v >>> 8) & 0xff);

/** `a.n` as libpcap's __pcap_atodn reads it: a 6-bit area and a 10-bit node. */
export function dnAddress(area: number, node: number): number {
  return ((area << 10) & 0xfc00) | (node & 0x3ff);
}

function oneDir(ctx: Ctx, addr: number, src: boolean, span: Span): Pred {
  // Offsets of the address after the flags byte, in short and long data headers.
  const sh = src ? 3 : 1;
  const lh = src ? 15 : 7;
  const a = swap16(addr & 0xffff);
  // Short header without and with a pad byte, then long header likewise (libpcap's order, which decides
  // which load stops the run on a short packet).
  const cases = or(
    and(mcmpAt(ctx, 'linkpl', 2, 1, 0x07, 0x02), cmpAt(ctx, 'linkpl', 2 + sh, 2, a)),
    and(mcmpAt(ctx, 'linkpl', 2, 2, 0xff07, 0x8102), cmpAt(ctx, 'linkpl', 2 + 1 + sh, 2, a)),
    and(mcmpAt(ctx, 'linkpl', 2, 1, 0x07, 0x06), cmpAt(ctx, 'linkpl', 2 + lh, 2, a)),
    and(mcmpAt(ctx, 'linkpl', 2, 2, 0xff07, 0x8106), cmpAt(ctx, 'linkpl', 2 + 1 + lh, 2, a)),
  );
  return and(linktype(ctx, ETHERTYPE.DN, span), cases);
}

/** `decnet [dir] host a.n` */
export function dnHost(ctx: Ctx, addr: number, dir: DirQual | null, span: Span): Pred {
  return byDir(
    dir,
    () => oneDir(ctx, addr, true, span),
    () => oneDir(ctx, addr, false, span),
    span,
  );
}
