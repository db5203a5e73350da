// Constant ALU steps as every platform computes them: the optimizer folds with this, and the decompiler
// (which adds the one rule a platform sets, for shift counts past 31).
import type { AluOp } from './insn.js';

/** The u32 result of `a op b`, or undefined where the platforms differ or the run would stop (÷0, shift ≥ 32). */
export function evalAlu(op: AluOp, a: number, b: number): number | undefined {
  switch (op) {
    case 'add':
      return (a + b) >>> 0;
    case 'sub':
      return (a - b) >>> 0;
    case 'mul':
      return Math.imul(a, b) >>> 0;
    case 'div':
      return b === 0 ? undefined : Math.floor(a / b) >>> 0;
    case 'mod':
      return b === 0 ? undefined : (a % b) >>> 0;
    case 'and':
      return (a & b) >>> 0;
    case 'or':
      return (a | b) >>> 0;
    case 'xor':
      return (a ^ b) >>> 0;
    // Linux takes a register shift count mod 32, libpcap gives 0: fold only counts both agree on.
    case 'lsh':
      return b >= 32 ? undefined : (a << b) >>> 0;
    case 'rsh':
      return b >= 32 ? undefined : a >>> b;
  }
}
