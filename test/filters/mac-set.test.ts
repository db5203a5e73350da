// The MAC-set search tree: the same verdict as a linear list of the same MACs on generated frames (the
// list is libpcap's program for the filter's expression), in the interpreter; sizes it must fit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compile } from '../../src/compiler/index.js';
import { validate } from '../../src/core/validate.js';
import { run } from '../../src/core/vm.js';
import { arpReply, KERNEL_MAX_INSNS, macBytes, macSetProgram } from '../../src/filters/index.js';
import { buildArpFrame } from '../../src/packets/build-link.js';
import { macSets, randomMacs } from '../helpers/macs.js';

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');

test('a MAC set accepts exactly its members, near misses included, for sets of 1 to 400 MACs', () => {
  fc.assert(
    fc.property(
      macSets(400),
      fc.array(fc.uint8Array({ minLength: 6, maxLength: 6 })),
      (set, others) => {
        const p = macSetProgram(set.map(hex), { offset: 6, accept: 0x40 });
        assert.deepEqual(validate(p, 'linux'), []);
        const members = new Set(set.map(hex));
        const frame = new Uint8Array(20);
        // Each member, each member with one byte changed (a neighbour in either field), and random ones.
        const probes = [
          ...set,
          ...set.map((m, i) => m.map((b, j) => (j === i % 6 ? b ^ 1 : b))),
          ...others,
        ];
        for (const m of probes) {
          frame.set(m, 6);
          assert.equal(run(p, frame), members.has(hex(m)) ? 0x40 : 0, hex(m));
        }
      },
    ),
    { numRuns: 150 },
  );
});

test("arpReply({ from }) gives the verdict of libpcap's linear program for its expression", () => {
  const set = randomMacs(0xa11ce, 40);
  const tree = arpReply({ from: set });
  const linear = compile(tree.expression, { linktype: 'EN10MB' });
  const frames = [...set, ...randomMacs(7, 200)].flatMap((mac) =>
    (['reply', 'request'] as const).map((op) =>
      buildArpFrame({
        op,
        senderMac: mac,
        senderIp: '10.0.0.5',
        targetMac: set[0],
        targetIp: '10.0.0.1',
      }),
    ),
  );
  for (const f of frames) assert.equal(run(tree.program, f) !== 0, run(linear, f) !== 0);
});

/** Instructions one run executes. */
function steps(program: Parameters<typeof run>[0], packet: Uint8Array): number {
  let n = 0;
  run(program, packet, { trace: () => n++ });
  return n;
}

test('a packet costs about log2(n) comparisons: the most any probe executes, for 10, 100 and 1,000 MACs', () => {
  const frame = new Uint8Array(14);
  const worst: string[] = [];
  for (const n of [10, 100, 1000]) {
    const set = randomMacs(n, n);
    const p = macSetProgram(set, { offset: 0 });
    let most = 0;
    for (const m of [...set, ...randomMacs(n + 1, 500)]) {
      frame.set(macBytes(m));
      most = Math.max(most, steps(p, frame));
    }
    worst.push(`${n}: ${p.length} insns, <= ${most} executed`);
    // jgt levels to a chain of at most 4, then the second field's load and chain, then a ret
    assert.ok(most <= 2 * Math.ceil(Math.log2(n / 4) + 1) + 2 * 4 + 4, worst.at(-1));
  }
  console.log(`# MAC set: ${worst.join('; ')}`);
});

test('1,000 MACs fit a kernel filter, random or sharing the 52:54:00 prefix; a set that cannot fit says so', () => {
  const vms = Array.from({ length: 1000 }, (_, i) =>
    hex(Uint8Array.of(0x52, 0x54, 0, i >> 8, i & 0xff, 7)),
  );
  for (const set of [randomMacs(1, 1000), vms]) {
    const p = macSetProgram(set, { offset: 0 });
    assert.ok(p.length <= KERNEL_MAX_INSNS, `${p.length} instructions`);
    assert.deepEqual(validate(p, 'linux'), []);
  }
  assert.throws(
    () => macSetProgram(randomMacs(2, 1400), { offset: 0 }),
    /1400 MACs need \d+ instructions; a kernel filter holds at most 4096/,
  );
  assert.throws(() => macSetProgram([], { offset: 0 }), RangeError);
});

test('MAC spellings: colons, dashes, Cisco dots; anything else is a RangeError naming it', () => {
  for (const s of ['52:54:00:0a:0b:0c', '52-54-00-0A-0B-0C', '5254.000a.0b0c'])
    assert.deepEqual([...macBytes(s)], [0x52, 0x54, 0, 10, 11, 12]);
  for (const s of ['52:54:00', '52:54:00:0a:0b:0g', '525400.0a0b0c', ''])
    assert.throws(() => macBytes(s), new RegExp(`'${s}'`));
});
