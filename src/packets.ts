// `cbpf/packets`: frame decoders, builders and tcpdump-style summaries. Pure.
export * from './packets/index.js';
