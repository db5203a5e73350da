// Capture files: classic pcap and pcapng: the block walker, the readers over it (push, async-iterator,
// one-call, batch scanner) and the writers. Pure.

export {
  type ClassicHeader,
  classicMagic,
  copyClassicRecord,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
  PcapWriter,
  type PcapWriterOptions,
  parseClassicHeader,
} from './classic.js';
export * from './errors.js';
export {
  type CaptureFormat,
  type CaptureParser,
  type CaptureParserOptions,
  createCaptureParser,
  parseCapture,
  readCapture,
} from './parser.js';
export {
  type PcapngInterfaceOptions,
  type PcapngRawBlock,
  PcapngWriter,
  type PcapngWriterOptions,
} from './pcapng.js';
export * from './record.js';
// Where a record starts in the middle of a classic file (one file read by several threads).
export { findClassicRecord } from './resync.js';
export {
  type CaptureScanner,
  type CaptureScannerOptions,
  createCaptureScanner,
  type RecordBatch,
} from './scanner.js';
export type { Timeval } from './timeval.js';
export {
  type CaptureWalker,
  type CaptureWalkerOptions,
  createCaptureWalker,
} from './walker.js';
