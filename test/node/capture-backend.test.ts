// openCapture's platform switch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectCaptureBackend } from '../../src/node/capture.js';

test('backend selection: Linux ring by default, recv on request; other systems unsupported', () => {
  assert.equal(selectCaptureBackend('linux'), 'packet-ring');
  assert.equal(selectCaptureBackend('linux', { ring: true }), 'packet-ring');
  assert.equal(selectCaptureBackend('linux', { ring: false }), 'packet-recv');
  for (const p of ['win32', 'openbsd', 'darwin'])
    assert.throws(() => selectCaptureBackend(p), { code: 'UNSUPPORTED_PLATFORM' });
});
