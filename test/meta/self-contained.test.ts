// A clone with nothing beside it passes its tests: no test, script, bench or CI step names a path outside
// the repository (the steering repo's ../shared, an absolute /work/... path, or a relative URL that climbs out).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const SCANNED = ['test', 'scripts', 'bench', 'web', 'src', '.ci', 'package.json'];
const SKIP = new Set([
  'node_modules',
  'dist',
  'corpus',
  'fixtures',
  'out',
  'data',
  'bin',
  '.cache',
]);
const TEXT = /\.(ts|mts|mjs|cjs|js|json|sh|go|c|h)$|^run$/;

function files(path: string): string[] {
  const st = statSync(path);
  if (st.isFile()) return TEXT.test(path.split('/').pop() ?? '') ? [path] : [];
  return readdirSync(path)
    .filter((n) => !SKIP.has(n))
    .flatMap((n) => files(join(path, n)));
}

/** Each finding in `text` (the contents of `file`) as `file:line: why`. */
function outside(file: string, text = readFileSync(file, 'utf8')): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    const at = `${relative(ROOT, file)}:${i + 1}`;
    if (/\bshared\/(corpus|seeds|docs|hooks)\b/.test(line)) found.push(`${at}: names ../shared`);
    if (/['"`]\/work\//.test(line)) found.push(`${at}: an absolute /work path`);
    for (const m of line.matchAll(
      /new URL\(\s*['"`](\.\.?\/[^'"`]*)['"`]\s*,\s*import\.meta\.url/g,
    )) {
      const target = resolve(dirname(file), m[1]);
      if (relative(ROOT, target).startsWith('..'))
        found.push(`${at}: URL ${m[1]} leaves the repository`);
    }
  });
  return found;
}

test('no test, script, bench or CI step reads a path outside the repository', () => {
  const self = new URL(import.meta.url).pathname;
  const all = SCANNED.flatMap((p) => files(join(ROOT, p))).filter((f) => f !== self);
  assert.ok(all.length > 100, `scanned only ${all.length} files`);
  assert.deepEqual(
    all.flatMap((f) => outside(f)),
    [],
  );
});

test('the check catches each way out', () => {
  const probe = join(ROOT, 'test/meta/probe.ts');
  for (const line of [
    "const A = new URL('../../../shared/corpus/pcap/', import.meta.url);",
    "readFileSync('/work/shared/seeds/x.txt');",
    "const B = new URL('../../../elsewhere/', import.meta.url);",
  ])
    assert.equal(outside(probe, line).length > 0, true, `not caught: ${line}`);
  assert.deepEqual(outside(probe, "const C = new URL('../corpus/tcpdump/', import.meta.url);"), []);
});
