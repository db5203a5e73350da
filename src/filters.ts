// `cbpf/filters`: ready-made filters for common jobs (ARP replies, DHCP, DNS, HTTP ...), MAC sets as
// search trees, and labelled jumps for writing programs by hand. Pure.
export * from './filters/index.js';
