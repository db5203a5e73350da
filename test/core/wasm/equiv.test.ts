// The WebAssembly backend ≡ run() on random programs and packets for every profile, through all
// three calling forms (run, at, count), on the benchmark's filters, and refusals with a typed error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BENCH_EXPRS } from '../../../bench/filter-exprs.js';
import { compile } from '../../../src/compiler/index.js';
import type { AncillaryData } from '../../../src/core/ancillary.js';
import type { Program } from '../../../src/core/encode.js';
import { ValidationError } from '../../../src/core/errors.js';
import { PROFILE_NAMES, type ProfileName } from '../../../src/core/profiles.js';
import { run } from '../../../src/core/vm.js';
import {
  compileWasm,
  WASM_TABLE_ENTRY,
  type WasmFilter,
  WasmRangeError,
  WasmUnsupportedError,
} from '../../../src/core/wasm/index.js';
import { rng } from '../../helpers/gen-linux-program.js';
import { genAncillary, genPacket, genProgram, genWirelen } from '../../helpers/gen-program.js';

/** Writes the packets 3 bytes apart from offset 5, then the count() table; returns the table's address. */
function layout(f: WasmFilter, pkts: readonly Uint8Array[], wls: readonly number[]): number {
  let at = 5;
  const offs = pkts.map((p) => {
    const o = at;
    at += p.length + 3;
    return o;
  });
  const table = (at + 3) & ~3;
  const need = table + pkts.length * WASM_TABLE_ENTRY - f.memory.buffer.byteLength;
  if (need > 0) f.memory.grow(Math.ceil(need / 65536));
  const bytes = new Uint8Array(f.memory.buffer);
  const dv = new DataView(f.memory.buffer);
  pkts.forEach((p, j) => {
    bytes.set(p, offs[j]);
    dv.setUint32(table + j * 12, offs[j], true);
    dv.setUint32(table + j * 12 + 4, p.length, true);
    dv.setUint32(table + j * 12 + 8, wls[j], true);
  });
  return table;
}

/**
 * Checks `prog` on the packets through run(), at() and count(); returns false when the backend
 * refused the program (and the refusal was one it documents).
 */
function checkProgram(
  prog: Program,
  profile: ProfileName,
  ancillary: Partial<AncillaryData> | undefined,
  pkts: readonly Uint8Array[],
  wls: readonly number[],
  why: () => string,
): boolean {
  let f: WasmFilter;
  try {
    f = compileWasm(prog, { profile, ancillary }).instantiate();
  } catch (err) {
    if (!(err instanceof WasmUnsupportedError)) throw err;
    const expected =
      (err.reason === 'BACKWARD_JUMP' && profile === 'libpcap') ||
      (err.reason !== 'BACKWARD_JUMP' && profile === 'linux');
    assert.ok(expected, `${err.reason} under ${profile}: ${why()}`);
    return false;
  }
  const o = { profile, ancillary };
  const want = pkts.map((p, j) => run(prog, p, { ...o, wirelen: wls[j] }));
  pkts.forEach((p, j) => {
    assert.equal(f.run(p, wls[j]), want[j], `run, packet ${j} [${p}] wl ${wls[j]}: ${why()}`);
  });
  const table = layout(f, pkts, wls);
  const dv = new DataView(f.memory.buffer);
  pkts.forEach((p, j) => {
    const got = f.at(dv.getUint32(table + j * 12, true), p.length, wls[j]);
    assert.equal(got, want[j], `at, packet ${j} [${p}] wl ${wls[j]}: ${why()}`);
  });
  // Every prefix of the table, so each way out of the unrolled loop is taken.
  for (let m = 0; m <= pkts.length; m++) {
    const accepted = want.slice(0, m).filter((x) => x !== 0).length;
    assert.equal(f.count(table, m), accepted, `count of ${m}: ${why()}`);
  }
  return true;
}

/** Random programs for `profile`; returns how many compiled and how many were refused. */
function check(seed: number, profile: ProfileName, programs: number, packets: number) {
  const r = rng(seed);
  let compiled = 0;
  let refused = 0;
  for (let i = 0; i < programs; i++) {
    const prog = genProgram(r, profile, 16);
    // Half the Linux cases drop the headroom, which the backend refuses for loads that may reach it.
    let ancillary = profile === 'linux' ? genAncillary(r) : undefined;
    if (ancillary && r() < 0.5) ancillary = { ...ancillary, headroom: undefined };
    const pkts = Array.from({ length: packets }, () => genPacket(r));
    const wls = pkts.map((p) => genWirelen(r, p));
    const why = () =>
      `${profile} seed ${seed} program ${i}: ${JSON.stringify(prog)} anc ${JSON.stringify(ancillary)}`;
    if (checkProgram(prog, profile, ancillary, pkts, wls, why)) compiled++;
    else refused++;
  }
  return { compiled, refused };
}

for (const profile of PROFILE_NAMES) {
  test(`wasm equals the interpreter on random ${profile} programs, packets and metadata`, () => {
    const { compiled, refused } = check(0xa5a5 + profile.length, profile, 1500, 10);
    // Refusals are the documented exceptions, not the common case.
    assert.ok(compiled > 1000, `${profile}: ${compiled} compiled, ${refused} refused`);
    if (profile === 'bsd') assert.equal(refused, 0);
  });
}

test('property (fast-check seeds): wasm equals the interpreter on every calling form', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 0x7fffffff }),
      fc.constantFrom(...PROFILE_NAMES),
      (seed, profile) => {
        check(seed, profile, 3, 6);
      },
    ),
    { numRuns: 200 },
  );
});

test('property: a load compared in memory byte order (ldh/ld [k] then jeq/jset #K, A dead after) equals run()', () => {
  const insn = (code: number, k: number, jt = 0, jf = 0) => ({ code, jt, jf, k });
  fc.assert(
    fc.property(
      fc.constantFrom(0x28, 0x20),
      fc.integer({ min: 0, max: 40 }),
      fc.constantFrom(0x15, 0x45),
      fc.oneof(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.constantFrom(0x806, 0x800, 0x86dd, 2, 0x10000, 0x10806, 0xffffffff),
      ),
      fc.constantFrom('ret', 'load', 'reload'),
      fc.uint8Array({ minLength: 0, maxLength: 48 }),
      (ld, off, jmp, K, tail, bytes) => {
        // jt -> ret #7; jf -> ret #0, or a load that redefines A then ret A (A dead either way).
        const prog =
          tail === 'ret'
            ? [insn(ld, off), insn(jmp, K, 0, 1), insn(0x06, 7), insn(0x06, 0)]
            : [
                insn(ld, off),
                insn(jmp, K, 0, 1),
                insn(0x06, 7),
                tail === 'load' ? insn(0x30, off) : insn(0x00, 5),
                insn(0x16, 0),
              ];
        for (const profile of PROFILE_NAMES) {
          const pkts = [bytes, bytes.subarray(0, off + 1), bytes.subarray(0, off + 3)];
          const packet = bytes.length > off + 4 ? bytes : new Uint8Array(off + 4);
          if (K <= 0xffff) packet.set([K >> 8, K & 255], off);
          pkts.push(packet);
          const wls = pkts.map((x) => x.length);
          checkProgram(prog, profile, undefined, pkts, wls, () => JSON.stringify(prog));
        }
      },
    ),
    { numRuns: 400 },
  );
});

/** Crafted Ethernet frames: ARP request/reply, IPv4 TCP/UDP/ICMP, IPv6 TCP/UDP/ICMPv6, VLAN tags, every truncation. */
function frames(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const ports = [22, 53, 67, 68, 80, 443, 8080];
  for (const vlan of [false, true]) {
    const o = vlan ? 16 : 12;
    const eth = (size: number, type: number) => {
      const f = new Uint8Array(size);
      for (let i = 0; i < 12; i++) f[i] = 0x10 + i;
      if (vlan) f.set([0x81, 0x00, 0, 10], 12);
      f.set([type >> 8, type & 255], o);
      return f;
    };
    for (const op of [1, 2, 3]) {
      const f = eth(60, 0x0806);
      f.set([0, 1, 8, 0, 6, 4, 0, op], o + 2);
      f.set([10, 0, 0, 1], o + 16);
      f.set([10, 0, 0, op + 1], o + 26);
      out.push(f);
    }
    for (const proto of [6, 17, 1])
      for (const [i, sp] of ports.entries()) {
        const dp = ports[(i * 3) % ports.length];
        const f = eth(74, 0x0800);
        f.set([0x45, 0, 0, 56, 0, 0, i === 2 ? 0x20 : 0x40, i === 3 ? 5 : 0, 64, proto], o + 2);
        f.set([10, 0, 0, 1 + i, 10, 0, 0, 2 + (i % 3)], o + 14);
        f.set([sp >> 8, sp & 255, dp >> 8, dp & 255], o + 22);
        out.push(f);
      }
    for (const nh of [6, 17, 58])
      for (const sp of ports) {
        const f = eth(90, 0x86dd);
        f.set([0x60, 0, 0, 0, 0, 32, nh, 64, 0x20, 0x01, 0x0d, 0xb8], o + 2);
        f.set([sp >> 8, sp & 255, 0, 80], o + 42);
        out.push(f);
      }
  }
  const whole = out.length;
  for (let i = 0; i < whole; i += 5)
    for (let n = 0; n < out[i].length; n++) out.push(out[i].subarray(0, n));
  return out;
}

for (const profile of PROFILE_NAMES)
  test(`the benchmark's filters on crafted frames (${profile})`, () => {
    const pkts = frames();
    const wls = pkts.map((p) => p.length + (p.length % 7));
    for (const expr of BENCH_EXPRS) {
      const prog = compile(expr);
      const ok = checkProgram(prog, profile, undefined, pkts, wls, () => expr);
      assert.ok(ok, expr);
      const accepted = pkts.filter((p, j) => run(prog, p, { profile, wirelen: wls[j] }) !== 0);
      assert.ok(
        accepted.length > 0 && accepted.length < pkts.length,
        `${expr}: ${accepted.length}`,
      );
    }
  });

test('refuses what it cannot compile with WasmUnsupportedError, and invalid programs with ValidationError', () => {
  const ret = { code: 0x16, jt: 0, jf: 0, k: 0 };
  const refuse = (
    prog: Program,
    profile: ProfileName,
    reason: string,
    index: number,
    ancillary?: Partial<AncillaryData>,
  ) =>
    assert.throws(
      () => compileWasm(prog, { profile, ancillary }),
      (e: unknown) =>
        e instanceof WasmUnsupportedError &&
        e.code === 'WASM_UNSUPPORTED' &&
        e.reason === reason &&
        e.index === index,
    );
  // libpcap's backward ja.
  refuse(
    [{ code: 0x00, jt: 0, jf: 0, k: 1 }, { code: 0x05, jt: 0, jf: 0, k: -2 >>> 0 }, ret],
    'libpcap',
    'BACKWARD_JUMP',
    1,
  );
  // SKF_AD_NLATTR and SKF_AD_NLATTR_NEST.
  refuse([{ code: 0x20, jt: 0, jf: 0, k: 0xfffff00c }, ret], 'linux', 'NLATTR', 0);
  refuse([{ code: 0x20, jt: 0, jf: 0, k: 0xfffff010 }, ret], 'linux', 'NLATTR', 0);
  // Loads that may reach headroom bytes: ld [x + k], and SKF_NET_OFF before the packet.
  const headroom = { headroom: new Uint8Array(14), netOffset: -14 };
  refuse([{ code: 0x40, jt: 0, jf: 0, k: 0 }, ret], 'linux', 'HEADROOM', 0, headroom);
  refuse([{ code: 0x30, jt: 0, jf: 0, k: 0xfff00000 }, ret], 'linux', 'HEADROOM', 0, headroom);
  // Without headroom bytes both compile (and fail at run time as run() does).
  const f = compileWasm([{ code: 0x30, jt: 0, jf: 0, k: 0xfff00000 }, ret], {
    ancillary: { netOffset: -14 },
  }).instantiate();
  assert.equal(f.run(new Uint8Array(20)), 0);
  // The other SKF_AD loads are constants.
  const g = compileWasm([{ code: 0x20, jt: 0, jf: 0, k: 0xfffff000 }, ret], {
    ancillary: { protocol: 0x806 },
  }).instantiate();
  assert.equal(g.run(new Uint8Array(1)), 0x806);
  assert.throws(() => compileWasm([{ code: 0x15, jt: 5, jf: 0, k: 0 }, ret]), ValidationError);
});

test('empty programs, and packets or tables outside memory', () => {
  assert.equal(
    compileWasm([], { profile: 'bsd' }).instantiate().run(new Uint8Array(3)),
    0xffffffff,
  );
  assert.throws(() => compileWasm([], { profile: 'libpcap' }), ValidationError);
  const f = compileWasm([
    { code: 0x30, jt: 0, jf: 0, k: 0 },
    { code: 0x16, jt: 0, jf: 0, k: 0 },
  ]).instantiate();
  const size = f.memory.buffer.byteLength;
  assert.equal(f.at(size - 1, 1, 1), 0);
  assert.throws(() => f.at(size - 1, 2, 2), WasmRangeError);
  assert.throws(() => f.at(0xffffffff, 2, 2), WasmRangeError);
  assert.throws(() => f.count(size - 8, 1), WasmRangeError);
  assert.throws(() => f.count(0, 0x20000000), WasmRangeError);
  // A packet larger than memory grows it.
  const big = new Uint8Array(size + 10);
  big[0] = 7;
  assert.equal(f.run(big), 7);
});

test('a 4096-instruction program whose 630 loads all reach a 2,200-compare chain compiles in linear time', () => {
  // Each load may feed every compare of the chain: the swap plan must not revisit those pairs per load.
  const prog: { code: number; jt: number; jf: number; k: number }[] = [];
  const loadsN = 630;
  for (let i = 0; i < loadsN; i++) {
    prog.push({ code: 0x28, jt: 0, jf: 0, k: i % 50 });
    prog.push({ code: 0x15, jt: 0, jf: 1, k: 3 });
    prog.push({ code: 0x05, jt: 0, jf: 0, k: 3 * loadsN - prog.length - 1 });
  }
  while (prog.length < 4094) prog.push({ code: 0x15, jt: 0, jf: 0, k: prog.length & 255 });
  prog.push({ code: 0x06, jt: 0, jf: 0, k: 1 }, { code: 0x06, jt: 0, jf: 0, k: 0 });
  const t0 = performance.now();
  const f = compileWasm(prog).instantiate();
  const ms = performance.now() - t0;
  assert.ok(ms < 5000, `${ms.toFixed(0)} ms`); // quadratic took >10 s; linear takes well under 1 s
  const p = new Uint8Array(60);
  p[1] = 3;
  assert.equal(f.run(p), run(prog, p));
  assert.equal(f.run(new Uint8Array(60)), run(prog, new Uint8Array(60)));
});
