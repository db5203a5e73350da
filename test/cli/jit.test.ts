import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

test('cbpf jit --print shows the generated source', async () => {
  const r = await runCli(['jit', '--print', '4 40 0 0 12, 21 0 1 2054, 6 0 0 262144, 6 0 0 0']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /A = \(\(p\[b \+ 12\] << 8\) \| p\[b \+ 13\]\);/);
  assert.match(r.stdout, /if \(A !== 0x806\) return 0;/);
  assert.match(r.stdout, /return 262144;/);
});

test('cbpf jit: invalid program exits 1, missing --print exits 2', async () => {
  assert.equal((await runCli(['jit', '--print', '1 21 0 0 0'])).code, 1);
  assert.equal((await runCli(['jit', '1 6 0 0 0'])).code, 2);
  assert.equal((await runCli(['jit', '--help'])).code, 0);
});

test('cbpf jit --print compiles an expression (with -y) when the text is not a program', async () => {
  const r = await runCli(['jit', '--print', 'arp[6:2] = 2']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /if \(A !== 0x806\) return 0;/);
  const raw = await runCli(['jit', '--print', '-y', 'RAW', 'udp']);
  assert.equal(raw.code, 0);
  assert.match(raw.stdout, /A = p\[b\];/);
  const bad = await runCli(['jit', '--print', 'tcp port 99999']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /nor an expression: .*99999/);
});
