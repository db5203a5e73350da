// The codes of the errors the command line throws on purpose, registered in CbpfErrorCodes as `cli`:
// arguments and inputs it refuses before any subsystem sees them.
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
  | 'BAD_OPTION';

declare module '../core/errors.js' {
  interface CbpfErrorCodes {
    cli: CliErrorCode;
  }
}

/** Refused by the command line itself: the code says what (CliErrorCode). */
export class CliError extends CbpfError<CliErrorCode> {}
