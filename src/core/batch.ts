// One line of the batch interface (`cbpf run --batch`): "<program hex> <wirelen> <packet hex>" → "valid=<0|1> ret=<u32>".
import { fromBytes, type Program } from './encode.js';
import { jit } from './jit/index.js';
import type { ProfileName } from './profiles.js';
import { isValid } from './validate.js';
import { run } from './vm.js';
import { compileWasm, WasmUnsupportedError } from './wasm/index.js';

/** How a batch line's program runs: the interpreter, the JIT, or WebAssembly (the JIT where it refuses). */
export type BatchEngine = 'interp' | 'jit' | 'wasm';

export interface BatchResult {
  valid: boolean;
  /** The program's result; 0 when invalid. */
  ret: number;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const DEC = /^[0-9]{1,10}$/;

/** Bytes of an even-length hex string, or undefined if it is not one. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (!HEX.test(hex)) return undefined;
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

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
  // Scripts usually run one program over many packets: decode and validate it once.
  if (progHex !== last.hex || profile !== last.profile || engine !== last.engine) {
    const program = fromBytes(progBytes, 'le');
    const valid = isValid(program, profile);
    // The JIT is compiled once per distinct program, like the validation.
    const fn = !valid || engine === 'interp' ? undefined : compiled(program, profile, engine);
    last = { hex: progHex, profile, engine, program, valid, fn };
  }
  if (!last.valid) return { valid: false, ret: 0 };
  return {
    valid: true,
    ret: last.fn ? last.fn(packet, wirelen) : run(last.program, packet, { profile, wirelen }),
  };
}

/** A validated program compiled for `engine`: WebAssembly falls back to the JIT for what it refuses. */
export function compiled(
  program: Program,
  profile: ProfileName,
  engine: 'jit' | 'wasm',
): (packet: Uint8Array, wirelen?: number) => number {
  if (engine === 'wasm') {
    try {
      const w = compileWasm(program, { profile }).instantiate();
      return (p, wl) => w.run(p, wl ?? p.length);
    } catch (err) {
      if (!(err instanceof WasmUnsupportedError)) throw err;
    }
  }
  return jit(program, { profile });
}

let last: {
  hex: string;
  profile: ProfileName;
  engine: BatchEngine;
  program: Program;
  valid: boolean;
  fn?: (packet: Uint8Array, wirelen?: number) => number;
} = {
  hex: '',
  profile: 'linux',
  engine: 'interp',
  program: [],
  valid: false,
};

/** The output line for a result (without newline). */
export const formatBatchResult = (r: BatchResult): string =>
  `valid=${r.valid ? 1 : 0} ret=${r.ret}`;
