// Filter arguments to programs: program text in a core format, else a pcap-filter expression compiled
// on demand. Kept apart from the socket code so offline readers load neither sockets nor FFI.
import type { Program } from '../core/encode.js';
import { toProgram } from '../core/encode.js';
import { CbpfError } from '../core/errors.js';
import type { Insn, RawInsn } from '../core/insn.js';
import { parseProgramText, recognizeProgramText } from '../core/text/index.js';
import type { CaptureErrorCode } from './errors.js';

export class CaptureError extends CbpfError<CaptureErrorCode> {}

/** Turns the `filter` option into a program: a program as is, text in a core format, else an expression. */
export async function resolveFilter(
  filter: string | readonly (Insn | RawInsn)[] | undefined,
  linktype: number | string = 1,
  /** For a capture file (the compiler's `savefile` and `swapped` options). */
  file?: { readonly swapped: boolean },
  /** Run the optimizer (tcpdump -O turns it off). */
  optimize = true,
): Promise<Program | undefined> {
  if (filter === undefined) return undefined;
  if (typeof filter !== 'string') return toProgram(filter);
  if (filter.trim() === '') return undefined;
  // Text that can only be a program is parsed as one, and its errors (a TextSyntaxError at the line
  // and column) stand: falling back to the expression compiler would report a made-up problem.
  const format = recognizeProgramText(filter);
  if (format) return parseProgramText(filter, format);
  // An expression. The compiler loads only then (program text needs none of it).
  const { compile } = await import('../compiler/index.js');
  return toProgram(
    compile(filter, {
      linktype,
      optimize,
      ...(file ? { savefile: true, swapped: file.swapped } : {}),
    }),
  );
}
