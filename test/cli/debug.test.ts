// `cbpf debug` driven by a script on stdin, as bpf_dbg would be.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

const SAMPLE = new URL('../../data/sample-home-lan.pcap', import.meta.url).pathname;
const REPLY =
  'ffffffffffff525400a1b2010806000108000604000252540 0a1b201c0a80165000000000000c0a8010a'.replace(
    /\s/g,
    '',
  );

test('debug: step, regs, packet view, breakpoints, back and the verdict', async () => {
  const r = await runCli(
    ['debug', '--expr', 'arp[6:2] = 2', '--packet', REPLY],
    'step 2\nregs\npacket\nbreak 4\nrun\nback 2\nregs\nrun\nrun\nquit\n',
  );
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.ok(lines.includes('pc 2: ldh      [20]'), r.stdout);
  assert.ok(lines.includes('pc 2  A 0x806 (2054)  X 0x0 (0)  steps 2'));
  assert.match(r.stdout, /0010: {2}08 {2}00 {2}06 {2}04 \[00\]\[02\]/); // the bytes ldh [20] reads
  assert.ok(lines.includes('breakpoint at 4'));
  assert.ok(lines.includes('pc 2  A 0x806 (2054)  X 0x0 (0)  steps 2'));
  assert.ok(lines.includes('done: the program returned 262144 (accept) after 5 instructions'));
});

test('debug: a pcap packet, a program in text form, and errors that do not end the session', async () => {
  const r = await runCli(
    ['debug', '--pcap', SAMPLE, '--index', '0'],
    'step\nload prog 4,40 0 0 12,21 0 1 2054,6 0 0 1,6 0 0 0\nload pcap /nonexistent.pcap\nload pcap /\nstep x\nback -1\nfrob\nrun\ndisasm\n',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /load a program and a packet first/);
  assert.match(r.stdout, /error: \/nonexistent.pcap: No such file or directory/);
  // A directory is no capture either, and the session goes on.
  assert.match(r.stdout, /error: \/: Is a directory/);
  assert.match(r.stdout, /step takes a number of steps/);
  assert.match(r.stdout, /back takes a number of steps/);
  assert.match(r.stdout, /unknown command 'frob'/);
  assert.match(r.stdout, /done: the program returned 1 \(accept\) after 3 instructions/);
  assert.match(r.stdout, /\(003\) ret +#0/);
});
