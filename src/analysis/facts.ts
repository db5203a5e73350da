// What a program has established when it reaches each instruction, on every path there: the packet
// bytes its jumps proved equal to a constant, whether it ruled out IPv4 fragments, what X holds, and the
// furthest byte it has loaded. The linter reads its findings off these facts.
import { disassemble } from '../core/encode.js';
import type { Insn, RawInsn } from '../core/insn.js';

/** A load's [offset, offset + size) from the packet start, or relative to X. */
export interface LoadAt {
  readonly index: number;
  readonly relative: 'abs' | 'x';
  readonly offset: number;
  readonly size: number;
}

/** What every path to an instruction has shown. */
export interface Facts {
  /** "offset:size" → value, from jeq true edges (and jset/jeq false edges say nothing). */
  readonly equal: ReadonlyMap<string, number>;
  /** Fields ("offset:size", masked or not) some jump has compared on every path, whatever the outcome. */
  readonly tested: ReadonlySet<string>;
  /** The IPv4 fragment field (offset) was tested with jset 0x1fff and was zero. */
  readonly notFragment: ReadonlySet<number>;
  /** X = 4 * (byte at this offset & 0xf): the IPv4 header length of a header there (ldx msh). */
  readonly xIsIhlAt?: number;
  /** One past the furthest absolute byte any load on every path read. */
  readonly maxRead: number;
}

/** A pinned field's key: offset and size, and the mask when the value was masked first. */
const key = (offset: number, size: number, mask?: number) =>
  mask === undefined ? `${offset}:${size}` : `${offset}:${size}&${mask >>> 0}`;

function meet(a: Facts | undefined, b: Facts): Facts {
  if (!a) return b;
  const equal = new Map<string, number>();
  for (const [k, v] of a.equal) if (b.equal.get(k) === v) equal.set(k, v);
  return {
    equal,
    tested: new Set([...a.tested].filter((k) => b.tested.has(k))),
    notFragment: new Set([...a.notFragment].filter((o) => b.notFragment.has(o))),
    xIsIhlAt: a.xIsIhlAt === b.xIsIhlAt ? a.xIsIhlAt : undefined,
    maxRead: Math.min(a.maxRead, b.maxRead),
  };
}

export interface ProgramFacts {
  readonly insns: Insn[];
  /** Facts on entry to each instruction; undefined where no path reaches it. */
  readonly at: (Facts | undefined)[];
  /** Each packet load, in program order. */
  readonly loads: LoadAt[];
}

/** A value in A that a jump can pin to a field: the last packet load, if A still holds it. */
type Held = { relative: 'abs' | 'x'; offset: number; size: number; mask?: number } | undefined;

/**
 * Walks `program` forward (its jumps only go forward under the linux and bsd profiles; a backward
 * `ja` of libpcap's ends the walk there) and records the facts at each instruction.
 */
export function programFacts(program: readonly RawInsn[]): ProgramFacts {
  const insns = disassemble(program);
  const n = insns.length;
  const at: (Facts | undefined)[] = new Array(n).fill(undefined);
  const heldAt: Held[] = new Array(n).fill(undefined);
  const loads: LoadAt[] = [];
  at[0] = { equal: new Map(), tested: new Set(), notFragment: new Set(), maxRead: 0 };
  const flow = (to: number, f: Facts, held: Held) => {
    if (to < 0 || to >= n) return;
    at[to] = meet(at[to], f);
    // A is pinned only when every path agrees on it.
    heldAt[to] = at[to] === f ? held : sameHeld(heldAt[to], held);
  };
  for (let i = 0; i < n; i++) {
    const f = at[i];
    if (!f) continue;
    const insn = insns[i];
    let held = heldAt[i];
    let next: Facts = f;
    switch (insn.kind) {
      case 'ldAbs':
        loads.push({ index: i, relative: 'abs', offset: insn.k, size: insn.size });
        held = { relative: 'abs', offset: insn.k, size: insn.size };
        next = { ...f, maxRead: Math.max(f.maxRead, insn.k + insn.size) };
        break;
      case 'ldInd':
        loads.push({ index: i, relative: 'x', offset: insn.k, size: insn.size });
        held = { relative: 'x', offset: insn.k, size: insn.size };
        break;
      case 'ldxMsh':
        loads.push({ index: i, relative: 'abs', offset: insn.k, size: 1 });
        next = { ...f, xIsIhlAt: insn.k, maxRead: Math.max(f.maxRead, insn.k + 1) };
        break;
      case 'ldxImm':
      case 'ldxMem':
      case 'ldxLen':
      case 'tax':
        next = { ...f, xIsIhlAt: undefined };
        break;
      case 'alu':
        // `and` keeps a masked field pinnable; anything else loses the field.
        held =
          held && insn.src === 'k' && insn.op === 'and' ? { ...held, mask: insn.k } : undefined;
        break;
      case 'ja':
        if (insn.k >= 0 && i + 1 + insn.k < n) flow(i + 1 + insn.k, f, held);
        continue;
      case 'jmp': {
        const t = i + 1 + insn.jt;
        const e = i + 1 + insn.jf;
        const tested =
          held?.relative === 'abs'
            ? { ...f, tested: new Set([...f.tested, key(held.offset, held.size)]) }
            : f;
        let onTrue = tested;
        let onFalse = tested;
        if (held?.relative === 'abs' && insn.src === 'k' && insn.cond === 'jeq') {
          const eq = new Map(f.equal);
          eq.set(key(held.offset, held.size, held.mask), insn.k);
          onTrue = { ...tested, equal: eq };
        }
        if (
          held?.relative === 'abs' &&
          insn.src === 'k' &&
          insn.cond === 'jset' &&
          (insn.k & 0x1fff) === 0x1fff
        )
          onFalse = { ...tested, notFragment: new Set([...f.notFragment, held.offset]) };
        flow(t, onTrue, held);
        flow(e, onFalse, held);
        continue;
      }
      case 'ret':
        continue;
      default:
        held =
          insn.kind === 'ldImm' ||
          insn.kind === 'ldMem' ||
          insn.kind === 'ldLen' ||
          insn.kind === 'ldExt' ||
          insn.kind === 'txa' ||
          insn.kind === 'neg'
            ? undefined
            : held;
    }
    flow(i + 1, next, held);
  }
  return { insns, at, loads };
}

function sameHeld(a: Held, b: Held): Held {
  return a &&
    b &&
    a.relative === b.relative &&
    a.offset === b.offset &&
    a.size === b.size &&
    a.mask === b.mask
    ? a
    : undefined;
}

/** The value a path fact pins at [offset, offset+size) (after `mask`), if any. */
export function pinned(f: Facts, offset: number, size: number, mask?: number): number | undefined {
  return f.equal.get(key(offset, size, mask));
}

/** Whether every path here compared the field at [offset, offset+size) (masked or not). */
export function tested(f: Facts, offset: number, size: number): boolean {
  return f.tested.has(key(offset, size));
}

/** Every pinned unmasked field, as [offset, size, value]. */
export function pinnedFields(f: Facts): [number, number, number][] {
  return [...f.equal]
    .filter(([k]) => !k.includes('&'))
    .map(([k, v]) => {
      const [o, s] = k.split(':').map(Number);
      return [o, s, v];
    });
}

/**
 * A packet of `length` bytes that `accepts` takes, found by walking paths to an accepting `ret`: the
 * fields each path's jeq tests pin are set, everything else is zero. Up to `limit` paths are tried, so
 * it may find none where the accepted packets need a field a jeq does not pin (ranges, X compares).
 */
export function acceptedPacket(
  program: readonly RawInsn[],
  length: number,
  accepts: (packet: Uint8Array) => boolean,
  limit = 256,
): Uint8Array | undefined {
  const insns = disassemble(program);
  type Pin = { offset: number; size: number; mask: number; value: number };
  const stack: { pc: number; held: Held; pins: Pin[] }[] = [{ pc: 0, held: undefined, pins: [] }];
  let tried = 0;
  while (stack.length && tried < limit) {
    const { pc, held, pins } = stack.pop()!;
    const insn = insns[pc];
    if (!insn) continue;
    switch (insn.kind) {
      case 'ret': {
        if (insn.src === 'k' && insn.k === 0) continue;
        tried++;
        const p = new Uint8Array(length);
        for (const pin of pins)
          for (let i = 0; i < pin.size && pin.offset + i < length; i++) {
            const shift = 8 * (pin.size - 1 - i);
            const m = (pin.mask >>> shift) & 0xff;
            p[pin.offset + i] = (p[pin.offset + i] & ~m) | ((pin.value >>> shift) & m);
          }
        if (accepts(p)) return p;
        continue;
      }
      case 'ja':
        stack.push({ pc: pc + 1 + insn.k, held, pins });
        continue;
      case 'jmp': {
        stack.push({ pc: pc + 1 + insn.jf, held, pins });
        const pin =
          held?.relative === 'abs' && insn.src === 'k' && insn.cond === 'jeq'
            ? {
                offset: held.offset,
                size: held.size,
                mask: held.mask ?? 0xffffffff >>> (32 - 8 * held.size),
                value: insn.k,
              }
            : undefined;
        if (
          pin &&
          pins.some(
            (q) =>
              q.offset === pin.offset &&
              q.size === pin.size &&
              q.mask === pin.mask &&
              q.value !== pin.value,
          )
        )
          continue;
        stack.push({ pc: pc + 1 + insn.jt, held, pins: pin ? [...pins, pin] : pins });
        continue;
      }
      case 'ldAbs':
        stack.push({
          pc: pc + 1,
          held: { relative: 'abs', offset: insn.k, size: insn.size },
          pins,
        });
        continue;
      case 'alu':
        stack.push({
          pc: pc + 1,
          held:
            held && insn.src === 'k' && insn.op === 'and' ? { ...held, mask: insn.k } : undefined,
          pins,
        });
        continue;
      default:
        stack.push({ pc: pc + 1, held: undefined, pins });
    }
  }
  return undefined;
}
