// Protochain's header walk (libpcap gen_protochain) as one IR statement, and its instructions.
//
// libpcap walks the chain in a loop: A holds a next-header value, X the offset of the header it names; while A
// is a header it knows how to skip (IPv6 hop-by-hop, destination options, routing, fragment; AH for both IP
// versions) and not the protocol asked for, it loads that header's next-header byte and moves X past it. Then
// it compares A with the protocol. So the walk itself depends on the protocol only when the protocol is one of
// the skippable headers (`stop`); for every other protocol, all protochains of one IP version at one offset
// walk alike and end with the same A. The optimizer sees the walk as one statement with a value of its own:
// a second protochain on a path that already walked reads the first walk's result from its scratch word
// instead of walking again (25 protochains make one walk, not 25).
//
// Kernels refuse backward jumps, so the emitted walk is unrolled: WALK_DEPTH headers are skipped at most, and
// a chain with more of them before the protocol is rejected where libpcap would keep walking.
import type { Insn } from '../core/insn.js';
import { IPPROTO } from './names.js';

/** Headers skipped at most before the comparison (a packet needs at least 8 bytes per header). */
export const WALK_DEPTH = 16;

/** The walk as a statement: A, X and M[slot] are set, and any of its loads may end the run. */
export interface WalkStmt {
  readonly kind: 'walk';
  /** IPv6 (extension headers and AH are skipped) or IPv4 (AH only). */
  readonly v6: boolean;
  /** Absolute offset of the network header. */
  readonly nl: number;
  /** A skippable header the walk stops at instead (protochain of that header), or -1. */
  readonly stop: number;
  /** Scratch word: the walk's work space, and its result (= A) once it ends. */
  readonly slot: number;
}

/** Headers an IPv6 walk skips (besides AH), in libpcap's order. */
const V6_SKIP = [IPPROTO.HOPOPTS, IPPROTO.DSTOPTS, IPPROTO.ROUTING, IPPROTO.FRAGMENT];

/** The headers a walk of this IP version skips. */
export function skipped(v6: boolean): readonly number[] {
  return v6 ? [...V6_SKIP, IPPROTO.AH] : [IPPROTO.AH];
}

/** A string naming what the walk computes: equal walks leave equal values. */
export function walkKey(w: WalkStmt): string {
  return `${w.v6 ? 6 : 4},${w.nl},${w.stop}`;
}

/** How the walk lays out: its tests per level, the sizes of its steps, the levels. */
function layout(w: WalkStmt) {
  // Each level's tests in order, with where a match goes: on to the end, or to a step.
  const tests: { k: number; to: 'end' | 'adv' | 'ah' }[] = [];
  if (w.stop >= 0) tests.push({ k: w.stop, to: 'end' });
  if (w.v6) for (const h of V6_SKIP) if (h !== w.stop) tests.push({ k: h, to: 'adv' });
  if (w.stop !== IPPROTO.AH) tests.push({ k: IPPROTO.AH, to: 'ah' });
  const adv = tests.some((t) => t.to === 'adv') ? 4 : 0;
  const ah = tests.some((t) => t.to === 'ah') ? (adv ? 4 : 3) : 0;
  const tail = ah + adv ? 3 : 0;
  // Nothing to skip (`ip protochain 51`: the walk stops at AH, the only header IPv4 skips): A is the answer.
  const depth = ah + adv ? WALK_DEPTH : 0;
  return { tests, adv, ah, tail, level: tests.length + ah + adv + tail, depth };
}

/** Instructions the walk emits: the start, the levels, the end. */
export function walkLength(w: WalkStmt): number {
  const { level, depth } = layout(w);
  return 2 + depth * level + 1;
}

/**
 * The walk's instructions. Per level: the tests, the AH step, then the extension-header step falling into
 * the next level; both steps share their last three instructions. A test that sends A to the end jumps to
 * the same test of the next level instead (A is unchanged, so it goes on the same way): jumps stay short
 * whatever the depth. After WALK_DEPTH steps, A is the header reached; the end stores it in M[slot].
 *
 *   ldb [x + nl + 1]; add #2; mul #4; ja tail        AH: X = (len + 2) * 4, as libpcap 1.10 (not X +)
 *   ldb [x + nl + 1]; add #1; mul #8; add x          extension header: X += (len + 1) * 8
 *   tail: st M[slot]; ldb [x + nl]; ldx M[slot]      A = the next header, X = its offset
 */
export function walkInsns(w: WalkStmt): Insn[] {
  const { nl, slot } = w;
  const { tests, adv, ah, tail, level, depth } = layout(w);
  const out: Insn[] = w.v6
    ? [
        { kind: 'ldAbs', size: 1, k: nl + 6 },
        { kind: 'ldxImm', k: 40 },
      ]
    : [
        { kind: 'ldAbs', size: 1, k: nl + 9 },
        { kind: 'ldxMsh', k: nl },
      ];
  for (let i = 0; i < depth; i++) {
    // Jump offsets count from the instruction after test `t`. Towards the end: the same test one level on,
    // or from the last level the end itself, right after it.
    const onward = (t: number) => (i === depth - 1 ? level - t - 1 : level - 1);
    const step = (t: number, to: 'end' | 'adv' | 'ah') =>
      to === 'end' ? onward(t) : (to === 'ah' ? tests.length : tests.length + ah) - t - 1;
    tests.forEach(({ k, to }, t) => {
      // A test that fails goes to the next; the last one's failure ends the walk.
      const jf = t === tests.length - 1 ? onward(t) : 0;
      out.push({ kind: 'jmp', cond: 'jeq', src: 'k', k, jt: step(t, to), jf });
    });
    if (ah) {
      out.push(
        { kind: 'ldInd', size: 1, k: nl + 1 },
        { kind: 'alu', op: 'add', src: 'k', k: 2 },
        { kind: 'alu', op: 'mul', src: 'k', k: 4 },
      );
      if (adv) out.push({ kind: 'ja', k: adv });
    }
    if (adv)
      out.push(
        { kind: 'ldInd', size: 1, k: nl + 1 },
        { kind: 'alu', op: 'add', src: 'k', k: 1 },
        { kind: 'alu', op: 'mul', src: 'k', k: 8 },
        { kind: 'alu', op: 'add', src: 'x' },
      );
    if (tail)
      out.push(
        { kind: 'st', k: slot },
        { kind: 'ldInd', size: 1, k: nl },
        { kind: 'ldxMem', k: slot },
      );
  }
  out.push({ kind: 'st', k: slot });
  return out;
}
