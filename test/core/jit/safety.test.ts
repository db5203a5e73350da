// The generated source is made only of the emitter's own words and numbers: nothing a caller
// passes as a string, getter or odd object can reach it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Program } from '../../../src/core/encode.js';
import type { RawInsn } from '../../../src/core/insn.js';
import { isJitAvailable, jit } from '../../../src/core/jit/index.js';
import { prepare } from '../../../src/core/prepare.js';
import { PROFILE_NAMES } from '../../../src/core/profiles.js';
import { compileFilter, interpreted } from '../../../src/core/select.js';
import { run } from '../../../src/core/vm.js';
import { rng } from '../../helpers/gen-linux-program.js';
import { genAncillary, genPacket, genProgram } from '../../helpers/gen-program.js';

const WORDS = new Set(
  (
    'function filter count p dv b len wl let const A X if else return break continue pkt top for ' +
    'entry budget rt rel ad o v c i n offs lens wls plen new DataView buffer byteOffset byteLength ' +
    'getUint16 getUint32 Math imul throw RangeError length out undefined'
  ).split(' '),
);
const STRINGS = new Set(["'count: packet '", "' lies outside the buffer'"]);

/** Every token of `source` outside comments: a known word, M0-M15, a label, a number or punctuation. */
function strangeTokens(source: string): string[] {
  const code = source.replace(/\/\/[^\n]*/g, '');
  const tokens = code.match(/'[^']*'|[A-Za-z_$][\w$]*|0x[0-9a-f]+|\d+|\S/g) ?? [];
  return tokens.filter((t) => {
    if (t.startsWith("'")) return !STRINGS.has(t);
    if (/^[A-Za-z_$]/.test(t))
      return !(WORDS.has(t) || /^M(1[0-5]|\d)$/.test(t) || /^L\d+$/.test(t));
    if (/^(0x[0-9a-f]+|\d+)$/.test(t)) return false;
    return !/^[{}()[\];,.=<>!&|^+\-*/%:?~]$/.test(t);
  });
}

test('generated source has only the emitter vocabulary, for random programs of every profile', () => {
  const r = rng(4242);
  for (const profile of PROFILE_NAMES) {
    for (let i = 0; i < 400; i++) {
      const f = jit(genProgram(r, profile, 24), { profile, ancillary: genAncillary(r) });
      assert.deepEqual(strangeTokens(f.source), [], f.source);
      assert.deepEqual(strangeTokens(f.batchSource), [], f.batchSource);
    }
  }
});

test('a string where a number belongs is a validation error, never code', () => {
  const g = globalThis as Record<string, unknown>;
  const payload = '0;globalThis.pwned=1;//';
  const bad = (field: keyof RawInsn): Program => [
    { code: 0x06, jt: 0, jf: 0, k: 1, [field]: payload },
  ];
  for (const field of ['code', 'jt', 'jf', 'k'] as const) {
    assert.throws(
      () => jit(bad(field)),
      (e: Error & { code?: string }) => e.code === 'BAD_FIELD',
    );
  }
  assert.equal(g.pwned, undefined);
});

test('a getter that changes its answer after validation cannot inject code', () => {
  const g = globalThis as Record<string, unknown>;
  let reads = 0;
  const sneaky = {
    code: 0x06,
    jt: 0,
    jf: 0,
    get k(): number {
      reads++;
      return (reads > 1 ? '1;globalThis.pwned2=1' : 1) as unknown as number;
    },
  };
  const f = jit([sneaky]);
  assert.equal(f(new Uint8Array(0)), 1);
  assert.equal(reads, 1);
  assert.equal(g.pwned2, undefined);
});

test('metadata that is not a number cannot inject code', () => {
  const g = globalThis as Record<string, unknown>;
  const prog: Program = [
    { code: 0x28, jt: 0, jf: 0, k: 0xfff00000 },
    { code: 0x16, jt: 0, jf: 0, k: 0 },
  ];
  assert.throws(
    () => jit(prog, { ancillary: { netOffset: '0;globalThis.pwned3=1' as unknown as number } }),
    RangeError,
  );
  assert.throws(() => jit(prog, { ancillary: { llOffset: 1.5 } }), RangeError);
  assert.throws(() => jit(prog, { backwardJumpLimit: Number.NaN }), RangeError);
  // Other fields are coerced to u32 exactly as the interpreter does, so a string becomes a number.
  const mark: Program = [
    { code: 0x20, jt: 0, jf: 0, k: 0xfffff014 },
    { code: 0x16, jt: 0, jf: 0, k: 0 },
  ];
  const f = jit(mark, { ancillary: { mark: '7;globalThis.pwned4=1' as unknown as number } });
  assert.equal(f(new Uint8Array(1)), 0);
  assert.equal(g.pwned3, undefined);
  assert.equal(g.pwned4, undefined);
});

test('compileFilter falls back to the interpreter where new Function is forbidden (CSP)', () => {
  const g = globalThis as { Function: FunctionConstructor };
  const real = g.Function;
  const prog: Program = [
    { code: 0x28, jt: 0, jf: 0, k: 12 },
    { code: 0x15, jt: 0, jf: 1, k: 0x806 },
    { code: 0x06, jt: 0, jf: 0, k: 0xffffffff },
    { code: 0x06, jt: 0, jf: 0, k: 0 },
  ];
  assert.equal(isJitAvailable(), true);
  g.Function = function Forbidden() {
    throw new EvalError('Refused to evaluate a string as JavaScript (CSP)');
  } as unknown as FunctionConstructor;
  let f: ReturnType<typeof compileFilter>;
  try {
    f = compileFilter(prog, { profile: 'libpcap' });
  } finally {
    g.Function = real;
  }
  assert.equal(f.source, '');
  const arp = new Uint8Array(42);
  arp[12] = 8;
  arp[13] = 6;
  assert.equal(f(arp), 0xffffffff);
  assert.equal(f.at(arp, 0, 42, 42), 0xffffffff);
  assert.equal(f.count(arp, [0, 1], [42, 41], [42, 41], 2), 1);
});

test('the interpreter fallback has the same results as the JIT', () => {
  const r = rng(77);
  for (const profile of PROFILE_NAMES) {
    for (let i = 0; i < 200; i++) {
      const prog = genProgram(r, profile);
      const ancillary = genAncillary(r);
      const o = { profile, ancillary, backwardJumpLimit: 30 };
      const a = jit(prog, o);
      const b = interpreted(prog, o);
      const p = genPacket(r);
      assert.equal(b(p), a(p));
      assert.equal(b(p), run(prog, p, o));
    }
  }
});

/**
 * A program whose answers change once it has been validated: an Array subclass whose map() (what
 * the JIT used to copy a program with) returns a Proxy that shows every pass the true `st M[0];
 * ret #1` except the scratch-declaration pass, which gets a k holding code. Issue 14 item 8:
 * `let M${m} = 0;` did not go through lit(), so that k was spliced into the source.
 */
function twoFacedProgram(payload: string): Program {
  const honest = (): RawInsn[] => [
    { code: 0x02, jt: 0, jf: 0, k: 0 },
    { code: 0x06, jt: 0, jf: 0, k: 1 },
  ];
  class TwoFaced extends Array<RawInsn> {
    override map<U>(_fn: (x: RawInsn, i: number, a: RawInsn[]) => U): U[] {
      return new Proxy(honest(), {
        get(target, key, receiver) {
          const v = Reflect.get(target, key, receiver);
          const late = /scratchWords|moduleSource/.test(new Error().stack ?? '');
          return late && key === '0' ? { ...v, k: payload } : v;
        },
      }) as unknown as U[];
    }
  }
  const p = new TwoFaced();
  for (const x of honest()) p.push(x);
  return p;
}

test('a program object that answers differently after validation cannot inject code (issue 14 item 8)', () => {
  const g = globalThis as Record<string, unknown>;
  const f = jit(twoFacedProgram('0;globalThis.pwned5=1;//'));
  assert.equal(f(new Uint8Array(4)), 1);
  assert.equal(f.count(new Uint8Array(4), [0], [4], [4], 1), 1);
  assert.deepEqual(strangeTokens(f.source), [], f.source);
  assert.deepEqual(strangeTokens(f.batchSource), [], f.batchSource);
  assert.equal(g.pwned5, undefined);
  // Every engine runs the copy prepare() validated, whatever the object does later.
  assert.equal(interpreted(twoFacedProgram('x')).call(null, new Uint8Array(4)), 1);
  assert.equal(compileFilter(twoFacedProgram('x'))(new Uint8Array(4)), 1);
  // A Proxy over the array itself: each index is read once, so it cannot change its answer.
  let reads = 0;
  const proxied = new Proxy(
    [
      { code: 0x02, jt: 0, jf: 0, k: 0 },
      { code: 0x06, jt: 0, jf: 0, k: 1 },
    ],
    {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (key === '0' && ++reads > 1) return { ...v, k: '0;globalThis.pwned6=1;//' };
        return v;
      },
    },
  );
  const h = jit(proxied);
  assert.equal(h(new Uint8Array(4)), 1);
  assert.equal(reads, 1);
  assert.equal(g.pwned6, undefined);
});

test('a prepared program is frozen numbers: what the engines compile is what was validated', () => {
  const p = prepare(twoFacedProgram('0;globalThis.pwned7=1;//'), { profile: 'linux' });
  assert.ok(Object.isFrozen(p) && Object.isFrozen(p.program));
  for (const x of p.program) {
    assert.ok(Object.isFrozen(x));
    for (const v of [x.code, x.jt, x.jf, x.k]) assert.equal(typeof v, 'number');
  }
  assert.equal(jit(p)(new Uint8Array(1)), 1);
  assert.equal(interpreted(p)(new Uint8Array(1)), 1);
  assert.equal(run(p, new Uint8Array(1)), 1);
  // A look-alike of a prepared program is not one: it is validated as a program, and fails.
  const fake = { ...p } as unknown as Program;
  assert.throws(
    () => jit(fake),
    (e: Error & { code?: string }) => e.code === 'BAD_PROGRAM',
  );
  // Options belong to prepare(); a prepared program refuses new ones.
  assert.throws(() => jit(p, { profile: 'bsd' }), TypeError);
  assert.equal((globalThis as Record<string, unknown>).pwned7, undefined);
});
