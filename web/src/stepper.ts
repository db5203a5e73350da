// A program run on one packet, kept as every state the machine passes through, so the step view can
// go forward and back freely (cBPF runs are short: at most one visit per instruction on Linux).
import {
  createMachine,
  loadedBytes,
  type MachineState,
  type ProfileName,
  type Program,
} from '../../src/index.js';

export interface Trace {
  /** states[0] is before the first instruction; the last one is done (or the run hit the limit). */
  readonly states: readonly MachineState[];
}

/** Bounds the trace of a libpcap program with backward jumps; a Linux run never comes close. */
const MAX_STATES = 100_000;

export function traceRun(
  program: Program,
  packet: Uint8Array,
  wirelen: number,
  profile: ProfileName,
): Trace {
  const m = createMachine(program, packet, { wirelen, profile });
  const states = [m.state];
  let st = states[0];
  while (!st.done && states.length < MAX_STATES) {
    st = m.step();
    states.push(st);
  }
  return { states };
}

/** The packet bytes the instruction about to execute in `st` reads, if it is a packet load. */
export function bytesAt(
  program: Program,
  st: MachineState,
): { offset: number; size: number } | undefined {
  const insn = program[st.pc];
  return st.done || !insn ? undefined : loadedBytes(insn, st.X);
}
