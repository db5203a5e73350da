// Every command answers --help with its usage and exit code 0; unknown commands fail with the list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { runCli } from '../helpers/cli.js';

test('cbpf --help lists every command', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  for (const name of Object.keys(COMMANDS)) assert.match(r.stdout, new RegExp(`\\b${name}\\b`));
});

test('each command prints its usage for --help', async () => {
  for (const name of Object.keys(COMMANDS)) {
    const r = await runCli([name, '--help']);
    assert.equal(r.code, 0, `${name} --help exit code (stderr: ${r.stderr})`);
    assert.match(r.stdout, /usage: cbpf/i, `${name} --help prints a usage line`);
  }
});

test('an unknown command fails with exit code 2', async () => {
  const r = await runCli(['no-such-command']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command/);
});

test("an unknown option: one line naming it, the command's usage, exit 2, never the parser's advice", async () => {
  for (const name of Object.keys(COMMANDS)) {
    const r = await runCli([name, '--no-such-option']);
    assert.equal(r.code, 2, `${name} --no-such-option exit code (stderr: ${r.stderr})`);
    const first = r.stderr.split('\n')[0];
    assert.match(first, /--no-such-option/, `${name}: the first line names the option`);
    assert.doesNotMatch(r.stderr, /To specify a positional argument|ERR_PARSE_ARGS|\n\s+at /, name);
  }
});
