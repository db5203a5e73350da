// Loads relative to a header, as libpcap's gen_load_a: absolute when the header's offset is constant, else
// through X loaded from the register of its variable part. Offsets wrap like libpcap's u_int arithmetic
// (a NOT_SET part makes a nonsense offset, which libpcap emits as well).
import type { JumpCond, LoadSize } from '../../core/insn.js';
import type { Span } from '../ast.js';
import type { Stmt } from '../ir.js';
import { type Ctx, type Off, regOf } from './context.js';
import { and, type Pred, test } from './pred.js';

/** Where an offset counts from (libpcap enum e_offrel). */
export type Rel =
  /** the packet's first byte */
  | 'packet'
  /** the current link header (after `pppoes`, the PPP header; after `lane`, the Ethernet header) */
  | 'linkhdr'
  | 'prevlinkhdr'
  /** the link payload: the LLC header where there is one */
  | 'llc'
  /** the last MPLS label */
  | 'prevmpls'
  /** the network header */
  | 'linkpl'
  /** the OSI network header after an LLC header without SNAP */
  | 'nosnap'
  | 'linktype'
  /** the IPv4 transport header (after the header length the packet gives) */
  | 'tran4'
  /** the IPv6 transport header (right after the fixed header) */
  | 'tran6';

const NOSPAN: Span = [0, 0];

/** The header offset and the extra constant a relation adds to it. */
function base(ctx: Ctx, rel: Rel): { o: Off; add: number } {
  switch (rel) {
    case 'packet':
      return { o: { k: 0, v: null }, add: 0 };
    case 'linkhdr':
      return { o: ctx.offLinkHdr, add: 0 };
    case 'prevlinkhdr':
      return { o: ctx.offPrevLinkHdr, add: 0 };
    case 'llc':
      return { o: ctx.offLinkPl, add: 0 };
    case 'prevmpls':
      return { o: ctx.offLinkPl, add: ctx.offNl - 4 };
    case 'linkpl':
    case 'tran4':
      return { o: ctx.offLinkPl, add: ctx.offNl };
    case 'nosnap':
      return { o: ctx.offLinkPl, add: ctx.offNlNosnap };
    case 'linktype':
      return { o: ctx.offLinkType, add: 0 };
    case 'tran6':
      return { o: ctx.offLinkPl, add: ctx.offNl + 40 };
  }
}

/** X = the IPv4 header length plus the payload's variable part (libpcap gen_loadx_iphdrlen). */
export function loadxIpHdrLen(ctx: Ctx): Stmt[] {
  const pl = ctx.offLinkPl;
  const at = (pl.k + ctx.offNl) >>> 0;
  if (pl.v === null) return [{ kind: 'ldxMsh', k: at }];
  return [
    { kind: 'ldxMem', k: regOf(ctx, pl.v, NOSPAN) },
    { kind: 'ldInd', size: 1, k: at },
    { kind: 'alu', op: 'and', src: 'k', k: 0xf },
    { kind: 'alu', op: 'lsh', src: 'k', k: 2 },
    { kind: 'alu', op: 'add', src: 'x' },
    { kind: 'tax' },
  ];
}

/** Statements putting into X the variable part of `o` (none when it is constant). */
export function varPart(ctx: Ctx, o: Off): Stmt[] {
  return o.v === null ? [] : [{ kind: 'ldxMem', k: regOf(ctx, o.v, NOSPAN) }];
}

/** A = the `size`-byte field at `off` from the header `rel` (libpcap gen_load_a). */
export function loadAt(ctx: Ctx, rel: Rel, off: number, size: LoadSize): Stmt[] {
  const { o, add } = base(ctx, rel);
  const k = (o.k + add + off) >>> 0;
  if (rel === 'tran4') return [...loadxIpHdrLen(ctx), { kind: 'ldInd', size, k }];
  if (o.v === null) return [{ kind: 'ldAbs', size, k }];
  return [...varPart(ctx, o), { kind: 'ldInd', size, k }];
}

/** field `cond` k (libpcap gen_cmp, gen_cmp_gt, gen_cmp_ge). */
export function cmpAt(
  ctx: Ctx,
  rel: Rel,
  off: number,
  size: LoadSize,
  k: number,
  cond: JumpCond = 'jeq',
): Pred {
  return test(loadAt(ctx, rel, off, size), cond, k);
}

/** (field & mask) == k (libpcap gen_mcmp); a full mask needs no `and`. */
export function mcmpAt(
  ctx: Ctx,
  rel: Rel,
  off: number,
  size: LoadSize,
  mask: number,
  k: number,
): Pred {
  return ncmpAt(ctx, rel, off, size, mask, 'jeq', false, k);
}

/**
 * (field & mask) `cond` k, negated when `reverse` and the condition is an ordering (libpcap gen_ncmp: a
 * reversed equality stays an equality there, and verdicts must match).
 */
export function ncmpAt(
  ctx: Ctx,
  rel: Rel,
  off: number,
  size: LoadSize,
  mask: number,
  cond: JumpCond,
  reverse: boolean,
  k: number,
): Pred {
  const full = size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
  const stmts = loadAt(ctx, rel, off, size);
  if ((mask & full) >>> 0 !== full) stmts.push({ kind: 'alu', op: 'and', src: 'k', k: mask >>> 0 });
  const t = test(stmts, cond, k);
  return reverse && (cond === 'jgt' || cond === 'jge') ? { kind: 'not', p: t } : t;
}

/** field & bits != 0 (libpcap's JSET blocks). */
export function jsetAt(ctx: Ctx, rel: Rel, off: number, size: LoadSize, bits: number): Pred {
  return test(loadAt(ctx, rel, off, size), 'jset', bits);
}

/** The bytes at `off` equal `bytes`: 4-, then 2-, then 1-byte compares from the end (libpcap gen_bcmp). */
export function bcmpAt(ctx: Ctx, rel: Rel, off: number, bytes: readonly number[]): Pred {
  const parts: Pred[] = [];
  let n = bytes.length;
  const be = (i: number, len: number) => {
    let v = 0;
    for (let j = 0; j < len; j++) v = ((v << 8) | (bytes[i + j] as number)) >>> 0;
    return v;
  };
  while (n >= 4) {
    parts.push(cmpAt(ctx, rel, off + n - 4, 4, be(n - 4, 4)));
    n -= 4;
  }
  while (n >= 2) {
    parts.push(cmpAt(ctx, rel, off + n - 2, 2, be(n - 2, 2)));
    n -= 2;
  }
  if (n > 0) parts.push(cmpAt(ctx, rel, off, 1, bytes[0] as number));
  return and(...parts);
}
