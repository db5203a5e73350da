// The live-capture types, apart from openCapture and its backends so that the backends and the
// front share them without importing each other.
import type { Program } from '../core/encode.js';
import type { Insn, RawInsn } from '../core/insn.js';

export interface CaptureOptions {
  interface: string;
  /** A pcap-filter expression (needs the compiler), a program, or program text in a core format. */
  filter?: string | readonly (Insn | RawInsn)[];
  promiscuous?: boolean;
  /** Bytes kept per packet (default 262144); the ring also stops at its block (~128 KiB a frame). */
  snaplen?: number;
  /** Kernel buffer in bytes: the ring's size, else SO_RCVBUFFORCE (default: the ring 2 MiB, as libpcap). */
  bufferSize?: number;
  /**
   * Linux: read through a PACKET_MMAP TPACKET_V3 ring drained by a worker thread (default true): kernel
   * timestamps, original lengths, no syscall per frame. false: one recv() per frame on the main thread.
   */
  ring?: boolean;
  /**
   * /dev/bpf: BIOCIMMEDIATE (default true). Linux ignores it: recv delivers at once, the ring hands
   * frames over when a block fills or 8 ms after its first frame.
   */
  immediate?: boolean;
  signal?: AbortSignal;
  /** Link type for compiling expressions; default the device's (/dev/bpf BIOCGDLT), else DLT_EN10MB (1). */
  linktype?: number;
}

export interface CapturedFrame {
  /**
   * Milliseconds since the epoch, with a fraction: the kernel's receive time (ring, /dev/bpf), or the
   * wall clock when the frame was read (`ring: false`).
   */
  readonly timestamp: number;
  /**
   * The captured bytes, at most `snaplen` and the filter's `ret` value; never overwritten later. On
   * the ring it is a view into its block's copy (cheaper than a copy per frame): keeping a frame
   * keeps that block (<= 128 KiB) alive, so slice() frames you hold on to for long.
   */
  readonly data: Uint8Array;
  /**
   * The frame's length on the wire (ring, /dev/bpf); with `ring: false` the length the kernel queued,
   * i.e. after a filter's `ret` truncation.
   */
  readonly wireLength: number;
  readonly interface: string;
}

export interface CaptureStats {
  /** Packets accepted by the filter (cumulative). */
  received: number;
  /** Accepted packets the kernel dropped for lack of buffer (cumulative). */
  dropped: number;
  /** Packets handed to the application. */
  captured: number;
}

/** Iterate it for frames, or use batches() at high rates (one await per ring block or read). */
export interface Capture extends AsyncIterable<CapturedFrame> {
  /** The same frames in the batches the backend reads them (ring block, /dev/bpf read, recv run). */
  batches(): AsyncIterable<readonly CapturedFrame[]>;
  readonly fd: number;
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
