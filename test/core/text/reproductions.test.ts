// The reported failures of the program-text readers (issues 14 and 15), each as it was reported.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TextSyntaxError } from '../../../src/core/errors.js';
import {
  detectTextFormat,
  parseProgramText,
  parseTcpdumpDDD,
  printTcpdumpDDD,
  recognizeProgramText,
} from '../../../src/core/text/index.js';
import { resolveFilter } from '../../../src/node/resolve-filter.js';

const GOLDEN = new URL('../../golden/tcpdump/', import.meta.url);

/** The error `fn` throws: a TextSyntaxError, as [line, column, message]. */
function syntaxError(fn: () => unknown): [number, number, string] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof TextSyntaxError, String(e));
    return [e.line, e.column, e.message];
  }
  assert.fail('no error');
}

test("16 -ddd lines then 'x' (LF and CRLF): detected as -ddd at once, the error on the last line", () => {
  // `python3 -c "print(16);print('6 0 0 0\n'*16+'x',end='')" | cbpf asm` took 7 s, doubling per line.
  for (const eol of ['\n', '\r\n']) {
    const text = `16${eol}${`6 0 0 0${eol}`.repeat(16)}x`;
    assert.equal(detectTextFormat(text), 'tcpdump-ddd');
    assert.equal(recognizeProgramText(text), 'tcpdump-ddd');
    const [line, column] = syntaxError(() => parseProgramText(text));
    assert.deepEqual([line, column], [18, 1]);
  }
});

test("real tcpdump -ddd output followed by '# end' is -ddd with an error on that line", () => {
  // 34 such lines took 215 s.
  const ddd = readFileSync(new URL('17-EN10MB.ddd', GOLDEN), 'utf8');
  const lines = ddd.trimEnd().split('\n').length;
  const [line, column, message] = syntaxError(() => parseProgramText(`${ddd}# end\n`));
  assert.deepEqual([line, column], [lines + 1, 1]);
  assert.match(message, /code jt jf k/);
});

test('a 1,000,000-line -ddd program parses (it overflowed the stack)', () => {
  const program = Array.from({ length: 999_999 }, (_, i) => ({
    code: 0x15,
    jt: 0,
    jf: 0,
    k: i,
  }));
  program.push({ code: 0x06, jt: 0, jf: 0, k: 0 });
  const text = printTcpdumpDDD(program);
  assert.equal(text.split('\n').length, 1_000_002);
  const got = parseProgramText(text);
  assert.equal(got.length, 1_000_000);
  assert.deepEqual(got[123_456], { code: 0x15, jt: 0, jf: 0, k: 123_456 });
});

test('tcpdump -dd with its first line damaged is an error on line 1, not a 3-instruction program', () => {
  // `tcpdump -dd ip | sed '1s/{ //'`
  const bad =
    '0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 1, 0x00000800 },\n{ 0x6, 0, 0, 0x00040000 },\n{ 0x6, 0, 0, 0x00000000 },\n';
  assert.equal(recognizeProgramText(bad), 'tcpdump-dd');
  assert.deepEqual(syntaxError(() => parseProgramText(bad)).slice(0, 2), [1, 1]);
});

test('the instruction count of -ddd and of the one-line form is checked', () => {
  assert.match(
    syntaxError(() => parseTcpdumpDDD('3\n40 0 0 12\n6 0 0 0\n'))[2],
    /count says 3 instructions but 2 follow/,
  );
  assert.match(
    syntaxError(() => parseTcpdumpDDD('4,40 0 0 12,21 0 1 2054,6 0 0 262144'))[2],
    /count says 4 instructions but 3 follow/,
  );
  // An empty group is a lost one; a final comma (bpf_asm prints it) is not.
  assert.deepEqual(syntaxError(() => parseTcpdumpDDD('2,40 0 0 12,,6 0 0 0')).slice(0, 2), [1, 13]);
  assert.equal(parseTcpdumpDDD('2,40 0 0 12,6 0 0 0,').length, 2);
});

test("-d with 'jeqq' is an unknown instruction at its place, not 'only conditional jumps take jt/jf'", () => {
  const text =
    '(000) ldh      [12]\n(001) jeqq     #0x800           jt 2\tjf 3\n(002) ret      #262144\n(003) ret      #0\n';
  const [line, column, message] = syntaxError(() => parseProgramText(text));
  assert.deepEqual([line, column], [2, 7]);
  assert.match(message, /unknown instruction 'jeqq'/);
});

test("bpf_asm whose first label looks like hex ('a: ret #0', 'beef: ...') is bpf_asm", async () => {
  for (const text of ['a: ret #0', 'beef: ret #0', 'ab:\nret #0', 'dead:\n  ret #0\n']) {
    assert.equal(detectTextFormat(text), 'bpf-asm', text);
    assert.equal(recognizeProgramText(text), 'bpf-asm', text);
    assert.deepEqual(parseProgramText(text), [{ code: 0x06, jt: 0, jf: 0, k: 0 }], text);
    // As a filter (cbpf -r, openCapture) it is a program, not an expression with a MAC address.
    assert.deepEqual(await resolveFilter(text), [{ code: 0x06, jt: 0, jf: 0, k: 0 }], text);
  }
});

test('a filter recognized as program text reports its own error, never an expression error', async () => {
  const ddd = readFileSync(new URL('17-EN10MB.ddd', GOLDEN), 'utf8').split('\n');
  ddd[10] = '48 0 0 x23';
  await assert.rejects(resolveFilter(ddd.join('\n')), { code: 'TEXT_SYNTAX', line: 11, column: 8 });
  await assert.rejects(resolveFilter('ldh [12]\njeq #0x800, a, b\na: ret #-1\nb: ret #0\nfrob'), {
    code: 'TEXT_SYNTAX',
    line: 5,
  });
  // What is not recognized is still an expression.
  assert.ok((await resolveFilter('tcp port 80'))!.length > 5);
  assert.ok((await resolveFilter('host fe80::1'))!.length > 5);
});
