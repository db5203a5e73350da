// The MAC-set search tree in the kernel: attached to an AF_PACKET socket on a veth, it lets through
// exactly the frames whose source MAC is in the set, as the interpreter says (mac-set.test.ts checks
// the interpreter against libpcap's linear program).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { run } from '../../src/core/vm.js';
import { macBytes, macSetProgram } from '../../src/filters/index.js';
import { PacketSocket } from '../../src/node/linux/packet-socket.js';
import { randomMacs } from '../helpers/macs.js';
import { enterNetns, type Netns } from '../helpers/netns.js';

let ns: Netns;
before(() => {
  ns = enterNetns(`cbpf-macs-${process.pid}`);
});
after(() => ns?.dispose());

/** A 0x88b5 frame from `src`, numbered so arrivals can be matched to what was sent. */
function frame(src: string, n: number): Uint8Array {
  const f = new Uint8Array(60);
  f.set([0x02, 0, 0, 0, 0, 0xaa], 0);
  f.set(macBytes(src), 6);
  f.set([0x88, 0xb5, n >> 8, n & 0xff], 12);
  return f;
}

test('kernel and interpreter agree on a 1,000-MAC tree filter for 3,000 frames', async () => {
  const set = randomMacs(0x5eed, 1000);
  const program = macSetProgram(set, { offset: 6 });
  const filtered = new PacketSocket({ interface: 'cba' });
  const sentinel = new PacketSocket({ interface: 'cba' }); // unfiltered: tells when all have arrived
  const tx = new PacketSocket({ interface: 'cbb' });
  filtered.setFilter(program);
  const buf = new Uint8Array(2048);
  // Members, members with the last byte changed, and strangers, interleaved.
  const strangers = randomMacs(0x0dd, 1000);
  const sources = set.flatMap((m, i) => [
    m,
    m.slice(0, -2) + (m.endsWith('00') ? '01' : '00'),
    strangers[i],
  ]);
  const frames = sources.map((s, i) => frame(s, i));
  const want = frames.filter((f) => run(program, f) !== 0).map((f) => (f[14] << 8) | f[15]);
  try {
    let seen = 0;
    const got: number[] = [];
    for (const [i, f] of frames.entries()) {
      tx.send(f);
      // Drain as we go so no receive buffer overflows.
      if (i % 200 === 199 || i === frames.length - 1) {
        for (let spins = 0; seen <= i && spins < 400; ) {
          if (sentinel.tryRecv(buf) >= 0) seen++;
          else {
            spins++;
            await sentinel.waitReadable(5);
          }
        }
        for (let n = filtered.tryRecv(buf); n >= 0; n = filtered.tryRecv(buf))
          got.push((buf[14] << 8) | buf[15]);
      }
    }
    assert.equal(seen, frames.length, 'the unfiltered socket missed frames');
    assert.ok(want.length >= 1000 && want.length < 1100, `${want.length} frames are members`);
    assert.deepEqual(got, want);
    const stats = filtered.stats();
    console.log(
      `# kernel MAC tree: ${program.length} instructions, ${got.length} of ${frames.length} frames passed, stats ${JSON.stringify(stats)}`,
    );
  } finally {
    filtered.close();
    sentinel.close();
    tx.close();
  }
});
