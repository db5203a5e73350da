// Errors of the analysis layer: the solver missing or undecided, inputs it cannot reason about.
import { CbpfError } from '../core/errors.js';

export type AnalysisErrorCode =
  /** The optional z3-solver package is not installed. */
  | 'SOLVER_MISSING'
  /** The solver gave up within its time limit. */
  | 'SOLVER_TIMEOUT'
  /** The solver answered "unknown" for another reason, or was stopped. */
  | 'SOLVER_UNKNOWN'
  /** A libpcap backward `ja` may be taken more often than the unrolling bound. */
  | 'UNROLL_LIMIT'
  /** A program is not valid for the chosen profile. */
  | 'INVALID_PROGRAM'
  /** A compiler graph with a cycle. */
  | 'CYCLE'
  /** A bad option value. */
  | 'BAD_OPTION';

declare module '../core/errors.js' {
  interface CbpfErrorCodes {
    analysis: AnalysisErrorCode;
  }
}

/** Why an analysis could not give an answer; `code` says which kind of reason. */
export class AnalysisError extends CbpfError<AnalysisErrorCode> {
  constructor(code: AnalysisErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
