// The core's errors: each is a CbpfError whose code comes from the core's closed union.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CbpfError,
  type CbpfErrorCode,
  type CoreErrorCode,
  EncodeError,
  formatSpan,
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

test('formatSpan shows a long line as a window around the span, cut with ...', () => {
  assert.equal(formatSpan('bad', 'tcp prot 80', 4, 8), 'bad\n  tcp prot 80\n      ^^^^');
  // A 5,000-host list is one line: the span and 40 characters either side, not 100 KB of text.
  const hosts = Array.from({ length: 5000 }, (_, i) => `host 10.0.${i >> 8}.${i & 255}`);
  const src = `${hosts.slice(0, 2500).join(' or ')} or prot 80 or ${hosts.slice(2500).join(' or ')}`;
  const at = src.indexOf('prot');
  const [message, line, caret] = formatSpan('unexpected', src, at, at + 4).split('\n');
  assert.equal(message, 'unexpected');
  assert.equal(line, `  ...${src.slice(at - 40, at + 44)}...`);
  assert.equal(caret, `  ${' '.repeat(43)}^^^^`);
  // A span longer than the window shows its first 40 characters; a line's ends are not marked.
  const [, whole, under] = formatSpan('x', `${'a'.repeat(150)}`, 0, 150).split('\n');
  assert.equal(whole, `  ${'a'.repeat(80)}...`);
  assert.equal(under, `  ${'^'.repeat(40)}`);
});
