// Capture files: classic pcap and pcapng readers (push, async-iterator, one-call) and writers. Pure.
export * from './errors.js';
export * from './record.js';
export { PcapWriter, type PcapWriterOptions, PCAP_MAGIC_NS, PCAP_MAGIC_US } from './classic.js';
export { PcapngWriter, type PcapngWriterOptions, type PcapngInterfaceOptions, type PcapngRawBlock } from './pcapng.js';
export { createCaptureParser, parseCapture, readCapture, type CaptureFormat, type CaptureParser, type CaptureParserOptions } from './parser.js';
