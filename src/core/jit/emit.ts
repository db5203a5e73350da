// JavaScript source for a validated program: structured code over the CFG, no dispatch loop.
//
// Every forward jump that is not a fall-through or a jump straight to a `ret` becomes `break Lt`
// out of a labeled block that ends just before instruction t, so each instruction is emitted once.
// Blocks open as late as their earliest source allows while still nesting. libpcap's backward `ja`
// wraps the body in `top: for (;;)`: the jump spends one unit of budget (vm.ts backwardJumpLimit),
// sets `entry` and continues `top`, where a short `if (entry === h) break Lh` chain re-enters.
// Every literal in the source is a number that went through lit(); nothing comes from strings.

import { type Analysis, isConstLoad, type StaticLoad } from '../analysis/index.js';
import type { AncillaryData } from '../ancillary.js';
import { ancillaryValue } from '../ancillary.js';
import type { Program } from '../encode.js';
import {
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_CLASS,
  BPF_DIV,
  BPF_IMM,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_LSH,
  BPF_MEM,
  BPF_MISC,
  BPF_MOD,
  BPF_MODE,
  BPF_MUL,
  BPF_NEG,
  BPF_OP,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_SRC,
  BPF_ST,
  BPF_STX,
  BPF_SUB,
  BPF_X,
  BPF_XOR,
  loadSize,
  OP,
  SKF_AD,
  SKF_AD_OFF,
} from '../opcodes.js';
import type { ProfileFacts } from '../profiles.js';
import { printTcpdumpDLine } from '../text/tcpdump.js';

/** What the emitter needs, computed once per program: a prepared program's parts and its analysis. */
export interface EmitInput extends Analysis {
  readonly program: Program;
  readonly facts: ProfileFacts;
  readonly anc: Readonly<AncillaryData>;
  readonly backwardJumpLimit: number;
}

/**
 * How a result leaves the body: `value` returns it (the one-packet function), `count` adds 1 to `c`
 * when it is non-zero (storing the packet's index `i` in `out[c]` first, when `out` is given) and
 * continues the packet loop `pkt` (the batch function).
 */
export type ResultStyle = 'value' | 'count';

/** The body's source and the free names it reads besides p, b, len, A, X. */
export interface Body {
  readonly lines: readonly string[];
  /** Reads the wire length `wl`. */
  readonly wirelen: boolean;
  /** Reads through the DataView `dv`. */
  readonly dataView: boolean;
}

/** A number as source text; anything but a finite number is a bug upstream, never spliced in. */
export function lit(n: number): string {
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw new TypeError(`jit: expected a finite number, got ${typeof n}`);
  return String(n);
}

/** A jump or mask constant as source text: hex past one byte, as tcpdump -d prints them. */
export function litHex(n: number): string {
  const s = lit(n);
  return Number.isInteger(n) && n > 255 ? `0x${n.toString(16)}` : s;
}

/** A printed instruction for a line comment: no line terminator can reach the source. */
function describe(program: Program, pc: number): string {
  return printTcpdumpDLine(program[pc], pc)
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/ +/g, ' ');
}

/** A statement usable after `if (...)`: braced when it is more than one. */
const block = (s: string): string =>
  s.startsWith('{') || s.indexOf(';') === s.length - 1 ? s : `{ ${s} }`;
const isRet = (code: number): boolean => BPF_CLASS(code) === BPF_RET;

type Edge =
  | { readonly kind: 'fall' }
  | { readonly kind: 'ret'; readonly value: number | 'A' }
  | { readonly kind: 'break'; readonly t: number }
  | { readonly kind: 'loop'; readonly t: number };

export function emitBody(input: EmitInput, style: ResultStyle): Body {
  const { program, facts, cfg, plan, loads } = input;
  // Multi-byte fields: the batch function reads through one DataView `dv` over the whole buffer; the
  // one-packet function shifts bytes of `p` (a DataView per call would cost more than a short filter).
  const viaDataView = style === 'count';
  const { blocks, blockOf } = cfg;
  // Pass 1: how each edge of each live jump is taken, and which targets need a labeled block.
  const edge = (from: number, t: number): Edge => {
    if (t <= from)
      return plan.need[blockOf[t]] === Infinity ? { kind: 'ret', value: 0 } : { kind: 'loop', t };
    if (t === from + 1) return { kind: 'fall' };
    const x = program[t];
    if (isRet(x.code)) return { kind: 'ret', value: x.code === OP.RET_K ? x.k : 'A' };
    if (plan.need[blockOf[t]] === Infinity) return { kind: 'ret', value: 0 };
    return { kind: 'break', t };
  };
  const edges = new Map<number, Edge[]>();
  const opens = new Map<number, number>(); // break target -> position its block opens at
  const loopTargets = new Set<number>();
  // A block is emitted only if control can enter it as code: by falling through, by `break` or from
  // the loop dispatch. A block all of whose jumps were threaded to a `ret` is left out.
  const entered = new Uint8Array(blocks.length);
  entered[0] = 1;
  const targetsOf = (pc: number): number[] => {
    const { code, jt, jf, k } = program[pc];
    return code === OP.JA ? [pc + 1 + (facts.backwardJa ? k | 0 : k)] : [pc + 1 + jt, pc + 1 + jf];
  };
  for (const b of blocks) {
    const pc = b.end - 1;
    if (b.reachable && plan.need[b.id] !== Infinity && program[pc].code === OP.JA) {
      const e = edge(pc, targetsOf(pc)[0]);
      if (e.kind === 'loop') entered[blockOf[e.t]] = 1;
    }
  }
  for (const b of blocks) {
    if (!entered[b.id] || plan.need[b.id] === Infinity) continue;
    const pc = b.end - 1;
    const code = program[pc].code;
    if (isRet(code)) continue;
    if (BPF_CLASS(code) !== BPF_JMP) {
      entered[blockOf[pc + 1]] = 1;
      continue;
    }
    const es = targetsOf(pc).map((t) => edge(pc, t));
    edges.set(pc, es);
    for (const e of es) {
      if (e.kind === 'fall') entered[blockOf[pc + 1]] = 1;
      if (e.kind === 'break') {
        entered[blockOf[e.t]] = 1;
        opens.set(e.t, Math.min(opens.get(e.t) ?? pc, pc));
      }
      if (e.kind === 'loop' && e.t > 0) {
        loopTargets.add(e.t);
        opens.set(e.t, 0); // re-entered from the dispatch at the top
      }
    }
  }
  // Nest the blocks: [a1, t1) and [a2, t2) with t1 < t2 cross when a1 < a2 < t1; then the outer
  // one opens where the inner one does. Ascending t, each only looks at smaller targets, which are final.
  const targets = [...opens.keys()].sort((x, y) => x - y);
  for (let j = 0; j < targets.length; j++) {
    let a2 = opens.get(targets[j]) as number;
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = 0; i < j; i++) {
        const a1 = opens.get(targets[i]) as number;
        if (a1 < a2 && a2 < targets[i]) {
          a2 = a1;
          changed = true;
        }
      }
    }
    opens.set(targets[j], a2);
  }
  const opensAt = new Map<number, number[]>();
  for (const t of targets) {
    const a = opens.get(t) as number;
    opensAt.set(
      a,
      [...(opensAt.get(a) ?? []), t].sort((x, y) => y - x),
    );
  }

  // Pass 2: the source.
  const out: string[] = [];
  let depth = 0;
  const line = (s: string) => out.push(`${'  '.repeat(depth)}${s}`);
  let wirelen = false;
  let dataView = false;
  const ret = (v: number | 'A'): string => {
    const s = v === 'A' ? 'A' : lit(v);
    if (style === 'value') return `return ${s};`;
    if (v === 0) return 'continue pkt;';
    // `out`, when given, receives the indices of the accepted packets.
    const accept = 'if (out !== undefined) out[c] = i; c++;';
    return v === 'A' ? `if (A !== 0) { ${accept} } continue pkt;` : `${accept} continue pkt;`;
  };
  const ret0 = ret(0);
  const go = (e: Edge): string => {
    switch (e.kind) {
      case 'fall':
        return '';
      case 'ret':
        return ret(e.value);
      case 'break':
        return `break L${lit(e.t)};`;
      case 'loop':
        return `if (--budget < 0) ${block(ret0)} entry = ${lit(e.t)}; continue top;`;
    }
  };
  /** A big-endian read of `size` bytes at p[b + at]; `at` is a literal or a local name. */
  const read = (size: number, at: number | string): string => {
    const ix = (d: number): string =>
      typeof at === 'number'
        ? at + d === 0
          ? 'b'
          : `b + ${lit(at + d)}`
        : d === 0
          ? `b + ${at}`
          : `b + ${at} + ${d}`;
    if (size === 1) return `p[${ix(0)}]`;
    if (!viaDataView)
      return size === 2
        ? `((p[${ix(0)}] << 8) | p[${ix(1)}])`
        : `(((p[${ix(0)}] << 24) | (p[${ix(1)}] << 16) | (p[${ix(2)}] << 8) | p[${ix(3)}]) >>> 0)`;
    dataView = true;
    return size === 2 ? `dv.getUint16(${ix(0)})` : `dv.getUint32(${ix(0)})`;
  };
  const relLoad = (dst: 'A' | 'X', u: string, size: number): string => {
    const set = dst === 'A' ? 'A = v;' : 'X = (v & 15) << 2;';
    return `{ const v = rt.rel(${u}, ${lit(size)}, p, b, len); if (v < 0) ${block(ret0)} ${set} }`;
  };
  const looped =
    loopTargets.size > 0 || [...edges.values()].some((es) => es.some((e) => e.kind === 'loop'));

  if (plan.need[0] === Infinity) {
    line(`${ret0} // no path returns non-zero`);
    return { lines: out, wirelen, dataView };
  }
  if (looped) {
    line(`let entry = 0, budget = ${lit(input.backwardJumpLimit)};`);
    line('top: for (;;) {');
    depth++;
  }
  for (let pc = 0; pc < program.length; pc++) {
    if (opens.has(pc)) {
      depth--;
      line(`} // L${lit(pc)}`);
    }
    for (const t of opensAt.get(pc) ?? []) {
      line(`L${lit(t)}: {`);
      depth++;
    }
    if (pc === 0 && looped)
      for (const h of [...loopTargets].sort((x, y) => x - y))
        line(`if (entry === ${lit(h)}) break L${lit(h)};`);
    const b = blocks[blockOf[pc]];
    if (!entered[b.id]) continue;
    if (plan.need[b.id] === Infinity) {
      // Entered only by falling through (jumps here return 0 directly).
      if (pc === b.start) line(`${ret0} // every path from here returns 0`);
      continue;
    }
    if (pc === b.start && plan.guard[b.id] > 0)
      line(`if (len < ${lit(plan.guard[b.id])}) ${block(ret0)}`);
    const note = `  // ${describe(program, pc)}`;
    const { code, k } = program[pc];
    const stmt = (s: string) => line(s + note);
    const cls = BPF_CLASS(code);
    if (cls === BPF_LD || cls === BPF_LDX) {
      const R = cls === BPF_LD ? 'A' : 'X';
      const mode = BPF_MODE(code);
      const size = loadSize(code);
      if (mode === BPF_IMM) stmt(`${R} = ${lit(k)};`);
      else if (mode === BPF_LEN) {
        wirelen = true;
        stmt(`${R} = wl;`);
      } else if (mode === BPF_MEM) stmt(`${R} = M${lit(k)};`);
      else if (isConstLoad(code)) {
        const l = loads[pc] as StaticLoad;
        if (l.kind === 'fail') stmt(ret0);
        else if (l.kind === 'rel') stmt(relLoad(R, lit(l.u), size));
        else if (l.kind === 'ancillary') stmt(ancillary(input, k, ret0));
        else {
          const check =
            l.off + size > plan.known[b.id]
              ? `if (len < ${lit(l.off + size)}) ${block(ret0)} `
              : '';
          stmt(
            `${check}${R === 'A' ? `A = ${read(size, l.off)}` : `X = (${read(1, l.off)} & 15) << 2`};`,
          );
        }
      } else {
        // ld [x + k]: Linux adds as signed 32-bit (negative = header-relative), the others exactly.
        const sum = k === 0 ? 'X' : `X + ${lit(k)}`;
        const fail = `if (o + ${lit(size)} > len) ${block(ret0)}`;
        if (facts.linuxExtensions)
          stmt(
            `{ const o = (${sum}) | 0; if (o < 0) ${relLoad('A', 'o >>> 0', size)} else { ${fail} A = ${read(size, 'o')}; } }`,
          );
        else stmt(`{ const o = ${sum}; ${fail} A = ${read(size, 'o')}; }`);
      }
    } else if (cls === BPF_ST) stmt(`M${lit(k)} = A;`);
    else if (cls === BPF_STX) stmt(`M${lit(k)} = X;`);
    else if (cls === BPF_ALU) stmt(alu(code, k, facts, ret0));
    else if (cls === BPF_JMP) {
      const es = edges.get(pc) as Edge[];
      if (code === OP.JA) stmt(go(es[0]) || '// fall through');
      else {
        const s = BPF_SRC(code) === BPF_X ? 'X' : litHex(k);
        const op = BPF_OP(code);
        const [yes, no] =
          op === BPF_JEQ
            ? [`A === ${s}`, `A !== ${s}`]
            : op === BPF_JGT
              ? [`A > ${s}`, `A <= ${s}`]
              : op === BPF_JGE
                ? [`A >= ${s}`, `A < ${s}`]
                : [`(A & ${s}) !== 0`, `(A & ${s}) === 0`];
        const [gt, gf] = [go(es[0]), go(es[1])];
        if (gt === '' && gf === '') stmt('// both edges fall through');
        else if (gt === '') stmt(`if (${no}) ${block(gf)}`);
        else if (gf === '') stmt(`if (${yes}) ${block(gt)}`);
        else stmt(`if (${yes}) ${block(gt)} else ${block(gf)}`);
      }
    } else if (cls === BPF_RET) stmt(ret(code === OP.RET_K ? k : 'A'));
    else if (cls === BPF_MISC) stmt(code === OP.TXA ? 'A = X;' : 'X = A;');
  }
  if (looped) {
    depth--;
    line('}');
  }
  return { lines: out, wirelen, dataView };
}

/** `ld [SKF_AD_OFF + n]`: a compile-time constant from the metadata, or a helper for the netlink walks. */
function ancillary(input: EmitInput, k: number, ret0: string): string {
  const n = k - SKF_AD_OFF;
  if (n === SKF_AD.alu_xor_x) return 'A = (A ^ X) >>> 0;';
  if (n === SKF_AD.nlattr || n === SKF_AD.nlattr_nest)
    return `A = rt.ad(${lit(k)}, A, X, p, b, len);`;
  const v = ancillaryValue(k, 0, 0, input.anc, new Uint8Array(0));
  return v < 0 ? ret0 : `A = ${lit(v)};`;
}

function alu(code: number, k: number, facts: ProfileFacts, ret0: string): string {
  const op = BPF_OP(code);
  const x = BPF_SRC(code) === BPF_X;
  const s = x ? 'X' : lit(k);
  const mod32 = facts.wideShift === 'mod32';
  switch (op) {
    case BPF_ADD:
      return `A = (A + ${s}) >>> 0;`;
    case BPF_SUB:
      return `A = (A - ${s}) >>> 0;`;
    case BPF_MUL:
      return `A = Math.imul(A, ${s}) >>> 0;`;
    case BPF_DIV:
      if (x) return `if (X === 0) ${block(ret0)} A = (A / X) >>> 0;`;
      return k === 0 ? ret0 : `A = (A / ${s}) >>> 0;`;
    case BPF_MOD:
      if (x) return `if (X === 0) ${block(ret0)} A = A % X;`;
      return k === 0 ? ret0 : `A = A % ${s};`;
    case BPF_OR:
      return `A = (A | ${s}) >>> 0;`;
    case BPF_AND:
      return `A = (A & ${s}) >>> 0;`;
    case BPF_XOR:
      return `A = (A ^ ${s}) >>> 0;`;
    // Shift counts >= 32: Linux takes them mod 32, libpcap and BSD give 0 (profiles.ts wideShift).
    case BPF_LSH:
      if (x) return mod32 ? 'A = (A << (X & 31)) >>> 0;' : 'A = X < 32 ? (A << X) >>> 0 : 0;';
      return k < 32 || mod32 ? `A = (A << ${lit(k & 31)}) >>> 0;` : 'A = 0;';
    case BPF_RSH:
      if (x) return mod32 ? 'A = A >>> (X & 31);' : 'A = X < 32 ? A >>> X : 0;';
      return k < 32 || mod32 ? `A = A >>> ${lit(k & 31)};` : 'A = 0;';
    case BPF_NEG:
      return 'A = (0 - A) >>> 0;';
    default:
      return ret0;
  }
}
