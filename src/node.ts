// cbpf's Node public API: everything pure plus sockets, files and the apps.
export * from './index.js';
export * from './node/files.js';
export * from './node/capture.js';
export { SysError } from './node/ffi/libc.js';
export { PacketSocket, type PacketSocketOptions, type PacketStats } from './node/linux/packet-socket.js';
export { attachFilter, detachFilter, lockFilter } from './node/linux/filter.js';
export { InetSocket, attachToDgram, dgramDescriptor, type InetDatagram } from './node/linux/inet-socket.js';
export { parseBpfBuffer, type BpfFlavor, type BpfRecord } from './node/bsd/records.js';
export * from './node/netns.js';
export {
  arpScan,
  arpWatch,
  diffScans,
  scanFilter,
  scanInterface,
  watchInterface,
  macVendor,
  ethernetArpCodec,
  parseSubnet,
  formatSubnet,
  type ArpChange,
  type ArpCodec,
  type ArpHost,
  type ArpScanOptions,
  type LiveScanOptions,
  type ScanLink,
  type Subnet,
} from './apps/arp-scan/index.js';
export * from './apps/dhcp-watch/index.js';
