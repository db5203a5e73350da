// `cbpf`: the model and the engines (browser-safe). Instructions and their encoding, opcodes,
// profiles and validation, program text, errors; the interpreter, the fast interpreter, the JIT and
// WebAssembly over one prepared program; the linter and the userspace tap, which run programs; the
// proofs over programs (equivalent, verifyCompile, decompile), whose solver, the optional z3-solver
// package, loads on first use only.
// The other subsystems have entries of their own: cbpf/compiler, cbpf/pcap, cbpf/packets,
// cbpf/filters and cbpf/node. Every name here is listed on purpose (test/meta/public-api.test.ts).

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
export type { AncillaryData } from './core/ancillary.js';
export {
  assemble,
  assembleOne,
  canonicalize,
  disassemble,
  disassembleOne,
  type Endian,
  fromBytes,
  INSN_BYTES,
  isRawInsn,
  type Program,
  toBytes,
  toProgram,
} from './core/encode.js';
export {
  CbpfError,
  type CbpfErrorCode,
  type CbpfErrorCodes,
  type CoreErrorCode,
  type EncodeCode,
  EncodeError,
  formatSpan,
  type TextCode,
  TextSyntaxError,
  type ValidationCode,
  ValidationError,
  type WasmCode,
} from './core/errors.js';
export { type InterpreterOptions, interpreter } from './core/fast-vm.js';
export type { Accepted, CompiledFilter, InterpretedFilter } from './core/filter.js';
export { hexToBytes } from './core/hex.js';
export {
  type AluOp,
  alu,
  aluX,
  type Insn,
  type InsnKind,
  type JumpCond,
  jmp,
  type LoadSize,
  ld,
  ldx,
  type RawInsn,
  rawInsn,
  ret,
  st,
  stx,
  tax,
  txa,
} from './core/insn.js';
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
export {
  detectTextFormat,
  parseBpfAsm,
  parseCInitializer,
  parseHexProgram,
  parseProgramText,
  parseTcpdumpD,
  parseTcpdumpDD,
  parseTcpdumpDDD,
  printBpfAsm,
  printCInitializer,
  printDecimalOneLine,
  printHexProgram,
  printProgram,
  printTcpdumpD,
  printTcpdumpDD,
  printTcpdumpDDD,
  printTcpdumpDLine,
  recognizeProgramText,
  type TextFormat,
} from './core/text/index.js';
export { printPython, printRust, type SourcePrintOptions } from './core/text/rust-python.js';
export { assertValid, isValid, validate } from './core/validate.js';
export {
  type ChunkRunOptions,
  createMachine,
  loadedBytes,
  type Machine,
  type MachineState,
  type PacketOptions,
  type RunOptions,
  run,
  runChunks,
  type TraceStep,
} from './core/vm.js';
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
export {
  type ListenerOptions,
  type ListenerStats,
  Tap,
  type TapFilterFn,
  type TapFrame,
  TapListener,
} from './tap/index.js';
