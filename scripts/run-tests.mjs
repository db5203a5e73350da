// Finds test/**/*.test.ts (Node 20's runner does not expand globs) and runs them under tsx with Node's test runner.
// Extra arguments narrow the set: `npm test -- test/core` or a file path.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  const st = statSync(dir);
  if (st.isFile()) return dir.endsWith('.test.ts') ? [dir] : [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => find(join(dir, name)));
}

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const files = (roots.length ? roots : ['test']).flatMap(find);
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
// --test-force-exit: a file's process ends when its tests have, even if something it started (a stalled
// Z3 thread, say) still holds it open; its tests' results are all in by then.
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-force-exit', ...flags, ...files],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
