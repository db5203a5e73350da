// openCapture's macOS/FreeBSD backend: /dev/bpfN reads split into frames. UNTESTED on a real macOS or
// FreeBSD kernel; the loop runs in unit tests on Linux against a fixture device.
import type { Program } from '../../core/encode.js';
import { nanoseconds } from '../../pcap/record.js';
import { type CaptureBatch, createBatch } from '../capture-batch.js';
import { framesOf } from '../capture-frames.js';
import type { Capture, CapturedFrame, CaptureOptions, FilterResolver } from '../capture-types.js';
import { CaptureError } from '../resolve-filter.js';
import { BpfDevice } from './device.js';
import { type BpfFlavor, bpfBatch, parseBpfBuffer } from './records.js';

/** What the capture needs from a /dev/bpf device: BpfDevice, or a fixture in tests. */
export interface BpfSource {
  readonly fd: number;
  readonly bufferSize: number;
  readonly flavor: BpfFlavor;
  readonly linktype: number;
  /** One read of up to bufferSize bytes; 0 when the read timeout passed with nothing. */
  read(buf: Uint8Array): Promise<number>;
  setFilter(program: Program): void;
  /** Cumulative since open (struct bpf_stat). */
  stats(): { received: number; dropped: number };
  send(frame: Uint8Array): number;
  close(): void;
  readonly released: Promise<void>;
}

/** The frames of one read: copies cut to `snaplen`, stamped with the kernel's time. */
export function bpfFrames(
  buf: Uint8Array,
  length: number,
  flavor: BpfFlavor,
  iface: string,
  snaplen: number,
): CapturedFrame[] {
  return parseBpfBuffer(buf, length, flavor).map((r) => ({
    timestampNs: nanoseconds(r.sec, r.usec * 1000),
    data: r.data.slice(0, snaplen),
    wirelen: r.wirelen,
    interface: iface,
    direction: 0,
    ifindex: 0,
    protocol: 0,
  }));
}

/** openCapture on macOS/FreeBSD; `open` is replaced by a fixture device in tests. */
export async function openBpfCapture(
  options: CaptureOptions,
  resolve: FilterResolver,
  open: (o: CaptureOptions) => BpfSource = (o) =>
    new BpfDevice({
      interface: o.interface as string,
      bufferSize: o.bufferSize,
      promiscuous: o.promiscuous,
      immediate: o.immediate ?? true,
      timeoutMs: 40, // a read returns this often, so a stop is noticed within ~40 ms
    }),
): Promise<Capture> {
  const dev = open(options);
  try {
    const program = await resolve(options.filter, dev.linktype);
    if (program) dev.setFilter(program);
  } catch (e) {
    dev.close();
    throw e;
  }
  const snaplen = options.snaplen ?? 262_144;
  const iface = options.interface as string;
  let captured = 0;
  let closed = false;
  let last = { received: 0, dropped: 0 };
  const onAbort = () => capture.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // The kernel requires reads of exactly the buffer size; a batch views the buffer until the next read.
  async function* source(): AsyncGenerator<CaptureBatch> {
    const buf = new Uint8Array(dev.bufferSize);
    const batch = createBatch((dev.bufferSize >> 4) + 1, dev.linktype);
    while (!closed) {
      const n = await dev.read(buf);
      if (closed) return;
      if (n > 0) {
        bpfBatch(buf, n, dev.flavor, snaplen, batch);
        yield batch;
      }
    }
  }
  let iterating = false;
  const claim = () => {
    if (iterating)
      throw new CaptureError('ALREADY_ITERATING', 'a capture is read by one loop at a time');
    iterating = true;
  };

  const capture: Capture = {
    fd: dev.fd,
    linktype: dev.linktype,
    snaplen,
    filtering: 'kernel',
    stats() {
      if (!closed) last = dev.stats();
      return { ...last, captured };
    },
    async setFilter(filter) {
      const p = await resolve(filter, dev.linktype);
      // BIOCSETF with an accept-all program: /dev/bpf has no detach.
      dev.setFilter(p ?? [{ code: 0x06, jt: 0, jf: 0, k: 0xffffffff }]);
    },
    send: (frame) => dev.send(frame),
    get released() {
      return dev.released;
    },
    close() {
      if (closed) return;
      capture.stats();
      closed = true;
      options.signal?.removeEventListener('abort', onAbort);
      dev.close();
    },
    async *batches() {
      claim();
      try {
        for await (const b of source()) {
          captured += b.n;
          yield b;
        }
      } finally {
        capture.close();
      }
    },
    async *[Symbol.asyncIterator]() {
      claim();
      try {
        for await (const b of source())
          for (const f of framesOf(b, () => iface)) {
            if (closed) return;
            captured++;
            yield f;
          }
      } finally {
        capture.close();
      }
    },
  };
  if (options.signal?.aborted) capture.close();
  return capture;
}
