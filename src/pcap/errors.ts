// The errors the capture readers throw on purpose: a malformed stream, and a push after its end.
import { CbpfError } from '../core/errors.js';

/** What is wrong with a capture byte stream. */
export type PcapFormatCode =
  | 'BAD_MAGIC' // neither a pcap nor a pcapng magic at offset 0
  | 'BAD_VERSION' // pcap major version other than 2, pcapng section version other than 1
  | 'TRUNCATED' // the stream ended inside a header, record or block
  | 'CAPLEN_TOO_LARGE' // a record's captured length exceeds the reader's limit (see CaptureLimits)
  | 'BLOCK_TOO_SHORT' // a pcapng block shorter than its fixed part, or than 12 bytes
  | 'BLOCK_TOO_LARGE' // a pcapng block longer than the reader's limit
  | 'BLOCK_LENGTH_MISMATCH' // trailing length differs from leading length, or not a multiple of 4
  | 'NO_SECTION' // a pcapng block before any section header
  | 'BAD_INTERFACE' // a packet block naming an interface the section has not described
  | 'BAD_TSRESOL'; // if_tsresol too fine to convert (more than 2^-63 or 10^-19)

/** A reader used out of order: a push after end(). */
export type PcapUsageCode = 'PUSH_AFTER_END';

declare module '../core/errors.js' {
  interface CbpfErrorCodes {
    pcap: PcapFormatCode | PcapUsageCode;
  }
}

/** A malformed capture; `offset` is the byte offset (from the start of the stream) of the bad header, record or block. */
export class PcapFormatError extends CbpfError<PcapFormatCode> {
  readonly offset: number;
  constructor(code: PcapFormatCode, offset: number, message: string) {
    super(code, `offset ${offset}: ${message}`);
    this.offset = offset;
  }
}
