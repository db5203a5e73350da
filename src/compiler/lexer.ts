// Filter text -> tokens with [start, end) spans, following libpcap's scanner.l: longest match, earlier rule wins ties.
import { isHexDigit } from '../core/text/chars.js';
import type { Span } from './ast.js';
import { fail } from './errors.js';
import { NAMED_NUMBERS } from './names.js';

export type Token =
  | { readonly kind: 'num'; readonly value: number; readonly span: Span }
  /** A name that is not a keyword; `escaped` when written `\name` (never a keyword then). */
  | { readonly kind: 'id'; readonly text: string; readonly escaped: boolean; readonly span: Span }
  /** A keyword, normalized (`&&` -> `and`, `!` -> `not`, `es-is` -> `esis`, `==` stays an op). */
  | { readonly kind: 'kw'; readonly text: string; readonly span: Span }
  | { readonly kind: 'ipv4'; readonly parts: readonly number[]; readonly span: Span }
  | { readonly kind: 'ipv6'; readonly bytes: readonly number[]; readonly span: Span }
  | { readonly kind: 'mac'; readonly bytes: readonly number[]; readonly span: Span }
  /** An ARCnet address, `$` and one or two hex digits. */
  | { readonly kind: 'aid'; readonly addr: number; readonly span: Span }
  | { readonly kind: 'op'; readonly text: string; readonly span: Span }
  | { readonly kind: 'eof'; readonly span: Span };

/**
 * Tokens past this count make the expression TOO_COMPLEX (bounds parse and lowering time). 5,000 terms
 * of `src net 10.0.0.0/8` with their `or`s take 30,000; of `ip[6:2] + 3846 * 2 > 26922`, 60,000.
 */
export const MAX_TOKENS = 250_000;

// Maps, not objects: an object would also answer `constructor` or `toString` (`port valueOf` compiled as
// a port number), and a Map looks up a freshly cut word faster.
const KEYWORDS = new Map<string, string>();
// biome-ignore format: a word list
for (const k of [
  'dst', 'src', 'host', 'gateway', 'net', 'mask', 'port', 'portrange', 'proto', 'protochain',
  'link', 'ether', 'ppp', 'slip', 'fddi', 'tr', 'wlan', 'arp', 'rarp', 'ip', 'sctp', 'tcp', 'udp', 'icmp',
  'igmp', 'igrp', 'pim', 'vrrp', 'carp', 'radio', 'ip6', 'icmp6', 'ah', 'esp', 'atalk', 'aarp', 'decnet', 'lat',
  'sca', 'moprc', 'mopdl', 'iso', 'esis', 'clnp', 'isis', 'l1', 'l2', 'iih', 'lsp', 'snp', 'csnp', 'psnp', 'stp',
  'ipx', 'netbeui', 'less', 'greater', 'byte', 'broadcast', 'multicast', 'and', 'or', 'not', 'len', 'inbound',
  'outbound', 'ifindex', 'vlan', 'mpls', 'pppoed', 'pppoes', 'geneve', 'lane', 'llc', 'metac', 'bcc',
  'oam', 'oamf4', 'oamf4ec', 'oamf4sc', 'sc', 'ilmic', 'vpi', 'vci', 'connectmsg', 'metaconnect', 'on', 'ifname',
  'rnr', 'rulenum', 'reason', 'rset', 'ruleset', 'srnr', 'subrulenum', 'action', 'fisu', 'lssu', 'lsu', 'msu',
  'hfisu', 'hlssu', 'hmsu', 'sio', 'opc', 'dpc', 'sls', 'hsio', 'hopc', 'hdpc', 'hsls', 'type', 'subtype',
  'direction', 'dir', 'addr1', 'addr2', 'addr3', 'addr4', 'ra', 'ta',
]) {
  KEYWORDS.set(k, k);
}
for (const [k, v] of Object.entries({
  'es-is': 'esis',
  'is-is': 'isis',
  address1: 'addr1',
  address2: 'addr2',
  address3: 'addr3',
  address4: 'addr4',
  direction: 'dir',
  length: 'len',
  lsu: 'lssu',
  // pflog keywords and their long forms are one token each in libpcap.
  on: 'ifname',
  ruleset: 'rset',
  rulenum: 'rnr',
  subrulenum: 'srnr',
}))
  KEYWORDS.set(k, v);
// libpcap's scanner returns LINK for all of these: they are one qualifier.
for (const k of ['fddi', 'tr', 'wlan', 'ppp', 'slip']) KEYWORDS.set(k, 'link');

/**
 * Every word named() knows, in one table: a named number's value (a number), else a keyword's
 * normalized text (a string). One lookup for the common word, a keyword, where two were a tenth of
 * lexing; a named number wins over a keyword of the same spelling, as when it was asked first.
 */
const WORDS = new Map<string, number | string>(Object.entries(NAMED_NUMBERS));
for (const [k, v] of KEYWORDS) if (!WORDS.has(k)) WORDS.set(k, v);

/** The operator at `i`, longest first (`<<` before `<`), or undefined. */
function opAt(text: string, i: number): string | undefined {
  const next = text.charCodeAt(i + 1);
  switch (text.charCodeAt(i)) {
    case 0x26: // &
      return next === 0x26 ? '&&' : '&';
    case 0x7c: // |
      return next === 0x7c ? '||' : '|';
    case 0x3c: // <
      return next === 0x3c ? '<<' : next === 0x3d ? '<=' : '<';
    case 0x3e: // >
      return next === 0x3e ? '>>' : next === 0x3d ? '>=' : '>';
    case 0x3d: // =
      return next === 0x3d ? '==' : '=';
    case 0x21: // !
      return next === 0x3d ? '!=' : '!';
    case 0x28:
      return '(';
    case 0x29:
      return ')';
    case 0x5b:
      return '[';
    case 0x5d:
      return ']';
    case 0x3a:
      return ':';
    case 0x2b:
      return '+';
    case 0x2d:
      return '-';
    case 0x2a:
      return '*';
    case 0x2f:
      return '/';
    case 0x25:
      return '%';
    case 0x5e:
      return '^';
    default:
      return undefined;
  }
}

const RE_MAC_COLON = /^[0-9A-Fa-f]{1,2}(?::[0-9A-Fa-f]{1,2}){5}/;
const RE_MAC_DASH = /^[0-9A-Fa-f]{1,2}(?:-[0-9A-Fa-f]{1,2}){5}/;
const RE_MAC_DOT = /^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}/;
const RE_MAC_DOT6 = /^[0-9A-Fa-f]{1,2}(?:\.[0-9A-Fa-f]{1,2}){5}/;
/** Twelve hex digits without separators (libpcap's {B2}{3}): a MAC, even when all are decimal digits. */
const RE_MAC_PLAIN = /^[0-9A-Fa-f]{12}/;
const RE_V4 = /^(?:[0-9]+|0[xX][0-9A-Fa-f]+)(?:\.(?:[0-9]+|0[xX][0-9A-Fa-f]+)){1,3}/;
const RE_NUM = /^(?:0[xX][0-9A-Fa-f]+|[0-9]+)/;
const RE_ID = /^[A-Za-z0-9](?:[-_.A-Za-z0-9]*[.A-Za-z0-9])?/;
const RE_V6RUN = /^[0-9A-Fa-f:.]+/;

/** Splits `text` into tokens; the last is `eof`. Throws CompileError (SYNTAX, BAD_ADDRESS, OUT_OF_RANGE, TOO_COMPLEX). */
export function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (out.length >= MAX_TOKENS)
      fail('TOO_COMPLEX', `expression longer than ${MAX_TOKENS} tokens`, [i, n]);
    // A name from g-z, else one of letters from a-f that cannot be hex.
    let name = nameEnd(text, i);
    if (name === i) name = plainWordEnd(text, i);
    if (name > i) {
      out.push(named(text.slice(i, name), [i, name]));
      i = name;
      continue;
    }
    const dotted = dottedEnd(text, i);
    if (dotted > i) {
      out.push({ kind: 'ipv4', parts: dottedParts(text, i, dotted), span: [i, dotted] });
      i = dotted;
      continue;
    }
    const digits = digitRunEnd(text, i);
    // A number before `:` that makes no address (`ip[6:2]`), and one in hex (`0x1fff`): as word() reads
    // them, without its ten patterns.
    let number = digits;
    if (number === i) number = singleColonEnd(text, i);
    if (number === i) number = hexEnd(text, i);
    if (number > i) {
      out.push({ kind: 'num', value: numberAt(text, i, number), span: [i, number] });
      i = number;
      continue;
    }
    const op = opAt(text, i);
    if (op !== undefined && !(op === ':' && text.charCodeAt(i + 1) === 0x3a)) {
      const span: Span = [i, i + op.length];
      if (op === '&&') out.push({ kind: 'kw', text: 'and', span });
      else if (op === '||') out.push({ kind: 'kw', text: 'or', span });
      else if (op === '!') out.push({ kind: 'kw', text: 'not', span });
      else out.push({ kind: 'op', text: op === '==' ? '=' : op, span });
      i += op.length;
      continue;
    }
    const rest = text.slice(i, i + 200);
    if (c === '\\') {
      const m = /^\\([^ !()\n\t\r]+)/.exec(rest);
      if (!m) fail('SYNTAX', 'backslash must be followed by a name', [i, i + 1]);
      out.push({ kind: 'id', text: m[1] as string, escaped: true, span: [i, i + m[0].length] });
      i += m[0].length;
      continue;
    }
    if (c === '$') {
      const m = /^\$([0-9A-Fa-f]{1,2})/.exec(rest);
      if (!m) fail('SYNTAX', `unexpected character '$'`, [i, i + 1]);
      const hex = m[1] as string;
      out.push({ kind: 'aid', addr: Number.parseInt(hex, 16), span: [i, i + m[0].length] });
      i += m[0].length;
      continue;
    }
    if (!(/[0-9A-Za-z]/.test(c) || rest.startsWith('::')))
      fail('SYNTAX', `unexpected character '${c}'`, [i, i + 1]);
    const tok = word(text, rest, i);
    out.push(tok);
    i = tok.span[1];
  }
  out.push({ kind: 'eof', span: [n, n] });
  return out;
}

/** One word-like token at `i`: MAC, IPv6, IPv4, number, keyword or name, longest first. */
function word(text: string, rest: string, i: number): Token {
  const len = (re: RegExp): number => re.exec(rest)?.[0].length ?? 0;
  const macLen = Math.max(
    len(RE_MAC_COLON),
    len(RE_MAC_DASH),
    len(RE_MAC_DOT),
    len(RE_MAC_DOT6),
    len(RE_MAC_PLAIN),
  );
  const v6run = len(RE_V6RUN);
  const v6text = rest.slice(0, v6run);
  const colons = (v6text.match(/:/g) ?? []).length;
  const idLen = len(RE_ID);
  const v4Len = len(RE_V4);
  const numLen = len(RE_NUM);
  if (colons >= 2 || v6text.includes('::')) {
    // An address-looking run: a MAC if it is one, else it must be IPv6 (libpcap would reject it too).
    if (macLen >= v6run && macLen >= idLen) return mac(text.slice(i, i + macLen), i);
    const bytes = parseIpv6(v6text);
    if (bytes === null) {
      fail(
        'BAD_ADDRESS',
        `bad address '${v6text}': neither a MAC (6 hex bytes) nor an IPv6 address`,
        [i, i + v6run],
      );
    }
    if (v6run >= idLen) return { kind: 'ipv6', bytes, span: [i, i + v6run] };
  }
  if (macLen > 0 && macLen >= idLen) return mac(text.slice(i, i + macLen), i);
  if (v4Len > 0 && v4Len >= idLen) {
    const s = text.slice(i, i + v4Len);
    // libpcap __pcap_atoin: each part is decimal (a leading 0 is not octal), hex parts are invalid.
    if (/0[xX]/.test(s)) fail('BAD_ADDRESS', `invalid IPv4 address '${s}'`, [i, i + v4Len]);
    // Parts above 255 are checked where the address is used: DECnet addresses (`decnet host 63.1023`) allow them.
    const parts = s.split('.').map((p) => Number.parseInt(p, 10));
    return { kind: 'ipv4', parts, span: [i, i + v4Len] };
  }
  if (numLen > 0 && numLen >= idLen) {
    return {
      kind: 'num',
      value: parseNumber(text.slice(i, i + numLen), [i, i + numLen]),
      span: [i, i + numLen],
    };
  }
  if (idLen === 0) fail('SYNTAX', `unexpected character '${text[i]}'`, [i, i + 1]);
  return named(text.slice(i, i + idLen), [i, i + idLen]);
}

/** A name as a token: a named number (`tcp-syn`), a keyword or an identifier. */
function named(s: string, span: Span): Token {
  const w = WORDS.get(s);
  if (typeof w === 'number') return { kind: 'num', value: w, span };
  if (w !== undefined) return { kind: 'kw', text: w, span };
  if (/^[0-9]+$/.test(s)) return { kind: 'num', value: parseNumber(s, span), span };
  return { kind: 'id', text: s, escaped: false, span };
}

/**
 * Where a word of letters only that word() would read as a name ends (`i` if the text at `i` is not
 * one): a letter outside a-f makes it no MAC, number or address, and the character after it must end
 * a name. Most words of an expression are such (`tcp`, `port`, `and`); word() tries ten patterns.
 */
function plainWordEnd(text: string, i: number): number {
  let j = i;
  let notHex = false;
  const limit = Math.min(text.length, i + 200);
  for (; j < limit; j++) {
    const c = text.charCodeAt(j) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    if (c > 0x66) notHex = true;
  }
  if (!notHex || j === i + 200) return i;
  return endsWord(text, j) ? j : i;
}

/**
 * Where the name word() would read at `i` ends when it starts with a letter after f (`i` otherwise):
 * no MAC, number or address starts so, so the name pattern alone decides (`ip6`, `tcp-syn`, `icmp-echo`).
 * As word()'s RE_ID on its 200 characters: letters, digits, '-', '_' and '.', ending in no '-' or '_'.
 */
function nameEnd(text: string, i: number): number {
  const first = text.charCodeAt(i) | 0x20;
  if (first <= 0x66 || first > 0x7a) return i;
  const limit = Math.min(text.length, i + 200);
  let end = i + 1;
  for (let j = i + 1; j < limit; j++) {
    const c = text.charCodeAt(j);
    const l = c | 0x20;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2e || (l >= 0x61 && l <= 0x7a)) end = j + 1;
    else if (c !== 0x2d && c !== 0x5f) break;
  }
  return end;
}

/**
 * Whether nothing at `j` can go on the word before it: a name goes on through letters, digits, '-', '_'
 * and '.', and ':' could make it an address.
 */
function endsWord(text: string, j: number): boolean {
  const next = j < text.length ? text.charCodeAt(j) : 0x20;
  return !(
    (next >= 0x30 && next <= 0x3a) ||
    next === 0x2d ||
    next === 0x5f ||
    next === 0x2e ||
    ((next | 0x20) >= 0x61 && (next | 0x20) <= 0x7a)
  );
}

/**
 * Where a number of decimal digits alone at `i` ends (`i` if the text at `i` is not one): fewer than 12
 * digits (twelve are a MAC), and then a character that cannot go on a name, address or MAC. Port numbers
 * and comparisons are such; word() would try ten patterns.
 */
function digitRunEnd(text: string, i: number): number {
  const j = digitsEnd(text, i);
  if (j === i || j === i + 12) return i;
  return endsWord(text, j) ? j : i;
}

/**
 * text[i..end) as a number: decimal digits without a leading zero added up here (most numbers), the rest
 * (octal, hex, past 32 bits, with their errors) by parseNumber.
 */
function numberAt(text: string, i: number, end: number): number {
  if (end - i <= 9 && (text.charCodeAt(i) !== 0x30 || end - i === 1)) {
    let v = 0;
    for (let j = i; j < end; j++) {
      const c = text.charCodeAt(j) - 0x30;
      if (c < 0 || c > 9) return parseNumber(text.slice(i, end), [i, end]);
      v = v * 10 + c;
    }
    return v;
  }
  return parseNumber(text.slice(i, end), [i, end]);
}

/**
 * Where decimal digits at `i` end when a single `:` follows them (`i` otherwise): then the run of hex
 * digits, colons and dots from `i` has one colon and no dot, which no IPv6 address (two colons at
 * least) or MAC (five separators) has, and no name goes on through `:`, so word() reads the digits as a
 * number. A second colon or a dot in the run, or a run as long as word()'s 200-character window: `i`
 * (word() decides).
 */
function singleColonEnd(text: string, i: number): number {
  const j = digitsEnd(text, i);
  if (j === i || j === i + 12 || text.charCodeAt(j) !== 0x3a) return i;
  const limit = Math.min(text.length, i + 200);
  for (let k = j + 1; ; k++) {
    if (k === i + 200) return i;
    if (k >= limit) return j;
    const c = text.charCodeAt(k);
    if (c === 0x3a || c === 0x2e) return i;
    if (!isHexDigit(c)) return j;
  }
}

/**
 * Where `0x` and hex digits at `i` end, followed by nothing that could go on a name or an address (`i`
 * otherwise): word() reads them as one number (`x` is in no MAC or IPv6 address, and a name or number
 * would end at the same place). Within word()'s 200-character window only.
 */
function hexEnd(text: string, i: number): number {
  if (text.charCodeAt(i) !== 0x30 || (text.charCodeAt(i + 1) | 0x20) !== 0x78) return i;
  let j = i + 2;
  while (j < text.length && j < i + 200 && isHexDigit(text.charCodeAt(j))) j++;
  if (j === i + 2 || j === i + 200) return i;
  return endsWord(text, j) ? j : i;
}

/** Where the decimal digits at `i` end, at most 12 on (as many are a MAC: callers tell that apart). */
function digitsEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && j < i + 12) {
    const c = text.charCodeAt(j);
    if (c < 0x30 || c > 0x39) break;
    j++;
  }
  return j;
}

/**
 * Where an IPv4 address of 2 to 4 decimal parts at `i` ends (`i` if the text at `i` is not one that word()
 * would read as IPv4): then a character that cannot go on a name, address or MAC, and not three parts of
 * four digits (`1234.5678.9abc` is a MAC). Most addresses in filters are such; word() tries ten patterns.
 */
function dottedEnd(text: string, i: number): number {
  let j = i;
  let parts = 0;
  let fours = 0;
  for (;;) {
    const start = j;
    j = digitsEnd(text, start);
    if (j === start || j - start === 12) return i;
    parts++;
    if (j - start === 4) fours++;
    if (parts === 4 || text.charCodeAt(j) !== 0x2e) break;
    j++;
  }
  if (parts < 2 || (parts === 3 && fours === 3)) return i;
  return endsWord(text, j) ? j : i;
}

/** The decimal parts of text[i..end), which dottedEnd() found to be digits and dots only. */
function dottedParts(text: string, i: number, end: number): number[] {
  const parts: number[] = [];
  let n = 0;
  for (let j = i; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x2e) {
      parts.push(n);
      n = 0;
    } else n = n * 10 + (c - 0x30);
  }
  parts.push(n);
  return parts;
}

function mac(s: string, i: number): Token {
  // Byte groups of one or two digits where separated (`1:2:3:4:5:6`, `1.2.3.4.5.6`), else pairs.
  const hex = /^[0-9A-Fa-f]{1,2}([:.-][0-9A-Fa-f]{1,2}){5}$/.test(s)
    ? s.split(/[:.-]/)
    : (s.replace(/\./g, '').match(/../g) as string[]);
  return { kind: 'mac', bytes: hex.map((h) => Number.parseInt(h, 16)), span: [i, i + s.length] };
}

/**
 * libpcap's number syntax (scanner.l's stou): 0x/0X hex, a leading 0 octal, else decimal; at most 2^32-1.
 * The errors are libpcap's, word for word: `port 0080` is not 80 but "contains non-octal digit".
 */
export function parseNumber(s: string, span: Span): number {
  let v: number;
  if (/^0[xX][0-9A-Fa-f]+$/.test(s)) v = Number.parseInt(s.slice(2), 16);
  else if (/^0[0-9]+$/.test(s)) {
    if (/[89]/.test(s)) fail('SYNTAX', `number ${s} contains non-octal digit`, span);
    v = Number.parseInt(s.slice(1), 8);
  } else if (/^[0-9]+$/.test(s)) v = Number.parseInt(s, 10);
  else return fail('SYNTAX', `bad number '${s}'`, span);
  // A parse past 2^53 loses digits, but stays above 2^32-1: the test holds.
  if (!(v <= 0xffffffff)) fail('OUT_OF_RANGE', `number ${s} overflows 32 bits`, span);
  return v;
}

/** IPv6 text (RFC 4291, with an optional trailing dotted IPv4) -> 16 bytes, or null. */
export function parseIpv6(s: string): number[] | null {
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k] as string;
      if (k === parts.length - 1 && p.includes('.')) {
        const q = p.split('.');
        if (q.length !== 4 || q.some((x) => !/^[0-9]{1,3}$/.test(x) || Number(x) > 255))
          return null;
        out.push((Number(q[0]) << 8) | Number(q[1]), (Number(q[2]) << 8) | Number(q[3]));
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(p)) return null;
        out.push(Number.parseInt(p, 16));
      }
    }
    return out;
  };
  const a = groups(halves[0] as string);
  const b = halves.length === 2 ? groups(halves[1] as string) : [];
  if (a === null || b === null) return null;
  if (halves.length === 2 ? a.length + b.length > 7 : a.length !== 8) return null;
  // The groups before `::`, the zeros it stands for, the groups after it.
  const bytes: number[] = [];
  for (const w of a) bytes.push(w >> 8, w & 0xff);
  while (bytes.length < 16 - 2 * b.length) bytes.push(0);
  for (const w of b) bytes.push(w >> 8, w & 0xff);
  return bytes;
}
