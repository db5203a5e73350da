// Benchmark (not a test): the MAC-set search tree against a linear list of the same MACs (laid out as
// libpcap lays out `ether src A or ether src B …`), for 10, 100 and 1,000 MACs: instruction counts, the most
// instructions one packet executes, and the interpreter's CPU time per packet over members and strangers.
// Run: npx tsx bench/mac-set.ts

/** The linear list as libpcap lays out `ether src A or ether src B …`: per MAC two loads and two tests. */
function linear(macs: readonly string[], offset: number) {
  const blocks: Block[] = [];
  const add = (b: Omit<Block, 'id'>) => blocks.push({ id: blocks.length, ...b }) - 1;
  const accept = add({ stmts: [], term: { kind: 'ret', k: 0xffffffff } });
  let next = add({ stmts: [], term: { kind: 'ret', k: 0 } });
  for (const m of [...macs].reverse()) {
    const dv = new DataView(macBytes(m).buffer);
    const lo = add({
      stmts: [ld.abs(offset + 4, 2) as never],
      term: { kind: 'branch', cond: 'jeq', src: 'k', k: dv.getUint16(4), t: accept, f: next },
    });
    next = add({
      stmts: [ld.abs(offset, 4) as never],
      term: { kind: 'branch', cond: 'jeq', src: 'k', k: dv.getUint32(0), t: lo, f: next },
    });
  }
  return emit({ blocks, entry: next });
}

import { emit } from '../src/compiler/emit.js';
import type { Block } from '../src/compiler/ir.js';
import { macBytes, macSetProgram } from '../src/filters.js';
import { interpreter, ld, run } from '../src/index.js';
import { randomMacs } from '../test/helpers/macs.js';

const PACKETS = 200_000;
const rows: string[] = [
  '| MACs | tree insns | list insns | tree: most executed | list: most executed | tree ns/packet | list ns/packet | list / tree |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const n of [10, 100, 1000]) {
  const set = randomMacs(n, n);
  const tree = macSetProgram(set, { offset: 6 });
  const list = linear(set, 6);
  // Half members, half strangers, each a 60-byte frame.
  const sources = [...set, ...randomMacs(n + 1, n)];
  const frames = sources.map((m) => {
    const f = new Uint8Array(60);
    f.set(macBytes(m), 6);
    return f;
  });
  const most = (p: typeof tree) =>
    Math.max(
      ...frames.map((f) => {
        let k = 0;
        run(p, f, { trace: () => k++ });
        return k;
      }),
    );
  const time = (p: typeof tree) => {
    const f = interpreter(p, { profile: 'libpcap' }); // the list of 1,000 is past Linux's 4,096
    let best = Infinity;
    for (let round = 0; round < 5; round++) {
      const t0 = process.cpuUsage();
      let acc = 0;
      for (let i = 0; i < PACKETS; i++) acc += f(frames[i % frames.length]) === 0 ? 0 : 1;
      const dt = process.cpuUsage(t0);
      if (acc === 0) throw new Error('nothing accepted');
      best = Math.min(best, ((dt.user + dt.system) * 1000) / PACKETS);
    }
    return best;
  };
  const [tt, lt] = [time(tree), time(list)];
  rows.push(
    `| ${n} | ${tree.length} | ${list.length} | ${most(tree)} | ${most(list)} | ${tt.toFixed(0)} | ${lt.toFixed(0)} | ${(lt / tt).toFixed(1)}× |`,
  );
}
console.log(rows.join('\n'));
