// The calling forms a compiled program offers, whichever engine made it (the fast interpreter, the
// JIT): one packet, one packet inside a larger buffer, and a count over many.

/** Where count() writes the indices of the packets it accepts. */
export type Accepted = { [index: number]: number };

/** A program ready to run on packets. */
export interface InterpretedFilter {
  /** The filter's u32 result for `packet` (the captured bytes); `wirelen` defaults to its length. */
  (packet: Uint8Array, wirelen?: number): number;
  /** The result for the `buflen` bytes at `buf[offset]`; throws RangeError when they lie outside `buf`. */
  at(buf: Uint8Array, offset: number, buflen: number, wirelen: number): number;
  /**
   * How many of the `n` packets `buf[offsets[i] .. offsets[i] + lengths[i])` the filter accepts; with
   * `accepted`, their indices i, in order, are written to accepted[0 ..] (it needs room for n).
   */
  count(
    buf: Uint8Array,
    offsets: ArrayLike<number>,
    lengths: ArrayLike<number>,
    wirelens: ArrayLike<number>,
    n: number,
    accepted?: Accepted,
  ): number;
}

/** A compiled filter: the interpreter's calling forms (no view or copy per call), plus its source. */
export interface CompiledFilter extends InterpretedFilter {
  /** The generated one-packet function, for reading (`cbpf jit --print`); '' when interpreted. */
  readonly source: string;
  /** The generated batch function behind count(); '' when interpreted. */
  readonly batchSource: string;
}

/** The filter whose result is always `r` (an empty program, a program that cannot reach a load). */
export function constantFilter(r: number): InterpretedFilter {
  const count = (
    _b: Uint8Array,
    _o: ArrayLike<number>,
    _l: ArrayLike<number>,
    _w: ArrayLike<number>,
    n: number,
    out?: Accepted,
  ): number => {
    if (r === 0) return 0;
    if (out !== undefined) for (let i = 0; i < n; i++) out[i] = i;
    return n;
  };
  return Object.assign((_p: Uint8Array, _w?: number) => r, { at: () => r, count });
}

/** at()'s check that `buflen` bytes at `buf[offset]` lie inside `buf`. */
export function checkSpan(buf: Uint8Array, offset: number, buflen: number): void {
  if (!(offset >= 0 && buflen >= 0 && offset + buflen <= buf.length))
    throw new RangeError(
      `at: bytes [${offset}, ${offset + buflen}) lie outside a ${buf.length}-byte buffer`,
    );
}

/** FreeBSD treats a zero-length program as "no filter": every packet is accepted whole. */
export const emptyProgramResult = (emptyAcceptsAll: boolean): number =>
  emptyAcceptsAll ? 0xffffffff : 0;
