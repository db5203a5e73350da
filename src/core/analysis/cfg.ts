// The control-flow graph of a validated program: basic blocks, their edges and which are reachable.
// Classic BPF jumps only forward on Linux and BSD, so the graph is a DAG whose blocks sorted by
// start are already a topological order; libpcap's backward `ja` (cbpf-reference.md 2) adds back
// edges, which the analyses treat conservatively and the emitter turns into a guarded loop.
import type { Program } from '../encode.js';
import { BPF_CLASS, BPF_JMP, BPF_RET, OP } from '../opcodes.js';
import type { ProfileFacts } from '../profiles.js';

/** A maximal straight run of instructions entered only at `start`. */
export interface Block {
  /** Index in Cfg.blocks (blocks are sorted by start). */
  readonly id: number;
  /** First instruction. */
  readonly start: number;
  /** One past the last instruction. */
  readonly end: number;
  /** Instruction indices the last instruction can continue at (empty after a return). */
  readonly succs: readonly number[];
  /** Ids of the blocks that can continue here. */
  readonly preds: number[];
  /** Reached from instruction 0 along some edge. */
  reachable: boolean;
}

export interface Cfg {
  readonly blocks: readonly Block[];
  /** Block id of each instruction. */
  readonly blockOf: Int32Array;
  /** Targets of backward jumps, ascending (only under a profile that runs them). */
  readonly backTargets: readonly number[];
}

const isJump = (code: number): boolean => BPF_CLASS(code) === BPF_JMP;
const isRet = (code: number): boolean => BPF_CLASS(code) === BPF_RET;

/**
 * Where instruction `pc` may continue: none after a return; `ja` adds k (as signed 32-bit under a
 * profile with backward jumps, as libpcap's bpf_filter does); a conditional jump has both edges.
 */
export function successors(program: Program, pc: number, facts: ProfileFacts): number[] {
  const { code, jt, jf, k } = program[pc];
  if (isRet(code)) return [];
  if (!isJump(code)) return [pc + 1];
  if (code === OP.JA) return [pc + 1 + (facts.backwardJa ? k | 0 : k)];
  return jt === jf ? [pc + 1 + jt] : [pc + 1 + jt, pc + 1 + jf];
}

/** Splits a validated, non-empty program into blocks. */
export function buildCfg(program: Program, facts: ProfileFacts): Cfg {
  const n = program.length;
  const leader = new Uint8Array(n + 1);
  leader[0] = 1;
  const back = new Set<number>();
  for (let pc = 0; pc < n; pc++) {
    const code = program[pc].code;
    if (!isJump(code) && !isRet(code)) continue;
    leader[pc + 1] = 1;
    for (const t of successors(program, pc, facts)) {
      leader[t] = 1;
      if (t <= pc) back.add(t);
    }
  }
  const starts: number[] = [];
  for (let pc = 0; pc < n; pc++) if (leader[pc]) starts.push(pc);
  const blockOf = new Int32Array(n);
  const blocks: Block[] = starts.map((start, id) => {
    const end = id + 1 < starts.length ? starts[id + 1] : n;
    blockOf.fill(id, start, end);
    return {
      id,
      start,
      end,
      succs: successors(program, end - 1, facts),
      preds: [],
      reachable: false,
    };
  });
  for (const b of blocks) for (const s of b.succs) blocks[blockOf[s]].preds.push(b.id);
  // Reachability from the entry (a stack, since back edges may revisit).
  const stack = [0];
  blocks[0].reachable = true;
  while (stack.length > 0) {
    const b = blocks[stack.pop() as number];
    for (const s of b.succs) {
      const t = blocks[blockOf[s]];
      if (!t.reachable) {
        t.reachable = true;
        stack.push(t.id);
      }
    }
  }
  return { blocks, blockOf, backTargets: [...back].sort((a, b) => a - b) };
}
