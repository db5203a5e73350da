#!/usr/bin/env node
// The `cbpf` command. In a checkout it runs the TypeScript sources through tsx, so a stale build never
// answers. Installed (no src/), it runs the CLI bundle `npm run build` made: one CommonJS file, so Node
// resolves and links no module graph, compiled from the V8 code cache the build recorded on a training run
// (a cache V8 rejects, from another Node version, only costs the normal compile). Without the bundle, the
// per-module build in dist/. CBPF_BUNDLE=1 takes the bundle in a checkout too (the build's training run,
// the bench, the tests).
'use strict';
const { isAscii } = require('node:buffer');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');

const root = join(__dirname, '..');
const src = join(root, 'src/cli/main.ts');
const bundle = join(root, 'dist/cli/bundle/cbpf.cjs');

/**
 * The bundle's text. The build makes it ASCII (scripts/bundle-cli.mjs), which reads as one-byte text
 * without UTF-8 decoding; another file still reads as UTF-8, to the same string.
 */
function bundleText(file) {
  const bytes = readFileSync(file);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/** Runs the bundle as Node runs a CommonJS module, with the code cache when there is one. */
function runBundle() {
  const cacheFile = `${bundle}.v8cache`;
  const record = process.env.CBPF_RECORD_CODE_CACHE === '1';
  const cachedData = !record && existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${bundleText(bundle)}\n})`,
    { filename: bundle, cachedData },
  );
  // The bundle's main module runs when it is process.argv[1].
  process.argv[1] = bundle;
  const mod = { exports: {} };
  script
    .runInThisContext()
    .call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, join(bundle, '..'));
  // After the run, the cache also holds every function the run compiled.
  if (record) process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
}

async function runModules(entry, viaTsx) {
  if (viaTsx) (await import('tsx/esm/api')).register();
  process.argv[1] = entry;
  await import(pathToFileURL(entry).href);
}

if (existsSync(bundle) && (process.env.CBPF_BUNDLE === '1' || !existsSync(src))) runBundle();
else if (existsSync(src)) runModules(src, true);
else runModules(join(root, 'dist/cli/main.js'), false);
