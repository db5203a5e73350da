// `tcpdump -d` against libpcap itself: every 16-bit opcode, with ancillary, negative and huge operands,
// printed by the installed libpcap's bpf_image() and bpf_dump() (what tcpdump -d/-dd/-ddd call) and by cbpf.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RawInsn } from '../../../src/core/insn.js';
import {
  parseTcpdumpD,
  parseTcpdumpDD,
  parseTcpdumpDDD,
  printTcpdumpD,
  printTcpdumpDD,
  printTcpdumpDDD,
  printTcpdumpDLine,
} from '../../../src/core/text/index.js';

/** Reads `code jt jf k` lines; with no argument prints each bpf_image(), with 1/2/3 calls bpf_dump (-d/-dd/-ddd). */
const HELPER = `#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
static struct bpf_insn prog[1 << 17];
int main(int argc, char **argv) {
  unsigned code, jt, jf, k;
  int n = 0;
  while (n < (1 << 17) && scanf("%u %u %u %u", &code, &jt, &jf, &k) == 4) {
    struct bpf_insn x = { (unsigned short)code, (unsigned char)jt, (unsigned char)jf, k };
    prog[n++] = x;
  }
  if (argc > 1) {
    struct bpf_program p = { (unsigned)n, prog };
    bpf_dump(&p, atoi(argv[1]));
  } else {
    for (int i = 0; i < n; i++) puts(bpf_image(&prog[i], i));
  }
  return 0;
}
`;

let dir = '';
let bin = '';
before(() => {
  if (!existsSync('/usr/include/pcap/pcap.h'))
    assert.fail('libpcap headers missing: apt-get install -y libpcap-dev gcc');
  dir = mkdtempSync(join(tmpdir(), 'cbpf-bpf-image-'));
  bin = join(dir, 'image');
  writeFileSync(join(dir, 'image.c'), HELPER);
  const cc = spawnSync('gcc', ['-O2', '-o', bin, join(dir, 'image.c'), '-lpcap'], {
    encoding: 'utf8',
  });
  if (cc.error || cc.status !== 0)
    assert.fail(
      `cannot build the bpf_image helper (apt-get install -y gcc libpcap-dev): ${cc.error?.message ?? cc.stderr}`,
    );
});
after(() => dir && rmSync(dir, { recursive: true, force: true }));

/** Deterministic cases: each opcode 0..0xffff once, then the 256 byte-sized ones again with other operands. */
function cases(): RawInsn[] {
  let s = 0x2545f491;
  const rnd = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  const k = () => {
    switch (rnd() % 6) {
      case 0:
        return rnd() % 64;
      case 1:
        return 0xfffff000 + (rnd() % 0x48); // ancillary, named and not
      case 2:
        return (0x100000000 - (rnd() % 64)) >>> 0; // small negatives
      case 3:
        return 0xffe00000 + (rnd() % 0x200000); // SKF_LL_OFF / SKF_NET_OFF
      default:
        return rnd();
    }
  };
  const out: RawInsn[] = [];
  for (let code = 0; code < 0x10000; code++)
    out.push({ code, jt: rnd() & 0xff, jf: rnd() & 0xff, k: k() });
  for (let i = 0; i < 8 * 256; i++)
    out.push({ code: i & 0xff, jt: rnd() & 0xff, jf: rnd() & 0xff, k: k() });
  return out;
}

/** What a -d line keeps: libpcap shows jt/jf for every JMP-class code but `ja`, and k only for opcodes it knows. */
function shownByD(x: RawInsn, line: string): RawInsn {
  const jumps = (x.code & 0x07) === 0x05 && (x.code & 0xf0) !== 0;
  const known = !/^\(\d+\) unimp/.test(line);
  const usesK =
    known &&
    !/^\(\d+\) (ret|neg|tax|txa)\s*$/.test(line) &&
    !/ x( |$)/.test(line) &&
    !/#pktlen/.test(line);
  return { code: x.code, jt: jumps ? x.jt : 0, jf: jumps ? x.jf : 0, k: usesK ? x.k : 0 };
}

test('printTcpdumpDLine equals libpcap bpf_image for all 65,536 opcodes and 2,048 more byte-opcode cases', () => {
  const program = cases();
  const run = spawnSync(bin, {
    input: program.map((x) => `${x.code} ${x.jt} ${x.jf} ${x.k}\n`).join(''),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  assert.equal(run.status, 0, run.stderr);
  const theirs = run.stdout.split('\n').slice(0, -1);
  assert.equal(theirs.length, program.length);
  let differ = 0;
  const firstDiffs: string[] = [];
  program.forEach((x, i) => {
    const mine = printTcpdumpDLine(x, i);
    if (mine !== theirs[i]) {
      differ++;
      if (firstDiffs.length < 5)
        firstDiffs.push(
          `${JSON.stringify(x)}: libpcap ${JSON.stringify(theirs[i])}, cbpf ${JSON.stringify(mine)}`,
        );
    }
  });
  assert.equal(differ, 0, firstDiffs.join('\n'));

  // Reading libpcap's text back gives what it shows, and printing that gives the same text again.
  const parsed = parseTcpdumpD(run.stdout);
  assert.equal(printTcpdumpD(parsed), run.stdout);
  for (const [i, x] of program.entries())
    assert.deepEqual(parsed[i], shownByD(x, theirs[i]), theirs[i]);
});

test('-d, -dd and -ddd of one 67,584-instruction program equal libpcap bpf_dump, and -dd/-ddd read back exactly', () => {
  const program = cases();
  const input = program.map((x) => `${x.code} ${x.jt} ${x.jf} ${x.k}\n`).join('');
  const dump = (option: number) => {
    const run = spawnSync(bin, [String(option)], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(run.status, 0, run.stderr);
    return run.stdout;
  };
  const d = dump(1);
  const dd = dump(2);
  const ddd = dump(3);
  assert.ok(d === printTcpdumpD(program), '-d differs from bpf_dump(p, 1)');
  assert.ok(dd === printTcpdumpDD(program), '-dd differs from bpf_dump(p, 2)');
  assert.ok(ddd === printTcpdumpDDD(program), '-ddd differs from bpf_dump(p, 3)');
  assert.deepEqual(parseTcpdumpDD(dd), program);
  assert.deepEqual(parseTcpdumpDDD(ddd), program);
});
