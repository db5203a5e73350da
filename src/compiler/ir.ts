// The compiler's control-flow IR: basic blocks of straight-line cBPF statements ending in a branch or a return.
// Lowering (per link type) builds it; the optimizer rewrites it; emission lays it out as cBPF.
import type { Insn, JumpCond } from '../core/insn.js';
import type { WalkStmt } from './walk.js';

/** Index of a block in `Cfg.blocks`. */
export type BlockId = number;

/** Straight-line statements: every instruction kind but jumps and returns, and protochain's walk (walk.ts). */
export type Stmt =
  | Exclude<Insn, { kind: 'ja' } | { kind: 'jmp' } | { kind: 'ret' } | { kind: 'raw' }>
  | WalkStmt;

/** How a block ends. */
export type Term =
  /** if (A cond operand) goto t else goto f; operand is k (src 'k') or X (src 'x'). */
  | {
      readonly kind: 'branch';
      readonly cond: JumpCond;
      readonly src: 'k' | 'x';
      readonly k: number;
      readonly t: BlockId;
      readonly f: BlockId;
    }
  /** unconditional edge */
  | { readonly kind: 'goto'; readonly target: BlockId }
  /** return k (0 = reject) */
  | { readonly kind: 'ret'; readonly k: number }
  /** return A */
  | { readonly kind: 'retA' };

export interface Block {
  readonly id: BlockId;
  stmts: Stmt[];
  term: Term;
}

/** A loop-free graph; `entry` is where execution starts. */
export interface Cfg {
  blocks: Block[];
  entry: BlockId;
  /**
   * Every load must keep its chance to stop the run: libpcap leaves such a program unoptimized (it holds
   * protochain's walk), so even a load whose value goes unused decides a short packet's verdict there.
   */
  keepLoads?: boolean;
  /**
   * A port test of several transports was lowered with the protocols tested first and the rest once
   * (LowerOptions.portsPerTransport): libpcap's optimizer sees such a filter differently.
   */
  sharedPortTests?: boolean;
}
