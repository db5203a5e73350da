// IPv6 address tests (libpcap gen_host6 / gen_hostop6): four masked 32-bit compares, every word loaded as libpcap does.
import type { DirQual, ProtoQual, Span } from '../ast.js';
import { fail } from '../errors.js';
import { ETHERTYPE } from '../names.js';
import type { Ctx } from './context.js';
import { byDir } from './dir.js';
import { linktype } from './linktype.js';
import { mcmpAt } from './load.js';
import { and, type Pred } from './pred.js';

const word = (b: readonly number[], i: number) =>
  (((b[i] as number) << 24) |
    ((b[i + 1] as number) << 16) |
    ((b[i + 2] as number) << 8) |
    (b[i + 3] as number)) >>>
  0;

/** 16-byte mask of a prefix length. */
export function prefixMask(len: number): number[] {
  // A loop: Array.from with a function cost a microsecond a call (every IPv6 host and net makes one).
  const mask: number[] = [];
  for (let i = 0; i < 16; i++)
    mask.push(len >= (i + 1) * 8 ? 0xff : len <= i * 8 ? 0 : (0xff << (8 - (len - i * 8))) & 0xff);
  return mask;
}

export function ipv6Host(
  ctx: Ctx,
  addr: readonly number[],
  mask: readonly number[],
  proto: ProtoQual | null,
  dir: DirQual | null,
  span: Span,
): Pred {
  if (proto !== null && proto !== 'ip6') {
    return fail(
      'BAD_QUALIFIER',
      proto === 'ip'
        ? `'ip' modifier applied to ip6 host`
        : `'${proto}' modifier applied to ip6 host`,
      span,
    );
  }
  const one = (off: number) => {
    const words = [0, 1, 2, 3].map((w) =>
      mcmpAt(
        ctx,
        'linkpl',
        off + 4 * w,
        4,
        word(mask, 4 * w),
        word(addr, 4 * w) & word(mask, 4 * w),
      ),
    );
    return and(linktype(ctx, ETHERTYPE.IPV6, span), ...words);
  };
  return byDir(
    dir,
    () => one(8),
    () => one(24),
    span,
  );
}
