// Tokens -> AST for libpcap's filter grammar (grammar.y): `not` tightest, `and`/`or` equal and left-associative,
// qualifier inheritance resolved here (`host a or b`), arithmetic with C-like precedence (| < ^ < & < shifts < +- < */%).
import type {
  Arith,
  ArithOp,
  DirQual,
  Expr,
  FieldName,
  Id,
  KeywordName,
  PfField,
  ProtoQual,
  RelOp,
  Span,
  TypeQual,
  Word,
} from './ast.js';
import { fail } from './errors.js';
import { lex, type Token } from './lexer.js';
import { keep } from './resident.js';

/**
 * Deepest nesting accepted where parsing recurses: unary minus and parentheses in arithmetic, and the
 * groups of a bare id list (`host a or (b or c)`). Boolean groups and `not`s are parsed, lowered and
 * printed with stacks, to any depth.
 */
export const MAX_DEPTH = 200;
/**
 * Most switches between `and` and `or` in one expression. Each nests the boolean structure a level, which
 * the lowering walks without recursion (lower/pred.ts); the bound keeps the work in proportion.
 */
export const MAX_ALTERNATIONS = 50_000;
/**
 * Most arithmetic operators in one comparison (lowering walks its operand chains recursively); each
 * comparison has its own count, as libpcap has no limit across them.
 */
export const MAX_ARITH_OPS = 1000;

const PROTOS = new Set<string>([
  'link',
  'ether',
  'ip',
  'ip6',
  'arp',
  'rarp',
  'tcp',
  'udp',
  'sctp',
  'icmp',
  'icmp6',
  'igmp',
  'igrp',
  'pim',
  'ah',
  'esp',
  'vrrp',
  'carp',
  'atalk',
  'aarp',
  'decnet',
  'lat',
  'sca',
  'moprc',
  'mopdl',
  'iso',
  'esis',
  'isis',
  'clnp',
  'stp',
  'ipx',
  'netbeui',
  'l1',
  'l2',
  'iih',
  'lsp',
  'snp',
  'csnp',
  'psnp',
  'radio',
  'fddi',
  'tr',
  'wlan',
]);
const TYPES = new Set<string>([
  'host',
  'net',
  'port',
  'portrange',
  'gateway',
  'proto',
  'protochain',
]);
const KEYWORD_PRIMS = new Set<string>([
  'less',
  'greater',
  'inbound',
  'outbound',
  'ifindex',
  'vlan',
  'mpls',
  'pppoes',
  'pppoed',
  'geneve',
  'llc',
  'lane',
  'metac',
  'bcc',
  'oamf4ec',
  'oamf4sc',
  'sc',
  'ilmic',
  'oam',
  'oamf4',
  'connectmsg',
  'metaconnect',
  'fisu',
  'lssu',
  'msu',
  'hfisu',
  'hlssu',
  'hmsu',
]);
/** Keywords that take a number (the others, such as the ATM and MTP2 abbreviations, take none). */
const KEYWORD_ARGS = new Set<string>([
  'less',
  'greater',
  'ifindex',
  'vlan',
  'mpls',
  'pppoes',
  'geneve',
]);
const PF_FIELDS = new Set<string>(['ifname', 'rset', 'rnr', 'srnr', 'reason', 'action']);
const FIELDS = new Set<string>([
  'vpi',
  'vci',
  'sio',
  'opc',
  'dpc',
  'sls',
  'hsio',
  'hopc',
  'hdpc',
  'hsls',
]);
/** relop and irelop of libpcap's grammar: `<`, `<=` and `!=` are the negations of `>=`, `>` and `=`. */
const FIELD_OPS = new Set<string>(['>', '>=', '=', '<', '<=', '!=']);
const ARITH_PREC: Record<string, number> = {
  '|': 1,
  '^': 2,
  '&': 3,
  '<<': 4,
  '>>': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};
const NO_PREC = new Set<string>(['^', '%']);
const RELOPS = new Set<string>(['>', '<', '>=', '<=', '=', '!=']);

/** Qualifiers a bare id after `and`/`or` inherits; null when the previous term was not a qualified primitive. */
interface Quals {
  readonly proto: ProtoQual | null;
  readonly dir: DirQual | null;
  readonly type: TypeQual | null;
}

/** Parses a filter expression; throws CompileError. A blank expression parses to `empty` (accept everything). */
export function parse(text: string): Expr {
  const toks = lex(text);
  if (toks.length === 1) return { kind: 'empty', span: [0, text.length] };
  const p = new Parser(toks);
  const e = p.expr(0);
  const t = p.peek();
  if (t.kind !== 'eof') fail('SYNTAX', `unexpected ${describe(t)}`, t.span);
  return e.expr;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of expression';
    case 'num':
      return `number ${t.value}`;
    case 'id':
      return `name '${t.text}'`;
    case 'kw':
    case 'op':
      return `'${t.text}'`;
    default:
      return `${t.kind} address`;
  }
}

/** A group expr() has opened and not yet closed: the chain it interrupted, and the `not`s before it. */
interface OpenGroup {
  readonly left: Expr | undefined;
  readonly last: string;
  readonly op: Token | undefined;
  readonly nots: readonly Token[];
  readonly open: Token;
}

/** `left op right` for an `and` or `or` token. */
function joined(op: Token, left: Expr, right: Expr): Expr {
  return {
    kind: op.kind === 'kw' && op.text === 'and' ? 'and' : 'or',
    left,
    right,
    span: [left.span[0], right.span[1]],
  };
}

/** `e` under the `not`s before it, the last one innermost. */
function withNots(nots: readonly Token[], e: Expr): Expr {
  let out = e;
  for (let i = nots.length - 1; i >= 0; i--)
    out = { kind: 'not', expr: out, span: [(nots[i] as Token).span[0], out.span[1]] };
  return out;
}

class Parser {
  private pos = 0;
  private arithOps = 0;
  private switches = 0;
  /** For each '(' token, the index of its ')' (-1 when unclosed): found once, in one pass. */
  private readonly closing: Int32Array;
  constructor(private readonly toks: Token[]) {
    this.closing = new Int32Array(toks.length).fill(-1);
    const open: number[] = [];
    for (let j = 0; j < toks.length; j++) {
      const t = toks[j] as Token;
      if (t.kind !== 'op') continue;
      if (t.text === '(') open.push(j);
      else if (t.text === ')' && open.length > 0) this.closing[open.pop() as number] = j;
    }
  }

  peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)] as Token;
  }
  private next(): Token {
    const t = this.peek();
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }
  private isKw(t: Token, text: string): boolean {
    return t.kind === 'kw' && t.text === text;
  }
  private isOp(t: Token, text: string): boolean {
    return t.kind === 'op' && t.text === text;
  }
  private expectOp(text: string): Token {
    const t = this.next();
    if (!this.isOp(t, text)) fail('SYNTAX', `expected '${text}', found ${describe(t)}`, t.span);
    return t;
  }
  /**
   * Counts switches between `and` and `or` in a chain: each one nests the boolean structure a level deeper
   * (`a and b or c and d ...`), and later stages walk that nesting recursively.
   */
  private alternation(last: string, t: Token): void {
    if (last === '' || last === (t as { text: string }).text) return;
    if (++this.switches > MAX_ALTERNATIONS) {
      fail('TOO_COMPLEX', `more than ${MAX_ALTERNATIONS} alternations of 'and' and 'or'`, t.span);
    }
  }

  private depthCheck(depth: number, span: Span): void {
    if (depth > MAX_DEPTH) fail('TOO_COMPLEX', `nesting deeper than ${MAX_DEPTH}`, span);
  }

  /**
   * expr: term { (and|or) (term | id) }, left-associative, equal precedence; term: not term | ( expr ) |
   * a primitive. Groups are parsed here with a stack of the chains they interrupt, not by recursion: a
   * generated filter nests `((((a or b) or c) or d) ...)` or `(a or (b or (c ...)))` thousands deep, and
   * libpcap takes it; the later stages walk the tree with stacks too.
   */
  expr(depth: number): { expr: Expr; q: Quals | null } {
    const groups: OpenGroup[] = [];
    // The chain of the innermost open group (else of the whole expression): its value so far, the
    // qualifiers a bare id after it inherits, its last operator, and the operator before the term being
    // parsed.
    let left: Expr | undefined;
    let q: Quals | null = null;
    let last = '';
    let op: Token | undefined;
    for (;;) {
      let term: Expr;
      if (op !== undefined && this.idStartsAt(this.pos)) {
        if (q === null)
          fail(
            'SYNTAX',
            `${describe(this.peek())} needs a qualifier (the previous term has none to inherit)`,
            this.peek().span,
          );
        term = this.id(q, depth);
      } else {
        // The term's `not`s, and the groups that open where it starts.
        // (Made at the first `not`: most terms have none.)
        let nots: Token[] | undefined;
        for (let t = this.peek(); ; t = this.peek()) {
          if (this.isKw(t, 'not')) {
            if (nots === undefined) nots = [t];
            else nots.push(t);
            this.next();
            continue;
          }
          if (!this.isOp(t, '(') || this.parenIsArith(this.pos)) break;
          groups.push({ left, last, op, nots: nots ?? [], open: t });
          left = undefined;
          q = null;
          last = '';
          op = undefined;
          nots = undefined;
          this.next();
        }
        const r = this.term(depth);
        term = nots ? withNots(nots, r.expr) : r.expr;
        q = r.q;
      }
      left = left === undefined ? term : joined(op as Token, left, term);
      // Close the groups that end here: each is then a term of the chain it interrupted.
      for (;;) {
        const t = this.peek();
        if (this.isKw(t, 'and') || this.isKw(t, 'or')) {
          this.alternation(last, t);
          last = (t as { text: string }).text;
          op = t;
          this.next();
          break;
        }
        const g = groups.pop();
        if (g === undefined) return { expr: left, q };
        const close = this.expectOp(')');
        const value = withNots(g.nots, { ...left, span: [g.open.span[0], close.span[1]] } as Expr);
        left = g.left === undefined ? value : joined(g.op as Token, g.left, value);
        // A parenthesized expression passes no qualifiers on: libpcap rejects `(port 80) or 443`.
        q = null;
        last = g.last;
      }
    }
  }

  /** Whether tokens at i form a bare id (name, address, number not starting arithmetic, `not id`, `( id ...`). */
  private idStartsAt(i: number): boolean {
    for (;;) {
      const t = this.toks[i] as Token;
      if (t.kind === 'kw' && t.text === 'not') {
        i++;
        continue;
      }
      if (t.kind === 'op' && t.text === '(') {
        i++;
        continue;
      }
      if (
        t.kind === 'id' ||
        t.kind === 'ipv4' ||
        t.kind === 'ipv6' ||
        t.kind === 'mac' ||
        t.kind === 'aid'
      )
        return true;
      if (t.kind === 'num') {
        const n = this.toks[i + 1] as Token;
        return (
          !(n.kind === 'op' && (n.text in ARITH_PREC || RELOPS.has(n.text) || n.text === ')')) ||
          this.closesIdList(i + 1)
        );
      }
      return false;
    }
  }

  /** After `( num`, a `)` belongs to a parenthesized id list when the group does not continue as arithmetic. */
  private closesIdList(i: number): boolean {
    const t = this.toks[i] as Token;
    if (!(t.kind === 'op' && t.text === ')')) return false;
    const n = this.toks[i + 1] as Token;
    return !(n.kind === 'op' && (n.text in ARITH_PREC || RELOPS.has(n.text)));
  }

  /** id: nid | pnum | not id | ( pid ) with pid: id { (and|or) id } — all with qualifiers q. */
  private id(q: Quals, depth: number): Expr {
    const t = this.peek();
    this.depthCheck(depth, t.span);
    if (this.isKw(t, 'not')) {
      this.next();
      const e = this.id(q, depth + 1);
      return { kind: 'not', expr: e, span: [t.span[0], e.span[1]] };
    }
    if (this.isOp(t, '(')) {
      this.next();
      let left = this.id(q, depth + 1);
      let last = '';
      for (;;) {
        const c = this.peek();
        if (!this.isKw(c, 'and') && !this.isKw(c, 'or')) break;
        this.alternation(last, c);
        last = (c as { text: string }).text;
        this.next();
        const right = this.id(q, depth + 1);
        left = {
          kind: this.isKw(c, 'and') ? 'and' : 'or',
          left,
          right,
          span: [left.span[0], right.span[1]],
        };
      }
      const close = this.expectOp(')');
      return { ...left, span: [t.span[0], close.span[1]] } as Expr;
    }
    const id = this.idValue(q);
    return { kind: 'primitive', proto: q.proto, dir: q.dir, type: q.type, id, span: id.span };
  }

  /** The operand itself: number, name, address, `a/len`, `a mask m`, `lo-hi`. */
  private idValue(q: Quals): Id {
    const t = this.next();
    let id: Id;
    switch (t.kind) {
      case 'num':
        id = { kind: 'num', value: t.value, span: t.span };
        break;
      case 'id': {
        const dash = t.text.indexOf('-');
        if (q.type === 'portrange' && dash > 0 && !t.escaped) {
          const part = (s: string, span: Span): Id =>
            /^(0[xX][0-9A-Fa-f]+|[0-9]+)$/.test(s)
              ? { kind: 'num', value: parseIntLoose(s), span }
              : { kind: 'name', name: s, span };
          const lo = part(t.text.slice(0, dash), [t.span[0], t.span[0] + dash]);
          const hi = part(t.text.slice(dash + 1), [t.span[0] + dash + 1, t.span[1]]);
          return { kind: 'range', lo, hi, span: t.span };
        }
        id = { kind: 'name', name: t.text, span: t.span };
        break;
      }
      case 'ipv4':
        id = { kind: 'ipv4', parts: t.parts, span: t.span };
        break;
      case 'ipv6':
        id = { kind: 'ipv6', bytes: t.bytes, span: t.span };
        break;
      case 'mac':
        return { kind: 'mac', bytes: t.bytes, span: t.span };
      case 'aid':
        return { kind: 'arcnet', addr: t.addr, span: t.span };
      default:
        return fail('SYNTAX', `expected an address, number or name, found ${describe(t)}`, t.span);
    }
    if (id.kind === 'ipv4' || id.kind === 'ipv6') {
      const n = this.peek();
      if (this.isOp(n, '/')) {
        this.next();
        const len = this.next();
        if (len.kind !== 'num')
          fail('SYNTAX', `expected a prefix length after '/', found ${describe(len)}`, len.span);
        return { kind: 'cidr', addr: id, len: len.value, span: [id.span[0], len.span[1]] };
      }
      if (id.kind === 'ipv4' && this.isKw(n, 'mask')) {
        this.next();
        const m = this.next();
        if (m.kind !== 'ipv4')
          fail('SYNTAX', `expected a dotted netmask after 'mask', found ${describe(m)}`, m.span);
        return {
          kind: 'mask',
          addr: id,
          mask: { kind: 'ipv4', parts: m.parts, span: m.span },
          span: [id.span[0], m.span[1]],
        };
      }
    }
    return id;
  }

  /**
   * A primitive, after expr() has taken the `not`s and groups before it (a `(` here opens arithmetic);
   * returns the qualifiers a following bare id inherits.
   */
  private term(depth: number): { expr: Expr; q: Quals | null } {
    const t = this.peek();
    if (this.isOp(t, '(')) return { expr: this.relation(depth), q: null };
    if (t.kind === 'kw') {
      if (PROTOS.has(t.text)) {
        const n = this.peek(1);
        if (this.isOp(n, '[')) return { expr: this.relation(depth), q: null };
        // `pqual p80211`: libpcap takes any protocol qualifier there and ignores it.
        if (n.kind === 'kw' && (n.text === 'type' || n.text === 'subtype' || n.text === 'dir')) {
          this.next();
          return { expr: this.wlan(t.span[0]), q: null };
        }
        return this.head(depth);
      }
      if (t.text === 'type' || t.text === 'subtype' || t.text === 'dir')
        return { expr: this.wlan(t.span[0]), q: null };
      if (PF_FIELDS.has(t.text)) return { expr: this.pf(), q: null };
      if (FIELDS.has(t.text)) return { expr: this.field(), q: null };
      if (
        t.text === 'src' ||
        t.text === 'dst' ||
        TYPES.has(t.text) ||
        /^(addr[1-4]|ra|ta)$/.test(t.text)
      )
        return this.head(depth);
      if (t.text === 'broadcast' || t.text === 'multicast') {
        this.next();
        return {
          expr: { kind: 'keyword', name: t.text, proto: null, arg: null, span: t.span },
          q: null,
        };
      }
      if (KEYWORD_PRIMS.has(t.text)) return { expr: this.keyword(), q: null };
      if (t.text === 'len') return { expr: this.relation(depth), q: null };
      if (t.text === 'byte') return { expr: this.byteop(), q: null };
      if (t.text === 'and' || t.text === 'or' || t.text === 'mask')
        return fail('SYNTAX', `unexpected ${describe(t)}`, t.span);
      return fail('UNSUPPORTED', `'${t.text}' is not supported by cbpf`, t.span);
    }
    if (t.kind === 'num' || this.isOp(t, '-')) return { expr: this.relation(depth), q: null };
    if (t.kind === 'eof') return fail('SYNTAX', 'syntax error at end of expression', t.span);
    return fail(
      'SYNTAX',
      `unexpected ${describe(t)}: a primitive needs a qualifier such as 'host' or 'port'`,
      t.span,
    );
  }

  /** Whether the `(` at i opens arithmetic: its matching `)` is followed by an arithmetic operator or relop. */
  private parenIsArith(i: number): boolean {
    // The matching ')' from the table: scanning to it from every '(' made nested parentheses
    // quadratic in the expression's length.
    const j = this.closing[i] ?? -1;
    if (j < 0) return false;
    const n = this.toks[j + 1] as Token;
    return n.kind === 'op' && (n.text in ARITH_PREC || RELOPS.has(n.text));
  }

  /** head id | pname | pqual broadcast/multicast. */
  private head(depth: number): { expr: Expr; q: Quals | null } {
    const start = this.peek().span[0];
    let proto: ProtoQual | null = null;
    let dir: DirQual | null = null;
    let type: TypeQual | null = null;
    let t = this.peek();
    if (t.kind === 'kw' && PROTOS.has(t.text)) {
      proto = t.text as ProtoQual;
      this.next();
      t = this.peek();
      if (this.isKw(t, 'broadcast') || this.isKw(t, 'multicast')) {
        this.next();
        return {
          expr: {
            kind: 'keyword',
            name: (t as { text: string }).text as KeywordName,
            proto,
            arg: null,
            span: [start, t.span[1]],
          },
          q: null,
        };
      }
    }
    if (t.kind === 'kw' && (t.text === 'src' || t.text === 'dst')) {
      this.next();
      dir = t.text;
      const c = this.peek();
      const other = t.text === 'src' ? 'dst' : 'src';
      if ((this.isKw(c, 'or') || this.isKw(c, 'and')) && this.isKw(this.peek(1), other)) {
        this.next();
        this.next();
        dir = this.isKw(c, 'or') ? 'src or dst' : 'src and dst';
      }
      t = this.peek();
    } else if (t.kind === 'kw' && /^(addr[1-4]|ra|ta)$/.test(t.text)) {
      this.next();
      dir = t.text as DirQual;
      t = this.peek();
    }
    if (t.kind === 'kw' && TYPES.has(t.text)) {
      if ((t.text === 'proto' || t.text === 'protochain') && dir !== null) {
        fail('SYNTAX', `'${t.text}' cannot follow a direction`, t.span);
      }
      this.next();
      type = t.text as TypeQual;
    }
    if (dir === null && type === null) {
      // pname alone: a protocol abbreviation such as `tcp`.
      if (proto === null) return fail('SYNTAX', 'expected a primitive', this.peek().span);
      return {
        expr: { kind: 'protoAbbrev', proto, span: [start, this.peek(-1).span[1]] },
        q: null,
      };
    }
    const q: Quals = { proto, dir, type };
    if (!this.idStartsAt(this.pos)) {
      const n = this.peek();
      return fail(
        'SYNTAX',
        n.kind === 'eof'
          ? 'syntax error at end of expression'
          : `expected an address, number or name, found ${describe(n)}`,
        n.span,
      );
    }
    const e = this.id(q, depth + 1);
    return { expr: { ...e, span: [start, e.span[1]] } as Expr, q };
  }

  /** less N, greater N, inbound, outbound, ifindex N, vlan [N], mpls [N], pppoes [N], pppoed, geneve [N], llc [subtype]. */
  private keyword(): Expr {
    const t = this.next();
    const name = (t as { text: string }).text as KeywordName;
    const sub = this.peek();
    // `llc ID`, and `llc rnr` (libpcap's scanner makes `rnr` a pflog keyword, its grammar takes it back).
    if (name === 'llc' && (sub.kind === 'id' || this.isKw(sub, 'rnr'))) {
      this.next();
      const word: Word =
        sub.kind === 'id'
          ? { kind: 'name', name: sub.text, span: sub.span }
          : { kind: 'name', name: 'rnr', span: sub.span };
      return { kind: 'llcSubtype', name: word, span: [t.span[0], sub.span[1]] };
    }
    if (!KEYWORD_ARGS.has(name))
      return { kind: 'keyword', name, proto: null, arg: null, span: t.span };
    const needs = name === 'less' || name === 'greater' || name === 'ifindex';
    const may = name === 'vlan' || name === 'mpls' || name === 'pppoes' || name === 'geneve';
    if (needs || may) {
      let n = this.peek();
      let opens = 0;
      // The grammar's pnum allows parentheses around the number for vlan/mpls/pppoes (`vlan (100)`), not less.
      while (may && this.isOp(n, '(')) {
        const inner = this.peek(opens + 1);
        if (inner.kind !== 'num' && !this.isOp(inner, '(')) break;
        opens++;
        n = this.peek(opens);
      }
      if (n.kind === 'num') {
        for (let k = 0; k < opens; k++) this.next();
        this.next();
        let end = n.span[1];
        for (let k = 0; k < opens; k++) end = this.expectOp(')').span[1];
        return { kind: 'keyword', name, proto: null, arg: n.value, span: [t.span[0], end] };
      }
      if (needs) fail('SYNTAX', `'${name}' needs a number, found ${describe(n)}`, n.span);
    }
    return { kind: 'keyword', name, proto: null, arg: null, span: t.span };
  }

  /** A number or a name (pflog and 802.11 keyword operands). */
  private word(what: string, names: boolean, nums: boolean): Word {
    const t = this.next();
    if (nums && t.kind === 'num') return { kind: 'num', value: t.value, span: t.span };
    if (names && t.kind === 'id') return { kind: 'name', name: t.text, span: t.span };
    return fail('SYNTAX', `expected ${what}, found ${describe(t)}`, t.span);
  }

  /** `type T [subtype S]`, `subtype S`, `dir D` (the 802.11 frame control keywords). */
  private wlan(start: number): Expr {
    const kw = this.next() as { text: string; span: Span };
    if (kw.text === 'dir') {
      const d = this.word('an 802.11 direction', true, true);
      return { kind: 'wlan', field: 'dir', type: d, subtype: null, span: [start, d.span[1]] };
    }
    if (kw.text === 'subtype') {
      const st = this.word('an 802.11 subtype name', true, false);
      return { kind: 'wlan', field: 'subtype', type: null, subtype: st, span: [start, st.span[1]] };
    }
    const ty = this.word('an 802.11 type', true, true);
    if (!this.isKw(this.peek(), 'subtype'))
      return { kind: 'wlan', field: 'type', type: ty, subtype: null, span: [start, ty.span[1]] };
    this.next();
    const st = this.word('an 802.11 subtype', true, true);
    return { kind: 'wlan', field: 'type', type: ty, subtype: st, span: [start, st.span[1]] };
  }

  /** pflog fields: `on NAME`, `rset NAME`, `rnr N`, `srnr N`, `reason N|NAME`, `action NAME`. */
  private pf(): Expr {
    const kw = this.next() as { text: string; span: Span };
    const field = kw.text as PfField;
    const arg =
      field === 'rnr' || field === 'srnr'
        ? this.word('a number', false, true)
        : field === 'reason'
          ? this.word('a reason', true, true)
          : this.word('a name', true, false);
    return { kind: 'pf', field, arg, span: [kw.span[0], arg.span[1]] };
  }

  /** `vpi N`, `vci > N`, `sio (N or N ...)`: SunATM and MTP3 fields (libpcap's atmvalue and mtp3value). */
  private field(): Expr {
    const kw = this.next() as { text: string; span: Span };
    const field = kw.text as FieldName;
    const num = (): { value: number; span: Span } => {
      const n = this.next();
      if (n.kind !== 'num')
        return fail('SYNTAX', `expected a number, found ${describe(n)}`, n.span);
      return n;
    };
    const op = this.peek();
    if (op.kind === 'op' && FIELD_OPS.has(op.text)) {
      this.next();
      const n = num();
      return {
        kind: 'field',
        field,
        op: op.text as RelOp,
        values: [n.value],
        span: [kw.span[0], n.span[1]],
      };
    }
    if (this.isOp(op, '(')) {
      this.next();
      const values = [num().value];
      while (this.isKw(this.peek(), 'or')) {
        this.next();
        values.push(num().value);
      }
      const close = this.expectOp(')');
      return { kind: 'field', field, op: '=', values, span: [kw.span[0], close.span[1]] };
    }
    const n = num();
    return { kind: 'field', field, op: '=', values: [n.value], span: [kw.span[0], n.span[1]] };
  }

  /** `byte N op V`: libpcap's shorthand for a link-relative byte test; `=`, `<`, `>` become `link[N] op V`. */
  private byteop(): Expr {
    const kw = this.next();
    const idx = this.next();
    if (idx.kind !== 'num')
      return fail(
        'SYNTAX',
        `expected a byte offset after 'byte', found ${describe(idx)}`,
        idx.span,
      );
    const op = this.next();
    if (op.kind !== 'op' || !['=', '<', '>', '&', '|'].includes(op.text)) {
      return fail(
        'SYNTAX',
        `expected one of = < > & | after 'byte ${idx.value}', found ${describe(op)}`,
        op.span,
      );
    }
    const v = this.next();
    if (v.kind !== 'num') return fail('SYNTAX', `expected a number, found ${describe(v)}`, v.span);
    const span: Span = [kw.span[0], v.span[1]];
    if (op.text === '&' || op.text === '|')
      return { kind: 'byteop', op: op.text, index: idx.value, value: v.value, span };
    const offset: Arith = { kind: 'const', value: idx.value, span: idx.span };
    const left: Arith = {
      kind: 'load',
      proto: 'link',
      offset,
      size: 1,
      span: [kw.span[0], idx.span[1]],
    };
    return {
      kind: 'relation',
      op: op.text as RelOp,
      left,
      right: { kind: 'const', value: v.value, span: v.span },
      span,
    };
  }

  /** arth relop arth */
  private relation(depth: number): Expr {
    this.arithOps = 0;
    const left = this.arith(depth, 0);
    const op = this.next();
    if (op.kind !== 'op' || !RELOPS.has(op.text)) {
      return fail(
        'SYNTAX',
        op.kind === 'eof'
          ? 'syntax error at end of expression: expected a comparison'
          : `expected a comparison operator, found ${describe(op)}`,
        op.span,
      );
    }
    const right = this.arith(depth, 0);
    return {
      kind: 'relation',
      op: op.text as RelOp,
      left,
      right,
      span: [left.span[0], right.span[1]],
    };
  }

  /**
   * Precedence climbing over binary operators; loops for chains, recursion only for nesting.
   * libpcap's grammar.y gives `^` and `%` no precedence, so yacc shifts on every conflict involving them: their
   * right operand extends as far as possible (`a ^ b | c` is `a ^ (b | c)`), and they bind tighter than any
   * operator before them (`3 * a % 7` is `3 * (a % 7)`). Tested against tcpdump.
   */
  private arith(depth: number, minPrec: number): Arith {
    let left = this.unary(depth);
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !(t.text in ARITH_PREC)) return left;
      const noPrec = NO_PREC.has(t.text);
      const prec = ARITH_PREC[t.text] as number;
      if (!noPrec && prec <= minPrec) return left;
      if (++this.arithOps > MAX_ARITH_OPS)
        fail(
          'TOO_COMPLEX',
          `more than ${MAX_ARITH_OPS} arithmetic operators in one comparison`,
          t.span,
        );
      this.next();
      const right = this.arith(depth + 1, noPrec ? 0 : prec);
      left = {
        kind: 'binop',
        op: t.text as ArithOp,
        left,
        right,
        span: [left.span[0], right.span[1]],
      };
    }
  }

  private unary(depth: number): Arith {
    const t = this.next();
    this.depthCheck(depth, t.span);
    if (this.isOp(t, '-')) {
      let e = this.unary(depth + 1);
      // `-a ^ b` is `-(a ^ b)`: yacc shifts the precedence-less `^`/`%` over the unary minus too.
      for (let n = this.peek(); n.kind === 'op' && NO_PREC.has(n.text); n = this.peek()) {
        this.next();
        const right = this.arith(depth + 1, 0);
        e = {
          kind: 'binop',
          op: n.text as ArithOp,
          left: e,
          right,
          span: [e.span[0], right.span[1]],
        };
      }
      return { kind: 'neg', expr: e, span: [t.span[0], e.span[1]] };
    }
    if (this.isOp(t, '(')) {
      const e = this.arith(depth + 1, 0);
      const close = this.expectOp(')');
      return { ...e, span: [t.span[0], close.span[1]] } as Arith;
    }
    if (t.kind === 'num') return { kind: 'const', value: t.value, span: t.span };
    if (this.isKw(t, 'len')) return { kind: 'len', span: t.span };
    if (t.kind === 'kw' && PROTOS.has(t.text) && this.isOp(this.peek(), '[')) {
      this.next();
      const offset = this.arith(depth + 1, 0);
      let size: 1 | 2 | 4 = 1;
      if (this.isOp(this.peek(), ':')) {
        this.next();
        const s = this.next();
        if (s.kind !== 'num')
          fail('SYNTAX', `expected a size after ':', found ${describe(s)}`, s.span);
        if (s.value !== 1 && s.value !== 2 && s.value !== 4)
          fail('OUT_OF_RANGE', 'data size must be 1, 2, or 4', s.span);
        size = s.value;
      }
      const close = this.expectOp(']');
      return {
        kind: 'load',
        proto: t.text as ProtoQual,
        offset,
        size,
        span: [t.span[0], close.span[1]],
      };
    }
    if (t.kind === 'eof') return fail('SYNTAX', 'syntax error at end of expression', t.span);
    return fail(
      'SYNTAX',
      `expected a number, 'len' or 'proto[offset]', found ${describe(t)}`,
      t.span,
    );
  }
}

// One kept alive, for V8 (resident.ts).
keep(new Parser([{ kind: 'eof', span: [0, 0] }]));

function parseIntLoose(s: string): number {
  return s.startsWith('0x') || s.startsWith('0X')
    ? Number.parseInt(s.slice(2), 16)
    : Number.parseInt(s, 10);
}
