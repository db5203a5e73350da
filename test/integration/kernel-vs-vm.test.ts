// Kernel ≡ interpreter: random valid programs attached to an AF_PACKET socket on a veth, compared
// frame by frame (arrived or not, and length) with run(..., { profile: 'linux' }).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { run } from '../../src/core/vm.js';
import { PacketSocket } from '../../src/node/linux/packet-socket.js';
import { genFrame, genLinuxProgram, rng } from '../helpers/gen-linux-program.js';
import { enterNetns, type Netns } from '../helpers/netns.js';

let ns: Netns;
before(() => {
  ns = enterNetns(`cbpf-kv-${process.pid}`);
});
after(() => ns?.dispose());

const PROGRAMS = 5000;
const FRAMES = 4;

test(`kernel and linux-profile interpreter agree on ${PROGRAMS} programs x ${FRAMES} frames`, async () => {
  const r = rng(0xc0ffee);
  const filtered = new PacketSocket({ interface: 'cba' });
  const sentinel = new PacketSocket({ interface: 'cba' }); // unfiltered: tells when the frames have been delivered
  const tx = new PacketSocket({ interface: 'cbb' });
  const buf = new Uint8Array(2048);
  const divergences: string[] = [];
  let compared = 0;
  let accepted = 0;
  let truncated = 0;
  try {
    sentinel.setFilter([
      { code: 0x28, jt: 0, jf: 0, k: 12 },
      { code: 0x15, jt: 0, jf: 1, k: 0x88b5 },
      { code: 0x06, jt: 0, jf: 0, k: 0xffff },
      { code: 0x06, jt: 0, jf: 0, k: 0 },
    ]);
    for (let p = 0; p < PROGRAMS; p++) {
      const prog = genLinuxProgram(r);
      filtered.setFilter(prog);
      const frames = Array.from({ length: FRAMES }, () => genFrame(r));
      for (const f of frames) tx.send(f);
      let seen = 0;
      for (let spins = 0; seen < FRAMES && spins < 200; ) {
        if (sentinel.tryRecv(buf) >= 0) seen++;
        else {
          spins++;
          await sentinel.waitReadable(5);
        }
      }
      assert.equal(seen, FRAMES, 'sentinel missed frames');
      const got: number[] = [];
      for (;;) {
        const n = filtered.tryRecv(buf);
        if (n < 0) break;
        got.push(n);
      }
      const want = frames
        .map((f) => Math.min(run(prog, f, { profile: 'linux' }), f.length))
        .filter((n) => n > 0);
      compared += FRAMES;
      accepted += want.length;
      truncated += want.filter((n) => n < 60).length;
      if (got.join() !== want.join() && divergences.length < 10)
        divergences.push(
          `program ${JSON.stringify(prog)} frames ${frames.map((f) => Buffer.from(f).toString('hex')).join(' ')}: kernel ${got} vm ${want}`,
        );
    }
  } finally {
    filtered.close();
    sentinel.close();
    tx.close();
  }
  console.log(
    `# kernel vs vm: ${compared} frames, ${accepted} accepted (${truncated} truncated below 60 bytes), ${divergences.length} divergences`,
  );
  assert.ok(
    accepted > compared / 10 && truncated > 100,
    'the generator must exercise accept and truncation',
  );
  assert.deepEqual(divergences, [], `${divergences.length} divergences in ${compared} frames`);
});
