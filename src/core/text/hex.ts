// Hex of 8-byte sock_filter records, both ways; a bad length is blamed on the line that breaks the layout.
import { type Endian, fromBytes, type Program, toBytes } from '../encode.js';
import { TextSyntaxError } from '../errors.js';
import type { RawInsn } from '../insn.js';
import { lowerAscii } from './chars.js';

const DIGITS_PER_INSN = 16;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = lowerAscii(c);
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** The hex digits of one line: where the first and last are, and how many. */
interface LineDigits {
  first: number;
  last: number;
  count: number;
}

/**
 * Hex of 8-byte records → raw instructions. Whitespace anywhere, and a `0x` starting any
 * whitespace-separated group of digits, are ignored; errors point at the offending character, and a length
 * that is not whole records at the line whose digits break the records apart (when every other
 * line holds whole records) or at the incomplete last record.
 */
export function parseHexProgram(text: string, endian: Endian = 'le'): RawInsn[] {
  const nibbles = new Uint8Array(text.length);
  /** Offset of each digit's character, to say where a record starts. */
  const at = new Uint32Array(text.length);
  let n = 0;
  const lines: LineDigits[] = [];
  let line: LineDigits | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line = undefined;
      continue;
    }
    if (isSpace(c)) continue;
    if (
      c === 48 &&
      lowerAscii(text.charCodeAt(i + 1)) === 120 &&
      hexValue(text.charCodeAt(i + 2)) >= 0 &&
      (i === 0 || isSpace(text.charCodeAt(i - 1)))
    ) {
      i++;
      continue;
    }
    const v = hexValue(c);
    if (v < 0)
      throw new TextSyntaxError(
        `'${String.fromCodePoint(text.codePointAt(i)!)}' is not a hex digit`,
        text,
        i,
      );
    if (!line) {
      line = { first: i, last: i, count: 0 };
      lines.push(line);
    }
    line.last = i;
    line.count++;
    at[n] = i;
    nibbles[n++] = v;
  }
  if (n === 0) throw new TextSyntaxError('no hex digits', text, 0, Math.max(1, text.length));
  if (n % DIGITS_PER_INSN) throw lengthError(text, n, lines, at);
  const bytes = new Uint8Array(n / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (nibbles[2 * i] << 4) | nibbles[2 * i + 1];
  return fromBytes(bytes, endian);
}

function lengthError(
  text: string,
  n: number,
  lines: LineDigits[],
  at: Uint32Array,
): TextSyntaxError {
  const what =
    n % 2
      ? 'odd number of hex digits'
      : `${n / 2} bytes is not a whole number of 8-byte instructions`;
  const misaligned = lines.filter((l) => l.count % DIGITS_PER_INSN !== 0);
  if (misaligned.length === 1) {
    // Every other line holds whole records: this one lost or gained digits.
    const l = misaligned[0];
    if (n % 2) return new TextSyntaxError(what, text, l.last);
    return new TextSyntaxError(
      `${what} (this line has ${l.count / 2} bytes)`,
      text,
      l.first,
      l.last + 1 - l.first,
    );
  }
  if (n % 2) return new TextSyntaxError(what, text, at[n - 1]);
  const start = n - (n % DIGITS_PER_INSN);
  return new TextSyntaxError(
    `${what}: the last one has ${(n - start) / 2} bytes`,
    text,
    at[start],
    at[n - 1] + 1 - at[start],
  );
}

export function printHexProgram(program: Program, endian: Endian = 'le'): string {
  return Array.from(toBytes(program, endian), (b) => b.toString(16).padStart(2, '0')).join('');
}
