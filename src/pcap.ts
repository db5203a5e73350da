// `cbpf/pcap`: capture files, classic pcap and pcapng: one walker over their blocks, and the readers
// over it (push parser, async iterator, in-memory, the batch scanner), and the writers. Pure.
export * from './pcap/index.js';
