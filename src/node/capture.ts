// openCapture: one live-capture API over the Linux AF_PACKET backend (BSD /dev/bpf: src/node/bsd/).
import type { Insn, RawInsn } from '../core/insn.js';
import { PacketSocket, type PacketStats } from './linux/packet-socket.js';
import { resolveFilter } from './resolve-filter.js';

export interface CaptureOptions {
  interface: string;
  /** A pcap-filter expression (needs the compiler), a program, or program text in a core format. */
  filter?: string | readonly (Insn | RawInsn)[];
  promiscuous?: boolean;
  /** Bytes kept per packet (default 262144). */
  snaplen?: number;
  /** Kernel receive buffer in bytes (SO_RCVBUFFORCE). */
  bufferSize?: number;
  /** Accepted for API parity with BSD; AF_PACKET always delivers immediately. */
  immediate?: boolean;
  signal?: AbortSignal;
  /** Link type for compiling expressions; default DLT_EN10MB (1). */
  linktype?: number;
}

export interface CapturedFrame {
  /** Milliseconds since the epoch (wall clock when the packet was read). */
  readonly timestamp: number;
  readonly data: Uint8Array;
  /** Length of the packet as queued by the kernel (after a filter's `ret` truncation). */
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

export interface Capture extends AsyncIterable<CapturedFrame> {
  readonly fd: number;
  stats(): CaptureStats;
  setFilter(filter: CaptureOptions['filter']): Promise<void>;
  send(frame: Uint8Array): number;
  close(): void;
  /** Resolves when the socket's descriptor has been released (after close()). */
  readonly released: Promise<void>;
}

export { CaptureError, resolveFilter } from './resolve-filter.js';

const POLL_MS = 40; // bounds how long a stop waits for the worker's poll()

export async function openCapture(options: CaptureOptions): Promise<Capture> {
  const program = await resolveFilter(options.filter, options.linktype);
  const sock = new PacketSocket({
    interface: options.interface,
    promiscuous: options.promiscuous,
    bufferSize: options.bufferSize,
  });
  try {
    if (program) sock.setFilter(program);
  } catch (e) {
    sock.close();
    throw e;
  }
  const snaplen = options.snaplen ?? 262_144;
  const totals: PacketStats = { received: 0, dropped: 0 };
  let captured = 0;
  const pull = () => {
    if (sock.closed) return;
    const s = sock.stats();
    totals.received += s.received;
    totals.dropped += s.dropped;
  };
  const onAbort = () => capture.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const capture: Capture = {
    fd: sock.fd,
    stats() {
      pull();
      return { ...totals, captured };
    },
    async setFilter(filter) {
      const p = await resolveFilter(filter, options.linktype);
      if (p) sock.setFilter(p);
      else sock.detachFilter();
    },
    send: (frame) => sock.send(frame),
    get released() {
      return sock.released;
    },
    close() {
      if (sock.closed) return;
      pull();
      options.signal?.removeEventListener('abort', onAbort);
      sock.close();
    },
    async *[Symbol.asyncIterator]() {
      const buf = new Uint8Array(Math.max(snaplen, 64));
      try {
        while (!sock.closed && !options.signal?.aborted) {
          const n = sock.tryRecv(buf);
          if (n < 0) {
            await sock.waitReadable(POLL_MS);
            continue;
          }
          captured++;
          yield {
            timestamp: Date.now(),
            data: buf.slice(0, Math.min(n, snaplen)),
            wireLength: n,
            interface: options.interface,
          };
        }
      } finally {
        capture.close();
      }
    },
  };
  if (options.signal?.aborted) capture.close();
  return capture;
}
