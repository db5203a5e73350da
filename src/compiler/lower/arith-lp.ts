// Relations in libpcap's own register discipline (gen_loadi, gen_loadlen, gen_load, gen_arth, gen_neg,
// gen_relation): every value is stored in a register from libpcap's allocator, in libpcap's order. Used
// where the capture's link layer has variable offsets: their registers are allocated lazily from the same
// table, so a relation lowered before the first variable offset can write one of them at run time, after
// the prefix code filled it, and libpcap's verdicts follow from that. The optimizer removes the stores
// nothing reads.
import type { Arith, ArithOp, Expr, Span } from '../ast.js';
import { fail } from '../errors.js';
import type { Stmt } from '../ir.js';
import { IPPROTO } from '../names.js';
import type { ArithEnv } from './arith-env.js';
import { allocReg, freeReg } from './context.js';
import { ipFirstFragment } from './ip.js';
import { RADIO_DLTS } from './link/ieee80211.js';
import { cmpAt, loadxIpHdrLen, varPart } from './load.js';
import { and, not, type Pred, test } from './pred.js';

/** libpcap's struct arth: the statements computing the value into `reg`, and the protocol checks. */
interface Arth {
  stmts: Stmt[];
  reg: number;
  checks: Pred | null;
}

const ALU = {
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
} as const satisfies Record<ArithOp, string>;

const TRANSPORT = new Set(['tcp', 'udp', 'sctp', 'icmp', 'igmp', 'igrp', 'pim', 'vrrp', 'carp']);
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

/** The constant libpcap's zero-divisor and shift checks see: the value's first statement, when immediate. */
function firstImmediate(e: Arith): number | undefined {
  switch (e.kind) {
    case 'const':
      return e.value >>> 0;
    case 'binop':
      return firstImmediate(e.left);
    case 'neg':
      return firstImmediate(e.expr);
    default:
      return undefined;
  }
}

const andMaybe = (a: Pred | null, b: Pred): Pred => (a === null ? b : and(a, b));

function value(env: ArithEnv, e: Arith, span: Span): Arth {
  const { ctx } = env;
  switch (e.kind) {
    case 'const': {
      const reg = allocReg(ctx, e.span);
      return {
        stmts: [
          { kind: 'ldImm', k: e.value >>> 0 },
          { kind: 'st', k: reg },
        ],
        reg,
        checks: null,
      };
    }
    case 'len': {
      const reg = allocReg(ctx, e.span);
      return { stmts: [{ kind: 'ldLen' }, { kind: 'st', k: reg }], reg, checks: null };
    }
    case 'neg': {
      const a = value(env, e.expr, span);
      a.stmts.push({ kind: 'ldMem', k: a.reg }, { kind: 'neg' }, { kind: 'st', k: a.reg });
      return a;
    }
    case 'binop': {
      const a0 = value(env, e.left, span);
      const a1 = value(env, e.right, span);
      const first = firstImmediate(e.right);
      if ((e.op === '/' || e.op === '%') && first === 0)
        fail('OUT_OF_RANGE', e.op === '/' ? 'division by zero' : 'modulus by zero', e.right.span);
      if ((e.op === '<<' || e.op === '>>') && first !== undefined && first > 31)
        fail('OUT_OF_RANGE', 'shift by more than 31 bits', e.right.span);
      const stmts: Stmt[] = [
        ...a0.stmts,
        ...a1.stmts,
        { kind: 'ldxMem', k: a1.reg },
        { kind: 'ldMem', k: a0.reg },
        { kind: 'alu', op: ALU[e.op], src: 'x' },
      ];
      freeReg(ctx, a0.reg);
      freeReg(ctx, a1.reg);
      const reg = allocReg(ctx, e.span);
      stmts.push({ kind: 'st', k: reg });
      // gen_arth keeps the left operand's protocol checks only.
      return { stmts, reg, checks: a0.checks };
    }
    case 'load':
      return load(env, e);
  }
}

function load(env: ArithEnv, e: Extract<Arith, { kind: 'load' }>): Arth {
  const { ctx } = env;
  const inst = value(env, e.offset, e.span);
  const reg = allocReg(ctx, e.span);
  freeReg(ctx, inst.reg);
  const size = e.size;
  const pl = ctx.offLinkPl;
  const nl = (pl.k + ctx.offNl) >>> 0;
  // A constant index (stored all the same: the store is what can overwrite a register) goes into the
  // load's offset; libpcap adds it to X, and its optimizer folds that.
  const c = e.offset.kind === 'const' ? e.offset.value >>> 0 : undefined;
  const idxToX = (vp: Stmt[]): Stmt[] =>
    c !== undefined
      ? vp
      : vp.length
        ? [
            ...vp,
            { kind: 'ldMem', k: inst.reg },
            { kind: 'alu', op: 'add', src: 'x' },
            { kind: 'tax' },
          ]
        : [{ kind: 'ldxMem', k: inst.reg }];
  const at = (k: number) => (k + (c ?? 0)) >>> 0;
  if (e.proto === 'radio') {
    if (!RADIO_DLTS.has(ctx.link.dlt))
      return fail('UNSUPPORTED_FOR_LINKTYPE', 'radio information not present in capture', e.span);
    inst.stmts.push(...idxToX([]), { kind: c === undefined ? 'ldInd' : 'ldAbs', size, k: at(0) });
  } else if (e.proto === 'link' || e.proto === 'ether') {
    const s = idxToX(varPart(ctx, ctx.offLinkHdr));
    const abs = c !== undefined && s.length === 0;
    inst.stmts.push(...s, { kind: abs ? 'ldAbs' : 'ldInd', size, k: at(ctx.offLinkHdr.k) });
  } else if (NETWORK.has(e.proto)) {
    const s = idxToX(varPart(ctx, pl));
    const abs = c !== undefined && s.length === 0;
    inst.stmts.push(...s, { kind: abs ? 'ldAbs' : 'ldInd', size, k: at(nl) });
    inst.checks = andMaybe(inst.checks, env.abbrev(e.proto, e.span));
  } else if (TRANSPORT.has(e.proto)) {
    const s = loadxIpHdrLen(ctx);
    if (c !== undefined) inst.stmts.push(...s, { kind: 'ldInd', size, k: at(nl) });
    else
      inst.stmts.push(
        ...s,
        { kind: 'ldMem', k: inst.reg },
        { kind: 'alu', op: 'add', src: 'x' },
        { kind: 'tax' },
        { kind: 'ldInd', size, k: nl },
      );
    // Generated in this order (it decides which register a variable offset gets); run IPv4 test first.
    const proto = env.abbrev(e.proto, e.span);
    const frag = ipFirstFragment(ctx);
    const ip = env.abbrev('ip', e.span);
    inst.checks = and(ip, andMaybe(inst.checks, and(proto, frag)));
  } else if (e.proto === 'icmp6') {
    inst.checks = andMaybe(inst.checks, env.abbrev('ip6', e.span));
    inst.checks = and(inst.checks, cmpAt(ctx, 'linkpl', 6, 1, IPPROTO.ICMPV6));
    const s = idxToX(varPart(ctx, pl));
    const abs = c !== undefined && s.length === 0;
    inst.stmts.push(...s, { kind: abs ? 'ldAbs' : 'ldInd', size, k: at(nl + 40) });
  } else return fail('BAD_QUALIFIER', 'unsupported index operation', e.span);
  inst.stmts.push({ kind: 'st', k: reg });
  inst.reg = reg;
  return inst;
}

/** `left op right` the way libpcap computes it. */
export function relationLp(env: ArithEnv, e: Extract<Expr, { kind: 'relation' }>): Pred {
  const { ctx } = env;
  const a0 = value(env, e.left, e.span);
  const a1 = value(env, e.right, e.span);
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
  const stmts: Stmt[] = [
    ...a0.stmts,
    ...a1.stmts,
    { kind: 'ldxMem', k: a1.reg },
    { kind: 'ldMem', k: a0.reg },
  ];
  const t =
    cond === 'jeq'
      ? test([...stmts, { kind: 'alu', op: 'sub', src: 'x' }], 'jeq', 0)
      : test(stmts, cond, 0, 'x');
  freeReg(ctx, a0.reg);
  freeReg(ctx, a1.reg);
  const checks = a0.checks && a1.checks ? and(a0.checks, a1.checks) : (a0.checks ?? a1.checks);
  const r = negate ? not(t) : t;
  return checks ? and(checks, r) : r;
}
