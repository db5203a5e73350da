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
  | 'BAD_TSRESOL' // if_tsresol too fine to convert (more than 2^-63 or 10^-19)
  | 'BAD_IDB_OPTION' // an IDB option libpcap refuses: end-of-options, if_tsresol or if_tsoffset of another length, or given twice
  | 'NO_INTERFACE'; // a pcapng file whose first section describes no interface

/** A reader used out of order: a push after end(). */
export type PcapUsageCode = 'PUSH_AFTER_END';

declare module '../core/errors.js' {
  interface CbpfErrorCodes {
    pcap: PcapFormatCode | PcapUsageCode;
  }
}

/**
 * A malformed capture; `offset` is the byte offset (from the start of the stream) of the bad
 * header, record or block, `record` (once the reader has placed it) the 1-based number of the
 * record it was reading. `reason` says what is wrong in libpcap's words, so tcpdump's users
 * recognise it; the message is "offset O (record N): reason".
 */
export class PcapFormatError extends CbpfError<PcapFormatCode> {
  readonly offset: number;
  readonly reason: string;
  record: number | undefined;
  constructor(code: PcapFormatCode, offset: number, reason: string) {
    super(code, `offset ${offset}: ${reason}`);
    this.offset = offset;
    this.reason = reason;
  }

  /** Names the record being read (1-based; the file header has none) in the message. */
  atRecord(record: number): this {
    if (this.record === undefined && record > 0) {
      this.record = record;
      this.message = `offset ${this.offset} (record ${record}): ${this.reason}`;
    }
    return this;
  }
}
