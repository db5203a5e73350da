// A decision graph as pcap-filter text: each test a relation over `ether[...]` / `link[...]` fields, or,
// where the tests above it name the protocol, `ip[...]`, `tcp src port 80`, `ip src host 10.0.0.1`.
// Every spelling is only a candidate: the decompiler compiles it and proves it equal to the program.
import { LINKTYPE_NAMES } from '../../compiler/index.js';
import type { DNode, Test } from './lift.js';
import type { Term } from './terms.js';

/** A boolean formula over tests. */
export type BExpr =
  | { readonly k: 'const'; readonly v: boolean }
  | { readonly k: 'test'; readonly test: Test; readonly neg: boolean; readonly ctx: Ctx }
  | { readonly k: 'and' | 'or'; readonly xs: readonly BExpr[] };

/** What the tests on the way to a node established, for naming fields. */
export interface Ctx {
  /** The network-layer protocol: 'ip' or 'ip6' (from an EtherType or IP version test). */
  readonly net?: Net;
  /** IPv4 protocol / IPv6 next header established by a test. */
  readonly proto?: number;
  /** The IPv4 fragment offset was tested zero. */
  readonly firstFragment?: boolean;
}

type Net = 'ip' | 'ip6' | 'arp' | 'rarp';

/** Where a link type keeps its network layer and the field that names its protocol. */
export interface LinkFacts {
  /** Offset of the network-layer header. */
  readonly nl: number;
  /** `ether[...]` (Ethernet) or `link[...]`. */
  readonly linkName: 'ether' | 'link';
  /** The protocol field: a load, an optional mask, and what each value means there. */
  readonly netField?: {
    readonly size: 1 | 2 | 4;
    readonly at: number;
    readonly mask?: number;
    readonly values: Readonly<Record<number, Net>>;
    /** An EtherType: other values above 1500 print as `ether proto N`. */
    readonly ethertype: boolean;
  };
  /** The protocol every packet has (IPV4, IPV6 link types). */
  readonly implied?: Net;
}

const ETHERTYPES: Record<number, Net> = { 2048: 'ip', 34525: 'ip6', 2054: 'arp', 32821: 'rarp' };
const etherField = (at: number) => ({ size: 2 as const, at, values: ETHERTYPES, ethertype: true });
const VERSION = {
  size: 1 as const,
  at: 0,
  mask: 0xf0,
  values: { 64: 'ip', 96: 'ip6' } as const,
  ethertype: false,
};

const LINKS: Record<number, LinkFacts> = {
  1: { nl: 14, linkName: 'ether', netField: etherField(12) },
  113: { nl: 16, linkName: 'link', netField: etherField(14) },
  276: { nl: 20, linkName: 'link', netField: etherField(0) },
  12: { nl: 0, linkName: 'link', netField: VERSION },
  101: { nl: 0, linkName: 'link', netField: VERSION },
  // NULL stores the address family in the host's order (little-endian here), LOOP in network order.
  0: {
    nl: 4,
    linkName: 'link',
    netField: { size: 4, at: 0, values: { 33554432: 'ip', 167772160: 'ip6' }, ethertype: false },
  },
  108: {
    nl: 4,
    linkName: 'link',
    netField: { size: 4, at: 0, values: { 2: 'ip', 10: 'ip6' }, ethertype: false },
  },
  228: { nl: 0, linkName: 'link', implied: 'ip' },
  229: { nl: 0, linkName: 'link', implied: 'ip6' },
};

export function linkFacts(linktype: string | number): LinkFacts | undefined {
  const n =
    typeof linktype === 'number'
      ? linktype
      : (LINKTYPE_NAMES[linktype.toUpperCase()] ??
        (/^\d+$/.test(linktype) ? Number(linktype) : undefined));
  return n === undefined ? undefined : LINKS[n];
}

/** The protocol a test of the link's protocol field against `v` names, if it is one. */
function netTest(a: Term, v: number, link: LinkFacts): Net | undefined {
  const f = link.netField;
  if (!f) return undefined;
  const field =
    f.mask === undefined
      ? a
      : a.t === 'bin' && a.op === 'and' && a.b.t === 'const' && a.b.v === f.mask
        ? a.a
        : undefined;
  return field && isLoad(field, f.size, f.at) ? f.values[v] : undefined;
}

const TRUE: BExpr = { k: 'const', v: true };
const FALSE: BExpr = { k: 'const', v: false };
const NO_CTX: Ctx = {};

/**
 * The formula a decision graph computes (accept = non-zero). `named` tracks the protocol context for
 * naming; without it every test is printed as a plain field relation.
 */
export function toFormula(root: DNode, link: LinkFacts | undefined, named: boolean): BExpr {
  const memo = new Map<string, BExpr>();
  const go = (d: DNode, ctx: Ctx): BExpr => {
    const key = `${d.id}|${ctx.net ?? ''}|${ctx.proto ?? ''}|${ctx.firstFragment ? 1 : 0}`;
    const known = memo.get(key);
    if (known) return known;
    let r: BExpr;
    if (d.kind === 'stop') r = FALSE;
    else if (d.kind === 'ret')
      r =
        d.value.t === 'const'
          ? d.value.v !== 0
            ? TRUE
            : FALSE
          : { k: 'test', test: { cond: 'jeq', a: d.value, b: zeroLike(d.value) }, neg: true, ctx };
    else {
      const p = d.test;
      const tctx = named && link ? learn(p, true, ctx, link) : ctx;
      const fctx = named && link ? learn(p, false, ctx, link) : ctx;
      r = ite({ k: 'test', test: p, neg: false, ctx }, go(d.t, tctx), go(d.f, fctx), {
        k: 'test',
        test: p,
        neg: true,
        ctx,
      });
    }
    // Loads nothing tests still stop a short packet: `L >= 0` is always true, and compiles to the load.
    if (d.kind !== 'stop' && d.guards.length > 0 && !(r.k === 'const' && !r.v)) {
      const gs: BExpr[] = d.guards.map((g) => ({
        k: 'test',
        test: { cond: 'jge', a: g, b: { t: 'const', v: 0, id: -1 } },
        neg: false,
        ctx,
      }));
      r =
        r.k === 'const'
          ? { k: 'and', xs: gs }
          : { k: 'and', xs: [...gs, ...(r.k === 'and' ? r.xs : [r])] };
      if (gs.length === 1 && r.k === 'and' && r.xs.length === 1) r = gs[0];
    }
    memo.set(key, r);
    return r;
  };
  return go(root, named && link?.implied ? { net: link.implied } : NO_CTX);
}

/** A term's zero, for `ret a` as `a != 0` (a const term of the same table is not at hand here). */
function zeroLike(_t: Term): Term {
  return { t: 'const', v: 0, id: -1 };
}

function ite(p: BExpr, t: BExpr, f: BExpr, notP: BExpr): BExpr {
  const isT = (x: BExpr) => x.k === 'const' && x.v;
  const isF = (x: BExpr) => x.k === 'const' && !x.v;
  if (isT(t) && isF(f)) return p;
  if (isF(t) && isT(f)) return notP;
  if (isT(t)) return or(p, f);
  if (isF(f)) return and(p, t);
  if (isF(t)) return and(notP, f);
  if (isT(f)) return or(notP, t);
  // `not p` is implied when the other side starts by testing the same field against another constant.
  return or(and(p, t), excludes(p, f) ? f : and(notP, f));
}

function and(a: BExpr, b: BExpr): BExpr {
  return { k: 'and', xs: [...(a.k === 'and' ? a.xs : [a]), ...(b.k === 'and' ? b.xs : [b])] };
}
function or(a: BExpr, b: BExpr): BExpr {
  return { k: 'or', xs: [...(a.k === 'or' ? a.xs : [a]), ...(b.k === 'or' ? b.xs : [b])] };
}

/** Whether `f`'s first conjunct is `x = c2` where `p` is `x = c1`, c1 != c2 (so f implies not p). */
function excludes(p: BExpr, f: BExpr): boolean {
  if (p.k !== 'test' || p.neg || p.test.cond !== 'jeq' || p.test.b.t !== 'const') return false;
  const first = f.k === 'and' ? f.xs[0] : f;
  return (
    first.k === 'test' &&
    !first.neg &&
    first.test.cond === 'jeq' &&
    first.test.a === p.test.a &&
    first.test.b.t === 'const' &&
    first.test.b.v !== p.test.b.v
  );
}

/** The context after taking the `taken` edge of test `p`. */
export function learn(p: Test, taken: boolean, ctx: Ctx, link: LinkFacts): Ctx {
  const { a, b, cond } = p;
  if (b.t !== 'const') return ctx;
  // The link's protocol field (EtherType, address family, IP version) names the network layer.
  if (cond === 'jeq' && taken) {
    const net = netTest(a, b.v, link);
    if (net) return { net };
    if (ctx.net === 'ip' && isLoad(a, 1, link.nl + 9)) return { ...ctx, proto: b.v };
    if (ctx.net === 'ip6' && isLoad(a, 1, link.nl + 6)) return { ...ctx, proto: b.v };
  }
  if (cond === 'jset' && !taken && ctx.net === 'ip' && isLoad(a, 2, link.nl + 6) && b.v === 0x1fff)
    return { ...ctx, firstFragment: true };
  return ctx;
}

function isLoad(t: Term, size: number, at: number): boolean {
  return t.t === 'load' && t.size === size && t.at.t === 'const' && t.at.v === at;
}

const OPS: Record<string, string> = {
  add: '+',
  sub: '-',
  mul: '*',
  div: '/',
  mod: '%',
  and: '&',
  or: '|',
  xor: '^',
  lsh: '<<',
  rsh: '>>',
};

const num = (v: number): string => (v < 1024 ? String(v) : `0x${v.toString(16)}`);
const ipv4 = (v: number): string =>
  [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');

/** Thrown for a term with no pcap-filter spelling (Linux metadata). */
export class Unspeakable extends Error {}

/** Prints terms, naming loads by the context's protocol where `named`. */
export class Printer {
  constructor(
    private readonly link: LinkFacts | undefined,
    private readonly named: boolean,
    /** Print Linux metadata as `skb.protocol`, `net[-20]` (for reading, not for compiling). */
    private readonly speakMeta = false,
  ) {}

  private linkName(): string {
    return this.link?.linkName ?? 'link';
  }

  /** A term; `top`: no parentheses around a binary operation. */
  term(t: Term, ctx: Ctx, top = false): string {
    switch (t.t) {
      case 'const':
        return num(t.v);
      case 'len':
        return 'len';
      case 'meta':
        if (this.speakMeta) return metaName(t.what);
        throw new Unspeakable(`reads ${metaName(t.what)}, Linux metadata no expression can name`);
      case 'neg':
        return `(0 - ${this.term(t.a, ctx)})`;
      case 'bin': {
        const s = `${this.term(t.a, ctx)} ${OPS[t.op]} ${this.term(t.b, ctx)}`;
        return top ? s : `(${s})`;
      }
      case 'load':
        return this.load(t, ctx);
    }
  }

  private load(t: Extract<Term, { t: 'load' }>, ctx: Ctx): string {
    const sz = t.size === 1 ? '' : `:${t.size}`;
    const link = this.link;
    if (this.named && link && ctx.net && t.at.t === 'const' && t.at.v >= link.nl)
      return `${ctx.net}[${t.at.v - link.nl}${sz}]`;
    // The transport header after an IPv4 header of variable length: X = 4*(ip[0]&0xf).
    if (this.named && link && ctx.net === 'ip' && t.at.t === 'bin' && t.at.op === 'add') {
      const x = t.at.a;
      const k = t.at.b;
      if (k.t === 'const' && k.v >= link.nl && isIpHeaderLength(x, link.nl)) {
        const proto = ctx.firstFragment ? TRANSPORT[ctx.proto ?? -1] : undefined;
        if (proto) return `${proto}[${k.v - link.nl}${sz}]`;
        return `ip[((ip[0] & 0xf) << 2) + ${k.v - link.nl}${sz}]`;
      }
    }
    return `${this.linkName()}[${this.term(t.at, ctx, true)}${sz}]`;
  }

  /** One test, or its negation. */
  test(p: Test, neg: boolean, ctx: Ctx): string {
    const named = this.named ? this.namedTest(p, neg, ctx) : undefined;
    if (named) return named;
    const a = this.term(p.a, ctx, true);
    const b = this.term(p.b, ctx, true);
    switch (p.cond) {
      case 'jeq':
        return `${a} ${neg ? '!=' : '='} ${b}`;
      case 'jgt':
        return `${a} ${neg ? '<=' : '>'} ${b}`;
      case 'jge':
        return `${a} ${neg ? '<' : '>='} ${b}`;
      case 'jset': {
        const l = p.a.t === 'bin' ? `(${a})` : a;
        const r = p.b.t === 'bin' ? `(${b})` : b;
        return `${l} & ${r} ${neg ? '=' : '!='} 0`;
      }
    }
  }

  /** Protocol, host and port tests under their pcap-filter names. */
  private namedTest(p: Test, neg: boolean, ctx: Ctx): string | undefined {
    const link = this.link;
    if (!link || p.cond !== 'jeq' || p.b.t !== 'const') return undefined;
    const v = p.b.v;
    const not = (s: string) => (neg ? `not ${s}` : s);
    const net = netTest(p.a, v, link);
    if (net) return not(net);
    if (link.netField?.ethertype && isLoad(p.a, 2, link.netField.at))
      return v > 1500 ? not(`ether proto 0x${v.toString(16)}`) : undefined;
    if (ctx.net === 'ip' && isLoad(p.a, 1, link.nl + 9)) return not(`ip proto ${v}`);
    if (ctx.net === 'ip' && isLoad(p.a, 4, link.nl + 12)) return not(`ip src host ${ipv4(v)}`);
    if (ctx.net === 'ip' && isLoad(p.a, 4, link.nl + 16)) return not(`ip dst host ${ipv4(v)}`);
    // Ports of TCP, UDP and SCTP, at either IP version's transport header.
    const proto = TRANSPORT[ctx.proto ?? -1];
    if (proto && proto !== 'icmp' && p.a.t === 'load' && p.a.size === 2) {
      let off: number | undefined;
      if (ctx.net === 'ip6' && p.a.at.t === 'const') off = p.a.at.v - link.nl - 40;
      if (
        ctx.net === 'ip' &&
        ctx.firstFragment &&
        p.a.at.t === 'bin' &&
        p.a.at.op === 'add' &&
        p.a.at.b.t === 'const' &&
        isIpHeaderLength(p.a.at.a, link.nl)
      )
        off = p.a.at.b.v - link.nl;
      if (off === 0) return not(`${proto} src port ${v}`);
      if (off === 2) return not(`${proto} dst port ${v}`);
    }
    return undefined;
  }
}

/** `protocol` → `skb.protocol`, `rel2@4293918740` → `net[20:2]` / `ll[...]`, `random#0` → `rand`. */
function metaName(what: string): string {
  const rel = /^rel(\d)@(\d+)$/.exec(what);
  if (rel) {
    const k = Number(rel[2]);
    const [base, from] = k >= 0xfff00000 ? ['net', 0xfff00000] : ['ll', 0xffe00000];
    return `${base}[${k - from}${rel[1] === '1' ? '' : `:${rel[1]}`}]`;
  }
  if (what.startsWith('msh@')) return `4*(${metaName(`rel1@${what.slice(4)}`)}&0xf)`;
  if (what.startsWith('random')) return 'rand';
  return `skb.${what.replace(/\(.*/, '')}`;
}

const TRANSPORT: Record<number, string> = { 6: 'tcp', 17: 'udp', 132: 'sctp', 1: 'icmp' };

/** `4*(P[nl]&0xf)` as ldxb builds it: `((P[nl] & 0xf) << 2)`. */
function isIpHeaderLength(x: Term, nl: number): boolean {
  return (
    x.t === 'bin' &&
    x.op === 'lsh' &&
    x.b.t === 'const' &&
    x.b.v === 2 &&
    x.a.t === 'bin' &&
    x.a.op === 'and' &&
    x.a.b.t === 'const' &&
    x.a.b.v === 0xf &&
    isLoad(x.a.a, 1, nl)
  );
}

/** The formula as pcap-filter text; and/or have equal precedence there, so every compound is bracketed. */
export function formulaText(e: BExpr, pr: Printer, limit: number): string {
  let size = 0;
  /** The text, and whether it is one primitive (needs no brackets inside and/or). */
  const go = (x: BExpr): [string, boolean] => {
    let parts: string[];
    if (x.k === 'const') parts = [x.v ? 'len >= 0' : 'len < 0'];
    else if (x.k === 'test') parts = [pr.test(x.test, x.neg, x.ctx)];
    else
      parts = mergePairs(
        x.xs.map((c) => {
          const [t, single] = go(c);
          return single ? t : `(${t})`;
        }),
        x.k,
      );
    const s = parts.join(` ${x.k === 'or' ? 'or' : 'and'} `);
    // Leaves only: a compound's text is its leaves' and is counted there (nesting would count it again).
    if (x.k !== 'and' && x.k !== 'or') size += s.length + 5;
    if (size > limit)
      throw new Unspeakable(`the expression would be longer than ${limit} characters`);
    return [s, parts.length === 1];
  };
  return go(e)[0];
}

/**
 * `tcp src port 80 or tcp dst port 80` is `tcp port 80`, which compiles to the same two tests in the same
 * order; likewise hosts, and `not ... src ... and not ... dst ...` under `and`. Only neighbours merge: moving
 * a test past another could change which load stops a short packet first.
 */
function mergePairs(parts: string[], op: 'and' | 'or'): string[] {
  const out: string[] = [];
  const re = op === 'or' ? /^(\w+) src (port|host) (\S+)$/ : /^not (\w+) src (port|host) (\S+)$/;
  for (let i = 0; i < parts.length; i++) {
    const m = re.exec(parts[i]);
    const dst = m && `${op === 'and' ? 'not ' : ''}${m[1]} dst ${m[2]} ${m[3]}`;
    if (m && parts[i + 1] === dst) {
      out.push(`${op === 'and' ? 'not ' : ''}${m[1]} ${m[2]} ${m[3]}`);
      i++;
    } else out.push(parts[i]);
  }
  return out;
}
