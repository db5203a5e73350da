// Long-run JIT-vs-interpreter equivalence: `npm run fuzz:jit -- [pairs] [seed]` (default 1,000,000
// pairs, every profile, random Linux metadata). Prints the pairs run and every mismatch (first 10 in
// full); exits 1 on any mismatch. test/core/jit/fuzz.test.ts runs a short count of it in CI.
import { fuzzJit } from '../test/helpers/fuzz-jit.js';

const pairs = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 1);
if (!Number.isSafeInteger(pairs) || pairs < 1 || !Number.isSafeInteger(seed)) {
  console.error('usage: npm run fuzz:jit -- [PAIRS] [SEED]');
  process.exit(2);
}
const t0 = Date.now();
const r = fuzzJit(pairs, seed, (m) => console.log(JSON.stringify(m)));
const s = ((Date.now() - t0) / 1000).toFixed(1);
console.log(
  `fuzz:jit seed=${seed} pairs=${r.pairs} programs=${r.programs} (${r.perProfile.map(([p, n]) => `${p} ${n}`).join(', ')}) accepted=${r.accepted} mismatches=${r.mismatches} (${s} s)`,
);
process.exitCode = r.mismatches === 0 ? 0 : 1;
