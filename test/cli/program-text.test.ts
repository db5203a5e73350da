// Program text through the commands: a damaged text is an error at its line and column (with the
// line and a caret), never a shorter program and never an expression error.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

const SAMPLE = new URL('../../data/sample-home-lan.pcap', import.meta.url).pathname;
/** `tcpdump -dd ip | sed '1s/{ //'` */
const BAD_DD =
  '0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 1, 0x00000800 },\n{ 0x6, 0, 0, 0x00040000 },\n{ 0x6, 0, 0, 0x00000000 },\n';

test('disasm of -dd with its first line damaged: exit 1 at 1:1 with a caret (it printed 3 instructions)', async () => {
  const r = await runCli(['disasm'], BAD_DD);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^cbpf disasm: 1:1: .*\n {2}0x28, 0, 0, 0x0000000c },\n {2}\^/);
});

test('-r FILE -F bad.dd: exit 1 naming line 1 (it printed nothing and exited 0)', async () => {
  const dir = mkdtempSync(join(tmpdir(), `cbpf-text-${process.pid}-`));
  try {
    const file = join(dir, 'bad.dd');
    writeFileSync(file, BAD_DD);
    const r = await runCli(['-r', SAMPLE, '-n', '-F', file]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /1:1: expected a \{ code, jt, jf, k \} record/);
    // A -ddd with one bad token on line 11 names that token, not an expression problem.
    writeFileSync(
      file,
      '12\n40 0 0 12\n21 0 8 2048\n48 0 0 23\n21 0 6 6\n40 0 0 20\n69 4 0 8191\n177 0 0 14\n72 0 0 16\n21 0 1 80\n48 0 0 x23\n6 0 0 0\n6 0 0 262144\n',
    );
    const t = await runCli(['-r', SAMPLE, '-n', '-F', file]);
    assert.equal(t.code, 1);
    assert.match(t.stderr, /11:8: k: 'x23' is not a decimal number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-r FILE with a bpf_asm filter whose label looks like hex runs it as a program', async () => {
  const all = await runCli(['-r', SAMPLE, '-n', '-c', '5']);
  const asm = await runCli(['-r', SAMPLE, '-n', '-c', '5', 'a: ret #65535']);
  assert.equal(asm.code, 0, asm.stderr);
  assert.equal(asm.stdout, all.stdout);
  const none = await runCli(['-r', SAMPLE, '-n', 'ab: ret #0']);
  assert.deepEqual([none.code, none.stdout], [0, '']);
});

test('run: a bad PROGRAM names its line and column with a caret (it said "not a program in any known form")', async () => {
  const r = await runCli(['run', '2\n40 0 0 12\n6 0 x 0', '']);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /^cbpf run: PROGRAM 3:5: jf: 'x' is not a decimal number\n {2}6 0 x 0\n {6}\^\n$/,
  );
  const asm = await runCli(['run', 'ldh [12]\nfrob #1\nret #0', '']);
  assert.equal(asm.code, 2);
  assert.match(asm.stderr, /PROGRAM 2:1: unknown instruction 'frob'/);
  const ok = await runCli(['run', 'a: ret #7', '']);
  assert.deepEqual([ok.code, ok.stdout], [0, '7\n']);
});

test("disasm on -d text with 'jeqq' says unknown instruction at 2:7", async () => {
  const r = await runCli(
    ['disasm', '--format', 'ddd'],
    '(000) ldh      [12]\n(001) jeqq     #0x800           jt 2\tjf 3\n(002) ret      #262144\n(003) ret      #0\n',
  );
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^cbpf disasm: 2:7: unknown instruction 'jeqq'\n/);
});

test('asm: 16 -ddd lines then x is an error on line 18 (it took 7 s, doubling per line)', async () => {
  const r = await runCli(['asm'], `16\r\n${'6 0 0 0\r\n'.repeat(16)}x`);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^cbpf asm: 18:1: expected 'code jt jf k'/);
});

test('jit --print: program text with an error reports it; an expression still compiles', async () => {
  const bad = await runCli(['jit', '--print', '(000) ldh [12]\n(001) rett #0']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /PROGRAM 2:7: unknown instruction 'rett'/);
  assert.equal((await runCli(['jit', '--print', 'tcp'])).code, 0);
});
