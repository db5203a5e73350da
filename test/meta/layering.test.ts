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
  analysis: ['analysis', 'core', 'compiler', 'packets'],
  compiler: ['compiler', 'core'],
  pcap: ['pcap', 'core'],
  packets: ['packets', 'core'],
  filters: ['filters', 'compiler', 'core', 'packets'],
  tap: ['tap', 'core', 'compiler', 'pcap', 'packets'],
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
  'index.ts': ['core', 'analysis', 'compiler', 'pcap', 'packets', 'filters', 'tap'],
  'node.ts': ['index.ts', 'node', 'apps'],
};
const PURE = new Set([
  'core',
  'analysis',
  'compiler',
  'pcap',
  'packets',
  'filters',
  'tap',
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

// ---- the core's own rules (issue 17) ----

const CORE = join(SRC, 'core');

/** Relative imports of a file, resolved to paths under src/ (`.js` specifiers name `.ts` files). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(
    /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
  )) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.'))
      out.push(relative(SRC, join(file, '..', spec)).replace(/\.js$/, '.ts'));
  }
  return out;
}

/**
 * The engines: each runs or compiles a prepared program on its own. They are siblings: none imports
 * another, and of the rest of the core only select.ts (which picks one) imports them.
 */
const ENGINES: Record<string, (rel: string) => boolean> = {
  vm: (rel) => rel === 'core/vm.ts',
  'fast interpreter': (rel) => rel === 'core/fast-vm.ts' || rel === 'core/fast-vm-decode.ts',
  jit: (rel) => rel.startsWith('core/jit/'),
  wasm: (rel) => rel.startsWith('core/wasm/'),
};
const engineOf = (rel: string): string | undefined =>
  Object.keys(ENGINES).find((name) => ENGINES[name](rel));

test('the engines stand side by side: none imports another, and only select.ts imports them', () => {
  const problems: string[] = [];
  for (const file of files(CORE)) {
    const rel = relative(SRC, file);
    const mine = engineOf(rel);
    for (const target of importsOf(file)) {
      const theirs = engineOf(target);
      if (theirs === undefined || theirs === mine) continue;
      if (mine !== undefined) problems.push(`${rel} (${mine}) imports ${target} (${theirs})`);
      else if (rel !== 'core/select.ts') problems.push(`${rel} imports the ${theirs} engine`);
    }
  }
  assert.deepEqual(problems, []);
});

test('no import cycles inside the core', () => {
  const graph = new Map<string, string[]>();
  for (const file of files(CORE)) {
    const rel = relative(SRC, file);
    graph.set(
      rel,
      importsOf(file).filter((t) => t.startsWith('core/')),
    );
  }
  // Tarjan's strongly connected components: any component of two or more files is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  assert.deepEqual(cycles, []);
});

/** `text` with comments removed and the contents of string and template literals blanked. */
function codeOnly(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      out += ' ';
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += `${c}${c}`;
      i = j;
    } else out += c;
  }
  return out;
}

/**
 * Where opcodes may be spelled as numbers: the classic BPF opcode table, and WebAssembly's own
 * opcode table in the WebAssembly encoder. src/core/text/ is exempt until its parsers and printers
 * are rewritten over OP, ALU_OPS and JMP_CONDS (another branch is rewriting them now; issue 17).
 */
const OPCODE_TABLES = new Set(['core/opcodes.ts', 'core/wasm/encoder.ts']);
const EXEMPT = (rel: string) => rel.startsWith('core/text/');

test('no opcode is spelled as a number in the core outside the opcode table', () => {
  const problems: string[] = [];
  for (const file of files(CORE)) {
    const rel = relative(SRC, file);
    if (OPCODE_TABLES.has(rel) || EXEMPT(rel)) continue;
    const lines = codeOnly(readFileSync(file, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      // A hex literal of one byte is an opcode or one of its fields; 0xff, the byte mask, is not one.
      for (const m of line.matchAll(/\b0x([0-9a-f]{1,2})\b/gi))
        if (m[1].toLowerCase() !== 'ff') problems.push(`${rel}:${i + 1}: ${m[0]}`);
      // A numeric case label must be tied to a table entry by name (`case 54 satisfies Fast['X']`).
      for (const m of line.matchAll(/\bcase\s+(-?[0-9][0-9a-fx_]*)\s*(\S*)/gi))
        if (m[2] !== 'satisfies') problems.push(`${rel}:${i + 1}: case ${m[1]} without a name`);
    });
  }
  assert.deepEqual(problems, []);
});
