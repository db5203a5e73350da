// cbpf's pure public API (browser-safe): core, compiler, pcap, packets, filters, tap.

export { type LintFinding, type LintOptions, type LintRule, lint } from './analysis/lint.js';
export * from './compiler/index.js';
export * from './core/encode.js';
export * from './core/errors.js';
export { type InterpretedFilter, type InterpreterOptions, interpreter } from './core/fast-vm.js';
export * from './core/insn.js';
export {
  type CompiledFilter,
  compileFilter,
  isJitAvailable,
  type JitOptions,
  jit,
} from './core/jit/index.js';
export * from './core/opcodes.js';
export * from './core/profiles.js';
export { type GoParseOptions, type GoPrintOptions, parseGo, printGo } from './core/text/go.js';
export * from './core/text/index.js';
export { printPython, printRust, type SourcePrintOptions } from './core/text/rust-python.js';
export * from './core/validate.js';
export * from './core/vm.js';
export {
  compileWasm,
  WASM_MEMORY_IMPORT,
  WASM_TABLE_ENTRY,
  type WasmFilter,
  type WasmOptions,
  type WasmProgram,
  WasmRangeError,
  WasmUnsupportedError,
  type WasmUnsupportedReason,
} from './core/wasm/index.js';
export * from './filters/index.js';
export * from './packets/index.js';
export * from './pcap/index.js';
export {
  type ListenerOptions,
  type ListenerStats,
  Tap,
  type TapFrame,
  TapListener,
} from './tap/index.js';
