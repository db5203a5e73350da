// cbpf's pure public API (browser-safe): core, compiler, pcap, packets, filters, tap.

export {
  type DecompileOptions,
  type DecompileResult,
  decompile,
} from './analysis/decompile/index.js';
export {
  type EquivClaim,
  type EquivDifferent,
  type EquivEqual,
  type EquivInput,
  type EquivOptions,
  type EquivResult,
  equivalent,
} from './analysis/equiv.js';
export { AnalysisError, type AnalysisErrorCode } from './analysis/errors.js';
export { type LintFinding, type LintOptions, type LintRule, lint } from './analysis/lint.js';
export {
  EMIT_CLAIM,
  OPTIMIZER_CLAIM,
  type StepOutcome,
  type VerifyOptions,
  type VerifyReport,
  verifyCompile,
  verifyStages,
} from './analysis/verify.js';
export * from './compiler/index.js';
export * from './core/encode.js';
export * from './core/errors.js';
export { type InterpreterOptions, interpreter } from './core/fast-vm.js';
export type { Accepted, CompiledFilter, InterpretedFilter } from './core/filter.js';
export * from './core/insn.js';
export { isJitAvailable, type JitOptions, jit } from './core/jit/index.js';
export * from './core/opcodes.js';
export {
  isPrepared,
  type PreparedProgram,
  type PrepareOptions,
  prepare,
} from './core/prepare.js';
export * from './core/profiles.js';
export { compileFilter } from './core/select.js';
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
