// cbpf's `linux` validator profile against the running kernel's SO_ATTACH_FILTER verdicts
// (test/differential/c/attach-oracle.c; an unprivileged UDP socket is enough).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { toBytes } from '../../src/core/encode.js';
import type { RawInsn } from '../../src/core/insn.js';
import { validate } from '../../src/core/validate.js';
import { loopProgram, randomProgram, rng, scratchProgram } from './gen-cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const ORACLE = join(here, 'bin', 'attach-oracle');

test('linux profile validator ≡ the kernel’s SO_ATTACH_FILTER verdicts', {
  timeout: 120_000,
}, () => {
  assert.equal(process.platform, 'linux', 'this test needs Linux (SO_ATTACH_FILTER)');
  assert.ok(
    spawnSync('sh', ['-c', 'command -v gcc'], { stdio: 'ignore' }).status === 0,
    'gcc is missing: apt-get install -y gcc',
  );
  mkdirSync(join(here, 'bin'), { recursive: true });
  execFileSync('gcc', ['-O2', '-Wall', '-o', ORACLE, join(here, 'c', 'attach-oracle.c')]);

  const r = rng(0x11e7);
  const programs: RawInsn[][] = [];
  for (let i = 0; i < 40_000; i++) programs.push(randomProgram(r));
  for (let i = 0; i < 20_000; i++) programs.push(scratchProgram(r));
  for (let i = 0; i < 1_000; i++) programs.push(loopProgram(r));
  const ret0 = { code: 0x06, jt: 0, jf: 0, k: 0 };
  programs.push(Array(4096).fill(ret0), Array(4097).fill(ret0), []);

  const hex = programs.map((p) => Buffer.from(toBytes(p, 'le')).toString('hex'));
  const kernel = execFileSync(ORACLE, {
    input: `${hex.join('\n')}\n`,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
    .trimEnd()
    .split('\n');
  assert.equal(kernel.length, programs.length);
  const mismatches: string[] = [];
  let accepted = 0;
  let rejectedScratch = 0;
  for (let i = 0; i < programs.length; i++) {
    const errs = validate(programs[i], 'linux');
    const kOk = kernel[i] === '1';
    if (kOk) accepted++;
    if (errs[0]?.rule === 'MEM_READ_BEFORE_WRITE') rejectedScratch++;
    if (kOk !== (errs.length === 0))
      mismatches.push(
        `${hex[i].slice(0, 400)}: kernel ${kernel[i]}, cbpf ${errs.map((e) => `${e.rule}@${e.index}`).join(',') || 'valid'}`,
      );
  }
  console.log(
    `linux validator vs kernel: ${programs.length} programs, ${programs.length - mismatches.length} agree; kernel accepted ${accepted}, cbpf scratch rejections ${rejectedScratch}`,
  );
  assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} disagree`);
  assert.ok(accepted > 5_000 && rejectedScratch > 1_000);
});
