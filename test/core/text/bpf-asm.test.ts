// bpf_asm golden pairs: test/golden/bpf-asm/NAME.bpf and the -ddd bpf_asm prints for it (derived by
// hand from tools/bpf/bpf_exp.y, as no bpf_asm binary ships in Debian).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { canonicalize } from '../../../src/core/encode.js';
import {
  detectTextFormat,
  parseBpfAsm,
  parseProgramText,
  parseTcpdumpDDD,
  printBpfAsm,
  printTcpdumpDDD,
} from '../../../src/core/text/index.js';

const DIR = new URL('../../golden/bpf-asm/', import.meta.url);
const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.bpf'))
  .map((f) => f.slice(0, -4))
  .sort();
const read = (name: string, ext: string) => readFileSync(new URL(`${name}.${ext}`, DIR), 'utf8');

test(`bpf_asm golden sources assemble to their expected -ddd (${names.length} files)`, () => {
  assert.ok(names.includes('arp-reply') && names.length >= 5, `golden files in ${DIR.pathname}`);
  for (const name of names) {
    const src = read(name, 'bpf');
    assert.equal(detectTextFormat(src), 'bpf-asm', name);
    const program = parseProgramText(src);
    assert.equal(printTcpdumpDDD(program), read(name, 'ddd'), name);
    // Printing it as bpf_asm (labels made up) and reading that back gives the same program.
    assert.deepEqual(
      parseBpfAsm(printBpfAsm(program)),
      program.map(canonicalize),
      `${name} round trip`,
    );
    assert.deepEqual(parseTcpdumpDDD(read(name, 'ddd')), program);
  }
});

test('bpf_asm prints labels only where jumps land, one per target; constants compared or masked in hex as -d does', () => {
  const src = printBpfAsm(parseBpfAsm(read('ipv4-tcp-port', 'bpf')));
  assert.equal(
    src,
    'ldh [12]\njeq #0x800, L2, L10\nL2: ldb [23]\njeq #6, L4, L10\nL4: ldh [20]\njset #0x1fff, L10, L6\n' +
      'L6: ldxb 4*([14]&0xf)\nldh [x + 16]\njeq #0x16, L9, L10\nL9: ret #0x40000\nL10: ret #0\n',
  );
});

test('bpf_asm errors: a label with no instruction after it, the positions of label and syntax errors', () => {
  const at = (src: string) => {
    try {
      parseBpfAsm(src);
    } catch (e) {
      const err = e as { code: string; line: number; column: number };
      return [err.code, err.line, err.column];
    }
    assert.fail(`no error for ${JSON.stringify(src)}`);
  };
  assert.deepEqual(at('ja end\nret #0\nend:\n'), ['TEXT_SYNTAX', 3, 1]);
  assert.deepEqual(at('ldx 5*([14]&0xf)'), ['TEXT_SYNTAX', 1, 5]);
  assert.deepEqual(at('ldh #len'), ['TEXT_SYNTAX', 1, 5]);
  assert.deepEqual(at('ldx #proto'), ['TEXT_SYNTAX', 1, 5]);
  assert.deepEqual(at('ret #rand'), ['TEXT_SYNTAX', 1, 5]);
  assert.deepEqual(at('st [1]'), ['TEXT_SYNTAX', 1, 4]);
  assert.deepEqual(at('ret #0\n/* never closed'), ['TEXT_SYNTAX', 2, 1]);
  assert.deepEqual(at('ld [12]\n  add @'), ['TEXT_SYNTAX', 2, 7]);
  assert.deepEqual(at('ld #0x1ffffffff'), ['TEXT_SYNTAX', 1, 5]);
  assert.deepEqual(at('jeq #1, Nowhere\nnowhere: ret #0'), ['TEXT_SYNTAX', 1, 9]); // labels are case-sensitive
});
