#!/usr/bin/env node
// The `cbpf` command. In a checkout it runs the TypeScript sources through tsx, so a stale build never
// answers. Installed (no src/), it runs the CLI bundle `npm run build` made: one CommonJS file, so Node
// resolves and links no module graph, compiled from the V8 code cache the build recorded on a training run
// (a cache V8 rejects, from another Node version, only costs the normal compile). Without the bundle, the
// per-module build in dist/. CBPF_BUNDLE=1 takes the bundle in a checkout too (the build's training run,
// the bench, the tests). `cbpf -r FILE -w OUT [expr]` runs a bundle of its own, half the size (see
// offlineWrite); CBPF_BUNDLE=full always takes the whole one.
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
const offlineBundle = join(root, 'dist/cli/bundle/cbpf-offline.cjs');

/**
 * The bundle's text. The build makes it ASCII (scripts/bundle-cli.mjs), which reads as one-byte text
 * without UTF-8 decoding; another file still reads as UTF-8, to the same string.
 */
function bundleText(file) {
  const bytes = readFileSync(file);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/** Runs a bundle as Node runs a CommonJS module, with its code cache when there is one. */
function runBundle(bundle) {
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

// The offline bundle (dist/cli/bundle/cbpf-offline.cjs) is the CLI without the packet decoders, the
// socket layer and the other commands: half the size of the whole one, it starts 2-7 ms sooner (up to
// a twentieth of `-r -w` on a 100 MB file). It runs `cbpf -r FILE -w OUT [expression]` with the flags below,
// which need nothing it lacks; any other command line (another flag, printed lines, live capture, -V)
// takes the whole bundle, which reads the same flags the same way.
/** Flags that take the next word as their value. */
const WITH_VALUE = new Set(['-r', '-w', '-c', '-s', '-y', '-F', '--jobs']);
/** Flags on their own. */
const ALONE = new Set(['-n', '-nn', '-q', '-O', '-p', '--pcapng']);

/** True for a tcpdump-style command line that reads a file (-r) and writes one (-w), with listed flags only. */
function offlineWrite(argv) {
  if (argv.length === 0 || !argv[0].startsWith('-')) return false;
  let read = false;
  let write = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    // After `--`, only the expression.
    if (a === '--') break;
    // A word of the expression.
    if (!a.startsWith('-')) continue;
    if (WITH_VALUE.has(a)) {
      if (i + 1 >= argv.length) return false;
      if (a === '-r') read = true;
      if (a === '-w') write = true;
      i++;
    } else if (!ALONE.has(a)) return false;
  }
  return read && write;
}

function main() {
  const mode = process.env.CBPF_BUNDLE;
  if (existsSync(bundle) && (mode === '1' || mode === 'full' || !existsSync(src)))
    runBundle(
      mode !== 'full' && offlineWrite(process.argv.slice(2)) && existsSync(offlineBundle)
        ? offlineBundle
        : bundle,
    );
  else if (existsSync(src)) runModules(src, true);
  else runModules(join(root, 'dist/cli/main.js'), false);
}

// Required (by the tests), it only lends offlineWrite.
if (require.main === module) main();
else module.exports = { offlineWrite };
