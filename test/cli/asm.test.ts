// cbpf asm / disasm through the command functions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
  assert.equal(
    ddd.stdout,
    '6\n40 0 0 12\n21 0 3 2054\n40 0 0 20\n21 0 1 2\n6 0 0 4294967295\n6 0 0 0\n',
  );
  assert.equal(
    (await runCli(['asm', '--format', 'line'], ARP)).stdout,
    '6,40 0 0 12,21 0 3 2054,40 0 0 20,21 0 1 2,6 0 0 4294967295,6 0 0 0\n',
  );
  assert.match(
    (await runCli(['asm', '--format', 'hex'], ARP)).stdout,
    /^280000000c0000001500000306080000/,
  );
  assert.match((await runCli(['asm', '-f', 'dd'], ARP)).stdout, /^\{ 0x28, 0, 0, 0x0000000c \},\n/);
  const c = (await runCli(['asm', '-f', 'c'], ARP)).stdout;
  assert.match(
    c,
    /^struct sock_filter code\[\] = \{\n\tBPF_STMT\(BPF_LD\|BPF_H\|BPF_ABS, 12\),\n\tBPF_JUMP\(BPF_JMP\|BPF_JEQ\|BPF_K, 0x806, 0, 3\),\n/,
  );
  // The C form reads back (autodetected) to the same program.
  assert.equal(
    (await runCli(['asm', '--format', 'line'], c)).stdout,
    '6,40 0 0 12,21 0 3 2054,40 0 0 20,21 0 1 2,6 0 0 4294967295,6 0 0 0\n',
  );
});

test('asm: an error shows the line and a caret, exit 1', async () => {
  const r = await runCli(['asm'], 'ldh [12]\njeq #1, nowhere\nret #0\n');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /2:9: undefined label 'nowhere'\n {2}jeq #1, nowhere\n {10}\^{7}/);
});

test("asm: tcpdump -d text and the seed's BPF_STMT/BPF_JUMP source are detected", async () => {
  const d = await runCli(
    ['asm', '-f', 'line'],
    '(000) ldh      [12]\n(001) jeq      #0x806           jt 2\tjf 3\n(002) ret      #262144\n(003) ret      #0\n',
  );
  assert.equal(d.stdout, '4,40 0 0 12,21 0 1 2054,6 0 0 262144,6 0 0 0\n');
  const seed =
    'BPF_STMT(BPF_LD+BPF_H+BPF_ABS, 12),  // EtherType\nBPF_JUMP(BPF_JMP+BPF_JEQ+BPF_K, 0x0806, 0, 1),\nBPF_STMT(BPF_RET+BPF_K, 0xFFFFFFFF),\nBPF_STMT(BPF_RET+BPF_K, 0),\n';
  assert.equal(
    (await runCli(['asm', '-f', 'line'], seed)).stdout,
    '4,40 0 0 12,21 0 1 2054,6 0 0 4294967295,6 0 0 0\n',
  );
  const bad = await runCli(['asm', '--from', 'c'], 'BPF_STMT(BPF_LD+BPF_HH+BPF_ABS, 12),\n');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /1:17: unknown name 'BPF_HH'/);
});

test('asm/disasm: --help, unknown formats', async () => {
  for (const cmd of ['asm', 'disasm']) {
    const h = await runCli([cmd, '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, new RegExp(`^usage: cbpf ${cmd}`));
    assert.equal((await runCli([cmd, '--format', 'nope'], 'ret #0')).code, 2);
    assert.equal((await runCli([cmd, '--from', 'nope'], 'ret #0')).code, 2);
  }
});

test('disasm: hex and -ddd to tcpdump -d text; bpf_asm output assembles back', async () => {
  const d = await runCli(
    ['disasm'],
    '6,40 0 0 12,21 0 3 2054,40 0 0 20,21 0 1 2,6 0 0 4294967295,6 0 0 0',
  );
  assert.equal(d.code, 0, d.stderr);
  assert.equal(d.stdout.split('\n')[1], '(001) jeq      #0x806           jt 2\tjf 5');
  assert.equal(d.stdout.split('\n')[4], '(004) ret      #-1');
  const hex = await runCli(['disasm'], '280000000c000000');
  assert.equal(hex.stdout, '(000) ldh      [12]\n');
  const asmText = (
    await runCli(
      ['disasm', '--format', 'asm'],
      '6,40 0 0 12,21 0 3 2054,40 0 0 20,21 0 1 2,6 0 0 4294967295,6 0 0 0',
    )
  ).stdout;
  assert.equal(
    (await runCli(['asm', '--format', 'line'], asmText)).stdout,
    '6,40 0 0 12,21 0 3 2054,40 0 0 20,21 0 1 2,6 0 0 4294967295,6 0 0 0\n',
  );
  const bad = await runCli(['disasm', '--from', 'ddd'], '2\n40 0 0 12\n');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /count says 2 instructions but 1 follow/);
});

test('asm FILE: the golden bpf_asm sources assemble to their .ddd; disasm --format asm of an unprintable program exits 1', async () => {
  const dir = new URL('../golden/bpf-asm/', import.meta.url);
  for (const name of ['arp-reply', 'every-form']) {
    const r = await runCli(['asm', new URL(`${name}.bpf`, dir).pathname]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(new URL(`${name}.ddd`, dir), 'utf8'));
  }
  // A conditional jump past the end has no bpf_asm spelling (-d shows it; bpf_asm needs a label).
  const past = await runCli(['disasm', '--format', 'asm'], '2,21 0 5 1,6 0 0 0');
  assert.equal(past.code, 1);
  assert.match(past.stderr, /^cbpf disasm: instruction 0: /);
  assert.equal(
    (await runCli(['disasm'], '2,21 0 5 1,6 0 0 0')).stdout,
    '(000) jeq      #0x1             jt 1\tjf 6\n(001) ret      #0\n',
  );
});
