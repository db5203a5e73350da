// How the cbpf process reports a failure: one line on stderr and an exit status, never a stack trace;
// and the errors the command line throws on purpose, with their codes registered in CbpfErrorCodes
// as `cli`: arguments and inputs it refuses before any subsystem sees them.
import { CbpfError } from '../index.js';

export type CliErrorCode =
  /** A packet given as hex that is not an even number of hex digits (`cbpf debug`). */
  | 'BAD_HEX'
  /** A packet number past the end of the capture (`cbpf debug -r FILE N`). */
  | 'NO_PACKET'
  /** A -y link type that is neither a name the compiler knows nor a number. */
  | 'BAD_LINKTYPE'
  /** A capture `cbpf send` cannot put on an Ethernet interface. */
  | 'NOT_ETHERNET'
  /** An option value of the wrong form (`--rate abc`). */
  | 'BAD_OPTION'
  /** A -F file that cannot be read. */
  | 'FILTER_FILE'
  /** A command line tcpdump's getopt_long would refuse (glibc's words). */
  | 'USAGE'
  /** Not an error: -W's last rotated file is written (tcpdump's "Maximum file limit reached"). */
  | 'RUN_COMPLETE'
  /** A capture that names no link type (a pcapng without an interface), for -d with -r. */
  | 'NO_HEADER'
  /** A -V list that cannot be read or names no file. */
  | 'FILE_LIST'
  /** A -V file whose link type is not the first file's while writing one output (-w). */
  | 'NEW_DLT';

declare module '../core/errors.js' {
  interface CbpfErrorCodes {
    cli: CliErrorCode;
  }
}

/** Refused by the command line itself: the code says what (CliErrorCode). */
export class CliError extends CbpfError<CliErrorCode> {}

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
