// A short run of `npm run fuzz:jit` (the long run does >= 1,000,000 pairs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzzJit, type Mismatch } from '../../helpers/fuzz-jit.js';

test('fuzz:jit, 150,000 pairs: the JIT equals the interpreter', () => {
  const seen: Mismatch[] = [];
  const r = fuzzJit(150_000, 2026, (m) => seen.push(m));
  assert.equal(r.pairs, 150_000);
  assert.deepEqual(seen, []);
  assert.equal(r.mismatches, 0);
  // The programs accept often enough that both outcomes are exercised.
  assert.ok(r.accepted > r.pairs / 5 && r.accepted < (r.pairs * 4) / 5, `accepted ${r.accepted}`);
});
