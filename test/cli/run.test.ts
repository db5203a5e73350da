import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { test } from 'node:test';
import { evalBatchLine } from '../../src/cli/batch.js';
import { parseProgramArg, run } from '../../src/cli/commands/run.js';

async function cli(argv: string[], stdin = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await run(argv, { stdin: Readable.from([stdin]), stdout, stderr });
  return { code, out, err };
}

const ARP_DDD = '4,40 0 0 12,21 0 1 2054,6 0 0 262144,6 0 0 0';

test('cbpf run: hex and -ddd programs, result on stdout', async () => {
  assert.deepEqual(await cli([ARP_DDD, 'ffffffffffff11223344556608060001']), {
    code: 0,
    out: '262144\n',
    err: '',
  });
  assert.equal((await cli([ARP_DDD, 'ffffffffffff11223344556608000001'])).out, '0\n');
  assert.equal((await cli(['0600000005000000', ''])).out, '5\n');
  assert.equal(
    (await cli(['--wirelen', '1500', '8000000000000000160000000000000', 'aa'])).code,
    2,
    'odd hex',
  );
  assert.equal(
    (await cli(['--wirelen', '1500', '80000000000000001600000000000000', 'aa'])).out,
    '1500\n',
  );
  assert.deepEqual(parseProgramArg('1\n6 0 0 7\n'), [{ code: 6, jt: 0, jf: 0, k: 7 }]);
});

test('cbpf run: invalid program exits 1 naming the rule; usage errors exit 2; --help', async () => {
  const r = await cli(['2800000014000000', '00']);
  assert.equal(r.code, 1);
  assert.match(r.err, /NO_FINAL_RET/);
  assert.equal((await cli(['--profile', 'nope', '0600000005000000', ''])).code, 2);
  // --engine jit: the result once src/core/jit exists, a clear error (exit 2) until then
  const jit = await cli(['--engine', 'jit', '0600000005000000', '']);
  assert.ok(
    jit.code === 0 ? jit.out === '5\n' : jit.code === 2 && /jit/.test(jit.err),
    JSON.stringify(jit),
  );
  const wasm = await cli(['--engine', 'wasm', '0600000005000000', '']);
  assert.deepEqual([wasm.code, wasm.out], [0, '5\n']);
  // A backward ja (libpcap) is refused by compileWasm and runs through the JIT instead.
  const loop = await cli([
    '--engine',
    'wasm',
    '--profile',
    'libpcap',
    '2,5 0 0 4294967295,6 0 0 1',
    '',
  ]);
  assert.deepEqual([loop.code, loop.out], [0, '0\n']);
  assert.equal((await cli(['--engine', 'nope', '0600000005000000', ''])).code, 2);
  const h = await cli(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.out, /--batch/);
  assert.match(h.out, /wasm/);
});

test('cbpf run --batch: one line out per line in; malformed lines are invalid', async () => {
  const input = [
    '0600000005000000 10 ', // empty packet, trailing space
    '0600000005000000 10', // empty packet, no third field
    '06000000050000 10 aa', // not a multiple of 8 bytes
    '28000000000000001600000000000000 3 aabb',
    '28000000000000001600000000000000 3 aa', // ldh past the end
    ' 0 ', // empty program
    '8000000000000000160000000000000 x aa',
    '0600000005000000 10 zz',
  ].join('\n');
  const r = await cli(['--batch', '--profile', 'libpcap'], `${input}\n`);
  assert.equal(r.code, 0);
  assert.deepEqual(r.out.trimEnd().split('\n'), [
    'valid=1 ret=5',
    'valid=1 ret=5',
    'valid=0 ret=0',
    'valid=1 ret=43707',
    'valid=1 ret=0',
    'valid=0 ret=0',
    'valid=0 ret=0',
    'valid=0 ret=0',
  ]);
  // FreeBSD: an empty program is "no filter"
  assert.deepEqual(evalBatchLine(' 4 aabb', 'bsd'), { valid: true, ret: 0xffffffff });
});
