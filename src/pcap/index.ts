// Capture files: classic pcap and pcapng readers (push, async-iterator, one-call) and writers. Pure.

export {
  type ClassicHeader,
  copyClassicRecord,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
  PcapWriter,
  type PcapWriterOptions,
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
export {
  type CaptureScanner,
  type CaptureScannerOptions,
  createCaptureScanner,
  type RecordBatch,
} from './scanner.js';
