// Relations `expr relop expr` over packet loads, `len` and constants (libpcap gen_load, gen_arth, gen_relation):
// constants fold; the protocol checks of every load run first, in libpcap's order, then the computation.
import type { AluOp } from '../../core/insn.js';
import type { Arith, ArithOp, Expr, Span } from '../ast.js';
import { fail } from '../errors.js';
import type { Stmt } from '../ir.js';
import { IPPROTO } from '../names.js';
import type { ArithEnv } from './arith-env.js';
import { relationLp } from './arith-lp.js';
import { MEMWORDS } from './context.js';
import { ipFirstFragment } from './ip.js';
import { RADIO_DLTS } from './link/ieee80211.js';
import { linktype } from './linktype.js';
import { cmpAt, loadxIpHdrLen, varPart } from './load.js';
import { and, FALSE, not, type Pred, TRUE, test } from './pred.js';

type Val =
  | { readonly kind: 'const'; readonly v: number }
  | { readonly kind: 'code'; readonly stmts: Stmt[] };

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

/** Protocols whose loads are relative to the network header, guarded by the protocol test alone. */
const NETWORK = new Set([
  'ip',
  'ip6',
  'arp',
  'rarp',
  'atalk',
  'decnet',
  'sca',
  'lat',
  'moprc',
  'mopdl',
]);

/** Scratch words a relation may use: those below the ones variable offsets hold. */
function tooDeep(env: ArithEnv, d: number, span: Span): void {
  if (d >= Math.min(MEMWORDS, env.ctx.topReg))
    fail('TOO_COMPLEX', 'too many registers needed to evaluate expression', span);
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
      tooDeep(env, d, e.span);
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
  const size = e.size;
  const transport = TRANSPORT[e.proto];
  const pl = ctx.offLinkPl;
  const nlk = (pl.k + ctx.offNl) >>> 0;
  if (transport !== undefined) {
    // libpcap: IPv4, then the index's own guards, then `tcp`-alone, then first fragment only.
    checks.push(linktype(ctx, 0x0800, e.span));
    const off = val(env, e.offset, d, checks);
    checks.push(env.abbrev(e.proto, e.span), ipFirstFragment(ctx));
    const hl = loadxIpHdrLen(ctx);
    if (off.kind === 'const')
      return { kind: 'code', stmts: [...hl, { kind: 'ldInd', size, k: (nlk + off.v) >>> 0 }] };
    tooDeep(env, d, e.span);
    return {
      kind: 'code',
      stmts: [
        ...off.stmts,
        { kind: 'st', k: d },
        ...hl,
        { kind: 'ldMem', k: d },
        { kind: 'alu', op: 'add', src: 'x' },
        { kind: 'tax' },
        { kind: 'ldInd', size, k: nlk },
      ],
    };
  }
  // The header the offset counts from: its constant part, its variable part (statements leaving it in X).
  let base: number;
  let vp: Stmt[] = [];
  let guard: Pred = TRUE;
  if (e.proto === 'link' || e.proto === 'ether') {
    base = ctx.offLinkHdr.k;
    vp = varPart(ctx, ctx.offLinkHdr);
  } else if (e.proto === 'radio') {
    // The radio header itself, from the packet's first byte.
    if (!RADIO_DLTS.has(ctx.link.dlt))
      return fail('UNSUPPORTED_FOR_LINKTYPE', 'radio information not present in capture', e.span);
    base = 0;
  } else if (NETWORK.has(e.proto)) {
    base = nlk;
    vp = varPart(ctx, pl);
    guard = env.abbrev(e.proto, e.span);
  } else if (e.proto === 'icmp6') {
    base = (nlk + 40) >>> 0;
    vp = varPart(ctx, pl);
    guard = and(env.abbrev('ip6', e.span), cmpAt(ctx, 'linkpl', 6, 1, IPPROTO.ICMPV6));
  } else return fail('BAD_QUALIFIER', 'unsupported index operation', e.span);
  const off = val(env, e.offset, d, checks);
  checks.push(guard);
  // A constant offset is loaded through X, as libpcap does: the optimizer's full run makes it `[base + k]`,
  // while its libpcap-strength run (rejects-all) keeps it apart from the plain loads of protocol tests, as
  // libpcap's does (`ip proto 17 and ip[9] = 6` compiles there).
  if (vp.length === 0) {
    if (off.kind === 'const')
      return {
        kind: 'code',
        stmts: [
          { kind: 'ldxImm', k: off.v >>> 0 },
          { kind: 'ldInd', size, k: base >>> 0 },
        ],
      };
    return {
      kind: 'code',
      stmts: [...off.stmts, { kind: 'tax' }, { kind: 'ldInd', size, k: base >>> 0 }],
    };
  }
  // X = the header's variable part + the index.
  return {
    kind: 'code',
    stmts: [
      ...toCode(off),
      ...vp,
      { kind: 'alu', op: 'add', src: 'x' },
      { kind: 'tax' },
      { kind: 'ldInd', size, k: base >>> 0 },
    ],
  };
}

/** Lowers `left op right`. */
export function relation(env: ArithEnv, e: Extract<Expr, { kind: 'relation' }>): Pred {
  if (env.ctx.lp) return relationLp(env, e);
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
