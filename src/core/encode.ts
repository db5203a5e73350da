// assemble/disassemble between typed instructions and raw {code, jt, jf, k}; 8-byte sock_filter records.
import { EncodeError } from './errors.js';
import {
  type AluOp,
  assertNever,
  type Insn,
  type JumpCond,
  type LoadSize,
  type RawInsn,
} from './insn.js';
import {
  ALU_OPS,
  ancillaryAt,
  BPF_ABS,
  BPF_ALU,
  BPF_B,
  BPF_CLASS,
  BPF_H,
  BPF_IMM,
  BPF_IND,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_MEM,
  BPF_MISC,
  BPF_MODE,
  BPF_OP,
  BPF_RET,
  BPF_SIZE,
  BPF_ST,
  BPF_STX,
  BPF_W,
  BPF_X,
  JMP_CONDS,
  OP,
  SKF_AD,
  SKF_AD_OFF,
} from './opcodes.js';

/** A program as the machine sees it. */
export type Program = readonly RawInsn[];

/** Byte order of the 8-byte records: the host's on the machine that runs them. */
export type Endian = 'le' | 'be';

const ALU_BY_CODE = new Map<number, AluOp>(
  Object.entries(ALU_OPS).map(([k, v]) => [v, k as AluOp]),
);
const JMP_BY_CODE = new Map<number, JumpCond>(
  Object.entries(JMP_CONDS).map(([k, v]) => [v, k as JumpCond]),
);

const SIZE_BITS: Readonly<Record<LoadSize, number>> = { 4: BPF_W, 2: BPF_H, 1: BPF_B };
const SIZE_BY_BITS = new Map<number, LoadSize>([
  [BPF_W, 4],
  [BPF_H, 2],
  [BPF_B, 1],
]);

const r = (code: number, k = 0, jt = 0, jf = 0): RawInsn => ({ code, jt, jf, k: k >>> 0 });

/** Encodes one typed instruction; `index` only labels errors. */
export function assembleOne(insn: Insn, index = 0): RawInsn {
  const out = encode(insn);
  checkFields(out, index);
  return out;
}

function encode(insn: Insn): RawInsn {
  switch (insn.kind) {
    case 'ldAbs':
      return r(BPF_LD | SIZE_BITS[insn.size] | BPF_ABS, insn.k);
    case 'ldInd':
      return r(BPF_LD | SIZE_BITS[insn.size] | BPF_IND, insn.k);
    case 'ldImm':
      return r(OP.LD_IMM, insn.k);
    case 'ldLen':
      return r(OP.LD_LEN);
    case 'ldMem':
      return r(OP.LD_MEM, insn.k);
    case 'ldExt':
      return r(BPF_LD | SIZE_BITS[insn.size] | BPF_ABS, SKF_AD_OFF + SKF_AD[insn.ext]);
    case 'ldxImm':
      return r(OP.LDX_IMM, insn.k);
    case 'ldxLen':
      return r(OP.LDX_LEN);
    case 'ldxMem':
      return r(OP.LDX_MEM, insn.k);
    case 'ldxMsh':
      return r(OP.LDX_MSH, insn.k);
    case 'st':
      return r(OP.ST, insn.k);
    case 'stx':
      return r(OP.STX, insn.k);
    case 'alu':
      return insn.src === 'k'
        ? r(BPF_ALU | ALU_OPS[insn.op] | BPF_K, insn.k)
        : r(BPF_ALU | ALU_OPS[insn.op] | BPF_X);
    case 'neg':
      return r(OP.NEG);
    case 'ja':
      return r(OP.JA, insn.k);
    case 'jmp':
      return insn.src === 'k'
        ? r(BPF_JMP | JMP_CONDS[insn.cond] | BPF_K, insn.k, insn.jt, insn.jf)
        : r(BPF_JMP | JMP_CONDS[insn.cond] | BPF_X, 0, insn.jt, insn.jf);
    case 'ret':
      return insn.src === 'k' ? r(OP.RET_K, insn.k) : r(OP.RET_A);
    case 'tax':
      return r(OP.TAX);
    case 'txa':
      return r(OP.TXA);
    case 'raw':
      return { code: insn.code, jt: insn.jt, jf: insn.jf, k: insn.k >>> 0 };
    default:
      return assertNever(insn);
  }
}

function isUint(v: number, bits: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < 2 ** bits;
}

function checkFields(x: RawInsn, index: number): void {
  if (!isUint(x.code, 16)) throw new EncodeError(index, `code ${x.code} is not a u16`);
  if (!isUint(x.jt, 8)) throw new EncodeError(index, `jt ${x.jt} is not in 0..255`);
  if (!isUint(x.jf, 8)) throw new EncodeError(index, `jf ${x.jf} is not in 0..255`);
  if (!isUint(x.k, 32)) throw new EncodeError(index, `k ${x.k} is not a u32`);
}

/** Typed instructions → raw instructions. Throws EncodeError naming the index of a bad field. */
export function assemble(insns: readonly Insn[]): RawInsn[] {
  return insns.map((insn, i) => assembleOne(insn, i));
}

/** Decodes one raw instruction by its fields, without checking that it re-encodes identically. */
function decode(x: RawInsn): Insn | undefined {
  const { code, k } = x;
  if (code > 255) return undefined;
  const cls = BPF_CLASS(code);
  switch (cls) {
    case BPF_LD: {
      const size = SIZE_BY_BITS.get(BPF_SIZE(code));
      const mode = BPF_MODE(code);
      if (size === undefined) return undefined;
      if (mode === BPF_ABS) {
        const ext = ancillaryAt(k);
        return ext ? { kind: 'ldExt', size, ext } : { kind: 'ldAbs', size, k };
      }
      if (mode === BPF_IND) return { kind: 'ldInd', size, k };
      if (size !== 4) return undefined;
      if (mode === BPF_IMM) return { kind: 'ldImm', k };
      if (mode === BPF_LEN) return { kind: 'ldLen' };
      if (mode === BPF_MEM) return { kind: 'ldMem', k };
      return undefined;
    }
    case BPF_LDX:
      if (code === OP.LDX_IMM) return { kind: 'ldxImm', k };
      if (code === OP.LDX_LEN) return { kind: 'ldxLen' };
      if (code === OP.LDX_MEM) return { kind: 'ldxMem', k };
      if (code === OP.LDX_MSH) return { kind: 'ldxMsh', k };
      return undefined;
    case BPF_ST:
      return code === OP.ST ? { kind: 'st', k } : undefined;
    case BPF_STX:
      return code === OP.STX ? { kind: 'stx', k } : undefined;
    case BPF_ALU: {
      if (code === OP.NEG) return { kind: 'neg' };
      const op = ALU_BY_CODE.get(BPF_OP(code));
      if (!op) return undefined;
      return code & BPF_X ? { kind: 'alu', op, src: 'x' } : { kind: 'alu', op, src: 'k', k };
    }
    case BPF_JMP: {
      if (code === OP.JA) return { kind: 'ja', k };
      const cond = JMP_BY_CODE.get(BPF_OP(code));
      if (!cond) return undefined;
      return code & BPF_X
        ? { kind: 'jmp', cond, src: 'x', jt: x.jt, jf: x.jf }
        : { kind: 'jmp', cond, src: 'k', k, jt: x.jt, jf: x.jf };
    }
    case BPF_RET:
      if (code === OP.RET_K) return { kind: 'ret', src: 'k', k };
      if (code === OP.RET_A) return { kind: 'ret', src: 'a' };
      return undefined;
    case BPF_MISC:
      if (code === OP.TAX) return { kind: 'tax' };
      if (code === OP.TXA) return { kind: 'txa' };
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Raw → typed. An instruction whose typed form would not re-encode to exactly the same four
 * fields (unknown opcode, or non-zero fields the opcode ignores) is kept as `raw`.
 */
export function disassembleOne(x: RawInsn): Insn {
  const t = decode(x);
  if (t) {
    const back = encode(t);
    if (back.code === x.code && back.jt === x.jt && back.jf === x.jf && back.k === x.k >>> 0)
      return t;
  }
  return { kind: 'raw', code: x.code, jt: x.jt, jf: x.jf, k: x.k >>> 0 };
}

/**
 * The instruction with every field its opcode ignores set to 0 (what `tcpdump -d` and bpf_asm can show);
 * an unknown opcode keeps only its code.
 */
export function canonicalize(x: RawInsn): RawInsn {
  const t = decode(x);
  return t ? encode(t) : { code: x.code, jt: 0, jf: 0, k: 0 };
}

/** Raw → typed, one for one; nothing is dropped. */
export function disassemble(program: readonly RawInsn[]): Insn[] {
  return program.map(disassembleOne);
}

/** True if `x` is a raw instruction record rather than a typed one. */
export function isRawInsn(x: Insn | RawInsn): x is RawInsn {
  return !('kind' in x);
}

/** Accepts typed or raw instructions (mixed) and returns raw ones. */
export function toProgram(insns: readonly (Insn | RawInsn)[]): RawInsn[] {
  return insns.map((x, i) => {
    if (!isRawInsn(x)) return assembleOne(x, i);
    checkFields(x, i);
    return x;
  });
}

/** Bytes per `struct sock_filter` / `struct bpf_insn`. */
export const INSN_BYTES = 8;

/** Raw instructions → 8-byte records (code u16, jt u8, jf u8, k u32), in the given byte order. */
export function toBytes(program: readonly RawInsn[], endian: Endian = 'le'): Uint8Array {
  const out = new Uint8Array(program.length * INSN_BYTES);
  const dv = new DataView(out.buffer);
  const le = endian === 'le';
  program.forEach((x, i) => {
    checkFields(x, i);
    const o = i * INSN_BYTES;
    dv.setUint16(o, x.code, le);
    dv.setUint8(o + 2, x.jt);
    dv.setUint8(o + 3, x.jf);
    dv.setUint32(o + 4, x.k, le);
  });
  return out;
}

/** 8-byte records → raw instructions. Throws EncodeError if the length is not a multiple of 8. */
export function fromBytes(bytes: Uint8Array, endian: Endian = 'le'): RawInsn[] {
  if (bytes.length % INSN_BYTES !== 0) {
    throw new EncodeError(
      Math.floor(bytes.length / INSN_BYTES),
      `${bytes.length} bytes is not a whole number of 8-byte instructions`,
    );
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = endian === 'le';
  const out: RawInsn[] = [];
  for (let o = 0; o < bytes.length; o += INSN_BYTES) {
    out.push({
      code: dv.getUint16(o, le),
      jt: dv.getUint8(o + 2),
      jf: dv.getUint8(o + 3),
      k: dv.getUint32(o + 4, le),
    });
  }
  return out;
}
