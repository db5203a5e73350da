// Imports point one way (style.md §2): pure modules never reach Node or the layers above them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const SRC = new URL('../../src/', import.meta.url).pathname;
const WEB = new URL('../../web/src/', import.meta.url).pathname;

/** Layer of a file under src/, and the layers it may import from. */
const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  compiler: ['compiler', 'core'],
  pcap: ['pcap', 'core'],
  packets: ['packets', 'core'],
  filters: ['filters', 'compiler', 'core', 'packets'],
  tap: ['tap', 'core', 'compiler', 'pcap', 'packets'],
  analysis: ['analysis', 'core', 'compiler', 'packets'],
  node: ['node', 'tap', 'filters', 'compiler', 'core', 'pcap', 'packets', 'index.ts'],
  apps: [
    'apps',
    'node',
    'tap',
    'filters',
    'compiler',
    'core',
    'pcap',
    'packets',
    'index.ts',
    'node.ts',
  ],
  cli: [
    'cli',
    'analysis',
    'apps',
    'node',
    'tap',
    'filters',
    'compiler',
    'core',
    'pcap',
    'packets',
    'index.ts',
    'node.ts',
  ],
  'index.ts': ['core', 'compiler', 'pcap', 'packets', 'filters', 'tap'],
  'node.ts': ['index.ts', 'node', 'apps'],
};
const PURE = new Set([
  'core',
  'compiler',
  'pcap',
  'packets',
  'filters',
  'tap',
  'analysis',
  'index.ts',
]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const layerOf = (rel: string) => rel.split('/')[0];

test('imports point one way and pure modules use no Node API', () => {
  const problems: string[] = [];
  for (const file of files(SRC)) {
    const rel = relative(SRC, file);
    const layer = layerOf(rel);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    )) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) {
        const target = relative(SRC, join(file, '..', spec));
        const tl = layerOf(target).replace(/\.js$/, '.ts');
        if (!(ALLOWED[layer] ?? []).includes(tl))
          problems.push(`${rel}: imports ${spec} (${layer} → ${tl})`);
      } else if (
        PURE.has(layer) &&
        (spec.startsWith('node:') ||
          (!spec.includes('/') &&
            ['fs', 'path', 'os', 'net', 'child_process', 'koffi'].includes(spec)) ||
          spec === 'koffi')
      ) {
        problems.push(`${rel}: pure module imports ${spec}`);
      }
    }
    if (PURE.has(layer) && /\b(Buffer\.|process\.)/.test(text.replace(/\/\/.*$/gm, '')))
      problems.push(`${rel}: pure module uses Buffer or process`);
  }
  assert.deepEqual(problems, []);
});

/** What the browser playground may use: the pure layers, its own files, and the worker source esbuild injects. */
const WEB_ALLOWED = new Set(['core', 'compiler', 'pcap', 'packets', 'filters']);

test('the web playground imports only the pure layers and no Node API', () => {
  const problems: string[] = [];
  for (const file of files(WEB)) {
    const rel = relative(WEB, file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm,
    )) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec === 'virtual:filter-worker') continue;
      const target = spec.startsWith('.') ? relative(SRC, join(file, '..', spec)) : undefined;
      const inWeb = spec.startsWith('./') && !spec.slice(2).includes('/');
      if (
        !inWeb &&
        (target === undefined || target.startsWith('..') || !WEB_ALLOWED.has(layerOf(target)))
      ) {
        problems.push(`web/src/${rel}: imports ${spec}`);
      }
    }
    if (/\b(Buffer\.|process\.)/.test(text.replace(/\/\/.*$/gm, '')))
      problems.push(`web/src/${rel}: uses Buffer or process`);
  }
  assert.deepEqual(problems, []);
});
