// `cbpf/node`: what needs Node: live capture (AF_PACKET and its TPACKET_V3 ring, /dev/bpf), sockets and
// their filters, capture files on disk, network namespaces, and the apps (arp-scan, dhcp-watch,
// discover, send). The pure subsystems have their own entries (cbpf, cbpf/pcap ...).

export {
  type ArpChange,
  type ArpCodec,
  type ArpHost,
  type ArpScanOptions,
  arpScan,
  arpWatch,
  diffScans,
  ethernetArpCodec,
  formatSubnet,
  type LiveScanOptions,
  macVendor,
  parseSubnet,
  type ScanLink,
  type Subnet,
  scanFilter,
  scanInterface,
  watchInterface,
} from './apps/arp-scan/index.js';
export * from './apps/dhcp-watch/index.js';
export * from './apps/discover/index.js';
export * from './apps/send/index.js';
export { type BpfFlavor, type BpfRecord, parseBpfBuffer } from './node/bsd/records.js';
export * from './node/capture.js';
export { SysError } from './node/ffi/libc.js';
export * from './node/files.js';
export { attachFilter, detachFilter, lockFilter } from './node/linux/filter.js';
export {
  attachToDgram,
  dgramDescriptor,
  type InetDatagram,
  InetSocket,
} from './node/linux/inet-socket.js';
export {
  describeInterface,
  type InterfaceInfo,
  interfaceInfo,
  type LinkState,
  listInterfaces,
} from './node/linux/interfaces.js';
export { linktypeLabel, NOT_PRINTED } from './node/linux/link-types.js';
export {
  PacketSocket,
  type PacketSocketOptions,
  type PacketStats,
} from './node/linux/packet-socket.js';
export { RingSpanWriter } from './node/linux/ring-spans.js';
export * from './node/netns.js';
