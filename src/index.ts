// cbpf's pure public API (browser-safe): core, compiler, pcap, packets, filters, tap.
export * from './core/opcodes.js';
export * from './core/insn.js';
export * from './core/encode.js';
export * from './core/errors.js';
export * from './core/profiles.js';
export * from './core/validate.js';
export * from './core/vm.js';
export * from './pcap/index.js';
export * from './packets/index.js';
export * from './filters/index.js';
export * from './core/text/index.js';
export * from './compiler/index.js';
export { Tap, TapListener, type TapFrame, type ListenerOptions, type ListenerStats } from './tap/index.js';
export { jit, compileFilter, isJitAvailable, type CompiledFilter, type JitOptions } from './core/jit/index.js';
export { compileWasm, WasmUnsupportedError, WasmRangeError, WASM_TABLE_ENTRY, WASM_MEMORY_IMPORT, type WasmFilter, type WasmOptions, type WasmProgram, type WasmUnsupportedReason } from './core/wasm/index.js';
