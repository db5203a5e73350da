// Generated MAC sets for the MAC-set filter's tests and bench: random, and sets whose members share
// prefixes (VMs from one hypervisor share 52:54:00), so both fields of the tree are exercised.
import fc from 'fast-check';
import { rng } from './gen-linux-program.js';

const hex = (b: ArrayLike<number>) =>
  Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');

/** `n` random distinct-ish MACs from `seed`. */
export function randomMacs(seed: number, n: number): string[] {
  const r = rng(seed);
  return Array.from({ length: n }, () =>
    hex(Array.from({ length: 6 }, () => Math.floor(r() * 256))),
  );
}

/** fast-check sets of 1..max MACs, members often sharing their first 2 or 4 bytes. */
export function macSets(max: number) {
  const prefix = fc.uint8Array({ minLength: 4, maxLength: 4 });
  return fc
    .tuple(
      fc.array(prefix, { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 1, max }),
      fc.integer(),
    )
    .map(([prefixes, n, seed]) => {
      const r = rng(seed >>> 0);
      const byte = () => Math.floor(r() * 256);
      return Array.from({ length: n }, () => {
        const p = prefixes[Math.floor(r() * prefixes.length)];
        const kind = r();
        // whole prefix (4+2 groups), first two bytes (2+4 groups), or random
        const head =
          kind < 0.4
            ? [...p]
            : kind < 0.8
              ? [p[0], p[1], byte(), byte()]
              : [byte(), byte(), byte(), byte()];
        return Uint8Array.from([...head, byte(), byte()]);
      });
    });
}
