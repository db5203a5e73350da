// A program as a decision graph over packet fields: symbolic execution turns each conditional jump into a
// test of terms (`ether[12:2] = 0x800`), each return into a value. Paths that meet with the same live values
// share their node, so the graph stays the size of the program where the program reloads after a join.
import type { Program } from '../../core/encode.js';
import type { AluOp } from '../../core/insn.js';
import { SKF_AD, SKF_AD_OFF } from '../../core/opcodes.js';
import { PROFILES, type ProfileName } from '../../core/profiles.js';
import { type Term, Terms } from './terms.js';

export type Cond = 'jeq' | 'jgt' | 'jge' | 'jset';

/** `a cond b`: jeq =, jgt >, jge >=, jset (a & b) != 0. */
export interface Test {
  readonly cond: Cond;
  readonly a: Term;
  readonly b: Term;
}

export type DNode =
  | {
      readonly kind: 'test';
      readonly test: Test;
      readonly t: DNode;
      readonly f: DNode;
      readonly id: number;
      readonly pc: number;
      /** Loads done on the way here whose values nothing tests: each can still stop the run. */
      readonly guards: readonly Term[];
    }
  | {
      readonly kind: 'ret';
      readonly value: Term;
      readonly id: number;
      readonly pc: number;
      readonly guards: readonly Term[];
    }
  /** The run ends with 0 whatever the packet (bad opcode, jump off the program, division by constant 0). */
  | { readonly kind: 'stop'; readonly why: string; readonly id: number; readonly pc: number };

export interface Lifted {
  readonly root: DNode;
  readonly count: number;
  readonly terms: Terms;
}

/** Why a program has no decision graph here (too big, a backward jump). */
export class LiftLimit extends Error {}

const SIZE: Record<number, 1 | 2 | 4> = { 0: 4, 1: 2, 2: 1 };
const ALU_OP: Record<number, AluOp> = {
  0: 'add',
  16: 'sub',
  32: 'mul',
  48: 'div',
  64: 'or',
  80: 'and',
  96: 'lsh',
  112: 'rsh',
  144: 'mod',
  160: 'xor',
};
const COND: Record<number, Cond> = { 16: 'jeq', 32: 'jgt', 48: 'jge', 64: 'jset' };
const COND_JUMPS = new Set([0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d]);
const ANC_NAME = new Map<number, string>(Object.entries(SKF_AD).map(([k, v]) => [v, k]));

/** Most decision nodes built before giving up (path splitting where live values differ). */
export const MAX_NODES = 20_000;

interface State {
  A: Term;
  X: Term;
  M: Term[];
  /** Loads done since the last test that no test has read yet. */
  pending: Term[];
  /** Per offset base (a constant offset, or the term added to k), the furthest end a load reached. */
  cover: ReadonlyMap<string, number>;
}

/** A load's offset as a base and a constant: [k] is ('c', k), [x + k] is (x, k). */
function baseOf(l: Extract<Term, { t: 'load' }>): [string, number] {
  const at = l.at;
  if (at.t === 'const') return ['c', at.v];
  if (at.t === 'bin' && at.op === 'add' && at.b.t === 'const') return [`t${at.a.id}`, at.b.v];
  return [`t${at.id}`, 0];
}

/** A load that succeeds whenever one already done succeeded (same base, not reaching further). */
function implied(cover: ReadonlyMap<string, number>, l: Term): boolean {
  if (l.t !== 'load') return false;
  const [b, k] = baseOf(l);
  const end = cover.get(b);
  return end !== undefined && k + l.size <= end;
}

function covered(
  cover: ReadonlyMap<string, number>,
  loads: Iterable<Term>,
): ReadonlyMap<string, number> {
  let out: Map<string, number> | undefined;
  for (const l of loads) {
    if (l.t !== 'load') continue;
    const [b, k] = baseOf(l);
    const end = k + l.size;
    if (((out ?? cover).get(b) ?? -1) >= end) continue;
    out ??= new Map(cover);
    out.set(b, end);
  }
  return out ?? cover;
}

/** Every load inside `t`, offsets included. */
function loadsIn(t: Term, out = new Set<Term>()): Set<Term> {
  if (t.t === 'load') {
    out.add(t);
    loadsIn(t.at, out);
  } else if (t.t === 'bin') {
    loadsIn(t.a, out);
    loadsIn(t.b, out);
  } else if (t.t === 'neg') loadsIn(t.a, out);
  return out;
}

/** Lifts `program` (forward jumps only). Throws LiftLimit for a backward jump or too many nodes. */
export function lift(program: Program, profile: ProfileName): Lifted {
  const facts = PROFILES[profile];
  const linux = facts.linuxExtensions;
  const wide = facts.wideShift === 'mod32';
  const T = new Terms();
  const n = program.length;
  const live = liveness(program);
  const memo = new Map<string, DNode>();
  let count = 0;
  const node = <N extends DNode>(make: (id: number) => N): N => {
    if (++count > MAX_NODES) throw new LiftLimit(`more than ${MAX_NODES} decision nodes`);
    return make(count);
  };
  const stop = (pc: number, why: string): DNode => node((id) => ({ kind: 'stop', why, id, pc }));
  let randoms = 0;

  const walk = (start: number, s: State, depth: number): DNode => {
    if (depth > 3000) throw new LiftLimit('paths longer than 3000 tests');
    let pc = start;
    let { A, X, pending } = s;
    let M = s.M;
    const cover = s.cover;
    // A load done here can stop the run; unless an earlier one already proves it in range, it must show
    // in the expression even if nothing tests its value.
    const performed = (l: Term) => {
      if (l.t === 'load' && !implied(cover, l) && !pending.includes(l)) pending = [...pending, l];
    };
    /** What a test or return reads, and the pending loads it leaves unread: those become guards. */
    const settle = (reads: Term[]): { guards: Term[]; cover: ReadonlyMap<string, number> } => {
      const consumed = new Set<Term>();
      for (const r of reads) loadsIn(r, consumed);
      let c = covered(cover, consumed);
      const guards = pending.filter((l) => !consumed.has(l) && !implied(c, l));
      c = covered(c, guards);
      return { guards, cover: c };
    };
    for (;;) {
      if (pc >= n) return stop(pc, 'runs off the end of the program');
      const key = `${memoKey(pc, live[pc], A, X, M)}|${pending.map((l) => l.id).join(',')}|${[...cover].join(';')}`;
      const known = memo.get(key);
      if (known) return known;
      const { code, jt, jf, k } = program[pc];
      const cls = code & 0x07;
      if (COND_JUMPS.has(code)) {
        const test: Test = { cond: COND[code & 0xf0], a: A, b: code & 0x08 ? X : T.const(k) };
        // A test of two constants reads nothing: follow the edge it takes.
        if (test.a.t === 'const' && test.b.t === 'const') {
          const here: State = { A, X, M, pending, cover };
          const d = walk(pc + 1 + (decide(test.cond, test.a.v, test.b.v) ? jt : jf), here, depth);
          memo.set(key, d);
          return d;
        }
        const settled = settle([test.a, test.b]);
        const here: State = { A, X, M, pending: [], cover: settled.cover };
        const t = walk(pc + 1 + jt, here, depth + 1);
        const f = walk(pc + 1 + jf, here, depth + 1);
        const guards = settled.guards;
        const d = node((id) => ({ kind: 'test' as const, test, t, f, id, pc, guards }));
        memo.set(key, d);
        return d;
      }
      const at = pc;
      pc++;
      switch (code) {
        case 0x20:
        case 0x28:
        case 0x30: {
          const size = SIZE[(code >> 3) & 3];
          if (linux && k >= 0x80000000) {
            if (k >= SKF_AD_OFF) {
              const field = ANC_NAME.get(k - SKF_AD_OFF);
              if (field === 'alu_xor_x') A = T.bin('xor', A, X, wide);
              else if (field === undefined)
                return stop(at, `unknown ancillary offset ${k - SKF_AD_OFF}`);
              else if (field === 'random') A = T.meta(`random#${randoms++}`);
              else if (field === 'nlattr' || field === 'nlattr_nest')
                A = T.meta(`${field}(${A.id},${X.id})`);
              else A = T.meta(field);
            } else A = T.meta(`rel${size}@${k}`);
          } else A = T.load(size, T.const(k));
          performed(A);
          break;
        }
        case 0x40:
        case 0x48:
        case 0x50: {
          const size = SIZE[(code >> 3) & 3];
          // Under Linux a negative sum is header-relative; `ether[x + k]` compiles to the same 32-bit sum
          // and the same load, so the term stands for both (the proof checks it).
          A = T.load(size, T.bin('add', X, T.const(k), wide));
          performed(A);
          break;
        }
        case 0xb1:
          if (linux && k >= 0x80000000) X = T.meta(`msh@${k}`);
          else {
            const b = T.load(1, T.const(k));
            performed(b);
            X = T.bin('lsh', T.bin('and', b, T.const(0xf), wide), T.const(2), wide);
          }
          break;
        case 0x00:
          A = T.const(k);
          break;
        case 0x01:
          X = T.const(k);
          break;
        case 0x80:
          A = T.len();
          break;
        case 0x81:
          X = T.len();
          break;
        case 0x60:
        case 0x61:
        case 0x02:
        case 0x03:
          if (k >= 16) return stop(at, `scratch word ${k} does not exist`);
          if (code === 0x60) A = M[k];
          else if (code === 0x61) X = M[k];
          else {
            M = M.slice();
            M[k] = code === 0x02 ? A : X;
          }
          break;
        case 0x84:
          A = T.neg(A);
          break;
        case 0x05:
          if (facts.backwardJa && (k | 0) < 0) throw new LiftLimit('a backward jump (a loop)');
          pc += k;
          break;
        case 0x06:
          return remember(
            key,
            node((id) => ({
              kind: 'ret',
              value: T.const(k),
              id,
              pc: at,
              guards: k === 0 ? [] : settle([]).guards,
            })),
          );
        case 0x16:
          return remember(
            key,
            node((id) => ({ kind: 'ret', value: A, id, pc: at, guards: settle([A]).guards })),
          );
        case 0x07:
          X = A;
          break;
        case 0x87:
          A = X;
          break;
        default: {
          const op = ALU_OP[code & 0xf0];
          if (cls !== 0x04 || op === undefined || code > 0xff || (code & 0x07) !== 0x04)
            return stop(at, `opcode 0x${code.toString(16)} is not an instruction`);
          const rhs = code & 0x08 ? X : T.const(k);
          if ((op === 'div' || op === 'mod') && rhs.t === 'const' && rhs.v === 0)
            return stop(at, 'divides by 0');
          A = T.bin(op, A, rhs, wide);
        }
      }
    }
    function remember(key: string, d: DNode): DNode {
      memo.set(key, d);
      return d;
    }
  };
  const zero = T.const(0);
  const root =
    n === 0
      ? node((id) => ({
          kind: 'ret' as const,
          value: T.const(facts.emptyAcceptsAll ? 0xffffffff : 0),
          id,
          pc: 0,
          guards: [],
        }))
      : walk(0, { A: zero, X: zero, M: Array(16).fill(zero), pending: [], cover: new Map() }, 0);
  return { root, count, terms: T };
}

function decide(cond: Cond, a: number, b: number): boolean {
  return cond === 'jeq'
    ? a === b
    : cond === 'jgt'
      ? a > b
      : cond === 'jge'
        ? a >= b
        : (a & b) !== 0;
}

function memoKey(pc: number, liveMask: number, A: Term, X: Term, M: Term[]): string {
  let key = `${pc}`;
  if (liveMask & 1) key += `a${A.id}`;
  if (liveMask & 2) key += `x${X.id}`;
  for (let i = 0; i < 16; i++) if (liveMask & (4 << i)) key += `m${i}:${M[i].id}`;
  return key;
}

/** Per instruction, which of A (bit 0), X (bit 1) and M[i] (bit 2+i) may be read before written. */
function liveness(program: Program): number[] {
  const n = program.length;
  const out = new Array<number>(n + 1).fill(0);
  const at = (i: number) => (i >= 0 && i < n ? out[i] : 0);
  const A = 1;
  const X = 2;
  const Mb = (k: number) => (k < 16 ? 4 << k : 0);
  for (let pc = n - 1; pc >= 0; pc--) {
    const { code, jt, jf, k } = program[pc];
    const cls = code & 0x07;
    let next: number;
    if (cls === 0x06) next = 0;
    else if (code === 0x05) next = (k | 0) < 0 ? ~0 : at(pc + 1 + k);
    else if (cls === 0x05) next = at(pc + 1 + jt) | at(pc + 1 + jf);
    else next = at(pc + 1);
    let use = 0;
    let def = 0;
    switch (code) {
      case 0x20:
      case 0x28:
      case 0x30:
        use = k >= SKF_AD_OFF ? A | X : 0;
        def = A;
        break;
      case 0x40:
      case 0x48:
      case 0x50:
        use = X;
        def = A;
        break;
      case 0xb1:
      case 0x01:
      case 0x81:
        def = X;
        break;
      case 0x00:
      case 0x80:
        def = A;
        break;
      case 0x60:
        use = Mb(k);
        def = A;
        break;
      case 0x61:
        use = Mb(k);
        def = X;
        break;
      case 0x02:
        use = A;
        def = Mb(k);
        break;
      case 0x03:
        use = X;
        def = Mb(k);
        break;
      case 0x16:
        use = A;
        break;
      case 0x07:
        use = A;
        def = X;
        break;
      case 0x87:
        use = X;
        def = A;
        break;
      default:
        if (cls === 0x04) {
          use = code & 0x08 ? A | X : A;
          def = A;
        } else if (cls === 0x05 && code !== 0x05) use = code & 0x08 ? A | X : A;
    }
    out[pc] = use | (next & ~def);
  }
  return out.slice(0, n);
}
