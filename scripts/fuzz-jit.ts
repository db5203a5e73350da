// Long-run JIT-vs-interpreter equivalence: `npm run fuzz:jit [pairs] [seed]` (default 1,000,000 pairs).
import { jit } from '../src/core/jit/index.js';
import { PROFILE_NAMES } from '../src/core/profiles.js';
import { run } from '../src/core/vm.js';
import { genPacket, genProgram } from '../test/helpers/gen-program.js';
import { rng } from '../test/helpers/gen-linux-program.js';

const total = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 1);
const r = rng(seed);
const anc = { ifindex: 3, protocol: 0x86dd, mark: 9, queue: 2, netOffset: 14, llOffset: 0 };
let pairs = 0;
let mismatches = 0;
const t0 = Date.now();
while (pairs < total) {
  const profile = PROFILE_NAMES[Math.floor(r() * PROFILE_NAMES.length)];
  const prog = genProgram(r, profile, 16);
  const f = jit(prog, { profile, ancillary: anc, backwardJumpLimit: 100 });
  for (let j = 0; j < 10 && pairs < total; j++, pairs++) {
    const p = genPacket(r);
    const wl = r() < 0.3 ? p.length + Math.floor(r() * 3000) : p.length;
    const want = run(prog, p, { profile, wirelen: wl, ancillary: anc, backwardJumpLimit: 100 });
    const got = f(p, wl);
    if (got !== want) {
      mismatches++;
      if (mismatches <= 10) console.log(JSON.stringify({ profile, prog, packet: Array.from(p), wl, want, got }));
    }
  }
}
console.log(`fuzz:jit seed=${seed} pairs=${pairs} mismatches=${mismatches} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
process.exitCode = mismatches === 0 ? 0 : 1;
