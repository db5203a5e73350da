// Imports point one way (style.md §2): pure modules never reach Node or the layers above them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const SRC = new URL('../../src/', import.meta.url).pathname;
const WEB = new URL('../../web/src/', import.meta.url).pathname;

/**
 * The entry modules: what package.json exports, each a file directly under src/. The CLI imports only
 * these; the web playground only the public pure ones.
 */
const PUBLIC_ENTRIES: Record<string, string> = {
  '.': 'index.ts',
  './compiler': 'compiler.ts',
  './pcap': 'pcap.ts',
  './packets': 'packets.ts',
  './filters': 'filters.ts',
  './node': 'node.ts',
};
/** The declared private entry: what the CLI needs beyond the public API (counted below). */
const INTERNAL_ENTRY = 'internal.ts';
const ENTRIES = [...Object.values(PUBLIC_ENTRIES), INTERNAL_ENTRY];

/** Layer of a file under src/, and the layers it may import from. */
const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  analysis: ['analysis', 'core', 'compiler', 'packets'],
  compiler: ['compiler', 'core'],
  pcap: ['pcap', 'core'],
  packets: ['packets', 'core'],
  filters: ['filters', 'compiler', 'core', 'packets'],
  tap: ['tap', 'core', 'compiler', 'pcap', 'packets'],
  node: ['node', 'tap', 'filters', 'compiler', 'core', 'pcap', 'packets'],
  apps: ['apps', 'node', 'tap', 'filters', 'compiler', 'core', 'pcap', 'packets'],
  // The command line gets no private API: the entries, and its own files.
  cli: ['cli', ...ENTRIES],
  'index.ts': ['core', 'analysis', 'tap'],
  'compiler.ts': ['compiler'],
  'pcap.ts': ['pcap'],
  'packets.ts': ['packets'],
  'filters.ts': ['filters'],
  'node.ts': ['node', 'apps'],
  'internal.ts': ['node'],
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
  'compiler.ts',
  'pcap.ts',
  'packets.ts',
  'filters.ts',
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

/** What the browser playground may use: the public pure entries, its own files, and the worker source esbuild injects. */
const WEB_ALLOWED = new Set(['index.ts', 'compiler.ts', 'pcap.ts', 'packets.ts', 'filters.ts']);
/** Packages the playground bundles (devDependencies: the library itself keeps no runtime dependency). */
const WEB_PACKAGES = new Set(['@dagrejs/dagre']);

test('the web playground imports only the public pure entries and no Node API', () => {
  const problems: string[] = [];
  for (const file of files(WEB)) {
    const rel = relative(WEB, file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm,
    )) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec === 'virtual:filter-worker' || WEB_PACKAGES.has(spec)) continue;
      const target = spec.startsWith('.') ? relative(SRC, join(file, '..', spec)) : undefined;
      const inWeb = spec.startsWith('./') && !spec.slice(2).includes('/');
      if (!inWeb && (target === undefined || !WEB_ALLOWED.has(target.replace(/\.js$/, '.ts')))) {
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

test('no import cycles anywhere in src', () => {
  const graph = new Map<string, string[]>();
  for (const file of files(SRC)) graph.set(relative(SRC, file), importsOf(file));
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

test('package.json exports exactly the entry modules, each built from src/ by tsconfig.build.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const want: Record<string, { types: string; default: string }> = {};
  for (const [sub, file] of Object.entries({ ...PUBLIC_ENTRIES, './internal': INTERNAL_ENTRY })) {
    const base = file.replace(/\.ts$/, '');
    want[sub] = { types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` };
    assert.ok(statSync(join(SRC, file)).isFile(), `src/${file}`);
  }
  assert.deepEqual(pkg.exports, want);
  const build = JSON.parse(
    readFileSync(new URL('../../tsconfig.build.json', import.meta.url), 'utf8'),
  );
  assert.equal(build.compilerOptions.rootDir, 'src');
  assert.equal(build.compilerOptions.outDir, 'dist');
  assert.deepEqual(build.include, ['src']);
});

/** Names a file imports from `entry` (statically or by a destructured dynamic import). */
function namesFrom(file: string, entry: string): string[] {
  const text = readFileSync(file, 'utf8');
  const names: string[] = [];
  for (const m of text.matchAll(
    /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"]([^'"]+)['"]|const\s+\{([^}]*)\}\s*=\s*await\s+import\(\s*['"]([^'"]+)['"]\s*\)/g,
  )) {
    const spec = m[2] ?? m[4];
    if (
      !spec.startsWith('.') ||
      relative(SRC, join(file, '..', spec)) !== entry.replace(/\.ts$/, '.js')
    )
      continue;
    for (const n of (m[1] ?? m[3]).split(','))
      if (n.trim()) names.push(n.trim().replace(/^type\s+/, ''));
  }
  return names;
}

/**
 * The private API the command line uses, counted: each name here is a module of src/node the CLI needs
 * without the socket layer (cbpf/node loads koffi). A new one is a decision; add it here and in
 * src/internal.ts, or make it public.
 */
const CLI_INTERNAL_NAMES = [
  'AtomicFile',
  'BufferedOutput',
  'ErrnoCode',
  'SystemError',
  'refuseSameFile',
  'resolveFilter',
  'scanCaptureFile',
  'systemReason',
];

test('the CLI uses cbpf/internal for the counted names only, and internal.ts declares no more', () => {
  const used = new Set<string>();
  for (const file of files(join(SRC, 'cli')))
    for (const n of namesFrom(file, INTERNAL_ENTRY)) used.add(n);
  assert.deepEqual([...used].sort(), CLI_INTERNAL_NAMES);
  const declared = [
    ...readFileSync(join(SRC, INTERNAL_ENTRY), 'utf8').matchAll(/export\s+\{([^}]*)\}/g),
  ]
    .flatMap((m) => m[1].split(','))
    .map((n) => n.trim())
    .filter((n) => n && !n.startsWith('type '));
  assert.deepEqual(
    declared.filter((n) => !CLI_INTERNAL_NAMES.includes(n)),
    [],
    'internal.ts exports a value the CLI does not use',
  );
});

test('cbpf/internal loads no FFI: `cbpf -r` starts without koffi', () => {
  const seen = new Set<string>();
  const reaches: string[] = [];
  const walk = (rel: string) => {
    if (seen.has(rel)) return;
    seen.add(rel);
    const file = join(SRC, rel);
    const text = readFileSync(file, 'utf8');
    if (/from\s+['"]koffi['"]/.test(text)) reaches.push(rel);
    // Static imports only: a dynamic import() loads when it runs.
    for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g))
      walk(relative(SRC, join(file, '..', m[1])).replace(/\.js$/, '.ts'));
  };
  walk(INTERNAL_ENTRY);
  assert.deepEqual(reaches, []);
});

/**
 * `text` with comments removed and the contents of string, template and regular-expression literals
 * blanked (their newlines kept, so line numbers stay true).
 */
function codeOnly(text: string): string {
  let out = '';
  const newlines = (from: number, to: number) => text.slice(from, to).replace(/[^\n]/g, '');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += ` ${newlines(i, stop)}`;
      i = stop - 1;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += `${c}${c}${newlines(i, j)}`;
      i = j;
    } else if (c === '/' && /(?:[=(,:[!&|?{};]|\breturn)\s*$/.test(out)) {
      // A regular expression literal (a `/` where an operand starts): its pattern is text.
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text[j] !== '\n' && (inClass || text[j] !== '/')) {
        if (text[j] === '[') inClass = true;
        else if (text[j] === ']') inClass = false;
        j += text[j] === '\\' ? 2 : 1;
      }
      out += '/r/';
      i = j;
    } else out += c;
  }
  return out;
}

/**
 * Where opcodes may be spelled as numbers: the classic BPF opcode table, and WebAssembly's own
 * opcode table in the WebAssembly encoder.
 */
const OPCODE_TABLES = new Set(['core/opcodes.ts', 'core/wasm/encoder.ts']);

test('no opcode is spelled as a number in the core outside the opcode table', () => {
  const problems: string[] = [];
  for (const file of files(CORE)) {
    const rel = relative(SRC, file);
    if (OPCODE_TABLES.has(rel)) continue;
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
