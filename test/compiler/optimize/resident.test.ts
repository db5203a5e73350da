// The compiler keeps one instance of each class it makes per compile (src/compiler/resident.ts), so a full
// garbage collection between compiles does not free their shapes and throw away the code V8 optimized
// for them. Checked on the compiler as it ships (an esbuild bundle, as bench/compile.ts times it), in a
// Node of its own with V8's trace of deoptimizations.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';

const ROOT = new URL('../../../', import.meta.url).pathname;

// Enough kinds of expression that the optimizer's passes, the parser and its errors all get optimized.
const WARM = `
const exprs = ['tcp port 80', 'udp port 53 or host 10.0.0.1', 'ip[6:2] & 0x1fff = 0 and not icmp',
  'ether dst 52:54:00:aa:bb:cc and (arp or ip6 net 2001:db8::/32)', 'portrange 1000-2000 and len > 200',
  'vlan and tcp dst port http', 'tcp prot 80', '(not udp or port 80) and ip proto 47 and port 80'];
const pass = () => { for (const e of exprs) for (const linktype of ['EN10MB', 'RAW', 'LINUX_SLL']) {
  try { compile(e, { linktype }); } catch {} } };
for (let i = 0; i < 3000; i++) pass();
console.log('FULL-GC');
globalThis.gc();
pass();
`;

test('a full garbage collection between compiles throws away none of the compiler’s optimized code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-resident-'));
  try {
    const bundle = join(dir, 'compiler.mjs');
    await build({
      entryPoints: [join(ROOT, 'src/compiler/index.ts')],
      outfile: bundle,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      logLevel: 'error',
    });
    const script = join(dir, 'run.mjs');
    writeFileSync(script, `import { compile } from ${JSON.stringify(bundle)};\n${WARM}`);
    const r = spawnSync(process.execPath, ['--expose-gc', '--trace-deopt-verbose', script], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    assert.equal(r.status, 0, r.stderr);
    const marker = r.stdout.indexOf('FULL-GC');
    assert.ok(marker >= 0, 'the script reached its collection');
    const after = r.stdout.slice(marker);
    // V8's line for code thrown away when an object it was optimized for died.
    const lost = [
      ...after.matchAll(
        /marking dependent code .*?<SharedFunctionInfo ([^>]*)>.*reason: weak objects/g,
      ),
    ].map((m) => m[1] || '(anonymous)');
    assert.deepEqual(lost, [], `deoptimized by the collection: ${lost.join(', ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
