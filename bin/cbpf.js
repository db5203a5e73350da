#!/usr/bin/env node
// Runs the built CLI when present (npm package), else the TypeScript source through tsx (checkout).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

const built = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const src = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
if (existsSync(built)) {
  process.argv[1] = built;
  await import(pathToFileURL(built).href);
} else {
  const r = spawnSync(process.execPath, ['--import', 'tsx', src, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
