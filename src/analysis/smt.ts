// A flow's run as SMT-LIB bit-vector terms over a symbolic packet: one reach condition per node and the
// registers merged with `ite` where paths join, so the text grows with the program, not with its paths.
//
// The packet is a function from 32-bit offsets to bytes (an uninterpreted function rather than an array:
// Z3 then ackermannizes and bit-blasts, many times faster on loads at computed offsets), `caplen` its captured length and `wirelen` the
// length on the wire (caplen <= wirelen, caplen <= the maximum length). Under Linux, SKF_AD metadata are
// free variables within their ranges, and SKF_NET_OFF / SKF_LL_OFF loads read at a free offset that may
// reach back into a free headroom, whose bytes sit at the wrapped negative offsets of the same function.
import { SKF_AD, SKF_AD_OFF, SKF_LL_OFF, SKF_NET_OFF } from '../core/opcodes.js';
import { PROFILES, type ProfileFacts, type ProfileName } from '../core/profiles.js';
import { type Flow, OFF_PROGRAM, PAST_BOUND } from './flow.js';

/** Most bytes of headroom the encoding lets a header-relative load reach (more than any link header). */
export const MAX_HEADROOM = 256;

export const bv = (n: number): string => `#x${(n >>> 0).toString(16).padStart(8, '0')}`;
const bv64 = (n: number): string => `#x${n.toString(16).padStart(16, '0')}`;
const ZERO = bv(0);

const and = (...xs: string[]): string => {
  const ys = xs.filter((x) => x !== 'true');
  if (ys.includes('false')) return 'false';
  return ys.length === 0 ? 'true' : ys.length === 1 ? ys[0] : `(and ${ys.join(' ')})`;
};
const or = (...xs: string[]): string => {
  const ys = xs.filter((x) => x !== 'false');
  if (ys.includes('true')) return 'true';
  return ys.length === 0 ? 'false' : ys.length === 1 ? ys[0] : `(or ${ys.join(' ')})`;
};
const not = (x: string): string => (x === 'true' ? 'false' : x === 'false' ? 'true' : `(not ${x})`);
const ite = (c: string, t: string, f: string): string =>
  c === 'true' ? t : c === 'false' || t === f ? f : `(ite ${c} ${t} ${f})`;

/** Linux metadata loads: the variable's range (u16 fields, pkttype's 3 bits, a flag). */
const ANC_RANGE: Partial<Record<keyof typeof SKF_AD, number>> = {
  protocol: 0xffff,
  pkttype: 7,
  queue: 0xffff,
  hatype: 0xffff,
  vlan_tag: 0xffff,
  vlan_tag_present: 1,
  vlan_tpid: 0xffff,
};
const ANC_NAME = new Map<number, keyof typeof SKF_AD>(
  Object.entries(SKF_AD).map(([k, v]) => [v, k as keyof typeof SKF_AD]),
);

/** The shared half of a query: the packet, its lengths, the metadata both programs see. */
export class SmtQuery {
  readonly maxLength: number;
  readonly facts: ProfileFacts;
  private readonly decls: string[] = [];
  private readonly body: string[] = [];
  private readonly declared = new Set<string>();
  /** Metadata variables used, by ancillary field name (for reading the counterexample back). */
  readonly ancillary = new Set<string>();
  headerRelative = false;
  private count = 0;

  constructor(profile: ProfileName, maxLength: number) {
    this.facts = PROFILES[profile];
    this.maxLength = maxLength;
    this.decls.push(
      '(declare-fun pkt ((_ BitVec 32)) (_ BitVec 8))',
      '(declare-const caplen (_ BitVec 32))',
      '(declare-const wirelen (_ BitVec 32))',
      '(assert (bvule caplen wirelen))',
      `(assert (bvule caplen ${bv(maxLength)}))`,
    );
  }

  /** Names `term` (of `sort`) once, so every later use shares it. */
  define(prefix: string, sort: string, term: string): string {
    if (/^[a-z_0-9]+$/.test(term) || term.startsWith('#x') || term === 'true' || term === 'false')
      return term;
    const name = `${prefix}${this.count++}`;
    this.body.push(`(define-fun ${name} () ${sort} ${term})`);
    return name;
  }

  assert(term: string): void {
    this.body.push(`(assert ${term})`);
  }

  /** A metadata variable, declared with its range on first use. */
  anc(field: keyof typeof SKF_AD): string {
    const name = `anc_${field}`;
    if (!this.declared.has(name)) {
      this.declared.add(name);
      this.ancillary.add(field);
      this.decls.push(`(declare-const ${name} (_ BitVec 32))`);
      const max = ANC_RANGE[field];
      if (max !== undefined) this.decls.push(`(assert (bvule ${name} ${bv(max)}))`);
    }
    return name;
  }

  /** A fresh variable (for `ld #rand`, a new number on every load). */
  fresh(prefix: string): string {
    const name = `${prefix}${this.count++}`;
    this.decls.push(`(declare-const ${name} (_ BitVec 32))`);
    return name;
  }

  /** SKF_AD_NLATTR(_NEST): a function of the packet, A and X; 0 or an attribute that fits in the packet. */
  nlattr(field: 'nlattr' | 'nlattr_nest', A: string, X: string): string {
    if (!this.declared.has(field)) {
      this.declared.add(field);
      this.decls.push(`(declare-fun ${field} ((_ BitVec 32) (_ BitVec 32)) (_ BitVec 32))`);
    }
    const r = this.define('n', '(_ BitVec 32)', `(${field} ${A} ${X})`);
    this.assert(
      `(or (= ${r} ${ZERO}) (and (bvuge ${r} ${A}) (bvule (bvadd ${r} ${bv(4)}) caplen)))`,
    );
    return r;
  }

  /** The header-relative variables: whether each offset is set, where, and the headroom's length. */
  useHeaderRelative(): void {
    if (this.headerRelative) return;
    this.headerRelative = true;
    this.decls.push(
      '(declare-const net_set Bool)',
      '(declare-const net_off (_ BitVec 32))',
      '(declare-const ll_set Bool)',
      '(declare-const ll_off (_ BitVec 32))',
      '(declare-const hlen (_ BitVec 32))',
      `(assert (bvule hlen ${bv(MAX_HEADROOM)}))`,
    );
    // Offsets from far below the headroom still reach the packet through a large relative offset.
    for (const v of ['net_off', 'll_off'])
      this.decls.push(
        `(assert (and (bvsge ${v} ${bv(-(0x200000 + MAX_HEADROOM))}) (bvsle ${v} ${bv(this.maxLength)})))`,
      );
  }

  /** The whole query text. */
  text(): string {
    return `${this.decls.join('\n')}\n${this.body.join('\n')}\n`;
  }
}

/** What one program's run comes to, as term names in the query. */
export interface EncodedRun {
  /** The u32 the run returns. */
  readonly result: string;
  /** The run ended without a `ret`: a load past the captured bytes, a division by 0, a bad opcode or jump. */
  readonly stopped: string;
  /** The run took more backward jumps than the flow was unrolled for (its result is then unknown). */
  readonly pastBound: string;
}

interface State {
  A: string;
  X: string;
  M: string[];
}
interface Edge {
  cond: string;
  st: State;
}
interface Exit {
  cond: string;
  value: string;
  stop: boolean;
  past: boolean;
}

/** Encodes `flow` into `q` with names starting with `p`; returns its result and stop conditions. */
export function encodeFlow(q: SmtQuery, flow: Flow, p: string): EncodedRun {
  const nodes = flow.nodes;
  if (nodes.length === 0)
    return { result: bv(flow.emptyResult), stopped: 'false', pastBound: 'false' };
  const facts = q.facts;
  const linux = facts.linuxExtensions;
  const incoming: Edge[][] = nodes.map(() => []);
  const exits: Exit[] = [];
  const init: State = { A: ZERO, X: ZERO, M: Array(16).fill(ZERO) };
  incoming[0].push({ cond: 'true', st: init });
  const bool = (t: string) => q.define(`${p}c`, 'Bool', t);
  const word = (t: string) => q.define(`${p}v`, '(_ BitVec 32)', t);

  const goTo = (s: number, cond: string, st: State) => {
    if (cond === 'false') return;
    if (s === OFF_PROGRAM) exits.push({ cond, value: ZERO, stop: true, past: false });
    else if (s === PAST_BOUND) exits.push({ cond, value: ZERO, stop: false, past: true });
    else incoming[s].push({ cond, st });
  };
  const stop = (cond: string) => {
    if (cond !== 'false') exits.push({ cond, value: ZERO, stop: true, past: false });
  };

  for (let i = 0; i < nodes.length; i++) {
    const edges = incoming[i];
    if (edges.length === 0) continue;
    incoming[i] = [];
    const reach = bool(or(...edges.map((e) => e.cond)));
    const merge = (get: (s: State) => string): string => {
      const first = get(edges[0].st);
      if (edges.every((e) => get(e.st) === first)) return first;
      let t = get(edges[edges.length - 1].st);
      for (let j = edges.length - 2; j >= 0; j--) t = ite(edges[j].cond, get(edges[j].st), t);
      return word(t);
    };
    const st: State = {
      A: merge((s) => s.A),
      X: merge((s) => s.X),
      M: init.M.map((_, m) => merge((s) => s.M[m])),
    };
    const { code, k } = nodes[i].insn;
    const next = nodes[i].succ;
    const cont = (upd: Partial<State>, ok = 'true') => {
      stop(bool(and(reach, not(ok))));
      goTo(next[0], ok === 'true' ? reach : bool(and(reach, ok)), { ...st, ...upd });
    };
    switch (code) {
      case 0x20:
      case 0x28:
      case 0x30: {
        const size = SIZE[(code >> 3) & 3];
        if (linux && k >= SKF_AD_OFF) {
          const field = ANC_NAME.get(k - SKF_AD_OFF);
          if (field === 'alu_xor_x') cont({ A: word(`(bvxor ${st.A} ${st.X})`) });
          else if (field === undefined) stop(reach);
          else if (field === 'random') cont({ A: q.fresh(`${p}rand`) });
          else if (field === 'nlattr' || field === 'nlattr_nest')
            cont({ A: q.nlattr(field, st.A, st.X) });
          else cont({ A: q.anc(field) });
          break;
        }
        const l = linux && k >= 0x80000000 ? relLoad(q, bv(k), size, k) : absLoad(q, k, size);
        cont({ A: word(l.value) }, bool(l.ok));
        break;
      }
      case 0x40:
      case 0x48:
      case 0x50: {
        const size = SIZE[(code >> 3) & 3];
        const l = indLoad(q, st.X, k, size);
        cont({ A: word(l.value) }, bool(l.ok));
        break;
      }
      case 0xb1: {
        const l = linux && k >= 0x80000000 ? relLoad(q, bv(k), 1, k) : absLoad(q, k, 1);
        cont({ X: word(`(bvshl (bvand ${l.value} ${bv(0xf)}) ${bv(2)})`) }, bool(l.ok));
        break;
      }
      case 0x00:
        cont({ A: bv(k) });
        break;
      case 0x01:
        cont({ X: bv(k) });
        break;
      case 0x80:
        cont({ A: 'wirelen' });
        break;
      case 0x81:
        cont({ X: 'wirelen' });
        break;
      case 0x60:
      case 0x61:
      case 0x02:
      case 0x03: {
        if (k >= 16) {
          stop(reach);
          break;
        }
        const M = st.M.slice();
        if (code === 0x60) cont({ A: st.M[k] });
        else if (code === 0x61) cont({ X: st.M[k] });
        else {
          M[k] = code === 0x02 ? st.A : st.X;
          cont({ M });
        }
        break;
      }
      case 0x84:
        cont({ A: word(`(bvneg ${st.A})`) });
        break;
      case 0x05:
        goTo(next[0], reach, st);
        break;
      case 0x15:
      case 0x1d:
      case 0x25:
      case 0x2d:
      case 0x35:
      case 0x3d:
      case 0x45:
      case 0x4d: {
        const rhs = code & 0x08 ? st.X : bv(k);
        const op = code & 0xf0;
        const test =
          op === 0x10
            ? `(= ${st.A} ${rhs})`
            : op === 0x20
              ? `(bvugt ${st.A} ${rhs})`
              : op === 0x30
                ? `(bvuge ${st.A} ${rhs})`
                : `(not (= (bvand ${st.A} ${rhs}) ${ZERO}))`;
        if (next[0] === next[1]) goTo(next[0], reach, st);
        else {
          const t = bool(test);
          goTo(next[0], bool(and(reach, t)), st);
          goTo(next[1], bool(and(reach, not(t))), st);
        }
        break;
      }
      case 0x06:
        exits.push({ cond: reach, value: bv(k), stop: false, past: false });
        break;
      case 0x16:
        exits.push({ cond: reach, value: st.A, stop: false, past: false });
        break;
      case 0x07:
        cont({ X: st.A });
        break;
      case 0x87:
        cont({ A: st.X });
        break;
      default: {
        const alu = ALU.get(code);
        if (alu === undefined) {
          stop(reach); // not one of the machine's opcodes: the run returns 0
          break;
        }
        const rhs = code & 0x08 ? st.X : bv(k);
        const isK = (code & 0x08) === 0;
        if (alu === 'bvudiv' || alu === 'bvurem') {
          const ok = isK ? (k === 0 ? 'false' : 'true') : bool(not(`(= ${st.X} ${ZERO})`));
          cont({ A: word(`(${alu} ${st.A} ${rhs})`) }, ok);
        } else if (alu === 'bvshl' || alu === 'bvlshr') {
          // SMT shifts give 0 for a count >= 32, as libpcap and BSD; Linux takes the count mod 32.
          let count = rhs;
          if (facts.wideShift === 'mod32') count = isK ? bv(k & 31) : `(bvand ${rhs} ${bv(31)})`;
          cont({ A: word(`(${alu} ${st.A} ${count})`) });
        } else cont({ A: word(`(${alu} ${st.A} ${rhs})`) });
      }
    }
  }
  let result = ZERO;
  for (let j = exits.length - 1; j >= 0; j--) result = ite(exits[j].cond, exits[j].value, result);
  return {
    result: word(result),
    stopped: bool(or(...exits.filter((e) => e.stop).map((e) => e.cond))),
    pastBound: bool(or(...exits.filter((e) => e.past).map((e) => e.cond))),
  };
}

const SIZE = [4, 2, 1, 0];

const ALU = new Map<number, string>([
  [0x04, 'bvadd'],
  [0x0c, 'bvadd'],
  [0x14, 'bvsub'],
  [0x1c, 'bvsub'],
  [0x24, 'bvmul'],
  [0x2c, 'bvmul'],
  [0x34, 'bvudiv'],
  [0x3c, 'bvudiv'],
  [0x94, 'bvurem'],
  [0x9c, 'bvurem'],
  [0x44, 'bvor'],
  [0x4c, 'bvor'],
  [0x54, 'bvand'],
  [0x5c, 'bvand'],
  [0xa4, 'bvxor'],
  [0xac, 'bvxor'],
  [0x64, 'bvshl'],
  [0x6c, 'bvshl'],
  [0x74, 'bvlshr'],
  [0x7c, 'bvlshr'],
]);

interface Load {
  ok: string;
  value: string;
}

/** Big-endian `size` bytes of the packet at 32-bit offset term `o` (constant `k` when known). */
function bytesAt(o: string, size: number, k?: number): string {
  const parts: string[] = [];
  for (let i = 0; i < size; i++) {
    const at = k !== undefined ? bv(k + i) : i === 0 ? o : `(bvadd ${o} ${bv(i)})`;
    parts.push(`(pkt ${at})`);
  }
  const v = parts.length === 1 ? parts[0] : `(concat ${parts.join(' ')})`;
  return size === 4 ? v : `((_ zero_extend ${32 - 8 * size}) ${v})`;
}

/** `ld [k]` with k a plain packet offset. */
function absLoad(q: SmtQuery, k: number, size: number): Load {
  if (k + size > q.maxLength) return { ok: 'false', value: ZERO };
  return { ok: `(bvule ${bv(k + size)} caplen)`, value: bytesAt('', size, k) };
}

/** `ld [x + k]`: Linux's signed 32-bit sum (negative = header-relative), else the exact sum. */
function indLoad(q: SmtQuery, X: string, k: number, size: number): Load {
  const o = `(bvadd ${X} ${bv(k)})`;
  if (q.facts.indexedOffset === 'signed32') {
    const oName = q.define('o', '(_ BitVec 32)', o);
    const neg = `(bvslt ${oName} ${ZERO})`;
    const rel = relLoad(q, oName, size);
    const okPlain = `(bvule (bvadd ${oName} ${bv(size)}) caplen)`;
    return {
      ok: ite(neg, rel.ok, okPlain),
      value: ite(neg, rel.value, bytesAt(oName, size)),
    };
  }
  const sum = `(bvadd ((_ zero_extend 32) ${X}) ${bv64(k + size)})`;
  return {
    ok: `(bvule ${sum} ((_ zero_extend 32) caplen))`,
    value: bytesAt(q.define('o', '(_ BitVec 32)', o), size),
  };
}

/**
 * Linux SKF_NET_OFF / SKF_LL_OFF loads at the negative offset `u` (a term; `k` when constant): the set
 * header offset plus the distance from the base, failing when the offset is unset, below the headroom
 * or past the captured bytes.
 */
function relLoad(q: SmtQuery, u: string, size: number, k?: number): Load {
  q.useHeaderRelative();
  if (k !== undefined) {
    const net = k >= SKF_NET_OFF;
    if (!net && k < SKF_LL_OFF) return { ok: 'false', value: ZERO };
    const base = net ? 'net' : 'll';
    const o = q.define(
      'o',
      '(_ BitVec 32)',
      `(bvadd ${base}_off ${bv(k - (net ? SKF_NET_OFF : SKF_LL_OFF))})`,
    );
    return relAt(q, o, size, `${base}_set`);
  }
  const isNet = `(bvuge ${u} ${bv(SKF_NET_OFF)})`;
  const isLl = `(and (bvuge ${u} ${bv(SKF_LL_OFF)}) (not ${isNet}))`;
  const o = q.define(
    'o',
    '(_ BitVec 32)',
    ite(
      isNet,
      `(bvadd net_off (bvsub ${u} ${bv(SKF_NET_OFF)}))`,
      `(bvadd ll_off (bvsub ${u} ${bv(SKF_LL_OFF)}))`,
    ),
  );
  const r = relAt(q, o, size, ite(isNet, 'net_set', 'll_set'));
  return { ok: and(or(isNet, isLl), r.ok), value: r.value };
}

function relAt(_q: SmtQuery, o: string, size: number, set: string): Load {
  return {
    ok: and(set, `(bvsge ${o} (bvneg hlen))`, `(bvsle (bvadd ${o} ${bv(size)}) caplen)`),
    value: bytesAt(o, size),
  };
}
