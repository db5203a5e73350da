// The live-capture types, apart from openCapture and its backends so that the backends and the
// front share them without importing each other.
import type { Program } from '../core/encode.js';
import type { Insn, RawInsn } from '../core/insn.js';
import type { CaptureBatch } from './capture-batch.js';
import type { PacketDirection } from './linux/link-types.js';

export interface CaptureOptions {
  /** An interface name; on Linux `any` (the default) captures on every interface, cooked. */
  interface?: string;
  /**
   * A pcap-filter expression (needs the compiler), a program, or program text in a core format. An
   * expression is compiled for the capture's link type and gives the verdict it gives on the frame as
   * captured (on Linux also for a VLAN tag the kernel moved to metadata); a program runs as given, on
   * what the kernel sees (Linux: no tag the kernel stripped, no cooked header; /dev/bpf: the frame).
   */
  filter?: string | readonly (Insn | RawInsn)[];
  promiscuous?: boolean;
  /** Bytes kept per packet (default 262144); the ring also stops at its block (~128 KiB a frame). */
  snaplen?: number;
  /** Kernel buffer in bytes: the ring's size, else SO_RCVBUFFORCE (default: the ring 8 MiB). */
  bufferSize?: number;
  /**
   * Linux: read through a PACKET_MMAP TPACKET_V3 ring in place (default true): kernel timestamps,
   * original lengths, VLAN tags, no syscall or copy per frame. false: one recv() per frame.
   */
  ring?: boolean;
  /**
   * Linux: 'raw' (SOCK_RAW) frames keep their link header; 'cooked' (SOCK_DGRAM) frames start at the
   * network header, their link type and addresses in metadata (seed 001's socket). Default: what
   * libpcap picks for the interface (cooked for `any`, PPP and unknown device types).
   */
  link?: 'raw' | 'cooked';
  /** Linux: the protocols the socket receives (ETH_P_ALL by default); a number is an EtherType. */
  protocol?: 'all' | 'ip' | 'ipv6' | 'arp' | number;
  /**
   * The captured frames' link type, as tcpdump's -y (a name or LINKTYPE_* number): one the interface
   * offers. Linux cooked captures take LINUX_SLL2 (the default), LINUX_SLL, or RAW when the protocol
   * is IPv4 or IPv6 (then the default: the bytes the kernel gives, seed 001's socket).
   */
  linktype?: number | string;
  /** Which frames to keep by direction (tcpdump -Q); default both. */
  direction?: 'in' | 'out' | 'inout';
  /**
   * /dev/bpf: BIOCIMMEDIATE (default true). Linux ignores it: recv delivers at once, the ring hands
   * frames over when a block fills or 8 ms after its first frame.
   */
  immediate?: boolean;
  signal?: AbortSignal;
}

export interface CapturedFrame {
  /**
   * Nanoseconds since the epoch, as PcapRecord's: the kernel's receive time (ring, /dev/bpf), or the
   * wall clock when the frame was read (`ring: false`).
   */
  readonly timestampNs: bigint;
  /** The captured bytes (a copy), at most `snaplen` and the filter's `ret` value. */
  readonly data: Uint8Array;
  /**
   * The frame's length on the wire (ring, /dev/bpf); with `ring: false` the length the kernel queued,
   * i.e. after a filter's `ret` truncation.
   */
  readonly wirelen: number;
  /** The interface it was captured on (on `any`, the frame's own). */
  readonly interface: string;
  /** Linux: PACKET_HOST, PACKET_BROADCAST, PACKET_MULTICAST, PACKET_OTHERHOST or PACKET_OUTGOING. */
  readonly direction: PacketDirection;
  /** Linux: the interface index (0 where the platform does not say). */
  readonly ifindex: number;
  /** Linux: the EtherType the kernel reports (0 where the platform does not say). */
  readonly protocol: number;
  /** Linux: the 802.1Q/802.1ad tag the kernel had moved to metadata (already back in `data`). */
  readonly vlan?: { readonly tci: number; readonly tpid: number };
}

export interface CaptureStats {
  /** Packets accepted by the filter (cumulative), as tcpdump's "received by filter". */
  received: number;
  /** Accepted packets the kernel dropped for lack of buffer (cumulative). */
  dropped: number;
  /** Packets handed to the application. */
  captured: number;
}

/** Iterate it for frames, or use batches() at high rates (no object per frame). */
export interface Capture extends AsyncIterable<CapturedFrame> {
  /**
   * The same frames in the batches the backend reads them (a ring block, a /dev/bpf read): one
   * reused CaptureBatch, valid until you ask for the next. The fastest way to read a flood.
   */
  batches(): AsyncIterable<CaptureBatch>;
  readonly fd: number;
  /** LINKTYPE_* of the captured frames. */
  readonly linktype: number;
  readonly snaplen: number;
  /** Where the filter runs: in the kernel, or (libpcap's fallback for loads the kernel cannot make) here. */
  readonly filtering: 'kernel' | 'user' | 'none';
  stats(): CaptureStats;
  setFilter(filter: CaptureOptions['filter']): Promise<void>;
  send(frame: Uint8Array): number;
  close(): void;
  /** Resolves when the socket's descriptor has been released (after close()). */
  readonly released: Promise<void>;
}

/** Compiles a `filter` option; `linktype` is the device's when the options give none. */
export type FilterResolver = (
  filter: CaptureOptions['filter'],
  linktype?: number,
) => Promise<Program | undefined>;

/** Where frames come from: AF_PACKET's ring or recv(), or /dev/bpf. */
export type CaptureBackend = 'packet-ring' | 'packet-recv' | 'bpf';
