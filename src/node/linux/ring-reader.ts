// A TPACKET_V3 receive ring on a packet socket, drained by the ring thread (ring-thread.ts) which
// hands retired blocks (copies) over, so a flood never costs the event loop one syscall per frame.
import * as libc from '../ffi/libc.js';
import { SysError } from '../ffi/libc.js';
import type { PacketSocket } from './packet-socket.js';
import { RingThread } from './ring-thread.js';
import {
  encodeTpacketReq3,
  PACKET_RX_RING,
  PACKET_VERSION,
  RingError,
  SOL_PACKET,
  TPACKET_V3,
  type TpacketReq3,
} from './tpacket-v3.js';

const SOL_SOCKET = 1;
const SO_ERROR = 4;

/** Retired blocks of one ring, in order; `next()` resolves to undefined once stopped. */
export class RingReader {
  readonly geometry: TpacketReq3;
  readonly #sock: PacketSocket;
  readonly #thread: RingThread;
  readonly #inFlight: Int32Array;
  readonly #queue: Uint8Array[] = [];
  #id = 0;
  #waiter: ((b: Uint8Array | undefined) => void) | undefined;
  #error: Error | undefined;
  #stopped = false;
  #released: Promise<void> | undefined;

  private constructor(sock: PacketSocket, geometry: TpacketReq3) {
    this.#sock = sock;
    this.geometry = geometry;
    this.#thread = RingThread.get();
    this.#inFlight = new Int32Array(new SharedArrayBuffer(4));
  }

  /**
   * Turns `sock` (bound, filter attached) into a TPACKET_V3 ring socket and has the ring thread map
   * and drain it; resolves once mapped. On failure the socket is closed.
   */
  static async open(sock: PacketSocket, geometry: TpacketReq3): Promise<RingReader> {
    let reader: RingReader;
    try {
      const v = new Uint8Array(4);
      new DataView(v.buffer).setInt32(0, TPACKET_V3, true);
      libc.setsockopt(sock.fd, SOL_PACKET, PACKET_VERSION, v, 'setsockopt(PACKET_VERSION)');
      libc.setsockopt(
        sock.fd,
        SOL_PACKET,
        PACKET_RX_RING,
        encodeTpacketReq3(geometry),
        'setsockopt(PACKET_RX_RING)',
        () => `${geometry.blockNr} blocks of ${geometry.blockSize} bytes`,
      );
      reader = new RingReader(sock, geometry);
      const { id, ready } = reader.#thread.add(
        sock.fd,
        geometry,
        // Copies waiting for the main thread: as much again as the ring holds, then the kernel drops.
        geometry.blockNr,
        reader.#inFlight.buffer as SharedArrayBuffer,
        { block: (b) => reader.#push(b), error: (s, e) => reader.#fail(s, e) },
      );
      reader.#id = id;
      await ready;
    } catch (e) {
      sock.close();
      throw e;
    }
    return reader;
  }

  #push(block: Uint8Array): void {
    if (this.#stopped) {
      this.#take();
      return;
    }
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      this.#take();
      w(block);
    } else this.#queue.push(block);
  }

  #fail(syscall: string, errno: number): void {
    if (errno !== 0) this.#error ??= new SysError(syscall, errno);
    else {
      const v = new Uint8Array(4);
      try {
        libc.getsockopt(this.#sock.fd, SOL_SOCKET, SO_ERROR, v, 'getsockopt(SO_ERROR)');
      } catch {}
      const err = new DataView(v.buffer).getInt32(0, true);
      this.#error ??= err
        ? new SysError(syscall, err)
        : new RingError('RING_FAILED', `the ring reader thread reported a ${syscall} failure`);
    }
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.(undefined);
  }

  /** Tells the ring thread the main thread has taken one block off its queue. */
  #take(): void {
    // At the limit the thread stopped draining this ring and sleeps in poll(): it has room again.
    if (Atomics.sub(this.#inFlight, 0, 1) >= this.geometry.blockNr && !this.#stopped)
      this.#thread.wake();
  }

  /** The next retired block (a copy owned by the caller), or undefined once stopped. */
  next(): Promise<Uint8Array | undefined> {
    const b = this.#queue.shift();
    if (b) {
      this.#take();
      return Promise.resolve(b);
    }
    if (this.#error) return Promise.reject(this.#error);
    if (this.#stopped) return Promise.resolve(undefined);
    // Keep the process alive only while someone waits for frames, as a pending recv would.
    this.#thread.ref();
    return new Promise((resolve, reject) => {
      this.#waiter = (blk) => {
        this.#thread.unref();
        if (blk === undefined && this.#error) reject(this.#error);
        else resolve(blk);
      };
    });
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Has the thread unmap the ring, then closes the socket. Idempotent. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const _ of this.#queue) this.#take();
    this.#queue.length = 0;
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.(undefined);
    this.#released = this.#thread.remove(this.#id).then(() => {
      this.#sock.close();
      return this.#sock.released;
    });
  }

  /** Resolves once the ring is unmapped and the socket closed. */
  get released(): Promise<void> {
    return this.#released ?? new Promise((r) => setTimeout(r, 50)).then(() => this.released);
  }
}
