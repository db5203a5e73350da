// Bundles the command line into one CommonJS file, dist/cli/bundle/cbpf.cjs, which the installed
// bin/cbpf.cjs runs, and records its V8 code cache (cbpf.cjs.v8cache) on a training run: `cbpf -r` over the
// embedded sample with an expression, writing a file and printing the lines, so the cache holds the
// compiler, the JIT, the offline path and the decoders compiled. A second bundle, cbpf-offline.cjs, is the
// same CLI with the capture command alone and without the packet decoders and the socket layer (they
// throw if reached): bin/cbpf.cjs runs it for `cbpf -r FILE -w OUT [expr]`, whose start it shortens; it
// has a cache of its own, from a `-r -w` run. All ship in the package; nothing is compiled at install.
// Usage: node scripts/bundle-cli.mjs [ROOT]   (ROOT: a package layout with bin/, data/, node_modules/;
// default this checkout)
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** esbuild options both CLI bundles share. */
const CLI_BUILD = {
  entryPoints: [join(ROOT, 'src/cli/main.ts')],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: ['node20'],
  // koffi is a native module: required from node_modules at run time, and only by the socket commands.
  // z3-solver (optional, WebAssembly) likewise, and only by the commands that prove things.
  external: ['koffi', 'z3-solver'],
  // A module's own URL and path, for the ones that ask: the bundle's. It sits as deep as
  // dist/cli/commands/, so paths relative to it (../../../data) still resolve. The URL is made when first
  // asked: the first one a process makes costs half a millisecond, and `-r -w` never asks.
  define: { 'import.meta.url': '__bundle.url', 'import.meta.filename': '__filename' },
  banner: {
    js: "const __bundle = { get url() { const url = require('node:url').pathToFileURL(__filename).href; Object.defineProperty(this, 'url', { value: url }); return url; } };",
  },
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * The offline bundle's cuts: the command table holds the capture command alone, and the packet decoders
 * (cbpf/packets) and the socket layer (cbpf/node), which `-r -w` never loads, are modules that throw.
 */
const offlineOnly = {
  name: 'offline-only',
  setup(b) {
    b.onResolve({ filter: /\/commands\/index\.js$/ }, () => ({
      path: 'commands',
      namespace: 'cut',
    }));
    b.onResolve({ filter: /^(\.\.\/)+(packets|node)\.js$/ }, (a) => ({
      path: a.path,
      namespace: 'cut',
    }));
    b.onLoad({ filter: /^commands$/, namespace: 'cut' }, () => ({
      contents: `export const COMMANDS = {
        capture: { summary: '', load: async () => (await import('./commands/capture.js')).capture },
      };`,
      loader: 'ts',
      resolveDir: join(ROOT, 'src/cli'),
    }));
    b.onLoad({ filter: /./, namespace: 'cut' }, (a) => ({
      contents: `throw new Error('internal error: ${a.path} is not in the offline bundle (CBPF_BUNDLE=full runs the whole one)');`,
      loader: 'js',
    }));
  },
};

/** Runs the bin on the sample, recording the code cache of the bundle it takes. */
function train(root, args, env = {}) {
  const r = spawnSync(
    process.execPath,
    [join(root, 'bin/cbpf.cjs'), '-r', join(root, 'data/sample-home-lan.pcap'), ...args],
    {
      env: { ...process.env, CBPF_BUNDLE: '1', CBPF_RECORD_CODE_CACHE: '1', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (r.status !== 0) throw new Error('a bundle failed its training run');
}

/** Writes the bundle and its code cache under `root`/dist/cli/bundle. */
export async function bundleCli(root = ROOT) {
  const out = join(root, 'dist/cli/bundle/cbpf.cjs');
  const offline = join(root, 'dist/cli/bundle/cbpf-offline.cjs');
  for (const f of [out, offline]) rmSync(`${f}.v8cache`, { force: true });
  await esbuild.build({ ...CLI_BUILD, outfile: out });
  asciiOnly(out);
  await esbuild.build({ ...CLI_BUILD, outfile: offline, plugins: [offlineOnly] });
  asciiOnly(offline);
  // The worker of a split read: only the scanner, the JIT and the writers, so it starts quickly.
  await esbuild.build({
    entryPoints: [join(ROOT, 'src/cli/split-worker.ts')],
    outfile: join(root, 'dist/cli/bundle/split-worker.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: ['node20'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  train(root, ['-w', '/dev/null', 'tcp port 80 or udp']);
  train(root, ['--print', '-w', '/dev/null', 'tcp port 80 or udp'], { CBPF_BUNDLE: 'full' });
  return out;
}

/**
 * Makes the bundle plain ASCII, so bin/cbpf.cjs reads it as one-byte text (a single non-ASCII character
 * makes V8 hold all 1.2 MB as two-byte text and decode UTF-8 to get there: about 4 ms of every start).
 * esbuild escapes strings and identifiers already; what it leaves is in comments, written \uXXXX.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (!/[\u0080-\u{10ffff}]/u.test(line)) continue;
    const t = line.trim();
    if (!(t.startsWith('//') || t.startsWith('/*') || t.startsWith('*')))
      throw new Error(`${file}:${i + 1}: a non-ASCII character outside a comment`);
    lines[i] = line.replace(
      /[\u0080-\u{10ffff}]/gu,
      (c) => `\\u{${c.codePointAt(0).toString(16)}}`,
    );
  }
  writeFileSync(file, lines.join('\n'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleCli(process.argv[2] ? resolve(process.argv[2]) : ROOT);
}
