// Which form a program text is in, decided by one left-to-right scan of its first meaningful lines.
// No regular expression: a pattern over the whole text backtracked exponentially on near misses
// (34 lines of -ddd then `# end` took minutes). The form is chosen from the first line or two, so the
// chosen parser, not the detector, says what is wrong further down, at the line where it is.
import { isDigit, isHexDigit, lowerAscii } from './chars.js';

/**
 * The text forms cbpf reads and writes. `hex` is the 8-byte sock_filter records, little-endian;
 * `decimal-line` is `-ddd` comma-joined on one line; `c-macros` is a C array of BPF_STMT/BPF_JUMP
 * (read by the `tcpdump-dd` parser, which takes records and macros alike).
 */
export type TextFormat =
  | 'tcpdump-d'
  | 'tcpdump-dd'
  | 'tcpdump-ddd'
  | 'decimal-line'
  | 'c-macros'
  | 'bpf-asm'
  | 'hex';

/** The mnemonics libpcap's bpf_image prints (`-d`). */
const D_MNEMONICS = new Set(
  'ld ldh ldb ldx ldxb st stx ja jeq jgt jge jset add sub mul div mod and or xor lsh rsh neg tax txa ret unimp'.split(
    ' ',
  ),
);

/** What may follow each bpf_asm mnemonic (bpf_exp.l), so `and port 80` on a second line is no program. */
type Operand = 'load' | 'mem' | 'label' | 'kx' | 'none' | 'ret';
const ASM_MNEMONICS: ReadonlyMap<string, Operand> = new Map([
  ...['ld', 'ldi', 'ldh', 'ldb', 'ldx', 'ldxi', 'ldxb'].map((m): [string, Operand] => [m, 'load']),
  ['st', 'mem'],
  ['stx', 'mem'],
  ['ja', 'label'],
  ['jmp', 'label'],
  ...['jeq', 'jneq', 'jne', 'jlt', 'jle', 'jgt', 'jge', 'jset'].map((m): [string, Operand] => [
    m,
    'kx',
  ]),
  ...['add', 'sub', 'mul', 'div', 'mod', 'and', 'or', 'xor', 'lsh', 'rsh'].map(
    (m): [string, Operand] => [m, 'kx'],
  ),
  ['neg', 'none'],
  ['tax', 'none'],
  ['txa', 'none'],
  ['ret', 'ret'],
]);
/** Words bpf_asm reads as an operand on their own (`ld len`, `ld proto`, `ldb vlan_pr`). */
const ASM_KEYWORDS = new Set(
  'len proto type ifidx nla nlan mark queue hatype rxhash cpu vlan_tci vlan_pr vlan_avail poff rand vlan_tpid'.split(
    ' ',
  ),
);
/** Identifiers a C declaration of a filter starts with. */
const C_STARTS = new Set(['struct', 'static', 'const', 'BPF_STMT', 'BPF_JUMP']);
/** Preprocessor directives: a `#` line holding one is C; any other `#` line is a comment. */
const C_DIRECTIVES = new Set([
  'include',
  'define',
  'undef',
  'if',
  'ifdef',
  'ifndef',
  'elif',
  'else',
  'endif',
  'pragma',
]);

const isBlank = (c: number) =>
  c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 0xfeff;
const isIdStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isIdChar = (c: number) => isIdStart(c) || isDigit(c);

/** A stretch [start, end) of the text: a line without its line break, or a word. */
interface Span {
  start: number;
  end: number;
}

/** The blank-separated words of `s`. */
function words(text: string, s: Span): Span[] {
  const out: Span[] = [];
  let i = s.start;
  while (i < s.end) {
    while (i < s.end && isBlank(text.charCodeAt(i))) i++;
    const start = i;
    while (i < s.end && !isBlank(text.charCodeAt(i))) i++;
    if (i > start) out.push({ start, end: i });
  }
  return out;
}

function allOf(text: string, s: Span, pred: (c: number) => boolean): boolean {
  if (s.end <= s.start) return false;
  for (let i = s.start; i < s.end; i++) if (!pred(text.charCodeAt(i))) return false;
  return true;
}

/** What a line looks like, each a hint at one form. */
interface LineShape {
  /** `(000) ldh ...` */
  d: boolean;
  /** A lone decimal number: a -ddd count (or decimal-looking hex). */
  count: boolean;
  /** Blank-separated words, the first decimal: a -ddd instruction, or a near miss of one. */
  ddd: boolean;
  /** Exactly four decimal words. */
  ddd4: boolean;
  /** A number, then a comma: the one-line decimal form. */
  comma: boolean;
  /** Hex digits, blanks and `0x` only; with the facts that tell it from decimal. */
  hex: boolean;
  hexDigits: number;
  /** Every word is two characters long (`28 00 00 00`): bytes, not -ddd numbers. */
  hexPairs: boolean;
  /** Hex that cannot be anything else: a letter a-f, 16+ digits, or several byte pairs. */
  hexSure: boolean;
  /** Starts like C: `{`, `}`, `struct`, `static`, `const`, BPF_STMT, BPF_JUMP. */
  c: boolean;
  /** Optional labels, then a bpf_asm mnemonic with an operand of the shape it takes. */
  asm: boolean;
  /** Just one bpf_asm word that takes no operand (`tax`): also a bare host name. */
  asmBareWord: boolean;
}

function shapeOf(text: string, line: Span, program: boolean): LineShape {
  const w = words(text, line);
  const first = w[0];
  const c0 = text.charCodeAt(first.start);
  const decimal = (s: Span) => allOf(text, s, isDigit);
  const shape: LineShape = {
    d: dLine(text, first, line, program),
    count: w.length === 1 && decimal(first),
    ddd: w.length >= 2 && decimal(first),
    ddd4: w.length === 4 && w.every(decimal),
    comma: commaLine(text, line),
    hex: false,
    hexDigits: 0,
    hexPairs: w.every((s) => s.end - s.start === 2),
    hexSure: false,
    c: false,
    asm: false,
    asmBareWord: false,
  };
  let hexDigits = 0;
  let prefixed = false;
  shape.hex = w.every((s) => {
    let i = s.start;
    if (
      text.charCodeAt(i) === 48 &&
      lowerAscii(text.charCodeAt(i + 1)) === 120 &&
      isHexDigit(text.charCodeAt(i + 2))
    ) {
      i += 2;
      prefixed = true;
    }
    for (; i < s.end; i++) {
      if (!isHexDigit(text.charCodeAt(i))) return false;
      hexDigits++;
    }
    return true;
  });
  shape.hexDigits = hexDigits;
  let letters = false;
  for (const s of w)
    for (let i = s.start; i < s.end && !letters; i++) {
      const l = lowerAscii(text.charCodeAt(i));
      letters = l >= 97 && l <= 102;
    }
  shape.hexSure =
    shape.hex && (letters || hexDigits >= 16 || (shape.hexPairs && w.length > 1) || prefixed);
  if (c0 === 123 || c0 === 125) shape.c = true;
  else if (isIdStart(c0)) {
    let e = first.start;
    while (e < line.end && isIdChar(text.charCodeAt(e))) e++;
    shape.c = C_STARTS.has(text.slice(first.start, e));
  }
  const asm = asmLine(text, line);
  shape.asm = asm !== undefined;
  shape.asmBareWord = asm === 'none' && w.length === 1;
  return shape;
}

/**
 * `(digits)`, blanks, a lowercase word, then a blank or the end: a -d line when the word is a -d
 * mnemonic, the index has tcpdump's three digits (`(000)`), or the text can only be a program.
 */
function dLine(text: string, first: Span, line: Span, program: boolean): boolean {
  let i = first.start;
  if (text.charCodeAt(i) !== 40) return false;
  i++;
  const digits = i;
  while (i < line.end && isDigit(text.charCodeAt(i))) i++;
  if (i === digits || text.charCodeAt(i) !== 41) return false;
  const indexLen = i - digits;
  i++;
  const blanks = i;
  while (i < line.end && isBlank(text.charCodeAt(i))) i++;
  if (i === blanks) return false;
  const op = i;
  while (i < line.end && text.charCodeAt(i) >= 97 && text.charCodeAt(i) <= 122) i++;
  if (i === op || (i < line.end && !isBlank(text.charCodeAt(i)))) return false;
  return program || indexLen >= 3 || D_MNEMONICS.has(text.slice(op, i));
}

/** Optional quote, digits, blanks, then a comma. */
function commaLine(text: string, line: Span): boolean {
  let i = line.start;
  while (i < line.end && isBlank(text.charCodeAt(i))) i++;
  const q = text.charCodeAt(i);
  if (q === 34 || q === 39) i++;
  const digits = i;
  while (i < line.end && isDigit(text.charCodeAt(i))) i++;
  if (i === digits) return false;
  while (i < line.end && isBlank(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === 44;
}

/**
 * The operand kind of the bpf_asm mnemonic this line starts with after any `label:`s, if the text
 * after the mnemonic has the shape that mnemonic takes; else undefined.
 */
function asmLine(text: string, line: Span): Operand | undefined {
  let i = line.start;
  for (;;) {
    while (i < line.end && isBlank(text.charCodeAt(i))) i++;
    if (i === line.end) return undefined;
    if (!isIdStart(text.charCodeAt(i))) return undefined;
    const w = i;
    while (i < line.end && isIdChar(text.charCodeAt(i))) i++;
    const wordEnd = i;
    while (i < line.end && isBlank(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 58) {
      // `name:` is a label; the instruction follows (here or, for a label alone, on no line we read:
      // a label-only line says nothing about the form, and its caller moves on).
      i++;
      continue;
    }
    const kind = ASM_MNEMONICS.get(text.slice(w, wordEnd).toLowerCase());
    if (kind === undefined) return undefined;
    if (kind !== 'none' && wordEnd === i && i < line.end) return undefined; // `ldfoo`
    return operandFits(text, i, line.end, kind) ? kind : undefined;
  }
}

function operandFits(text: string, i: number, end: number, kind: Operand): boolean {
  const c = text.charCodeAt(i);
  const atEnd = i === end || c === 59 || (c === 47 && text.charCodeAt(i + 1) === 42); // `;` or `/*`
  if (kind === 'none') return atEnd;
  if (atEnd) return false;
  // `x` or `%x` as the whole operand word (`add x`, `jeq x, l1`).
  const isX = () => {
    let j = i;
    if (text.charCodeAt(j) === 37) j++;
    if (lowerAscii(text.charCodeAt(j)) !== 120) return false;
    j++;
    return j === end || !isIdChar(text.charCodeAt(j));
  };
  const word = () => {
    let j = i;
    while (j < end && isIdChar(text.charCodeAt(j))) j++;
    return text.slice(i, j).toLowerCase();
  };
  switch (kind) {
    case 'load':
      return (
        c === 35 || // #
        c === 91 || // [
        isDigit(c) ||
        c === 45 || // -
        (lowerAscii(c) === 109 && text.charCodeAt(i + 1) === 91) || // M[
        ASM_KEYWORDS.has(word())
      );
    case 'mem':
      return lowerAscii(c) === 109 && text.charCodeAt(i + 1) === 91;
    case 'label':
      return isIdStart(c);
    case 'kx':
      return c === 35 || isX();
    case 'ret':
      return (
        c === 35 || isX() || c === 37 || (lowerAscii(c) === 97 && !isIdChar(text.charCodeAt(i + 1)))
      );
  }
}

/**
 * The first `max` lines that say something: blank lines and comment lines (`//`, `;`, `#` other than
 * a preprocessor directive, and `/* ... *\/` blocks) are passed over. A directive line ends the search
 * with `directive` set: the text is C.
 */
function meaningfulLines(text: string, max: number): { lines: Span[]; directive: boolean } {
  const lines: Span[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && lines.length < max) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = n;
    const next = end + 1;
    let lineEnd = end;
    if (lineEnd > i && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    let s = i;
    while (s < lineEnd && isBlank(text.charCodeAt(s))) s++;
    const c = text.charCodeAt(s);
    if (s === lineEnd || c === 59 || (c === 47 && text.charCodeAt(s + 1) === 47)) {
      i = next;
      continue;
    }
    if (c === 35) {
      // `#include`, `#define`: C. `# if the EtherType...` (a blank after the #) is a comment.
      let j = s + 1;
      while (j < lineEnd && isIdChar(text.charCodeAt(j))) j++;
      if (C_DIRECTIVES.has(text.slice(s + 1, j))) return { lines, directive: true };
      i = next;
      continue;
    }
    if (c === 47 && text.charCodeAt(s + 1) === 42) {
      const close = text.indexOf('*/', s + 2);
      if (close < 0) break; // an unclosed comment: nothing more to read here; the parser says where
      // What follows the comment on its last line is read as a line of its own.
      i = close + 2;
      continue;
    }
    lines.push({ start: s, end: lineEnd });
    i = next;
  }
  return { lines, directive: false };
}

/** Whether `text` holds a `{` or a BPF_STMT/BPF_JUMP macro: C, as no other form has them. */
function hasCMarks(text: string): boolean {
  return text.includes('{') || text.includes('BPF_STMT') || text.includes('BPF_JUMP');
}

/**
 * The form `text` is in when it can only be program text, or undefined when it may be a pcap-filter
 * expression (which the caller then compiles). Decided from the first two meaningful lines and a
 * search for C braces, in one pass: linear in the length of `text`.
 */
export function recognizeProgramText(text: string): TextFormat | undefined {
  return classify(text, false);
}

/**
 * Guesses the form of `text` among the program forms (for `cbpf asm`, `disasm`, `run` and the
 * playground's program mode, where text is never an expression): as recognizeProgramText, and
 * otherwise hex for hex-looking text and bpf_asm for the rest, so its parser says what is wrong.
 */
export function detectTextFormat(text: string): TextFormat {
  return classify(text, true) ?? 'bpf-asm';
}

function classify(text: string, program: boolean): TextFormat | undefined {
  const { lines, directive } = meaningfulLines(text, 4);
  if (directive) return 'tcpdump-dd';
  if (lines.length === 0) return program && hasCMarks(text) ? 'tcpdump-dd' : undefined;
  // A label alone on its line (`drop:`) names the instruction on the next one.
  let k = 0;
  while (k < lines.length - 1 && labelOnly(text, lines[k])) k++;
  const l1 = shapeOf(text, lines[k], program);
  const l2 = k + 1 < lines.length ? shapeOf(text, lines[k + 1], program) : undefined;
  if (l1.d) return 'tcpdump-d';
  if (l1.c) return 'tcpdump-dd';
  if (l1.asm && !(l1.asmBareWord && !l2 && !program)) return 'bpf-asm';
  if (l1.comma) return l2 ? 'tcpdump-ddd' : 'decimal-line';
  // A count of at most 10 digits then an instruction line is -ddd; longer decimal runs are hex bytes.
  const l1Len = lines[k].end - lines[k].start;
  if (l1.count && l1Len <= 10 && l2?.ddd && !(l2.hex && l2.hexPairs)) return 'tcpdump-ddd';
  if (l1.ddd4 && !l1.hexPairs) return 'tcpdump-ddd';
  if (l1.hex && (l1.hexDigits >= 16 || (program && l1.hexSure) || (l1.count && l2?.hexSure)))
    return 'hex';
  if (hasCMarks(text)) return 'tcpdump-dd';
  // The first line is damaged; a second one in an unmistakable form tells what the text is.
  if (l2?.d) return 'tcpdump-d';
  if (l2?.ddd4 && !l2.hexPairs && words(text, lines[k]).length === 1) return 'tcpdump-ddd';
  if (l2?.asm && !l2.asmBareWord) return 'bpf-asm';
  if (l2?.hex && l2.hexDigits >= 16) return 'hex';
  if (!program) return undefined;
  // A lone number: a -ddd count with nothing after it, or hex of a whole number of bytes.
  if (l1.count) return l1Len >= 8 && l1Len % 2 === 0 ? 'hex' : 'tcpdump-ddd';
  if (l1.ddd) return 'tcpdump-ddd';
  return undefined;
}

/** A line holding only `name:` labels. */
function labelOnly(text: string, line: Span): boolean {
  let i = line.start;
  let any = false;
  for (;;) {
    while (i < line.end && isBlank(text.charCodeAt(i))) i++;
    if (i === line.end) return any;
    if (!isIdStart(text.charCodeAt(i))) return false;
    while (i < line.end && isIdChar(text.charCodeAt(i))) i++;
    while (i < line.end && isBlank(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    any = true;
  }
}
