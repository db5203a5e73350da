// A WebAssembly binary writer: LEB128 numbers, the opcodes the backend uses, and a module of
// type, import (one memory), function, export and code sections (WebAssembly core spec 5).

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;
/** Block type of a block that leaves nothing on the stack. */
export const VOID = 0x40;

/** The opcodes emit.ts uses, under their text-format names. */
export const OP = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  return: 0x0f,
  select: 0x1b,
  local_get: 0x20,
  local_set: 0x21,
  local_tee: 0x22,
  i32_load: 0x28,
  i32_load8_u: 0x2d,
  i32_load16_u: 0x2f,
  memory_size: 0x3f,
  i32_const: 0x41,
  i64_const: 0x42,
  i32_eqz: 0x45,
  i32_eq: 0x46,
  i32_ne: 0x47,
  i32_lt_s: 0x48,
  i32_lt_u: 0x49,
  i32_gt_u: 0x4b,
  i32_ge_u: 0x4f,
  i64_lt_s: 0x53,
  i64_gt_s: 0x55,
  i64_gt_u: 0x56,
  i32_add: 0x6a,
  i32_sub: 0x6b,
  i32_mul: 0x6c,
  i32_div_u: 0x6e,
  i32_rem_u: 0x70,
  i32_and: 0x71,
  i32_or: 0x72,
  i32_xor: 0x73,
  i32_shl: 0x74,
  i32_shr_u: 0x76,
  i32_rotl: 0x77,
  i64_add: 0x7c,
  i64_shl: 0x86,
  i32_wrap_i64: 0xa7,
  i64_extend_i32_u: 0xad,
} as const;

/** A growable byte buffer with the encodings the binary format uses. */
export class Writer {
  private buf: Uint8Array<ArrayBuffer> = new Uint8Array(256);
  private n = 0;

  get length(): number {
    return this.n;
  }

  byte(b: number): this {
    if (this.n === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = b & 0xff;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    for (let i = 0; i < bs.length; i++) this.byte(bs[i]);
    return this;
  }

  /** Unsigned LEB128 of a u32. */
  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new RangeError(`wasm: expected a u32, got ${v}`);
    let x = v;
    do {
      const low = x % 128;
      x = Math.floor(x / 128);
      this.byte(x === 0 ? low : low | 0x80);
    } while (x !== 0);
    return this;
  }

  /** Signed LEB128 of an integer within ±2^53 (i32.const takes it as the low 32 bits' signed value). */
  sleb(v: number): this {
    if (!Number.isSafeInteger(v)) throw new RangeError(`wasm: expected an integer, got ${v}`);
    let x = v;
    for (;;) {
      const low = ((x % 128) + 128) % 128;
      x = Math.floor(x / 128); // arithmetic shift right by 7
      const done = (x === 0 && (low & 0x40) === 0) || (x === -1 && (low & 0x40) !== 0);
      this.byte(done ? low : low | 0x80);
      if (done) return this;
    }
  }

  /** A name: its UTF-8 length then bytes (ASCII only here). */
  name(s: string): this {
    this.u32(s.length);
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
    return this;
  }

  /** A nested vector or section body: its byte length then the bytes. */
  sized(inner: Writer): this {
    this.u32(inner.n);
    return this.bytes(inner.buf.subarray(0, inner.n));
  }

  finish(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.n);
  }
}

/** One exported function: its signature, extra locals (after the parameters) and body code. */
export interface FuncDef {
  readonly name: string;
  readonly params: readonly number[];
  readonly results: readonly number[];
  /** Types of the locals after the parameters, in index order. */
  readonly locals: readonly number[];
  /** The expression, without the final `end`. */
  readonly code: Writer;
}

const section = (out: Writer, id: number, body: Writer): void => {
  out.byte(id).sized(body);
};

/**
 * A module importing one memory `importModule.importName` (at least one page) and exporting
 * `funcs` by name, each with its own type.
 */
export function encodeModule(
  importModule: string,
  importName: string,
  funcs: readonly FuncDef[],
): Uint8Array<ArrayBuffer> {
  const out = new Writer().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const types = new Writer().u32(funcs.length);
  for (const f of funcs) {
    types.byte(0x60).u32(f.params.length).bytes(f.params);
    types.u32(f.results.length).bytes(f.results);
  }
  section(out, 1, types);
  const imports = new Writer().u32(1).name(importModule).name(importName);
  imports.byte(0x02).byte(0x00).u32(1); // memory, limits: min 1 page, no maximum
  section(out, 2, imports);
  const fns = new Writer().u32(funcs.length);
  for (let i = 0; i < funcs.length; i++) fns.u32(i);
  section(out, 3, fns);
  const exports = new Writer().u32(funcs.length);
  for (let i = 0; i < funcs.length; i++) exports.name(funcs[i].name).byte(0x00).u32(i);
  section(out, 7, exports);
  const code = new Writer().u32(funcs.length);
  for (const f of funcs) {
    const body = new Writer();
    // Locals as runs of one type.
    const runs: [number, number][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    body.u32(runs.length);
    for (const [count, t] of runs) body.u32(count).byte(t);
    body.bytes(f.code.finish()).byte(OP.end);
    code.sized(body);
  }
  section(out, 10, code);
  return out.finish();
}
