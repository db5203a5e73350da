// One line of the batch interface (`cbpf run --batch`): "<program hex> <wirelen> <packet hex>" → "valid=<0|1> ret=<u32>".
import {
  compileWasm,
  fromBytes,
  hexToBytes,
  jit,
  type PreparedProgram,
  type ProfileName,
  prepare,
  run,
  ValidationError,
  WasmUnsupportedError,
} from '../index.js';

/** How a batch line's program runs: the interpreter, the JIT, or WebAssembly (the JIT where it refuses). */
export type BatchEngine = 'interp' | 'jit' | 'wasm';

export interface BatchResult {
  valid: boolean;
  /** The program's result; 0 when invalid. */
  ret: number;
}

const DEC = /^[0-9]{1,10}$/;

type Run = (packet: Uint8Array, wirelen?: number) => number;

/**
 * Evaluates one batch line. The program is the 8-byte little-endian sock_filter records
 * concatenated; a length that is not a multiple of 8 bytes, bad hex, or a missing/unparsable
 * wirelen makes the line invalid. An empty packet may leave a trailing space or no third field.
 */
export function evalBatchLine(
  line: string,
  profile: ProfileName,
  engine: BatchEngine = 'interp',
): BatchResult {
  const fields = line.replace(/\r$/, '').split(/[ \t]+/);
  if (fields.length > 3 || fields.length < 2) return { valid: false, ret: 0 };
  const [progHex, wireText, packetHex = ''] = fields;
  const progBytes = hexToBytes(progHex);
  const packet = hexToBytes(packetHex);
  if (
    progBytes === undefined ||
    packet === undefined ||
    progBytes.length % 8 !== 0 ||
    !DEC.test(wireText)
  ) {
    return { valid: false, ret: 0 };
  }
  const wirelen = Number(wireText);
  if (wirelen > 0xffffffff) return { valid: false, ret: 0 };
  // Scripts usually run one program over many packets: prepare (validate) and compile it once.
  if (progHex !== last.hex || profile !== last.profile || engine !== last.engine) {
    let fn: Run | undefined;
    try {
      fn = compiled(prepare(fromBytes(progBytes, 'le'), { profile }), engine);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
    }
    last = { hex: progHex, profile, engine, fn };
  }
  return last.fn ? { valid: true, ret: last.fn(packet, wirelen) } : { valid: false, ret: 0 };
}

/** A prepared program ready for `engine`: WebAssembly falls back to the JIT for what it refuses. */
export function compiled(program: PreparedProgram, engine: BatchEngine): Run {
  if (engine === 'interp') return (p, wirelen) => run(program, p, { wirelen });
  if (engine === 'wasm') {
    try {
      const w = compileWasm(program).instantiate();
      return (p, wl) => w.run(p, wl ?? p.length);
    } catch (err) {
      if (!(err instanceof WasmUnsupportedError)) throw err;
    }
  }
  return jit(program);
}

/** The program last seen, and how it runs (undefined: invalid for the profile). */
let last: { hex: string; profile: ProfileName; engine: BatchEngine; fn?: Run } = {
  hex: '',
  profile: 'linux',
  engine: 'interp',
};

/** The output line for a result (without newline). */
export const formatBatchResult = (r: BatchResult): string =>
  `valid=${r.valid ? 1 : 0} ret=${r.ret}`;
