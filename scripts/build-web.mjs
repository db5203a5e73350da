// Bundles the web playground into a static folder (default web/dist): index.html, style.css and
// one classic script, app.js, with the filter worker's code inlined (started from a blob URL), so
// the folder works from any static server and from file://.
// Usage: node scripts/build-web.mjs [OUTDIR] [--dev]   (--dev: no minifying, inline source maps)
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'web');

/** Builds the playground into `outdir`; returns the files written and the bundle's size. */
export async function buildWeb(outdir = join(WEB, 'dist'), { dev = false } = {}) {
  const common = {
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    minify: !dev,
    sourcemap: dev ? 'inline' : false,
    legalComments: 'none',
    logLevel: 'warning',
  };
  const worker = await esbuild.build({
    ...common,
    entryPoints: [join(WEB, 'src/filter-worker.ts')],
    write: false,
  });
  const workerSource = worker.outputFiles[0].text;
  const inlineWorker = {
    name: 'inline-worker',
    setup(build) {
      build.onResolve({ filter: /^virtual:filter-worker$/ }, (a) => ({
        path: a.path,
        namespace: 'inline-worker',
      }));
      build.onLoad({ filter: /.*/, namespace: 'inline-worker' }, () => ({
        contents: `export default ${JSON.stringify(workerSource)};`,
        loader: 'js',
      }));
    },
  };
  mkdirSync(outdir, { recursive: true });
  const app = await esbuild.build({
    ...common,
    entryPoints: [join(WEB, 'src/main.ts')],
    outfile: join(outdir, 'app.js'),
    plugins: [inlineWorker],
    metafile: true,
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(join(WEB, f), join(outdir, f));
  const bytes = Object.values(app.metafile.outputs).reduce((s, o) => s + o.bytes, 0);
  return { outdir, files: ['index.html', 'style.css', 'app.js'], bytes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith('-'));
  const r = await buildWeb(out ? resolve(out) : undefined, { dev: args.includes('--dev') });
  console.log(`build-web: ${r.outdir} (app.js ${(r.bytes / 1024).toFixed(0)} KiB)`);
}
