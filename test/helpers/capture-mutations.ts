// Mutations of real captures for fuzzing readers: bit flips, truncations, splices, absurd lengths.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { CORPUS_DIR } from './corpus.js';

const DIR = CORPUS_DIR;

/** All pcapng files plus every 10th small pcap of the shared corpus. */
export function corpusSample(): Uint8Array[] {
  const names = readdirSync(DIR)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .sort();
  assert.ok(names.length > 0, `no captures in ${DIR}`);
  // All pcapng files plus every 10th small pcap: varied link types and layouts, fast runs.
  const picked = names.filter(
    (n, i) => (n.endsWith('.pcapng') || i % 10 === 0) && statSync(DIR + n).size < 40_000,
  );
  return picked.map((n) => new Uint8Array(readFileSync(DIR + n)));
}

const HUGE = [0xffffffff, 0x7fffffff, 0x80000000, 0x10000000, 0x00040001, 0, 1, 11, 13];

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; other: number; at: number; from: number }
  | { kind: 'u32'; at: number; value: number; le: boolean };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('splice' as const),
    other: fc.nat(),
    at: fc.nat(),
    from: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('u32' as const),
    at: fc.nat(),
    value: fc.constantFrom(...HUGE),
    le: fc.boolean(),
  }),
);

/** `src` with the mutations applied; a splice takes its tail from `files`. */
export function mutate(src: Uint8Array, ms: Mutation[], files: Uint8Array[]): Uint8Array {
  let b = src.slice();
  for (const m of ms) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    if (m.kind === 'flip') b[at] ^= 1 << m.bit;
    else if (m.kind === 'truncate') b = b.subarray(0, at);
    else if (m.kind === 'splice') {
      const o = files[m.other % files.length];
      const tail = o.subarray(m.from % o.length);
      const n = new Uint8Array(at + tail.length);
      n.set(b.subarray(0, at));
      n.set(tail, at);
      b = n;
    } else {
      // Length fields sit on 4-byte boundaries in both formats; aim there.
      const p = at - (at % 4);
      if (p + 4 <= b.length) new DataView(b.buffer, b.byteOffset).setUint32(p, m.value, m.le);
    }
  }
  return b;
}
