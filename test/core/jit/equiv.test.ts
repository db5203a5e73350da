import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jit } from '../../../src/core/jit/index.js';
import { PROFILE_NAMES } from '../../../src/core/profiles.js';
import { run } from '../../../src/core/vm.js';
import { genPacket, genProgram } from '../../helpers/gen-program.js';
import { rng } from '../../helpers/gen-linux-program.js';

for (const profile of PROFILE_NAMES) {
  test(`jit equals the interpreter on random ${profile} programs`, () => {
    const r = rng(0x5eed + profile.length);
    const anc = { ifindex: 3, protocol: 0x0800, mark: 7, netOffset: 14, llOffset: 0, vlanTci: 5, vlanPresent: 1 };
    for (let i = 0; i < 3000; i++) {
      const prog = genProgram(r, profile);
      const f = jit(prog, { profile, ancillary: anc, backwardJumpLimit: 50 });
      for (let j = 0; j < 8; j++) {
        const p = genPacket(r);
        const wl = r() < 0.3 ? p.length + Math.floor(r() * 2000) : p.length;
        const want = run(prog, p, { profile, wirelen: wl, ancillary: anc, backwardJumpLimit: 50 });
        assert.equal(f(p, wl), want, `${profile} ${JSON.stringify(prog)} ${Array.from(p)} wl=${wl}`);
        const buf = new Uint8Array(p.length + 10);
        buf.set(p, 5);
        assert.equal(f.at(buf, 5, p.length, wl), want);
      }
    }
  });
}

test('generated source holds only numbers from the program', () => {
  const f = jit([{ code: 0x06, jt: 0, jf: 0, k: 0xffffffff }]);
  assert.match(f.source, /return 4294967295/);
  const evil = [{ code: 0x06, jt: 0, jf: 0, k: '1;globalThis.pwned=1' as unknown as number }];
  assert.throws(() => jit(evil), (e: Error & { code?: string }) => typeof e.code === 'string');
  assert.equal((globalThis as Record<string, unknown>).pwned, undefined);
});

test('count() and at() agree with the simple form over one shared buffer', () => {
  const r = rng(99);
  for (let i = 0; i < 300; i++) {
    const prog = genProgram(r, 'linux');
    const f = jit(prog, { ancillary: { netOffset: 14 } });
    const pkts = Array.from({ length: 20 }, () => genPacket(r));
    const buf = new Uint8Array(pkts.reduce((s, p) => s + p.length + 3, 0));
    const offs: number[] = [];
    let o = 0;
    for (const p of pkts) {
      o += 3;
      buf.set(p, o);
      offs.push(o);
      o += p.length;
    }
    const lens = pkts.map((p) => p.length);
    const wls = pkts.map((p) => p.length + 4);
    const want = pkts.filter((p) => run(prog, p, { wirelen: p.length + 4, ancillary: { netOffset: 14 } }) !== 0).length;
    assert.equal(f.count(buf, offs, lens, wls, pkts.length), want);
  }
});
