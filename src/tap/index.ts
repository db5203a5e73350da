// A userspace tap (FreeBSD bpf(9) in user space): one source of frames, many listeners, each with its
// own filter, snap length, bounded buffer and drop counter. Pure: no node:* imports.
import type { AncillaryData } from '../core/ancillary.js';
import type { Program } from '../core/encode.js';
import { compileFilter } from '../core/select.js';
import { run } from '../core/vm.js';

export interface TapFrame {
  /** Nanoseconds since the epoch, as PcapRecord's and a live capture's. */
  readonly timestampNs: bigint;
  readonly data: Uint8Array;
  readonly wirelen: number;
  /**
   * The frame's Linux metadata, as a packet socket's filter sees it (direction, interface index,
   * protocol, a VLAN tag the kernel moved out of `data`: vlanTci/vlanPresent/vlanTpid). Given, the
   * listeners' programs run as the kernel runs them: the interpreter, linux profile, this metadata
   * (so a program compiled with compile's linuxSocket gives a socket's verdict here too).
   */
  readonly ancillary?: Partial<AncillaryData>;
}

/** A compiled filter: bytes kept (0 = reject). */
export type TapFilterFn = (packet: Uint8Array, wirelen: number) => number;

export interface ListenerOptions {
  /** A program (compiled with the JIT for the linux profile; invalid ones throw here) or a ready filter function. */
  filter?: Program | TapFilterFn;
  snaplen?: number;
  /** Frames held before new ones are dropped (default 1024). */
  bufferFrames?: number;
}

export interface ListenerStats {
  /** Frames the tap offered this listener. */
  seen: number;
  /** Frames its filter accepted. */
  accepted: number;
  /** Accepted frames lost because the buffer was full. */
  dropped: number;
}

export class TapListener implements AsyncIterable<TapFrame> {
  readonly #filter?: TapFilterFn;
  /** The program behind #filter, for frames with metadata (run by the interpreter with it). */
  readonly #program?: Program;
  readonly #snaplen: number;
  readonly #max: number;
  readonly #queue: TapFrame[] = [];
  #wake?: () => void;
  #closed = false;
  readonly #stats: ListenerStats = { seen: 0, accepted: 0, dropped: 0 };
  readonly #detach: () => void;

  constructor(options: ListenerOptions, detach: () => void) {
    const f = options.filter;
    if (f !== undefined && typeof f !== 'function') this.#program = f;
    this.#filter =
      f === undefined
        ? undefined
        : typeof f === 'function'
          ? f
          : compileFilter(f, { profile: 'linux' }); // the JIT, or the interpreter under a CSP
    this.#snaplen = options.snaplen ?? 262_144;
    this.#max = options.bufferFrames ?? 1024;
    this.#detach = detach;
  }

  /** Called by the tap: filters, truncates and queues (or drops) one frame. */
  offer(frame: TapFrame): void {
    if (this.#closed) return;
    this.#stats.seen++;
    const p = this.#program;
    const keep =
      p && frame.ancillary
        ? run(p, frame.data, {
            profile: 'linux',
            wirelen: frame.wirelen,
            ancillary: frame.ancillary,
          })
        : this.#filter
          ? this.#filter(frame.data, frame.wirelen)
          : 0xffffffff;
    if (keep === 0) return;
    this.#stats.accepted++;
    if (this.#queue.length >= this.#max) {
      this.#stats.dropped++;
      return;
    }
    const n = Math.min(keep, this.#snaplen, frame.data.length);
    this.#queue.push({
      timestampNs: frame.timestampNs,
      data: frame.data.slice(0, n),
      wirelen: frame.wirelen,
      ancillary: frame.ancillary,
    });
    this.#wake?.();
  }

  stats(): ListenerStats {
    return { ...this.#stats };
  }

  /** Takes what is queued now without waiting. */
  drain(): TapFrame[] {
    return this.#queue.splice(0);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#detach();
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TapFrame> {
    try {
      for (;;) {
        const f = this.#queue.shift();
        if (f) {
          yield f;
          continue;
        }
        if (this.#closed) return;
        await new Promise<void>((r) => (this.#wake = r));
        this.#wake = undefined;
      }
    } finally {
      this.close();
    }
  }
}

/** The fan-out point: push frames in (from a capture, a pcap replay, a TUN device), listeners get their share. */
export class Tap {
  readonly #listeners = new Set<TapListener>();

  listen(options: ListenerOptions = {}): TapListener {
    const l: TapListener = new TapListener(options, () => this.#listeners.delete(l));
    this.#listeners.add(l);
    return l;
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  push(frame: TapFrame): void {
    for (const l of this.#listeners) l.offer(frame);
  }

  /** Feeds every frame of an (async) iterable source, then closes the listeners. */
  async pump(source: AsyncIterable<TapFrame> | Iterable<TapFrame>): Promise<void> {
    for await (const f of source) this.push(f);
    this.close();
  }

  close(): void {
    for (const l of [...this.#listeners]) l.close();
  }
}
