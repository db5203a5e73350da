// openCapture's Linux backend: an AF_PACKET socket read through a TPACKET_V3 ring (default) or recv().
import { captureIterations } from '../capture-iteration.js';
import type { Capture, CapturedFrame, CaptureOptions, FilterResolver } from '../capture-types.js';
import * as libc from '../ffi/libc.js';
import { PacketSocket, type PacketStats } from './packet-socket.js';
import { RingReader } from './ring-reader.js';
import { parseBlock, type RingFrame, ringGeometry } from './tpacket-v3.js';

const immediate = () => new Promise((r) => setImmediate(r));
const POLL_MS = 40; // bounds how long a stop waits for the recv path's poll() on the worker pool
const DEFAULT_RING_BYTES = 2 << 20; // libpcap's default buffer

/** openCapture on Linux: `ring` picks the TPACKET_V3 ring (default) over recv(). */
export async function openPacketCapture(
  options: CaptureOptions,
  resolve: FilterResolver,
  ring: boolean,
): Promise<Capture> {
  const program = await resolve(options.filter);
  const sock = new PacketSocket({
    interface: options.interface,
    promiscuous: options.promiscuous,
    bufferSize: ring ? undefined : options.bufferSize,
  });
  try {
    // Before the ring exists, so the drain sequence leaves no unfiltered frame behind.
    if (program) sock.setFilter(program);
  } catch (e) {
    sock.close();
    throw e;
  }
  const snaplen = options.snaplen ?? 262_144;
  const reader = ring
    ? await RingReader.open(
        sock,
        ringGeometry(snaplen, options.bufferSize ?? DEFAULT_RING_BYTES, libc.pageSize()),
      )
    : undefined;
  const totals: PacketStats = { received: 0, dropped: 0 };
  let captured = 0;
  let closed = false;
  const pull = () => {
    if (closed) return;
    const s = sock.stats();
    totals.received += s.received;
    totals.dropped += s.dropped;
  };
  const onAbort = () => capture.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const RECV_BATCH = 256; // frames read before yielding to the event loop on the recv path

  async function* source(): AsyncGenerator<CapturedFrame[]> {
    if (reader) {
      for (;;) {
        const block = await reader.next();
        if (!block || closed) return;
        const frames: RingFrame[] = [];
        parseBlock(block, options.interface, snaplen, frames);
        yield frames;
        // Queued blocks resolve at once; without a turn of the event loop per block a flood would be
        // consumed on microtasks inside one MessagePort drain and starve timers and I/O.
        await immediate();
      }
    }
    const buf = new Uint8Array(Math.max(snaplen, 64));
    while (!closed) {
      const frames: CapturedFrame[] = [];
      for (let n = sock.tryRecv(buf); n >= 0; n = sock.tryRecv(buf)) {
        frames.push({
          timestamp: Date.now(),
          data: buf.slice(0, Math.min(n, snaplen)),
          wireLength: n,
          interface: options.interface,
        });
        if (frames.length === RECV_BATCH) break;
      }
      if (frames.length === 0) await sock.waitReadable(POLL_MS);
      else {
        yield frames;
        // Under a flood recv never says EAGAIN; without this the loop would run on microtasks alone
        // and starve timers and I/O for as long as the flood lasts.
        if (frames.length === RECV_BATCH) await immediate();
      }
    }
  }
  const iterations = captureIterations(
    source,
    (n) => {
      captured += n;
    },
    () => closed,
    () => capture.close(),
  );

  const capture: Capture = {
    fd: sock.fd,
    stats() {
      pull();
      return { ...totals, captured };
    },
    async setFilter(filter) {
      const p = await resolve(filter);
      if (p) sock.setFilter(p);
      else sock.detachFilter();
    },
    send: (frame) => sock.send(frame),
    get released() {
      return reader ? reader.released : sock.released;
    },
    close() {
      if (closed) return;
      pull();
      closed = true;
      options.signal?.removeEventListener('abort', onAbort);
      if (reader) reader.stop();
      else sock.close();
    },
    batches: () => iterations.batches(),
    [Symbol.asyncIterator]: () => iterations.frames(),
  };
  if (options.signal?.aborted) capture.close();
  return capture;
}
