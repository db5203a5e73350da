// The JIT's analyses on their own: blocks of the DAG and the hoisted bounds guards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildCfg,
  isConstLoad,
  planGuards,
  resolveConstLoad,
} from '../../../src/core/analysis/index.js';
import { withDefaults } from '../../../src/core/ancillary.js';
import type { RawInsn } from '../../../src/core/insn.js';
import { jit } from '../../../src/core/jit/index.js';
import { PROFILES } from '../../../src/core/profiles.js';

const I = (code: number, k = 0, jt = 0, jf = 0): RawInsn => ({ code, jt, jf, k: k >>> 0 });
// Seed 000's ARP-reply filter.
const ARP_REPLY = [
  I(0x28, 12),
  I(0x15, 0x806, 0, 3),
  I(0x28, 20),
  I(0x15, 2, 0, 1),
  I(0x06, 0xffffffff),
  I(0x06, 0),
];

const plan = (prog: RawInsn[], profile: 'linux' | 'libpcap' = 'linux') => {
  const facts = PROFILES[profile];
  const cfg = buildCfg(prog, facts);
  const loads = prog.map(({ code, k }) =>
    isConstLoad(code) ? resolveConstLoad(code, k, facts, withDefaults(undefined)) : undefined,
  );
  return { cfg, plan: planGuards(prog, cfg, loads) };
};

test('blocks, edges and reachability of the ARP-reply filter', () => {
  const { cfg } = plan(ARP_REPLY);
  assert.deepEqual(
    cfg.blocks.map((b) => [b.start, b.end, [...b.succs], [...b.preds]]),
    [
      [0, 2, [2, 5], []],
      [2, 4, [4, 5], [0]],
      [4, 5, [], [1]],
      [5, 6, [], [0, 1]],
    ],
  );
  assert.ok(cfg.blocks.every((b) => b.reachable));
  assert.deepEqual([...cfg.backTargets], []);
});

test('code after an untargeted ret is unreachable; libpcap back edges are found', () => {
  const { cfg } = plan([I(0x06, 1), I(0x00, 5), I(0x06, 2)]);
  assert.deepEqual(
    cfg.blocks.map((b) => b.reachable),
    [true, false],
  );
  const loop = plan([I(0x00, 0), I(0x04, 1), I(0x15, 9, 1, 0), I(0x05, -3), I(0x16)], 'libpcap');
  assert.deepEqual([...loop.cfg.backTargets], [1]);
});

test('one guard covers every load on the ARP-reply path', () => {
  const { plan: p } = plan(ARP_REPLY);
  assert.deepEqual(p.need, [22, 22, 0, Infinity]);
  assert.deepEqual(p.guard, [22, 0, 0, 0]);
  const src = jit(ARP_REPLY).source;
  assert.equal(src.match(/len </g)?.length, 1);
  assert.match(src, /if \(len < 22\) return 0;/);
});

test('a guard is the least need over the accepting branches, widened later on each branch', () => {
  // ldh [12]; jeq #1 -> (ldb [60]; ret 1) else (ldb [30]; ret 2)
  const prog = [I(0x28, 12), I(0x15, 1, 0, 2), I(0x30, 60), I(0x06, 1), I(0x30, 30), I(0x06, 2)];
  const { plan: p } = plan(prog);
  assert.deepEqual(p.guard, [31, 61, 0]);
});

test('paths that can only return 0 need nothing and compile to return 0', () => {
  // Without a network header offset every SKF_NET_OFF load fails: the program can only drop.
  const prog = [I(0x28, 0xfff00000), I(0x06, 1)];
  const { plan: p } = plan(prog);
  assert.deepEqual(p.need, [Infinity]);
  assert.match(jit(prog).source, /return 0; \/\/ no path returns non-zero/);
  // Both exits ret #0.
  const drop = [I(0x28, 12), I(0x15, 1, 0, 1), I(0x06, 0), I(0x06, 0)];
  assert.deepEqual(plan(drop).plan.need[0], Infinity);
});

test('loads that may fail on X keep their own test; constant ones inside the guard do not', () => {
  const src = jit([I(0xb1, 14), I(0x48, 14), I(0x15, 80, 0, 1), I(0x06, 1), I(0x06, 0)], {
    profile: 'bsd',
  }).source;
  assert.match(src, /if \(len < 15\) return 0;/);
  assert.match(src, /const o = X \+ 14; if \(o \+ 2 > len\) return 0;/);
});

test('a libpcap loop re-enters through the dispatch and spends the budget', () => {
  const src = jit([I(0x00, 0), I(0x04, 1), I(0x15, 9, 1, 0), I(0x05, -3), I(0x16)], {
    profile: 'libpcap',
    backwardJumpLimit: 100,
  }).source;
  assert.match(src, /let entry = 0, budget = 100;/);
  assert.match(src, /if \(entry === 1\) break L1;/);
  assert.match(src, /if \(--budget < 0\) return 0; entry = 1; continue top;/);
});
