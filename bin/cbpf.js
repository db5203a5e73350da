#!/usr/bin/env node
// Runs the TypeScript sources through tsx in a checkout (so a stale dist/ never answers), the built CLI
// in the installed package (which ships dist/ and no src/). tsx is registered in this process rather
// than in a child node: one runtime start instead of two.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const src = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const entry = existsSync(src) ? src : built;
if (entry === src) {
  const { register } = await import('tsx/esm/api');
  register();
}
// main.ts runs when it is process.argv[1].
process.argv[1] = entry;
await import(pathToFileURL(entry).href);
