// A TPACKET_V3 receive ring mapped into this thread and read in place: the kernel fills blocks, the
// caller walks a retired block where it lies and hands it back. No copy, no thread of our own: waiting
// for the next block is a poll() on koffi's worker pool, so the event loop never blocks. Like tcpdump,
// the ring itself is the buffer: a consumer that stalls longer than the ring lasts makes the kernel
// drop (and count) frames.
import koffi from 'koffi';
import * as libc from '../ffi/libc.js';
import type { PacketSocket } from './packet-socket.js';
import {
  BLOCK,
  encodeTpacketReq3,
  PACKET_RESERVE,
  PACKET_RX_RING,
  PACKET_VERSION,
  RING_RESERVE,
  SOL_PACKET,
  TP_STATUS_USER,
  TPACKET_V3,
  type TpacketReq3,
} from './tpacket-v3.js';

const PROT_READ_WRITE = 3;
const MAP_SHARED = 1;

// Views of a ring outlive it when a caller keeps a batch's buffer: the ring is then replaced by zeroed
// memory (no fault on a late read) that is unmapped once the last view is garbage.
const afterViews = new FinalizationRegistry<{ ptr: unknown; size: number }>(({ ptr, size }) => {
  try {
    libc.munmap(ptr, size);
  } catch {}
});

/** The mapped ring of one packet socket. */
export class RingReader {
  readonly geometry: TpacketReq3;
  /** The whole ring, and the same memory as words (block and frame headers are 4-byte aligned). */
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  /** The ring's address in this process, for system calls that take spans of it (writev). */
  readonly address: bigint;
  readonly #ptr: unknown;
  readonly #size: number;
  #cur = 0;
  #unmapped = false;

  private constructor(geometry: TpacketReq3, ptr: unknown) {
    this.geometry = geometry;
    this.#ptr = ptr;
    this.#size = geometry.blockSize * geometry.blockNr;
    this.bytes = new Uint8Array(koffi.view(ptr as never, this.#size));
    this.address = koffi.address(ptr as never);
    this.words = new Int32Array(this.bytes.buffer, this.bytes.byteOffset, this.#size >> 2);
  }

  /** Switches `sock` (not yet bound to a protocol) to TPACKET_V3 with this geometry and maps the ring. */
  static open(sock: PacketSocket, geometry: TpacketReq3): RingReader {
    const v = new Uint8Array(4);
    new DataView(v.buffer).setInt32(0, TPACKET_V3, true);
    libc.setsockopt(sock.fd, SOL_PACKET, PACKET_VERSION, v, 'setsockopt(PACKET_VERSION)');
    const reserve = new Uint8Array(4);
    new DataView(reserve.buffer).setUint32(0, RING_RESERVE, true);
    libc.setsockopt(sock.fd, SOL_PACKET, PACKET_RESERVE, reserve, 'setsockopt(PACKET_RESERVE)');
    libc.setsockopt(
      sock.fd,
      SOL_PACKET,
      PACKET_RX_RING,
      encodeTpacketReq3(geometry),
      'setsockopt(PACKET_RX_RING)',
      () => `${geometry.blockNr} blocks of ${geometry.blockSize} bytes`,
    );
    const ptr = libc.mmap(
      geometry.blockSize * geometry.blockNr,
      PROT_READ_WRITE,
      MAP_SHARED,
      sock.fd,
    );
    return new RingReader(geometry, ptr);
  }

  /** Byte offset of the block the kernel has handed over next, or -1 while it still fills it. */
  ready(): number {
    if (this.#unmapped) return -1;
    const at = this.#cur * this.geometry.blockSize;
    // Atomics.load orders the reads of the block after its status (the kernel's smp_wmb pairs with it).
    return Atomics.load(this.words, (at + BLOCK.blockStatus) >> 2) & TP_STATUS_USER ? at : -1;
  }

  /** Gives the current block back to the kernel and moves to the next. */
  release(): void {
    if (this.#unmapped) return;
    const at = this.#cur * this.geometry.blockSize;
    Atomics.store(this.words, (at + BLOCK.blockStatus) >> 2, 0);
    this.#cur = this.#cur + 1 === this.geometry.blockNr ? 0 : this.#cur + 1;
  }

  /**
   * Releases the ring: its memory goes back to the kernel with the socket, and views of it read zeros
   * from then on (their memory is unmapped once they are garbage). Idempotent.
   */
  unmap(): void {
    if (this.#unmapped) return;
    this.#unmapped = true;
    libc.mmapAnonymousAt(this.#ptr, this.#size);
    afterViews.register(this.bytes.buffer, { ptr: this.#ptr, size: this.#size });
  }
}
