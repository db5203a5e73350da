// How the cbpf process reports a failure: one line on stderr and an exit status, never a stack trace.
import { CbpfError } from '../core/errors.js';

/** Exit statuses, as tcpdump's: 0 done, 1 an error (S_ERR_HOST_PROGRAM), 2 a usage error. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

/** Errors with a code a user can act on: cbpf's own and the system's (ENOENT, ENOSPC ...). */
export function isExpectedError(err: unknown): err is Error & { code: string } {
  return (
    err instanceof CbpfError ||
    (err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string')
  );
}

/**
 * The one line that reports `err`: its message up to the first newline. Anything that is neither
 * cbpf's nor the system's is a bug in cbpf, said so; CBPF_DEBUG=1 adds the stack for a report.
 */
export function errorLine(err: unknown): string {
  if (isExpectedError(err)) return firstLine(err.message);
  const text = err instanceof Error ? err.message : String(err);
  const stack = process.env.CBPF_DEBUG === '1' && err instanceof Error ? `\n${err.stack}` : '';
  return `internal error: ${firstLine(text)}${stack}`;
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : s.slice(0, nl);
}
