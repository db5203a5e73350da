// `npm start`'s demo reports seed 000's figures on the bundled sample.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

test('demo: 10,000 frames in, 112 ARP replies, 100 from the VMs', async () => {
  const r = await runCli(['demo', '--no-kernel']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /frames on the wire\s+10,000/);
  assert.match(r.stdout, /ARP replies\s+112/);
  assert.match(r.stdout, /only from the 4 VMs\s+100/);
  assert.match(r.stdout, /interpreter\s+[\d.]+ ns/);
  assert.match(r.stdout, /JIT\s+[\d.]+ ns/);
});
