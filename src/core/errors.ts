// The error base class every cbpf error extends, the core's subclasses and codes, and a caret formatter.

/** Codes of problems the validator reports. */
export type ValidationCode =
  | 'EMPTY'
  | 'TOO_LONG'
  | 'BAD_OPCODE'
  | 'DIV_BY_ZERO'
  | 'SHIFT_TOO_LARGE'
  | 'MEM_INDEX'
  | 'JUMP_OUT_OF_RANGE'
  | 'JUMP_BACKWARD'
  | 'BAD_ANCILLARY'
  | 'NO_FINAL_RET'
  | 'MEM_READ_BEFORE_WRITE'
  | 'BAD_LENGTH'
  | 'BAD_FIELD'
  | 'BAD_PROGRAM';

/** A field that cannot be encoded (EncodeError). */
export type EncodeCode = 'BAD_FIELD';
/** Program text that does not parse (TextSyntaxError). */
export type TextCode = 'TEXT_SYNTAX';
/** What the WebAssembly backend refuses or traps on (WasmUnsupportedError, WasmRangeError). */
export type WasmCode = 'WASM_UNSUPPORTED' | 'WASM_RANGE';

/** Every code the core's errors carry. */
export type CoreErrorCode = ValidationCode | EncodeCode | TextCode | WasmCode;

/**
 * The error codes of each subsystem, as a closed union under the subsystem's name: `CbpfErrorCode`
 * is their union, and CbpfError takes no other code. The core registers its own here; every other
 * subsystem adds its union beside the errors it throws, with
 * `declare module '../core/errors.js' { interface CbpfErrorCodes { pcap: PcapCode } }`:
 * compiler/errors.ts, analysis/errors.ts, pcap/errors.ts, node/errors.ts (with node/ffi/libc.ts's errno names),
 * apps/errors.ts and cli/errors.ts.
 */
export interface CbpfErrorCodes {
  /** The model and the engines: validation, encoding, WebAssembly. */
  core: ValidationCode | EncodeCode | WasmCode;
  /** Program text (tcpdump -d/-dd/-ddd, bpf_asm, C, hex, Go). */
  text: TextCode;
}

/** A code some subsystem registered in CbpfErrorCodes. */
export type CbpfErrorCode = CbpfErrorCodes[keyof CbpfErrorCodes];

/**
 * Base of every error cbpf throws on purpose. Tests assert `code` and position, not text. `Code` is
 * the closed union of the subsystem that throws it (each subclass names its own); a code nobody
 * registered does not compile.
 */
export class CbpfError<Code extends CbpfErrorCode = CbpfErrorCode> extends Error {
  readonly code: Code;
  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A program that a profile rejects; `index` names the instruction (from 0), or -1 for the whole program. */
export class ValidationError extends CbpfError<ValidationCode> {
  readonly index: number;
  readonly rule: ValidationCode;
  constructor(rule: ValidationCode, index: number, message: string) {
    super(rule, index >= 0 ? `instruction ${index}: ${message}` : message);
    this.index = index;
    this.rule = rule;
  }
}

/** A field value that cannot be encoded (jt > 255, k beyond u32 ...), at instruction `index`. */
export class EncodeError extends CbpfError<EncodeCode> {
  readonly index: number;
  constructor(index: number, message: string) {
    super('BAD_FIELD', `instruction ${index}: ${message}`);
    this.index = index;
  }
}

/** Bad program text; `line` and `column` count from 1, `offset` from 0 into the source. */
export class TextSyntaxError extends CbpfError<TextCode> {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly length: number;
  constructor(message: string, source: string, offset: number, length = 1) {
    const { line, column } = lineColumn(source, offset);
    super('TEXT_SYNTAX', `${line}:${column}: ${message}`);
    this.line = line;
    this.column = column;
    this.offset = offset;
    this.length = length;
  }
}

/** 1-based line and column of `offset` in `source`. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Lines up to this long are shown whole under an error; a longer one as a window around the span. */
const WHOLE_LINE = 120;
/** The window's characters before the span, after it, and of the span itself at most. */
const BEFORE = 40;
const AFTER = 40;
const SPAN_SHOWN = 40;

/**
 * Renders `message`, the source line holding [start, end) and a caret line under the span. A line
 * longer than WHOLE_LINE (a list of 5,000 hosts is one line) shows only the span and some text either
 * side, with `...` where it is cut.
 * For the CLI and the playground; the core never prints.
 */
export function formatSpan(
  message: string,
  source: string,
  start: number,
  end = start + 1,
): string {
  const lineStart = source.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
  const nl = source.indexOf('\n', start);
  const lineEnd = nl < 0 ? source.length : nl;
  let text = source.slice(lineStart, lineEnd);
  let from = start - lineStart;
  let width = Math.max(1, Math.min(end, lineEnd) - start);
  if (text.length > WHOLE_LINE) {
    width = Math.min(width, SPAN_SHOWN);
    const a = Math.max(0, from - BEFORE);
    const b = Math.min(text.length, from + width + AFTER);
    const head = a > 0 ? '...' : '';
    text = `${head}${text.slice(a, b)}${b < text.length ? '...' : ''}`;
    from = head.length + from - a;
  }
  return `${message}\n  ${text}\n  ${' '.repeat(from)}${'^'.repeat(width)}`;
}
