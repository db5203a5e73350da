// Relations `expr relop expr` over packet loads, `len` and constants (libpcap gen_load, gen_arth, gen_relation):
// constants fold; the protocol checks of every load run first, in libpcap's order, then the computation.
import type { AluOp } from '../../core/insn.js';
import type { Arith, ArithOp, Expr, Span } from '../ast.js';
import { fail } from '../errors.js';
import type { Stmt } from '../ir.js';
import { ETHERTYPE, IPPROTO } from '../names.js';
import { type Ctx, nl } from './context.js';
import { ipFirstFragment } from './ip.js';
import { and, cmp, FALSE, not, type Pred, TRUE, test } from './pred.js';

type Val =
  | { readonly kind: 'const'; readonly v: number }
  | { readonly kind: 'code'; readonly stmts: Stmt[] };

/** Scratch words M[0..15]. */
const MEMWORDS = 16;

const ALU: Record<ArithOp, AluOp> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '%': 'mod',
  '&': 'and',
  '|': 'or',
  '^': 'xor',
  '<<': 'lsh',
  '>>': 'rsh',
};

function fold(op: ArithOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return (a + b) >>> 0;
    case '-':
      return (a - b) >>> 0;
    case '*':
      return Math.imul(a, b) >>> 0;
    case '/':
      return Math.floor(a / b) >>> 0;
    case '%':
      return (a % b) >>> 0;
    case '&':
      return (a & b) >>> 0;
    case '|':
      return (a | b) >>> 0;
    case '^':
      return (a ^ b) >>> 0;
    case '<<':
      return (a << b) >>> 0;
    case '>>':
      return a >>> b;
  }
}

const toCode = (v: Val): Stmt[] => (v.kind === 'const' ? [{ kind: 'ldImm', k: v.v }] : v.stmts);

/** Transport protocols whose loads are relative to the IPv4 header length (libpcap: IPv4 only). */
const TRANSPORT: Record<string, number> = {
  tcp: IPPROTO.TCP,
  udp: IPPROTO.UDP,
  sctp: IPPROTO.SCTP,
  icmp: IPPROTO.ICMP,
  igmp: IPPROTO.IGMP,
  igrp: IPPROTO.IGRP,
  pim: IPPROTO.PIM,
  vrrp: IPPROTO.VRRP,
  carp: IPPROTO.CARP,
};

export interface ArithEnv {
  readonly ctx: Ctx;
  /** The protocol test of `tcp`, `udp` ... alone (libpcap gen_proto_abbrev), used as a load's guard. */
  readonly abbrev: (proto: string, span: Span) => Pred;
}

function val(env: ArithEnv, e: Arith, d: number, checks: Pred[]): Val {
  switch (e.kind) {
    case 'const':
      return { kind: 'const', v: e.value >>> 0 };
    case 'len':
      return { kind: 'code', stmts: [{ kind: 'ldLen' }] };
    case 'neg': {
      const v = val(env, e.expr, d, checks);
      return v.kind === 'const'
        ? { kind: 'const', v: -v.v >>> 0 }
        : { kind: 'code', stmts: [...v.stmts, { kind: 'neg' }] };
    }
    case 'binop': {
      const l = val(env, e.left, d, checks);
      // libpcap gen_arth keeps only the left operand's protocol checks (`1 + ip[3]` loads with no IPv4 test);
      // verdicts must match, so the right operand's checks are dropped too.
      const r = val(env, e.right, d + 1, []);
      if (r.kind === 'const') {
        if ((e.op === '/' || e.op === '%') && r.v === 0)
          fail('OUT_OF_RANGE', e.op === '/' ? 'division by zero' : 'modulus by zero', e.right.span);
        if ((e.op === '<<' || e.op === '>>') && r.v > 31)
          fail('OUT_OF_RANGE', 'shift by more than 31 bits', e.right.span);
        if (l.kind === 'const') return { kind: 'const', v: fold(e.op, l.v, r.v) };
        return {
          kind: 'code',
          stmts: [...l.stmts, { kind: 'alu', op: ALU[e.op], src: 'k', k: r.v }],
        };
      }
      if (d >= MEMWORDS)
        fail('TOO_COMPLEX', 'expression needs more than 16 scratch memory words', e.span);
      return {
        kind: 'code',
        stmts: [
          ...toCode(l),
          { kind: 'st', k: d },
          ...r.stmts,
          { kind: 'tax' },
          { kind: 'ldMem', k: d },
          { kind: 'alu', op: ALU[e.op], src: 'x' },
        ],
      };
    }
    case 'load':
      return load(env, e, d, checks);
  }
}

function load(env: ArithEnv, e: Extract<Arith, { kind: 'load' }>, d: number, checks: Pred[]): Val {
  const { ctx } = env;
  const n = nl(ctx);
  const size = e.size;
  const transport = TRANSPORT[e.proto];
  if (transport !== undefined) {
    // libpcap: IPv4, then the index's own guards, then `tcp`-alone, then first fragment only.
    checks.push(ctx.link.linktype(ctx, ETHERTYPE.IP, e.span));
    const off = val(env, e.offset, d, checks);
    checks.push(env.abbrev(e.proto, e.span), ipFirstFragment(ctx));
    if (off.kind === 'const')
      return {
        kind: 'code',
        stmts: [
          { kind: 'ldxMsh', k: n },
          { kind: 'ldInd', size, k: (n + off.v) >>> 0 },
        ],
      };
    if (d >= MEMWORDS)
      fail('TOO_COMPLEX', 'expression needs more than 16 scratch memory words', e.span);
    return {
      kind: 'code',
      stmts: [
        ...off.stmts,
        { kind: 'st', k: d },
        { kind: 'ldxMsh', k: n },
        { kind: 'ldMem', k: d },
        { kind: 'alu', op: 'add', src: 'x' },
        { kind: 'tax' },
        { kind: 'ldInd', size, k: n },
      ],
    };
  }
  let base: number;
  let guard: Pred = TRUE;
  switch (e.proto) {
    case 'link':
    case 'ether':
      base = ctx.offLinkHdr;
      break;
    case 'ip':
      base = n;
      guard = ctx.link.linktype(ctx, ETHERTYPE.IP, e.span);
      break;
    case 'ip6':
      base = n;
      guard = ctx.link.linktype(ctx, ETHERTYPE.IPV6, e.span);
      break;
    case 'arp':
      base = n;
      guard = ctx.link.linktype(ctx, ETHERTYPE.ARP, e.span);
      break;
    case 'rarp':
      base = n;
      guard = ctx.link.linktype(ctx, ETHERTYPE.REVARP, e.span);
      break;
    case 'icmp6':
      base = n + 40;
      guard = and(ctx.link.linktype(ctx, ETHERTYPE.IPV6, e.span), cmp(n + 6, 1, IPPROTO.ICMPV6));
      break;
    default:
      return fail('UNSUPPORTED', `'${e.proto}[...]' is not supported by cbpf`, e.span);
  }
  const off = val(env, e.offset, d, checks);
  checks.push(guard);
  // A constant offset is loaded through X, as libpcap does: the optimizer's full run makes it `[base + k]`,
  // while its libpcap-strength run (rejects-all) keeps it apart from the plain loads of protocol tests, as
  // libpcap's does (`ip proto 17 and ip[9] = 6` compiles there).
  if (off.kind === 'const')
    return {
      kind: 'code',
      stmts: [
        { kind: 'ldxImm', k: off.v >>> 0 },
        { kind: 'ldInd', size, k: base },
      ],
    };
  return { kind: 'code', stmts: [...off.stmts, { kind: 'tax' }, { kind: 'ldInd', size, k: base }] };
}

/** Lowers `left op right`. */
export function relation(env: ArithEnv, e: Extract<Expr, { kind: 'relation' }>): Pred {
  const checks: Pred[] = [];
  const l = val(env, e.left, 0, checks);
  const r = val(env, e.right, 1, checks);
  const [cond, negate] = (
    {
      '>': ['jgt', false],
      '>=': ['jge', false],
      '=': ['jeq', false],
      '!=': ['jeq', true],
      '<': ['jge', true],
      '<=': ['jgt', true],
    } as const
  )[e.op];
  let t: Pred;
  if (l.kind === 'const' && r.kind === 'const') {
    const v = cond === 'jgt' ? l.v > r.v : cond === 'jge' ? l.v >= r.v : l.v === r.v;
    t = v ? TRUE : FALSE;
  } else if (r.kind === 'const') {
    t = test(toCode(l), cond, r.v);
  } else {
    t = test(
      [...toCode(l), { kind: 'st', k: 0 }, ...r.stmts, { kind: 'tax' }, { kind: 'ldMem', k: 0 }],
      cond,
      0,
      'x',
    );
  }
  return and(...checks, negate ? not(t) : t);
}
