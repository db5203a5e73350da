#!/usr/bin/env node
// Runs the TypeScript sources through tsx in a checkout (so a stale dist/ never answers), the built CLI
// in the installed package (which ships dist/ and no src/).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const src = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
if (existsSync(src)) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', src, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
} else {
  process.argv[1] = built;
  await import(pathToFileURL(built).href);
}
