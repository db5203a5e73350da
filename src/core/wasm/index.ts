// The WebAssembly backend: classic BPF to a module whose exported functions run the filter on
// packets in linear memory, with the interpreter's exact semantics for the profile.
//
// The module imports its memory as `cbpf.mem` and exports
//   filter(b, len, wl) -> result       one packet: `len` captured bytes at memory[b], wire length wl
//   count(tab, n) -> accepted          n packets described by a table at memory[tab]: per packet
//                                      three little-endian u32s (offset, captured length, wire length)
// Both trap (WasmRangeError from the wrappers) when a packet or the table lies outside memory.
//
// Refused with WasmUnsupportedError (use the JS JIT instead): libpcap's backward `ja`, Linux's
// SKF_AD_NLATTR / SKF_AD_NLATTR_NEST walks, and Linux header-relative loads when `ancillary.headroom`
// holds bytes (loads that could reach the headroom). Every other SKF_AD_* load is a constant of the
// metadata, read at compile time as the JIT does.

import { analyze, type StaticLoad } from '../analysis/index.js';
import type { AncillaryData } from '../ancillary.js';
import type { Program } from '../encode.js';
import { CbpfError } from '../errors.js';
import { emptyProgramResult } from '../filter.js';
import { OP as BPF, SKF_AD, SKF_AD_OFF } from '../opcodes.js';
import { type PreparedProgram, prepare } from '../prepare.js';
import type { ProfileName } from '../profiles.js';
import { type EmitInput, emitBody, layoutLocals } from './emit.js';
import { encodeModule, I32, I64, OP, VOID, Writer } from './encoder.js';
import { planSwaps } from './swap.js';

export interface WasmOptions {
  /** Validator and run-time semantics; default 'linux', as run(). */
  profile?: ProfileName;
  /** Linux metadata for SKF_AD_* loads and SKF_NET_OFF/SKF_LL_OFF offsets, read once at compile time. */
  ancillary?: Partial<AncillaryData>;
}

/** Why a valid program has no WebAssembly form. */
export type WasmUnsupportedReason = 'BACKWARD_JUMP' | 'NLATTR' | 'HEADROOM';

/** A valid program the WebAssembly backend does not compile; `index` names the instruction. */
export class WasmUnsupportedError extends CbpfError<'WASM_UNSUPPORTED'> {
  readonly reason: WasmUnsupportedReason;
  readonly index: number;
  constructor(reason: WasmUnsupportedReason, index: number, message: string) {
    super('WASM_UNSUPPORTED', `instruction ${index}: ${message}`);
    this.reason = reason;
    this.index = index;
  }
}

/** The import the module's memory goes under. */
export const WASM_MEMORY_IMPORT = { module: 'cbpf', name: 'mem' } as const;

/** Bytes per packet in count()'s table: offset, captured length, wire length (u32 LE each). */
export const WASM_TABLE_ENTRY = 12;

/** A module instance bound to one memory. */
export interface WasmFilter {
  /** The memory the packets live in (grown by run() as needed). */
  readonly memory: WebAssembly.Memory;
  /** The result for `len` captured bytes already at memory[offset]; `wirelen` is what `ld len` loads. */
  at(offset: number, len: number, wirelen: number): number;
  /** How many of the `n` packets in the table at memory[table] the filter accepts (WASM_TABLE_ENTRY bytes each). */
  count(table: number, n: number): number;
  /** Copies `packet` to memory[0..] (overwriting what was there) and runs the filter on it. */
  run(packet: Uint8Array, wirelen?: number): number;
}

/** A compiled program: the module's bytes and a way to instantiate them. */
export interface WasmProgram {
  /** The WebAssembly binary. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /**
   * Instantiates synchronously (browsers allow synchronous compilation of small modules only off
   * the main thread; there, compile `bytes` with WebAssembly.compile and instantiate it with
   * `{ cbpf: { mem } }`). A new one-page memory when none is given.
   */
  instantiate(memory?: WebAssembly.Memory): WasmFilter;
}

/** Throws WasmUnsupportedError for the valid programs this backend leaves to the JIT. */
function checkSupported(
  prog: Program,
  loads: readonly (StaticLoad | undefined)[],
  backTargets: readonly number[],
  anc: Readonly<AncillaryData>,
  linux: boolean,
): void {
  const headroom = anc.headroom !== undefined && anc.headroom.length > 0;
  prog.forEach(({ code, k }, pc) => {
    if (backTargets.length > 0 && code === BPF.JA && (k | 0) < 0)
      throw new WasmUnsupportedError('BACKWARD_JUMP', pc, 'backward ja is not supported');
    const l = loads[pc];
    if (l?.kind === 'ancillary') {
      const a = k - SKF_AD_OFF;
      if (a === SKF_AD.nlattr || a === SKF_AD.nlattr_nest)
        throw new WasmUnsupportedError('NLATTR', pc, 'SKF_AD_NLATTR loads are not supported');
    }
    const indexed = code === BPF.LD_W_IND || code === BPF.LD_H_IND || code === BPF.LD_B_IND;
    if (headroom && linux && (l?.kind === 'rel' || indexed))
      throw new WasmUnsupportedError(
        'HEADROOM',
        pc,
        'a load that can reach ancillary.headroom is not supported',
      );
  });
}

/**
 * Compiles a program to a WebAssembly module with the interpreter's exact semantics for the
 * profile. A plain program is prepared first (throws the first ValidationError);
 * WasmUnsupportedError for what the module cannot do.
 * @example
 * const f = compileWasm(program, { profile: 'libpcap' }).instantiate();
 * f.run(frame);
 */
export function compileWasm(
  program: Program | PreparedProgram,
  options?: WasmOptions,
): WasmProgram {
  const { program: prepared, facts, ancillary: anc } = prepare(program, options);
  // An empty program is one `ret` of its result.
  const prog: Program =
    prepared.length > 0
      ? prepared
      : [{ code: BPF.RET_K, jt: 0, jf: 0, k: emptyProgramResult(facts.emptyAcceptsAll) }];
  const analysis = analyze(prog, facts, anc);
  checkSupported(prog, analysis.loads, analysis.cfg.backTargets, anc, facts.linuxExtensions);
  const input: EmitInput = {
    ...analysis,
    program: prog,
    facts,
    anc,
    swaps: planSwaps(prog, facts, analysis.loads),
  };
  const bytes = encodeModule(WASM_MEMORY_IMPORT.module, WASM_MEMORY_IMPORT.name, [
    filterFunction(input),
    countFunction(input),
  ]);
  return { bytes, instantiate: (memory) => instantiate(bytes, memory) };
}

/** Pushes nothing; traps when [base, base + len) (locals, u32) is not inside memory (`lim`, i64 bytes). */
function trapOutside(w: Writer, base: number, len: number, lim: number): void {
  w.byte(OP.local_get).u32(base).byte(OP.i64_extend_i32_u);
  w.byte(OP.local_get).u32(len).byte(OP.i64_extend_i32_u);
  w.byte(OP.i64_add);
  w.byte(OP.local_get).u32(lim);
  w.byte(OP.i64_gt_u);
  w.byte(OP.if).byte(VOID).byte(OP.unreachable).byte(OP.end);
}

/** Memory size in bytes into i64 local `lim`. */
function memoryBytes(w: Writer, lim: number): void {
  w.byte(OP.memory_size).byte(0).byte(OP.i64_extend_i32_u); // memory 0
  w.byte(OP.i64_const).sleb(16).byte(OP.i64_shl);
  w.byte(OP.local_set).u32(lim);
}

function filterFunction(input: EmitInput) {
  const fixed = { b: 0, len: 1, wl: 2 };
  const { locals, types } = layoutLocals(input.scratch, 3, fixed);
  const lim = 3 + types.length;
  const code = new Writer();
  memoryBytes(code, lim);
  trapOutside(code, fixed.b, fixed.len, lim);
  code.byte(OP.block).byte(VOID);
  emitBody(code, input, locals, 'value');
  code.byte(OP.end);
  code.byte(OP.i32_const).sleb(0);
  return {
    name: 'filter',
    params: [I32, I32, I32],
    results: [I32],
    locals: [...types, I64],
    code,
  };
}

/** Packets per iteration of count()'s loop, for programs of up to UNROLL_MAX_INSNS instructions. */
const UNROLL = 4;
const UNROLL_MAX_INSNS = 256;

function countFunction(input: EmitInput) {
  const tab = 0;
  const n = 1;
  const [end, c, b, len, wl] = [2, 3, 4, 5, 6];
  const { locals, types } = layoutLocals(input.scratch, 7, { b, len, wl });
  const lim = 7 + types.length;
  const w = new Writer();
  const get = (i: number) => w.byte(OP.local_get).u32(i);
  const set = (i: number) => w.byte(OP.local_set).u32(i);
  const i32 = (v: number) => w.byte(OP.i32_const).sleb(v);
  memoryBytes(w, lim);
  // The table must lie inside memory: n * 12 as a u32 length (n < 2^32 / 12 in any real memory).
  get(n);
  i32(0x15555555);
  w.byte(OP.i32_gt_u).byte(OP.if).byte(VOID).byte(OP.unreachable).byte(OP.end);
  get(n);
  i32(12);
  w.byte(OP.i32_mul);
  set(end);
  trapOutside(w, tab, end, lim);
  get(tab);
  get(end);
  w.byte(OP.i32_add);
  set(end);
  w.byte(OP.block).byte(VOID); // $done
  get(tab);
  get(end);
  w.byte(OP.i32_ge_u).byte(OP.br_if).u32(0);
  w.byte(OP.loop).byte(VOID); // $pkt, tested at the bottom
  // Several packets per iteration: fewer loop back-edges (each carries V8's interrupt check).
  const unroll = input.program.length <= UNROLL_MAX_INSNS ? UNROLL : 1;
  const wirelen = input.program.some(({ code }) => code === BPF.LD_LEN || code === BPF.LDX_LEN);
  for (let u = 0; u < unroll; u++) {
    if (u > 0) {
      get(tab);
      get(end);
      w.byte(OP.i32_ge_u).byte(OP.br_if).u32(1);
    }
    for (const [local, off] of [
      [b, 0],
      [len, 4],
      [wl, 8],
    ]) {
      if (local === wl && !wirelen) continue;
      get(tab);
      w.byte(OP.i32_load).u32(2).u32(off);
      set(local);
    }
    get(tab);
    i32(12);
    w.byte(OP.i32_add);
    set(tab);
    trapOutside(w, b, len, lim);
    for (const r of [locals.A, locals.X, ...locals.M.filter((m) => m >= 0)]) {
      i32(0);
      set(r);
    }
    w.byte(OP.block).byte(VOID); // $rej: the packet is not counted
    w.byte(OP.block).byte(VOID); // $acc
    emitBody(w, input, locals, 'count');
    w.byte(OP.end);
    get(c);
    i32(1);
    w.byte(OP.i32_add);
    set(c);
    w.byte(OP.end);
  }
  get(tab);
  get(end);
  w.byte(OP.i32_lt_u).byte(OP.br_if).u32(0);
  w.byte(OP.end);
  w.byte(OP.end);
  get(c);
  return {
    name: 'count',
    params: [I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, ...types, I64],
    code: w,
  };
}

/** A packet or table outside the memory (the module trapped). */
export class WasmRangeError extends CbpfError<'WASM_RANGE'> {
  constructor(message: string) {
    super('WASM_RANGE', message);
  }
}

type Exports = {
  filter(b: number, len: number, wl: number): number;
  count(tab: number, n: number): number;
};

function instantiate(bytes: Uint8Array<ArrayBuffer>, memory?: WebAssembly.Memory): WasmFilter {
  const mem = memory ?? new WebAssembly.Memory({ initial: 1 });
  const mod = new WebAssembly.Module(bytes);
  const inst = new WebAssembly.Instance(mod, {
    [WASM_MEMORY_IMPORT.module]: { [WASM_MEMORY_IMPORT.name]: mem },
  });
  const ex = inst.exports as unknown as Exports;
  const trapped = (what: string, err: unknown): never => {
    if (err instanceof WebAssembly.RuntimeError)
      throw new WasmRangeError(`${what} lies outside the ${mem.buffer.byteLength}-byte memory`);
    throw err;
  };
  const at = (offset: number, len: number, wirelen: number): number => {
    try {
      return ex.filter(offset, len, wirelen) >>> 0;
    } catch (err) {
      return trapped(`packet [${offset}, ${offset + len})`, err);
    }
  };
  return {
    memory: mem,
    at,
    count(table, n) {
      try {
        return ex.count(table, n) >>> 0;
      } catch (err) {
        return trapped(`a packet or the ${n}-entry table at ${table}`, err);
      }
    },
    run(packet, wirelen) {
      const need = packet.length - mem.buffer.byteLength;
      if (need > 0) mem.grow(Math.ceil(need / 65536));
      new Uint8Array(mem.buffer, 0, packet.length).set(packet);
      return at(0, packet.length, (wirelen ?? packet.length) >>> 0);
    },
  };
}
