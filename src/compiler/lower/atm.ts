// SunATM keywords (libpcap gen_atmtype_abbrev, gen_atmmulti_abbrev, gen_atmfield_code): circuits by VPI/VCI
// (`metac`, `bcc`, `sc`, `ilmic`, `oamf4` ...), Q.2931 signalling messages (`connectmsg`, `metaconnect`), `vpi`
// and `vci` relations, and `lane`, after which tests look at the LANE-encapsulated Ethernet frame. The fields
// are read relative to the current link header, as libpcap does (after `lane` too).
import type { Expr, KeywordName, RelOp, Span } from '../ast.js';
import { fail } from '../errors.js';
import type { Ctx } from './context.js';
import { SUNATM } from './link/atm.js';
import { en10mb } from './link/en10mb.js';
import { ncmpAt } from './load.js';
import { and, or, type Pred } from './pred.js';

/** relop/irelop as libpcap's grammar passes them: a jump and whether the test is reversed. */
export function relJump(op: RelOp): { cond: 'jeq' | 'jgt' | 'jge'; reverse: boolean } {
  switch (op) {
    case '>':
      return { cond: 'jgt', reverse: false };
    case '>=':
      return { cond: 'jge', reverse: false };
    case '=':
      return { cond: 'jeq', reverse: false };
    case '<=':
      return { cond: 'jgt', reverse: true };
    case '<':
      return { cond: 'jge', reverse: true };
    case '!=':
      return { cond: 'jeq', reverse: true };
  }
}

function atmOnly(ctx: Ctx, what: string, span: Span): void {
  if (!ctx.isAtm) fail('UNSUPPORTED_FOR_LINKTYPE', `'${what}' supported only on raw ATM`, span);
}

/** VPI or VCI `op` v (libpcap gen_atmfield_code: a reversed equality stays an equality there). */
function atmField(ctx: Ctx, field: 'vpi' | 'vci', op: RelOp, v: number, span: Span): Pred {
  atmOnly(ctx, field, span);
  const { cond, reverse } = relJump(op);
  return field === 'vpi'
    ? ncmpAt(ctx, 'linkhdr', SUNATM.VPI, 1, 0xffffffff, cond, reverse, v)
    : ncmpAt(ctx, 'linkhdr', SUNATM.VCI, 2, 0xffffffff, cond, reverse, v);
}

const vpiVci = (ctx: Ctx, vpi: number, vci: number, span: Span) =>
  and(atmField(ctx, 'vpi', '=', vpi, span), atmField(ctx, 'vci', '=', vci, span));

/** Q.2931 message types (the message type byte, 5 into the signalling PDU). */
const MSG = {
  SETUP: 0x05,
  CALL_PROCEED: 0x02,
  CONNECT: 0x07,
  CONNECT_ACK: 0x0f,
  RELEASE: 0x4d,
  RELEASE_DONE: 0x5a,
};

function msg(ctx: Ctx, type: number): Pred {
  return ncmpAt(ctx, 'linkhdr', SUNATM.PAYLOAD + 5, 1, 0xffffffff, 'jeq', false, type);
}

export function atmKeyword(ctx: Ctx, name: KeywordName, span: Span): Pred {
  switch (name) {
    case 'metac':
      atmOnly(ctx, name, span);
      return vpiVci(ctx, 0, 1, span);
    case 'bcc':
      atmOnly(ctx, name, span);
      return vpiVci(ctx, 0, 2, span);
    case 'oamf4sc':
      atmOnly(ctx, 'oam4sc', span);
      return vpiVci(ctx, 0, 3, span);
    case 'oamf4ec':
      atmOnly(ctx, 'oam4ec', span);
      return vpiVci(ctx, 0, 4, span);
    case 'sc':
      atmOnly(ctx, name, span);
      return vpiVci(ctx, 0, 5, span);
    case 'ilmic':
      atmOnly(ctx, name, span);
      return vpiVci(ctx, 0, 16, span);
    case 'oam':
    case 'oamf4':
      // OAM F4 cells: segment or end-to-end.
      atmOnly(ctx, name, span);
      return and(
        atmField(ctx, 'vpi', '=', 0, span),
        or(atmField(ctx, 'vci', '=', 3, span), atmField(ctx, 'vci', '=', 4, span)),
      );
    case 'connectmsg':
    case 'metaconnect': {
      atmOnly(ctx, name, span);
      // libpcap builds the alternatives by prepending, so the last one is tested first.
      const types =
        name === 'connectmsg'
          ? [
              MSG.RELEASE_DONE,
              MSG.RELEASE,
              MSG.CONNECT_ACK,
              MSG.CONNECT,
              MSG.SETUP,
              MSG.CALL_PROCEED,
            ]
          : [MSG.RELEASE_DONE, MSG.RELEASE, MSG.CONNECT, MSG.SETUP, MSG.CALL_PROCEED];
      const circuit = name === 'connectmsg' ? vpiVci(ctx, 0, 5, span) : vpiVci(ctx, 0, 1, span);
      return and(circuit, or(...types.map((t) => msg(ctx, t))));
    }
    case 'lane': {
      atmOnly(ctx, name, span);
      const p = ncmpAt(ctx, 'linkhdr', SUNATM.PROTO, 1, 0x0f, 'jeq', false, SUNATM.PT_LANE);
      // LANE carries Ethernet after a 2-byte LE header (libpcap assumes Ethernet, not token ring).
      const hdr = { k: SUNATM.PAYLOAD + 2, v: null };
      ctx.prevLink = ctx.link;
      ctx.offPrevLinkHdr = ctx.offLinkHdr;
      ctx.link = en10mb;
      ctx.isGeneve = false;
      ctx.offLinkHdr = hdr;
      ctx.offLinkType = { k: hdr.k + 12, v: null };
      ctx.offLinkPl = { k: hdr.k + 14, v: null };
      ctx.offNl = 0;
      ctx.offNlNosnap = 3;
      return p;
    }
    default:
      return fail('UNSUPPORTED', `'${name}' is not supported by cbpf`, span);
  }
}

/** `vpi ...` / `vci ...` */
export function atmFieldExpr(ctx: Ctx, e: Extract<Expr, { kind: 'field' }>): Pred {
  const field = e.field as 'vpi' | 'vci';
  return or(...e.values.map((v) => atmField(ctx, field, e.op, v, e.span)));
}
