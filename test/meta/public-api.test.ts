// The public entries hold what they say and nothing by accident: the root (`cbpf`) is the model and
// the engines with deliberate names; no entry exports the compiler's bare stage names or a builder
// alias; every subpath loads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as opcodes from '../../src/core/opcodes.js';
import * as profiles from '../../src/core/profiles.js';

/** The root's values besides the opcode table (core/opcodes.ts) and the profiles (core/profiles.ts). */
const ROOT = [
  // errors
  'CbpfError',
  'EncodeError',
  'TextSyntaxError',
  'ValidationError',
  'WasmRangeError',
  'WasmUnsupportedError',
  'formatSpan',
  // instructions, encoding, validation
  'alu',
  'aluX',
  'jmp',
  'ld',
  'ldx',
  'rawInsn',
  'ret',
  'st',
  'stx',
  'tax',
  'txa',
  'INSN_BYTES',
  'assemble',
  'assembleOne',
  'canonicalize',
  'disassemble',
  'disassembleOne',
  'fromBytes',
  'isRawInsn',
  'toBytes',
  'toProgram',
  'hexToBytes',
  'assertValid',
  'isValid',
  'validate',
  // program text
  'detectTextFormat',
  'recognizeProgramText',
  'parseProgramText',
  'printProgram',
  'parseBpfAsm',
  'printBpfAsm',
  'parseCInitializer',
  'printCInitializer',
  'parseHexProgram',
  'printHexProgram',
  'parseTcpdumpD',
  'parseTcpdumpDD',
  'parseTcpdumpDDD',
  'printTcpdumpD',
  'printTcpdumpDD',
  'printTcpdumpDDD',
  'printTcpdumpDLine',
  'printDecimalOneLine',
  'parseGo',
  'printGo',
  'printPython',
  'printRust',
  // engines
  'prepare',
  'isPrepared',
  'run',
  'runChunks',
  'createMachine',
  'loadedBytes',
  'interpreter',
  'jit',
  'isJitAvailable',
  'compileWasm',
  'WASM_MEMORY_IMPORT',
  'WASM_TABLE_ENTRY',
  'compileFilter',
  // proofs (the solver, z3-solver, loads on first use)
  'AnalysisError',
  'equivalent',
  'decompile',
  'verifyCompile',
  'verifyStages',
  'OPTIMIZER_CLAIM',
  'EMIT_CLAIM',
  // what runs programs over frames
  'lint',
  'Tap',
  'TapListener',
];

test('the root exports the model and the engines, by the names listed here', async () => {
  const root = await import('../../src/index.js');
  const want = [...Object.keys(opcodes), ...Object.keys(profiles), ...ROOT].sort();
  assert.deepEqual(Object.keys(root).sort(), want);
});

test('no entry exports a bare stage name or an alias, and each subpath loads', async () => {
  const entries = {
    cbpf: await import('../../src/index.js'),
    'cbpf/compiler': await import('../../src/compiler.js'),
    'cbpf/pcap': await import('../../src/pcap.js'),
    'cbpf/packets': await import('../../src/packets.js'),
    'cbpf/filters': await import('../../src/filters.js'),
    'cbpf/node': await import('../../src/node.js'),
  };
  for (const [name, m] of Object.entries(entries)) {
    const keys = Object.keys(m);
    assert.ok(keys.length > 0, name);
    for (const bare of ['parse', 'lower', 'emit', 'link', 'raw', 'aluX_'])
      assert.ok(!keys.includes(bare), `${name} exports ${bare}`);
  }
  assert.deepEqual(Object.keys(entries['cbpf/compiler']).sort(), [
    'CompileError',
    'LINKTYPES',
    'LINKTYPE_NAMES',
    'compile',
    'compileStages',
    'dltOfLinktype',
    'emitProgram',
    'formatExpr',
    'linktypeByName',
    'linktypeDescription',
    'linktypeName',
    'lowerExpression',
    'parseExpression',
    'parseLinktype',
    'printIr',
  ]);
  // Each subsystem's names live in its own entry only.
  assert.equal(typeof entries['cbpf/pcap'].createCaptureWalker, 'function');
  assert.equal(typeof entries['cbpf/packets'].summarize, 'function');
  assert.equal(typeof entries['cbpf/filters'].arpReply, 'function');
  assert.equal(typeof entries['cbpf/node'].openCapture, 'function');
  for (const [name, m] of Object.entries(entries))
    if (name !== 'cbpf') assert.ok(!('compileFilter' in m) && !('validate' in m), name);
});
