// SS7 keywords for MTP2 captures (DLT_MTP2, DLT_MTP2_WITH_PHDR, DLT_ERF): signal units by length indicator
// (`fisu`, `lssu`, `msu`, and `h...` for high-speed links with a 9-bit indicator) and MTP3 routing label
// fields (`sio`, `opc`, `dpc`, `sls`, `h...` three bytes later), at fixed offsets from the packet start
// (libpcap gen_mtp2type_abbrev, gen_mtp3field_code).
import type { Expr, KeywordName, Span } from '../ast.js';
import { fail } from '../errors.js';
import { relJump } from './atm.js';
import type { Ctx } from './context.js';
import { ncmpAt } from './load.js';
import { and, or, type Pred } from './pred.js';

/** Where the MTP2 header starts: after a 4-byte pseudo-header, or ERF's 20-byte header. */
const BASE: Readonly<Record<number, number>> = { 140: 0, 139: 4, 197: 20 };

export function mtp2Keyword(ctx: Ctx, name: KeywordName, span: Span): Pred {
  const base = BASE[ctx.link.dlt];
  const high = name.startsWith('h');
  if (base === undefined)
    fail(
      'UNSUPPORTED_FOR_LINKTYPE',
      `'${name}' supported only on ${high ? 'MTP2_HSL' : 'MTP2'}`,
      span,
    );
  const b = base as number;
  // The length indicator: 6 bits at 2, or 9 bits of the 16 at 4.
  const li = (cond: 'jeq' | 'jgt', reverse: boolean, k: number) =>
    high
      ? ncmpAt(ctx, 'packet', b + 4, 2, 0xff80, cond, reverse, k)
      : ncmpAt(ctx, 'packet', b + 2, 1, 0x3f, cond, reverse, k);
  const two = high ? 0x0100 : 2;
  switch (name) {
    case 'fisu':
    case 'hfisu':
      return li('jeq', false, 0);
    case 'lssu':
    case 'hlssu':
      return and(li('jgt', false, 0), li('jgt', true, two));
    default:
      return li('jgt', false, two);
  }
}

/** MTP3 routing label fields: offset after the MTP2 base, load size, mask, largest value, encoding. */
const MTP3: Readonly<
  Record<
    string,
    { off: number; size: 1 | 4; mask: number; max: number; enc: (v: number) => number }
  >
> = {
  sio: { off: 3, size: 1, mask: 0xffffffff, max: 255, enc: (v) => v },
  // Point codes are 14 bits, stored little-endian across bit boundaries.
  opc: {
    off: 4,
    size: 4,
    mask: 0x00c0ff0f,
    max: 16383,
    enc: (v) => ((v & 0x3c00) >>> 10) + ((v & 0x3fc) << 6) + ((v & 0x3) << 22),
  },
  dpc: {
    off: 4,
    size: 4,
    mask: 0xff3f0000,
    max: 16383,
    enc: (v) => (((v & 0xff) << 24) + ((v & 0x3f00) << 8)) >>> 0,
  },
  sls: { off: 7, size: 1, mask: 0xf0, max: 15, enc: (v) => v << 4 },
};

export function mtp3FieldExpr(ctx: Ctx, e: Extract<Expr, { kind: 'field' }>): Pred {
  const high = e.field.startsWith('h');
  const name = high ? e.field.slice(1) : e.field;
  const f = MTP3[name] as (typeof MTP3)[string];
  const base = BASE[ctx.link.dlt];
  const { cond, reverse } = relJump(e.op);
  return or(
    ...e.values.map((v) => {
      if (base === undefined)
        fail('UNSUPPORTED_FOR_LINKTYPE', `'${name}' supported only on SS7`, e.span);
      if (v > f.max)
        fail('OUT_OF_RANGE', `${name} value ${v} too big; max value = ${f.max}`, e.span);
      const off = (base as number) + f.off + (high ? 3 : 0);
      return ncmpAt(ctx, 'packet', off, f.size, f.mask, cond, reverse, f.enc(v) >>> 0);
    }),
  );
}
