// The error base class every cbpf error extends, the core's subclasses, and a caret formatter.

/** Machine-readable error codes; each subsystem adds its own. */
export type CbpfErrorCode = string;

/** Base of every error cbpf throws on purpose. Tests assert `code` and position, not text. */
export class CbpfError extends Error {
  readonly code: CbpfErrorCode;
  constructor(code: CbpfErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

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

/** A program that a profile rejects; `index` names the instruction (from 0), or -1 for the whole program. */
export class ValidationError extends CbpfError {
  readonly index: number;
  readonly rule: ValidationCode;
  constructor(rule: ValidationCode, index: number, message: string) {
    super(rule, index >= 0 ? `instruction ${index}: ${message}` : message);
    this.index = index;
    this.rule = rule;
  }
}

/** A field value that cannot be encoded (jt > 255, k beyond u32 ...), at instruction `index`. */
export class EncodeError extends CbpfError {
  readonly index: number;
  constructor(index: number, message: string) {
    super('BAD_FIELD', `instruction ${index}: ${message}`);
    this.index = index;
  }
}

/** Bad program text; `line` and `column` count from 1, `offset` from 0 into the source. */
export class TextSyntaxError extends CbpfError {
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

/**
 * Renders `message`, the source line holding [start, end) and a caret line under the span.
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
  const text = source.slice(lineStart, lineEnd);
  const from = start - lineStart;
  const width = Math.max(1, Math.min(end, lineEnd) - start);
  return `${message}\n  ${text}\n  ${' '.repeat(from)}${'^'.repeat(width)}`;
}
