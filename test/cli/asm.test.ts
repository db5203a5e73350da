// cbpf asm / disasm through the command functions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

const ARP = `ldh [12]
jeq #0x806, reply, drop
reply: ldh [20]
jeq #2, ok, drop
ok: ret #-1
drop: ret #0
`;

test('asm: bpf_asm source to -ddd, one line, hex and C', async () => {
  const ddd = await runCli(['asm'], ARP);
  assert.equal(ddd.code, 0, ddd.stderr);
  assert.equal(ddd.stdout, '6\n40 0 0 12\n21 0 3 2054\n40 0 0 20\n21 0 1 2\n6 0 0 4294967295\n6 0 0 0\n');
  assert.equal((await runCli(['asm', '--format', 'line'], ARP)).stdout, '6,40 0 0 12,21 0 3 2054,40 0 0 20,21 0 1 2,6 0 0 4294967295,6 0 0 0\n');
  assert.match((await runCli(['asm', '--format', 'hex'], ARP)).stdout, /^280000000c0000001500000306080000/);
  assert.match((await runCli(['asm', '-f', 'c'], ARP)).stdout, /^\{ 0x28, 0, 0, 0x0000000c \},\n/);
});

test('asm: an error shows the line and a caret, exit 1', async () => {
  const r = await runCli(['asm'], 'ldh [12]\njeq #1, nowhere\nret #0\n');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /2:9: undefined label 'nowhere'\n {2}jeq #1, nowhere\n {10}\^{7}/);
});

test('disasm: hex and -ddd to tcpdump -d text; bpf_asm output assembles back', async () => {
  const d = await runCli(['disasm'], '6,40 0 0 12,21 0 3 2054,40 0 0 20,21 0 1 2,6 0 0 4294967295,6 0 0 0');
  assert.equal(d.code, 0, d.stderr);
  assert.equal(d.stdout.split('\n')[1], '(001) jeq      #0x806           jt 2\tjf 5');
  assert.equal(d.stdout.split('\n')[4], '(004) ret      #-1');
  const hex = await runCli(['disasm'], '280000000c000000');
  assert.equal(hex.stdout, '(000) ldh      [12]\n');
  const asmText = (await runCli(['disasm', '--format', 'asm'], '6,40 0 0 12,21 0 3 2054,40 0 0 20,21 0 1 2,6 0 0 4294967295,6 0 0 0')).stdout;
  assert.equal((await runCli(['asm', '--format', 'line'], asmText)).stdout, '6,40 0 0 12,21 0 3 2054,40 0 0 20,21 0 1 2,6 0 0 4294967295,6 0 0 0\n');
  const bad = await runCli(['disasm', '--from', 'ddd'], '2\n40 0 0 12\n');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /count says 2 instructions but 1 follow/);
});
