// Packet decoders, builders and tcpdump-style summaries for the protocols cbpf's apps and tests meet. Pure.
export * from './addr.js';
export * from './arp.js';
export * from './build-app.js';
export * from './build-dhcp6.js';
export * from './build-ip.js';
export {
  type ArpFrameOptions,
  type ArpOptions,
  buildArp,
  buildArpFrame,
  buildEthernet,
  type EthernetOptions,
  type VlanTag,
} from './build-link.js';
export * from './checksum.js';
export * from './decode.js';
export * from './dhcp.js';
export * from './dns.js';
export * from './ethernet.js';
export * from './icmp.js';
export * from './icmpv6.js';
export * from './ipv4.js';
export * from './ipv6.js';
export type { LayerBase, PayloadLayer } from './layer.js';
export * from './link.js';
export * from './stp.js';
export * from './summary.js';
export * from './tcp.js';
export * from './tcp-seq.js';
export * from './udp.js';
