// Test-only helpers for the front end's verdict check: a classic-pcap reader, an interpreter for the lowering's
// CFG, an interpreter for tcpdump's `-ddd` programs, and the tcpdump runner. Kept local so the front end can be
// checked before (and independently of) the back end's emitter and the core VM.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { emit } from '../../../src/compiler/emit.js';
import type { Cfg, Stmt } from '../../../src/compiler/ir.js';
import { optimize } from '../../../src/compiler/optimize/index.js';
import { skipped, WALK_DEPTH } from '../../../src/compiler/walk.js';
import { run as runVm } from '../../../src/core/vm.js';

export interface Packet {
  readonly data: Uint8Array;
  readonly wirelen: number;
  /** Cut short by the test (not as captured). */
  readonly cut?: boolean;
}

/** Link type and packets of a classic pcap file (either byte order); null for pcapng or garbage. */
export function readPcap(path: string): { linktype: number; packets: Packet[] } | null {
  const b = readFileSync(path);
  if (b.length < 24) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = dv.getUint32(0, true);
  let le: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) le = true;
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) le = false;
  else return null;
  const linktype = dv.getUint32(20, le) & 0x0fffffff;
  const packets: Packet[] = [];
  let off = 24;
  while (off + 16 <= b.length) {
    const incl = dv.getUint32(off + 8, le);
    const orig = dv.getUint32(off + 12, le);
    if (incl > 262144 || off + 16 + incl > b.length) break;
    packets.push({ data: new Uint8Array(b.buffer, b.byteOffset + off + 16, incl), wirelen: orig });
    off += 16 + incl;
  }
  return { linktype, packets };
}

/** Thrown when a program needs something a pcap file does not carry (Linux ancillary data). */
export class NeedsKernel extends Error {}

function load(p: Packet, k: number, size: number): number | null {
  if (k < 0 || k + size > p.data.length) return null;
  const d = p.data;
  if (size === 1) return d[k] as number;
  if (size === 2) return ((d[k] as number) << 8) | (d[k + 1] as number);
  return (
    (((d[k] as number) << 24) |
      ((d[k + 1] as number) << 16) |
      ((d[k + 2] as number) << 8) |
      (d[k + 3] as number)) >>>
    0
  );
}

function alu(op: string, a: number, b: number): number | null {
  switch (op) {
    case 'add':
      return (a + b) >>> 0;
    case 'sub':
      return (a - b) >>> 0;
    case 'mul':
      return Math.imul(a, b) >>> 0;
    case 'div':
      return b === 0 ? null : Math.floor(a / b) >>> 0;
    case 'mod':
      return b === 0 ? null : (a % b) >>> 0;
    case 'and':
      return (a & b) >>> 0;
    case 'or':
      return (a | b) >>> 0;
    case 'xor':
      return (a ^ b) >>> 0;
    case 'lsh':
      return b >= 32 ? 0 : (a << b) >>> 0;
    case 'rsh':
      return b >= 32 ? 0 : a >>> b;
    default:
      throw new Error(op);
  }
}

const emitted = new WeakMap<Cfg, RawInsn[]>();

/** Set by runCfgDirect: whether the run stopped on a load past the packet's end (or a division by 0). */
let stoppedShort = false;

/**
 * Runs the lowering's CFG directly and as the back end emits it (optimizer, emitter, then the core VM), and
 * fails if the two disagree: every verdict table of the front end also checks the back end. The one allowed
 * difference is libpcap's: the optimizer drops absolute loads left unused once constant tests are folded
 * (`ip6 net fe80::/10`), so where the CFG stopped short the program may go on; callers check `runBackEnd`
 * against tcpdump there.
 */
export function runCfg(cfg: Cfg, p: Packet): number {
  const direct = runCfgDirect(cfg, p);
  const back = runBackEnd(cfg, p);
  if (back !== direct && !stoppedShort)
    throw new Error(
      `emitted program returns ${back} where the CFG returns ${direct} (packet of ${p.data.length} bytes)`,
    );
  return direct;
}

/** The verdict of the optimized, emitted program. */
export function runBackEnd(cfg: Cfg, p: Packet): number {
  let program = emitted.get(cfg);
  if (!program) {
    program = emit(optimize(cfg));
    emitted.set(cfg, program);
  }
  return runVm(program, p.data, { wirelen: p.wirelen, profile: 'libpcap' });
}

/** Runs the lowering's CFG on a packet as libpcap's bpf_filter would run the emitted program. */
function runCfgDirect(cfg: Cfg, p: Packet): number {
  stoppedShort = false;
  const short = () => {
    stoppedShort = true;
    return 0;
  };
  let A = 0;
  let X = 0;
  const M = new Uint32Array(16);
  let b = cfg.entry;
  for (let steps = 0; steps < 100000; steps++) {
    const blk = cfg.blocks[b];
    if (!blk) throw new Error(`no block ${b}`);
    for (const s of blk.stmts as Stmt[]) {
      switch (s.kind) {
        case 'ldAbs': {
          const v = load(p, s.k, s.size);
          if (v === null) return short();
          A = v;
          break;
        }
        case 'ldInd': {
          const v = load(p, (X + s.k) >>> 0, s.size);
          if (v === null) return short();
          A = v;
          break;
        }
        case 'ldImm':
          A = s.k;
          break;
        case 'ldLen':
          A = p.wirelen;
          break;
        case 'ldMem':
          A = M[s.k] as number;
          break;
        case 'ldExt':
          throw new NeedsKernel(s.ext);
        case 'ldxImm':
          X = s.k;
          break;
        case 'ldxLen':
          X = p.wirelen;
          break;
        case 'ldxMem':
          X = M[s.k] as number;
          break;
        case 'ldxMsh': {
          const v = load(p, s.k, 1);
          if (v === null) return short();
          X = (v & 0xf) * 4;
          break;
        }
        case 'st':
          M[s.k] = A;
          break;
        case 'stx':
          M[s.k] = X;
          break;
        case 'alu': {
          const v = alu(s.op, A, s.src === 'k' ? s.k : X);
          if (v === null) return short();
          A = v;
          break;
        }
        case 'neg':
          A = -A >>> 0;
          break;
        case 'tax':
          X = A;
          break;
        case 'txa':
          A = X;
          break;
        case 'walk': {
          // libpcap's protochain loop (gencode.c gen_protochain) as written there, stopped after
          // WALK_DEPTH skipped headers as the emitted walk is.
          const skip = skipped(s.v6);
          let a = load(p, s.nl + (s.v6 ? 6 : 9), 1);
          const ihl = s.v6 ? 0 : load(p, s.nl, 1);
          if (a === null || ihl === null) return short();
          let x = s.v6 ? 40 : (ihl & 0xf) * 4;
          for (let i = 0; i < WALK_DEPTH && a !== s.stop && skip.includes(a); i++) {
            const next = load(p, (x + s.nl) >>> 0, 1);
            const len = load(p, (x + s.nl + 1) >>> 0, 1);
            if (next === null || len === null) return short();
            x = a === 51 ? (len + 2) * 4 : (x + (len + 1) * 8) >>> 0;
            a = next;
          }
          A = a;
          X = x;
          M[s.slot] = a;
          break;
        }
      }
    }
    const t = blk.term;
    switch (t.kind) {
      case 'ret':
        return t.k;
      case 'retA':
        return A;
      case 'goto':
        b = t.target;
        break;
      case 'branch': {
        const k = t.src === 'k' ? t.k : X;
        const r =
          t.cond === 'jeq'
            ? A === k
            : t.cond === 'jgt'
              ? A > k
              : t.cond === 'jge'
                ? A >= k
                : (A & k) !== 0;
        b = r ? t.t : t.f;
        break;
      }
    }
  }
  throw new Error('CFG did not terminate');
}

export interface RawInsn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** Runs a raw classic BPF program (tcpdump -ddd) as libpcap's bpf_filter. */
export function runRaw(prog: readonly RawInsn[], p: Packet): number {
  let A = 0;
  let X = 0;
  const M = new Uint32Array(16);
  const ops = ['add', 'sub', 'mul', 'div', 'or', 'and', 'lsh', 'rsh', 'neg', 'mod', 'xor'];
  for (let pc = 0, steps = 0; pc < prog.length; pc++) {
    if (++steps > 1e6) throw new Error('program did not terminate');
    const { code, jt, jf, k } = prog[pc] as RawInsn;
    const cls = code & 7;
    const size = [4, 2, 1, 0][(code >> 3) & 3] as number;
    const mode = code & 0xe0;
    if (cls === 0 || cls === 1) {
      if (k >= 0xfffff000 && mode === 0x20) throw new NeedsKernel('ancillary');
      let v: number | null;
      if (cls === 0) {
        if (mode === 0x00) v = k;
        else if (mode === 0x20) v = load(p, k, size);
        else if (mode === 0x40) v = load(p, (X + k) >>> 0, size);
        else if (mode === 0x60) v = M[k] as number;
        else if (mode === 0x80) v = p.wirelen;
        else throw new Error(`ld ${code}`);
        if (v === null) return 0;
        A = v;
      } else {
        if (mode === 0x00) v = k;
        else if (mode === 0x60) v = M[k] as number;
        else if (mode === 0x80) v = p.wirelen;
        else if (mode === 0xa0) {
          const b = load(p, k, 1);
          v = b === null ? null : (b & 0xf) * 4;
        } else throw new Error(`ldx ${code}`);
        if (v === null) return 0;
        X = v;
      }
    } else if (cls === 2) M[k] = A;
    else if (cls === 3) M[k] = X;
    else if (cls === 4) {
      const op = ops[(code >> 4) & 0xf] as string;
      if (op === 'neg') A = -A >>> 0;
      else {
        const v = alu(op, A, code & 8 ? X : k);
        if (v === null) return 0;
        A = v;
      }
    } else if (cls === 5) {
      const op = code & 0xf0;
      // ja k as a signed offset: libpcap's protochain loop jumps backward (kernels and bpf_validate refuse it;
      // this models the loop libpcap means, which the unrolled lowering must reproduce).
      if (op === 0) {
        pc += k | 0;
        continue;
      }
      const o = code & 8 ? X : k;
      const r = op === 0x10 ? A === o : op === 0x20 ? A > o : op === 0x30 ? A >= o : (A & o) !== 0;
      pc += r ? jt : jf;
    } else if (cls === 6) return (code & 0x18) === 0x10 ? A : k;
    else if (cls === 7) {
      if (code & 0x80) A = X;
      else X = A;
    }
  }
  return 0;
}

/** tcpdump's -ddd program for `expr` on `dlt`, or the error text. */
export function tcpdumpProgram(
  dlt: string,
  expr: string,
  optimize = true,
): RawInsn[] | { error: string } {
  const args = ['-ddd', '-y', dlt, ...(optimize ? [] : ['-O']), '--', expr];
  const r = spawnSync('tcpdump', args, { encoding: 'utf8' });
  if (r.error)
    throw new Error(
      'tcpdump is missing: apt-get install tcpdump (scripts/pretest.mjs installs it)',
    );
  if (r.status !== 0) return { error: r.stderr.trim() };
  const lines = r.stdout.trim().split('\n');
  return lines.slice(1).map((l) => {
    const [code, jt, jf, k] = l.trim().split(/\s+/).map(Number) as [number, number, number, number];
    return { code, jt, jf, k: k >>> 0 };
  });
}
