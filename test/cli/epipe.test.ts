// `cbpf -r big.pcap | head` must end quietly when head exits, as tcpdump does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url).pathname;

test('a closed stdout pipe ends cbpf -r with status 0 and nothing on stderr but the file line', () => {
  const r = spawnSync(
    'bash',
    ['-o', 'pipefail', '-c', 'node bin/cbpf.cjs -r data/sample-home-lan.pcap | head -1 >/dev/null'],
    { cwd: root, encoding: 'utf8', timeout: 60_000 },
  );
  assert.match(r.stderr, /^reading from file [^\n]*\n$/);
  assert.equal(r.status, 0);
});
