// cbpf's Node public API: everything pure plus sockets, files and the apps.

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
export * from './index.js';
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
  PacketSocket,
  type PacketSocketOptions,
  type PacketStats,
} from './node/linux/packet-socket.js';
export * from './node/netns.js';
