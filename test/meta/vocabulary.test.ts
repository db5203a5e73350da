// One vocabulary across files, captures, the tap, the apps and the playground: a frame's lengths are
// caplen/wirelen (the kernel's and libpcap's names) and its time is timestampNs, a bigint of
// nanoseconds since the epoch, wherever a frame is handed over.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../../', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const SOURCES = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'web/src'))];

/** The other spellings of one thing, and the name every file uses instead. */
const SYNONYMS: [RegExp, string][] = [
  [/\b(wireLength|wireLen|origLen|capturedLength|capLen)\b/, 'caplen/wirelen'],
  // A frame's time as a number of ms, or as number | bigint, next to the bigint elsewhere.
  [/\breadonly timestamp\??:|\btimestamp\??: (number|bigint)\b/, 'timestampNs: bigint'],
];

test('a frame has one name for each length and one type of timestamp in every source file', () => {
  const problems: string[] = [];
  for (const f of SOURCES) {
    const lines = readFileSync(f, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const [re, want] of SYNONYMS) {
        const m = re.exec(line);
        if (m) problems.push(`${relative(ROOT, f)}:${i + 1}: '${m[0]}' (use ${want})`);
      }
    });
  }
  assert.deepEqual(problems, []);
});
