// WebAssembly code for a validated, forward-only program: the filter body inside the two exported
// functions, `filter` (one packet) and `count` (a loop over a table of packets).
//
// Control flow: one `block` per jump target t, all opened at the top (the largest target
// outermost) and each closed just before instruction t, so a jump from pc to t is `br` over the
// targets strictly between them. Outside those blocks sits $rej ("the result is 0": a failed load,
// a division by zero, `ret #0`); `count` adds $acc inside it ("the result is non-zero").
// Bounds checks follow the shared guard plan (analysis/guards.ts): a `len` test at a block head covers
// the constant-offset loads its paths make, and the loads it covers carry no test of their own.

import { type Analysis, isConstLoad, type StaticLoad } from '../analysis/index.js';
import { type AncillaryData, ancillaryValue } from '../ancillary.js';
import type { Program } from '../encode.js';
import {
  OP as BPF,
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_CLASS,
  BPF_DIV,
  BPF_IMM,
  BPF_IND,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_LSH,
  BPF_MEM,
  BPF_MOD,
  BPF_MODE,
  BPF_MUL,
  BPF_NEG,
  BPF_OP,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_SRC,
  BPF_ST,
  BPF_STX,
  BPF_SUB,
  BPF_X,
  BPF_XOR,
  loadSize,
  SKF_AD,
  SKF_AD_OFF,
  SKF_LL_OFF,
  SKF_NET_OFF,
} from '../opcodes.js';
import type { ProfileFacts } from '../profiles.js';
import { I32, I64, OP, VOID, type Writer } from './encoder.js';
import type { SwapPlan } from './swap.js';

/** What the emitter needs, computed once per program: the program, its analysis, the swap plan. */
export interface EmitInput extends Analysis {
  readonly program: Program;
  readonly facts: ProfileFacts;
  readonly anc: Readonly<AncillaryData>;
  readonly swaps: SwapPlan;
}

/** Local indices the body uses. */
export interface Locals {
  /** Address of the packet's first byte in memory. */
  readonly b: number;
  /** Captured length. */
  readonly len: number;
  /** Wire length. */
  readonly wl: number;
  readonly A: number;
  readonly X: number;
  /** i32 scratch. */
  readonly t: number;
  /** i64 scratch: an indexed load's offset. */
  readonly o64: number;
  /** Per scratch word k, its local (or -1 when the program never touches M[k]). */
  readonly M: readonly number[];
}

/** `value`: a result returns from the function. `count`: non-zero breaks to $acc, 0 to $rej. */
export type ResultStyle = 'value' | 'count';

const MAX_U32 = 0xffffffff;

/** The result of instruction t when it is `ret #k`. */
const retConst = (program: Program, t: number): number | undefined =>
  program[t].code === BPF.RET_K ? program[t].k >>> 0 : undefined;

/** Emits the body; `$rej` (and in count style `$acc` inside it) must enclose it. */
export function emitBody(w: Writer, input: EmitInput, L: Locals, style: ResultStyle): void {
  const { program, facts, cfg, plan, loads } = input;
  const n = program.length;
  const targetSet = new Set<number>();
  for (let pc = 0; pc < n; pc++) {
    const { code, jt, jf, k } = program[pc];
    if (BPF_CLASS(code) !== BPF_JMP) continue;
    const ts = code === BPF.JA ? [pc + 1 + k] : [pc + 1 + jt, pc + 1 + jf];
    for (const t of ts) if (t > pc + 1 && retConst(program, t) === undefined) targetSet.add(t);
  }
  const targets = [...targetSet].sort((a, b) => a - b);
  const rank = new Map(targets.map((t, i) => [t, i]));
  // Index in `targets` of the innermost block open at the current pc.
  let first = 0;
  const depthOf = (t: number): number => (rank.get(t) as number) - first;
  /** Jumps to t: a jump to `ret #k` returns k in place (no block for it). */
  const br = (t: number) => {
    const v = retConst(program, t);
    if (v === undefined) w.byte(OP.br).u32(depthOf(t));
    else ret(v);
  };
  /** Jumps to t when the i32 on the stack is non-zero. */
  const brIf = (t: number) => {
    const v = retConst(program, t);
    if (v === undefined) w.byte(OP.br_if).u32(depthOf(t));
    else if (style === 'count') w.byte(OP.br_if).u32(v === 0 ? rej() : acc());
    else {
      w.byte(OP.if).byte(VOID);
      ret(v);
      w.byte(OP.end);
    }
  };
  const openCount = (): number => targets.length - first;
  const acc = (): number => openCount();
  const rej = (): number => openCount() + (style === 'count' ? 1 : 0);

  const get = (i: number) => w.byte(OP.local_get).u32(i);
  const set = (i: number) => w.byte(OP.local_set).u32(i);
  const i32 = (v: number) => w.byte(OP.i32_const).sleb(v | 0);
  const i64 = (v: number) => w.byte(OP.i64_const).sleb(v);
  const failIf = () => w.byte(OP.br_if).u32(rej());
  const fail = () => w.byte(OP.br).u32(rej());
  const ret = (v: number | 'A') => {
    if (style === 'value') {
      if (v === 'A') get(L.A);
      else i32(v);
      w.byte(OP.return);
    } else if (v === 'A') {
      get(L.A);
      w.byte(OP.br_if).u32(acc());
      fail();
    } else if (v === 0) fail();
    else w.byte(OP.br).u32(acc());
  };
  /** Fails unless `len >= need` (need a u32 or more). */
  const needLen = (need: number) => {
    if (need > MAX_U32) return fail();
    get(L.len);
    i32(need);
    w.byte(OP.i32_lt_u);
    failIf();
  };
  /** Pushes the big-endian value of `size` bytes at memory[address on the stack + off]. */
  const loadBE = (size: number, off: number) => {
    if (size === 1) {
      w.byte(OP.i32_load8_u).u32(0).u32(off);
      return;
    }
    if (size === 2) {
      w.byte(OP.i32_load16_u).u32(0).u32(off);
      w.byte(OP.local_tee).u32(L.t);
      i32(8);
      w.byte(OP.i32_shl);
      get(L.t);
      i32(8);
      w.byte(OP.i32_shr_u);
      w.byte(OP.i32_or);
      i32(0xffff);
      w.byte(OP.i32_and);
      return;
    }
    // b0 b1 b2 b3 in memory load as b3b2b1b0: swap the bytes of each half, then the halves.
    w.byte(OP.i32_load).u32(0).u32(off);
    w.byte(OP.local_tee).u32(L.t);
    i32(8);
    w.byte(OP.i32_shr_u);
    i32(0x00ff00ff);
    w.byte(OP.i32_and);
    get(L.t);
    i32(8);
    w.byte(OP.i32_shl);
    i32(0xff00ff00);
    w.byte(OP.i32_and);
    w.byte(OP.i32_or);
    i32(16);
    w.byte(OP.i32_rotl);
  };
  /** `ld [x + k]`: leaves the offset in o64 (as i64), fails when the bytes are not all captured. */
  const indexedOffset = (k: number, size: number) => {
    if (facts.linuxExtensions) {
      // The kernel's signed 32-bit sum; negative means header-relative (vm.ts rdRel), which with no
      // headroom (compileWasm refuses headroom) must land inside the packet.
      get(L.X);
      i32(k);
      w.byte(OP.i32_add);
      w.byte(OP.local_tee).u32(L.t);
      i32(0);
      w.byte(OP.i32_lt_s);
      w.byte(OP.if).byte(I64);
      get(L.t);
      i32(SKF_NET_OFF);
      w.byte(OP.i32_ge_u);
      w.byte(OP.if).byte(I64);
      relative(input.anc.netOffset, SKF_NET_OFF);
      w.byte(OP.else);
      get(L.t);
      i32(SKF_LL_OFF);
      w.byte(OP.i32_ge_u);
      w.byte(OP.if).byte(I64);
      relative(input.anc.llOffset, SKF_LL_OFF);
      w.byte(OP.else);
      i64(-1);
      w.byte(OP.end);
      w.byte(OP.end);
      w.byte(OP.else);
      get(L.t);
      w.byte(OP.i64_extend_i32_u);
      w.byte(OP.end);
      w.byte(OP.local_tee).u32(L.o64);
      i64(0);
      w.byte(OP.i64_lt_s);
      failIf();
    } else {
      // The exact sum: past 2^32 it is simply out of range.
      get(L.X);
      w.byte(OP.i64_extend_i32_u);
      i64(k);
      w.byte(OP.i64_add);
      set(L.o64);
    }
    get(L.o64);
    i64(size);
    w.byte(OP.i64_add);
    get(L.len);
    w.byte(OP.i64_extend_i32_u);
    w.byte(OP.i64_gt_s);
    failIf();
  };
  /** Pushes (as i64) the packet offset of header-relative u32 offset t, or -1 when the header is not set. */
  const relative = (base: number | undefined, from: number) => {
    if (base === undefined) return i64(-1);
    get(L.t);
    w.byte(OP.i64_extend_i32_u);
    i64(base - from);
    w.byte(OP.i64_add);
  };

  // All target blocks open at the top, the largest target outermost.
  for (let i = targets.length - 1; i >= 0; i--) w.byte(OP.block).byte(VOID);
  let skipTo = -1; // instructions before this belong to a block that only returns 0
  for (let pc = 0; pc < n; pc++) {
    if (first < targets.length && targets[first] === pc) {
      w.byte(OP.end);
      first++;
    }
    const blk = cfg.blocks[cfg.blockOf[pc]];
    if (pc === blk.start) {
      if (plan.need[blk.id] === Infinity) {
        fail(); // every path from here returns 0
        skipTo = blk.end;
      } else if (plan.guard[blk.id] > 0) needLen(plan.guard[blk.id]);
    }
    if (pc < skipTo) continue;
    const { code, jt, jf, k } = program[pc];
    const cls = BPF_CLASS(code);
    if (cls === BPF_LD || cls === BPF_LDX) {
      const R = cls === BPF_LD ? L.A : L.X;
      const mode = BPF_MODE(code);
      const size = loadSize(code);
      if (mode === BPF_IMM) {
        i32(k);
        set(R);
      } else if (mode === BPF_LEN) {
        get(L.wl);
        set(R);
      } else if (mode === BPF_MEM) {
        get(L.M[k]);
        set(R);
      } else if (isConstLoad(code)) {
        const l = loads[pc] as StaticLoad;
        if (l.kind === 'fail' || l.kind === 'rel')
          fail(); // 'rel' without headroom: before the packet
        else if (l.kind === 'ancillary') {
          const a = k - SKF_AD_OFF;
          if (a === SKF_AD.alu_xor_x) {
            get(L.A);
            get(L.X);
            w.byte(OP.i32_xor);
            set(L.A);
          } else {
            // compileWasm refused the netlink walks; the rest are constants of the metadata.
            const v = ancillaryValue(k, 0, 0, input.anc, new Uint8Array(0));
            if (v < 0) fail();
            else {
              i32(v);
              set(L.A);
            }
          }
        } else {
          if (l.off + size > plan.known[blk.id]) needLen(l.off + size);
          if (l.off + size <= MAX_U32) {
            get(L.b);
            if (!input.swaps.rawLoads.has(pc)) loadBE(size, l.off);
            else if (size === 2) w.byte(OP.i32_load16_u).u32(0).u32(l.off);
            else w.byte(OP.i32_load).u32(0).u32(l.off);
            if (cls === BPF_LDX) {
              i32(15);
              w.byte(OP.i32_and);
              i32(2);
              w.byte(OP.i32_shl);
            }
            set(R);
          }
        }
      } else if (mode === BPF_IND) {
        indexedOffset(k, size);
        get(L.b);
        get(L.o64);
        w.byte(OP.i32_wrap_i64);
        w.byte(OP.i32_add);
        loadBE(size, 0);
        set(L.A);
      } else fail();
    } else if (cls === BPF_ST || cls === BPF_STX) {
      get(cls === BPF_ST ? L.A : L.X);
      set(L.M[k]);
    } else if (cls === BPF_ALU) alu(code, k);
    else if (cls === BPF_JMP) {
      if (code === BPF.JA) {
        if (k !== 0) br(pc + 1 + k);
        continue;
      }
      const tt = pc + 1 + jt;
      const tf = pc + 1 + jf;
      if (jt === jf) {
        if (jt !== 0) br(tt);
        continue;
      }
      get(L.A);
      if (BPF_SRC(code) === BPF_X) get(L.X);
      else i32(input.swaps.swappedK.get(pc) ?? k);
      const op = BPF_OP(code);
      if (op === BPF_JEQ) w.byte(OP.i32_eq);
      else if (op === BPF_JGT) w.byte(OP.i32_gt_u);
      else if (op === BPF_JGE) w.byte(OP.i32_ge_u);
      else w.byte(OP.i32_and);
      if (jt === 0) {
        w.byte(OP.i32_eqz);
        brIf(tf);
      } else {
        brIf(tt);
        if (jf !== 0) br(tf);
      }
    } else if (cls === BPF_RET) {
      if (code === BPF.RET_K) ret(k >>> 0);
      else if (code === BPF.RET_A) ret('A');
      else fail();
    } else if (code === BPF.TAX) {
      get(L.A);
      set(L.X);
    } else if (code === BPF.TXA) {
      get(L.X);
      set(L.A);
    } else fail();
  }
  // Blocks whose target is past every instruction cannot exist in a valid program; close any left.
  for (; first < targets.length; first++) w.byte(OP.end);

  function alu(code: number, k: number): void {
    const op = BPF_OP(code);
    const byX = BPF_SRC(code) === BPF_X;
    const src = () => (byX ? get(L.X) : i32(k));
    const simple: Record<number, number> = {
      [BPF_ADD]: OP.i32_add,
      [BPF_SUB]: OP.i32_sub,
      [BPF_MUL]: OP.i32_mul,
      [BPF_OR]: OP.i32_or,
      [BPF_AND]: OP.i32_and,
      [BPF_XOR]: OP.i32_xor,
    };
    if (simple[op] !== undefined) {
      get(L.A);
      src();
      w.byte(simple[op]);
      set(L.A);
      return;
    }
    if (op === BPF_DIV || op === BPF_MOD) {
      if (!byX && k === 0) {
        fail();
        return;
      }
      if (byX) {
        get(L.X);
        w.byte(OP.i32_eqz);
        failIf();
      }
      get(L.A);
      src();
      w.byte(op === BPF_DIV ? OP.i32_div_u : OP.i32_rem_u);
      set(L.A);
      return;
    }
    if (op === BPF_LSH || op === BPF_RSH) {
      const shift = op === BPF_LSH ? OP.i32_shl : OP.i32_shr_u;
      // Counts >= 32: Linux takes them mod 32 (as wasm does), libpcap and BSD give 0.
      const mod32 = facts.wideShift === 'mod32';
      if (!byX && k >= 32 && !mod32) {
        i32(0);
        set(L.A);
        return;
      }
      get(L.A);
      if (byX) get(L.X);
      else i32(k & 31);
      w.byte(shift);
      if (byX && !mod32) {
        i32(0);
        get(L.X);
        i32(32);
        w.byte(OP.i32_lt_u);
        w.byte(OP.select);
      }
      set(L.A);
      return;
    }
    if (op === BPF_NEG) {
      i32(0);
      get(L.A);
      w.byte(OP.i32_sub);
      set(L.A);
      return;
    }
    fail();
  }
}

/** Locals layout shared by both functions: the i32s first, then the i64, then scratch words. */
export function layoutLocals(
  scratch: readonly number[],
  firstFree: number,
  fixed: { b: number; len: number; wl: number },
): { locals: Locals; types: number[] } {
  const types: number[] = [];
  const add = (t: number) => {
    types.push(t);
    return firstFree + types.length - 1;
  };
  const A = add(I32);
  const X = add(I32);
  const t = add(I32);
  const M = new Array<number>(16).fill(-1);
  for (const m of scratch) if (m < 16) M[m] = add(I32);
  const o64 = add(I64);
  return { locals: { ...fixed, A, X, t, o64, M }, types };
}
