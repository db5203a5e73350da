// The compiler's one error type: a code from a closed union and the [start, end) span of the source it blames.
import { CbpfError } from '../core/errors.js';
import { keep } from './resident.js';

/** Why a filter expression does not compile. */
export type CompileErrorCode =
  /** Not a sentence of the grammar (unexpected token, unbalanced parenthesis, end of input). */
  | 'SYNTAX'
  /** A name that is neither a keyword nor a known port, protocol, service or host. */
  | 'UNKNOWN_NAME'
  /** A malformed MAC, IPv4 or IPv6 address, or a network with bits set beyond its mask. */
  | 'BAD_ADDRESS'
  /** A number outside what the primitive accepts (port > 65535, vlan > 4095, load size not 1/2/4 ...). */
  | 'OUT_OF_RANGE'
  /** A qualifier combination libpcap rejects (`tcp host`, `ether port`, `ip6 proto` with a MAC ...). */
  | 'BAD_QUALIFIER'
  /** The primitive needs something the link type does not have (`arp` or `ether host` on RAW). */
  | 'UNSUPPORTED_FOR_LINKTYPE'
  /** A primitive cbpf does not implement (yet), or one that needs a resolver or netmask not given. */
  | 'UNSUPPORTED'
  /** Nesting or length past the compiler's bounds. */
  | 'TOO_COMPLEX'
  /** The program can never accept a packet (libpcap: "expression rejects all packets"). */
  | 'REJECTS_ALL';

/** A filter expression that does not compile; `span` is [start, end) in UTF-16 units of the source. */
declare module '../core/errors.js' {
  interface CbpfErrorCodes {
    compiler: CompileErrorCode;
  }
}

export class CompileError extends CbpfError<CompileErrorCode> {
  /**
   * Stack frames a CompileError records (Error.stackTraceLimit while it is made; V8 and JavaScriptCore
   * read it). None by default: the error is in the expression, which `span` places, and where the
   * compiler noticed it tells its user nothing (the CLI prints only the message). Recording the frames
   * was 8 of the 14 µs a refused compile took, 2-3% of the differential set's batch; set this to 10 to
   * have them when debugging the compiler.
   */
  static stackFrames = 0;
  readonly span: readonly [number, number];
  constructor(code: CompileErrorCode, message: string, span: readonly [number, number]) {
    // Not in the standard library's types (V8's and JavaScriptCore's own).
    const errors = Error as { stackTraceLimit?: number };
    const limit = errors.stackTraceLimit;
    // Through new.target: a bundler renames a class that names itself in its body, and the error's name
    // (new.target.name, CbpfError) with it.
    errors.stackTraceLimit = (new.target as typeof CompileError).stackFrames;
    super(code, message);
    errors.stackTraceLimit = limit;
    this.span = [span[0], span[1]];
  }
}

// One kept alive, for V8 (resident.ts).
keep(new CompileError('SYNTAX', '', [0, 0]));

/** Shorthand used by every stage: throw a CompileError for `span`. */
export function fail(
  code: CompileErrorCode,
  message: string,
  span: readonly [number, number],
): never {
  throw new CompileError(code, message, span);
}
