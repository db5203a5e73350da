// Runs a flow on a concrete packet, as the interpreter runs a program: how a counterexample is confirmed
// and its path shown. A program is also replayed in core's run() (replayProgram); a compiler graph only
// here.
import {
  type AncillaryData,
  ancillaryValue,
  headerRelative,
  withDefaults,
} from '../core/ancillary.js';
import type { Program } from '../core/encode.js';
import { SKF_AD, SKF_AD_OFF } from '../core/opcodes.js';
import { PROFILES, type ProfileName } from '../core/profiles.js';
import { run } from '../core/vm.js';
import { type Flow, OFF_PROGRAM, PAST_BOUND } from './flow.js';

export interface Replay {
  /** The u32 the run returns. */
  readonly result: number;
  /** Labels of the nodes executed, in order: instruction indices, or block ids for a graph. */
  readonly path: readonly number[];
  /** The run stopped before a `ret` (load past the captured bytes, division by 0, ...). */
  readonly stopped: boolean;
}

export interface ReplayOptions {
  readonly wirelen: number;
  readonly profile: ProfileName;
  readonly ancillary?: Partial<AncillaryData>;
}

const SIZE = [4, 2, 1, 0];

/** Runs `flow` on `packet`; PAST_BOUND counts as a stop (the run would go on in the real machine). */
export function replayFlow(flow: Flow, packet: Uint8Array, o: ReplayOptions): Replay {
  const facts = PROFILES[o.profile];
  const linux = facts.linuxExtensions;
  const anc = withDefaults(o.ancillary);
  const path: number[] = [];
  if (flow.nodes.length === 0) return { result: flow.emptyResult, path, stopped: false };
  const rd = (off: number, size: number): number => {
    if (off < 0 || off + size > packet.length) return -1;
    let v = 0;
    for (let i = 0; i < size; i++) v = v * 256 + packet[off + i];
    return v;
  };
  const rdRel = (u: number, size: number): number => {
    const off = headerRelative(u, anc);
    if (off === undefined) return -1;
    if (off >= 0) return rd(off, size);
    const h = anc.headroom;
    if (h === undefined || off < -h.length || off + size > packet.length) return -1;
    let v = 0;
    for (let i = off; i < off + size; i++) v = v * 256 + (i < 0 ? h[h.length + i] : packet[i]);
    return v;
  };
  const stopped = (): Replay => ({ result: 0, path, stopped: true });
  let A = 0;
  let X = 0;
  const M = new Uint32Array(16);
  let i = 0;
  for (;;) {
    if (i === OFF_PROGRAM || i === PAST_BOUND) return stopped();
    const node = flow.nodes[i];
    path.push(node.label);
    const { code, k } = node.insn;
    let next = node.succ[0];
    switch (code) {
      case 0x20:
      case 0x28:
      case 0x30: {
        const size = SIZE[(code >> 3) & 3];
        if (linux && k >= SKF_AD_OFF) {
          if (k === SKF_AD_OFF + SKF_AD.alu_xor_x) A = (A ^ X) >>> 0;
          else {
            const v = ancillaryValue(k, A, X, anc, packet);
            if (v < 0) return stopped();
            A = v;
          }
          break;
        }
        const v = linux && k >= 0x80000000 ? rdRel(k, size) : rd(k, size);
        if (v < 0) return stopped();
        A = v;
        break;
      }
      case 0x40:
      case 0x48:
      case 0x50: {
        const size = SIZE[(code >> 3) & 3];
        const off = linux ? ((X + k) | 0) >>> 0 : X + k;
        const v = linux && off >= 0x80000000 ? rdRel(off, size) : rd(off, size);
        if (v < 0) return stopped();
        A = v;
        break;
      }
      case 0xb1: {
        const v = linux && k >= 0x80000000 ? rdRel(k, 1) : rd(k, 1);
        if (v < 0) return stopped();
        X = (v & 0xf) << 2;
        break;
      }
      case 0x00:
        A = k;
        break;
      case 0x01:
        X = k;
        break;
      case 0x80:
        A = o.wirelen >>> 0;
        break;
      case 0x81:
        X = o.wirelen >>> 0;
        break;
      case 0x60:
      case 0x61:
      case 0x02:
      case 0x03:
        if (k >= 16) return stopped();
        if (code === 0x60) A = M[k];
        else if (code === 0x61) X = M[k];
        else if (code === 0x02) M[k] = A;
        else M[k] = X;
        break;
      case 0x84:
        A = (0 - A) >>> 0;
        break;
      case 0x05:
        break;
      case 0x15:
      case 0x1d:
      case 0x25:
      case 0x2d:
      case 0x35:
      case 0x3d:
      case 0x45:
      case 0x4d: {
        const r = code & 0x08 ? X : k;
        const op = code & 0xf0;
        const t =
          op === 0x10 ? A === r : op === 0x20 ? A > r : op === 0x30 ? A >= r : (A & r) !== 0;
        next = t ? node.succ[0] : node.succ[1];
        break;
      }
      case 0x06:
        return { result: k >>> 0, path, stopped: false };
      case 0x16:
        return { result: A, path, stopped: false };
      case 0x07:
        X = A;
        break;
      case 0x87:
        A = X;
        break;
      default: {
        if (code > 0xff || (code & 0x07) !== 0x04) return stopped();
        const r = code & 0x08 ? X : k;
        const c = code & 0xf7;
        if (c === 0x04) A = (A + r) >>> 0;
        else if (c === 0x14) A = (A - r) >>> 0;
        else if (c === 0x24) A = Math.imul(A, r) >>> 0;
        else if (c === 0x34 || c === 0x94) {
          if (r === 0) return stopped();
          A = c === 0x34 ? Math.floor(A / r) >>> 0 : A % r;
        } else if (c === 0x44) A = (A | r) >>> 0;
        else if (c === 0x54) A = (A & r) >>> 0;
        else if (c === 0xa4) A = (A ^ r) >>> 0;
        else if (c === 0x64 || c === 0x74) {
          const n = facts.wideShift === 'mod32' ? r & 31 : r;
          A = n >= 32 ? 0 : c === 0x64 ? (A << n) >>> 0 : A >>> n;
        } else return stopped();
      }
    }
    i = next;
  }
}

/**
 * Runs a program in core's interpreter, the reference, and takes its path from the trace. libpcap's
 * backward jumps run with the interpreter's own budget.
 */
export function replayProgram(program: Program, packet: Uint8Array, o: ReplayOptions): Replay {
  const path: number[] = [];
  let last = -1;
  const result = run(program, packet, {
    wirelen: o.wirelen,
    profile: o.profile,
    ancillary: o.ancillary,
    trace: (s) => {
      path.push(s.pc);
      last = s.pc;
    },
  });
  const code = last >= 0 ? program[last].code : 0x06;
  return { result, path, stopped: !(code === 0x06 || code === 0x16) };
}
