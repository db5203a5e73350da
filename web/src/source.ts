// What the editor holds: a pcap-filter expression or program text in any form cbpf reads, turned
// into a program or an error with the span of the source to underline.
import { CompileError, compile } from '../../src/compiler.js';
import {
  CbpfError,
  detectTextFormat,
  type ProfileName,
  parseProgramText,
  type RawInsn,
  recognizeProgramText,
  type TextFormat,
  TextSyntaxError,
  validate,
} from '../../src/index.js';

export type SourceMode = 'auto' | 'expression' | 'program';

export interface SourceOptions {
  mode: SourceMode;
  linktype: string;
  optimize: boolean;
  profile: ProfileName;
}

/** The program built from the source, or why there is none. */
export type SourceResult =
  | { ok: true; kind: 'expression' | TextFormat; program: RawInsn[]; warnings: string[] }
  | {
      ok: false;
      kind: 'expression' | TextFormat | 'empty';
      message: string;
      span?: [number, number];
    };

/**
 * Expression or program text? Program text is what the core recognizes as nothing else (bpf_asm by
 * its first mnemonic and operand); the rest is an expression. A program with a bad line further down
 * is still a program, so its error names that line.
 */
export function detectKind(text: string): 'expression' | TextFormat {
  return recognizeProgramText(text) ?? 'expression';
}

export function buildProgram(text: string, o: SourceOptions): SourceResult {
  if (text.trim() === '')
    return { ok: false, kind: 'empty', message: 'type a filter expression or paste a program' };
  const kind =
    o.mode === 'expression'
      ? 'expression'
      : o.mode === 'program'
        ? detectTextFormat(text)
        : detectKind(text);
  try {
    // A compiled program can still be one the profile's loader refuses: the compiler, like libpcap,
    // emits any length (the unoptimized 200-host list is 5,938 instructions; Linux takes 4,096).
    const program =
      kind === 'expression'
        ? compile(text, { linktype: o.linktype, optimize: o.optimize })
        : parseProgramText(text, kind);
    const problems = validate(program, o.profile);
    return {
      ok: true,
      kind,
      program,
      warnings: problems.map((p) => `${o.profile} rejects it: ${p.message}`),
    };
  } catch (err) {
    if (err instanceof CompileError)
      return { ok: false, kind, message: err.message, span: [err.span[0], err.span[1]] };
    if (err instanceof TextSyntaxError)
      return {
        ok: false,
        kind,
        message: err.message,
        span: [err.offset, err.offset + Math.max(1, err.length)],
      };
    if (err instanceof CbpfError) return { ok: false, kind, message: err.message };
    throw err;
  }
}
