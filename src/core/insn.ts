// The typed instruction model: a closed union of plain readonly objects, and builders for each opcode.
import type { ALU_OPS, AncillaryName, JMP_CONDS } from './opcodes.js';

/** A raw classic BPF instruction exactly as the kernel stores it (`struct sock_filter`). */
export interface RawInsn {
  /** Opcode, u16 (only the low 8 bits are defined). */
  readonly code: number;
  /** Conditional jumps: instructions to skip when true, u8. */
  readonly jt: number;
  /** Conditional jumps: instructions to skip when false, u8. */
  readonly jf: number;
  /** Operand, u32. */
  readonly k: number;
}

/** Size of a packet load in bytes. */
export type LoadSize = 1 | 2 | 4;
/** An ALU operation with an operand, by mnemonic (opcodes.ts ALU_OPS). */
export type AluOp = keyof typeof ALU_OPS;
/** A conditional jump, by mnemonic (opcodes.ts JMP_CONDS). */
export type JumpCond = keyof typeof JMP_CONDS;

/**
 * One classic BPF instruction. Jump offsets are relative to the next instruction, as encoded.
 * Ancillary loads (`ld [k]` with k in the Linux SKF_AD range) are `ldExt`.
 * Anything that does not re-encode to the same bytes stays `raw`, never dropped.
 */
export type Insn =
  | { readonly kind: 'ldAbs'; readonly size: LoadSize; readonly k: number }
  | { readonly kind: 'ldInd'; readonly size: LoadSize; readonly k: number }
  | { readonly kind: 'ldImm'; readonly k: number }
  | { readonly kind: 'ldLen' }
  | { readonly kind: 'ldMem'; readonly k: number }
  | { readonly kind: 'ldExt'; readonly size: LoadSize; readonly ext: AncillaryName }
  | { readonly kind: 'ldxImm'; readonly k: number }
  | { readonly kind: 'ldxLen' }
  | { readonly kind: 'ldxMem'; readonly k: number }
  | { readonly kind: 'ldxMsh'; readonly k: number }
  | { readonly kind: 'st'; readonly k: number }
  | { readonly kind: 'stx'; readonly k: number }
  | { readonly kind: 'alu'; readonly op: AluOp; readonly src: 'k'; readonly k: number }
  | { readonly kind: 'alu'; readonly op: AluOp; readonly src: 'x' }
  | { readonly kind: 'neg' }
  | { readonly kind: 'ja'; readonly k: number }
  | {
      readonly kind: 'jmp';
      readonly cond: JumpCond;
      readonly src: 'k';
      readonly k: number;
      readonly jt: number;
      readonly jf: number;
    }
  | {
      readonly kind: 'jmp';
      readonly cond: JumpCond;
      readonly src: 'x';
      readonly jt: number;
      readonly jf: number;
    }
  | { readonly kind: 'ret'; readonly src: 'k'; readonly k: number }
  | { readonly kind: 'ret'; readonly src: 'a' }
  | { readonly kind: 'tax' }
  | { readonly kind: 'txa' }
  | {
      readonly kind: 'raw';
      readonly code: number;
      readonly jt: number;
      readonly jf: number;
      readonly k: number;
    };

export type InsnKind = Insn['kind'];

/** Fails the type check when a switch over a union misses a case. */
export function assertNever(x: never): never {
  throw new Error(`internal error: unexpected value ${JSON.stringify(x)}`);
}

/**
 * Builders that read like golang.org/x/net/bpf's instruction types.
 * @example
 * const arpReply = [
 *   ld.abs(12, 2), jmp.eq(0x0806, 0, 3), ld.abs(20, 2), jmp.eq(2, 0, 1), ret.k(0xffffffff), ret.k(0),
 * ];
 */
export const ld = {
  /** A = P[k : size] (big-endian). */
  abs: (k: number, size: LoadSize = 4): Insn => ({ kind: 'ldAbs', size, k: k >>> 0 }),
  /** A = P[X + k : size]. */
  ind: (k: number, size: LoadSize = 4): Insn => ({ kind: 'ldInd', size, k: k >>> 0 }),
  /** A = k. */
  imm: (k: number): Insn => ({ kind: 'ldImm', k: k >>> 0 }),
  /** A = wire length of the packet. */
  len: (): Insn => ({ kind: 'ldLen' }),
  /** A = M[k]. */
  mem: (k: number): Insn => ({ kind: 'ldMem', k: k >>> 0 }),
  /** A = Linux ancillary field (SKF_AD_*); the size is ignored by the kernel. */
  ext: (ext: AncillaryName, size: LoadSize = 4): Insn => ({ kind: 'ldExt', size, ext }),
};

export const ldx = {
  /** X = k. */
  imm: (k: number): Insn => ({ kind: 'ldxImm', k: k >>> 0 }),
  /** X = wire length. */
  len: (): Insn => ({ kind: 'ldxLen' }),
  /** X = M[k]. */
  mem: (k: number): Insn => ({ kind: 'ldxMem', k: k >>> 0 }),
  /** X = 4 * (P[k] & 0xf), the IPv4 header length. */
  msh: (k: number): Insn => ({ kind: 'ldxMsh', k: k >>> 0 }),
};

/** M[k] = A. */
export const st = (k: number): Insn => ({ kind: 'st', k: k >>> 0 });
/** M[k] = X. */
export const stx = (k: number): Insn => ({ kind: 'stx', k: k >>> 0 });

const aluK =
  (op: AluOp) =>
  (k: number): Insn => ({ kind: 'alu', op, src: 'k', k: k >>> 0 });
const aluXOp = (op: AluOp) => (): Insn => ({ kind: 'alu', op, src: 'x' });

/** A = A op k. */
export const alu = {
  add: aluK('add'),
  sub: aluK('sub'),
  mul: aluK('mul'),
  div: aluK('div'),
  mod: aluK('mod'),
  or: aluK('or'),
  and: aluK('and'),
  xor: aluK('xor'),
  lsh: aluK('lsh'),
  rsh: aluK('rsh'),
  /** A = -A. */
  neg: (): Insn => ({ kind: 'neg' }),
};

/** A = A op X. */
export const aluX = {
  add: aluXOp('add'),
  sub: aluXOp('sub'),
  mul: aluXOp('mul'),
  div: aluXOp('div'),
  mod: aluXOp('mod'),
  or: aluXOp('or'),
  and: aluXOp('and'),
  xor: aluXOp('xor'),
  lsh: aluXOp('lsh'),
  rsh: aluXOp('rsh'),
};

const jk =
  (cond: JumpCond) =>
  (k: number, jt = 0, jf = 0): Insn => ({ kind: 'jmp', cond, src: 'k', k: k >>> 0, jt, jf });
const jx =
  (cond: JumpCond) =>
  (jt = 0, jf = 0): Insn => ({ kind: 'jmp', cond, src: 'x', jt, jf });

/** Jumps; `jt`/`jf` skip that many instructions after this one. */
export const jmp = {
  /** pc += 1 + k. */
  ja: (k: number): Insn => ({ kind: 'ja', k: k >>> 0 }),
  eq: jk('jeq'),
  gt: jk('jgt'),
  ge: jk('jge'),
  set: jk('jset'),
  eqX: jx('jeq'),
  gtX: jx('jgt'),
  geX: jx('jge'),
  setX: jx('jset'),
};

export const ret = {
  /** Return k (0 = drop; otherwise keep at most k bytes). */
  k: (k: number): Insn => ({ kind: 'ret', src: 'k', k: k >>> 0 }),
  /** Return A. */
  a: (): Insn => ({ kind: 'ret', src: 'a' }),
};

/** X = A. */
export const tax = (): Insn => ({ kind: 'tax' });
/** A = X. */
export const txa = (): Insn => ({ kind: 'txa' });
/** An instruction kept exactly as encoded. */
export const rawInsn = (code: number, jt: number, jf: number, k: number): Insn => ({
  kind: 'raw',
  code,
  jt,
  jf,
  k: k >>> 0,
});
