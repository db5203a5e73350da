// The core's errors: each is a CbpfError whose code comes from the core's closed union.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CbpfError,
  type CbpfErrorCode,
  type CoreErrorCode,
  EncodeError,
  TextSyntaxError,
  ValidationError,
} from '../../src/core/errors.js';
import { compileWasm, WasmRangeError, WasmUnsupportedError } from '../../src/core/wasm/index.js';

test('every error the core throws is a CbpfError with a code of the core union', () => {
  const thrown: CbpfError<CoreErrorCode>[] = [
    new ValidationError('EMPTY', -1, 'program has no instructions'),
    new EncodeError(3, 'jt 300 is not in 0..255'),
    new TextSyntaxError('bad', 'ld [x', 4),
    new WasmUnsupportedError('NLATTR', 0, 'SKF_AD_NLATTR loads are not supported'),
    new WasmRangeError('packet [0, 2) lies outside the 1-byte memory'),
  ];
  // The registry's union holds the core's codes (this line type-checks only if it does).
  const registered: CbpfErrorCode[] = thrown.map((e) => e.code);
  assert.deepEqual(registered, [
    'EMPTY',
    'BAD_FIELD',
    'TEXT_SYNTAX',
    'WASM_UNSUPPORTED',
    'WASM_RANGE',
  ]);
  for (const e of thrown) {
    assert.ok(e instanceof CbpfError);
    assert.equal(e.name, e.constructor.name);
  }
  // A trap in the module surfaces as WasmRangeError, a CbpfError.
  const f = compileWasm([{ code: 0x06, jt: 0, jf: 0, k: 1 }]).instantiate();
  assert.throws(
    () => f.at(65535, 2, 2),
    (e: unknown) =>
      e instanceof WasmRangeError && e instanceof CbpfError && e.code === 'WASM_RANGE',
  );
});
