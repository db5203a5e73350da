// The zero-copy batch a capture hands over: one buffer and per-frame arrays (the shape the JIT's and the
// WebAssembly engine's count() and the offline scanner take), reused from batch to batch, so reading a
// flood creates no object per frame.

/**
 * Frames of one kernel hand-over (a TPACKET_V3 ring block, a /dev/bpf read), described by parallel
 * arrays over `buffer`. The object and its arrays are reused: everything in it, `buffer`'s bytes
 * included, is valid only until the next batch is asked for (the ring block then goes back to the
 * kernel). Copy what you keep.
 */
export interface CaptureBatch {
  /** Frames in this batch; entries at `n` and beyond are stale. */
  n: number;
  /** The memory the frames lie in (on Linux the ring itself, mapped from the kernel). */
  buffer: Uint8Array;
  /** LINKTYPE_* of every frame (EN10MB, RAW, LINUX_SLL2 ...). */
  linktype: number;
  /**
   * Where `buffer` lies in this process's memory when it is the ring mapped from the kernel (Linux),
   * for handing spans of it to system calls (writev); then at least `headroom` bytes before each
   * frame's first byte are free to write (a record header).
   */
  address?: bigint;
  headroom: number;
  /** Index in `buffer` of each frame's first byte. */
  readonly data: Int32Array;
  /** Bytes captured: at most the snap length, the filter's `ret` and the ring block. */
  readonly caplen: Int32Array;
  /** Length on the wire (with a put-back VLAN tag or a cooked header counted, as libpcap counts them). */
  readonly wirelen: Uint32Array;
  /** The kernel's receive time: seconds and nanoseconds since the epoch. */
  readonly sec: Uint32Array;
  readonly nsec: Uint32Array;
  /** PACKET_HOST, _BROADCAST, _MULTICAST, _OTHERHOST or _OUTGOING (0 where the platform does not say). */
  readonly direction: Uint8Array;
  /** Interface index the frame came in on or went out of (0 where the platform does not say). */
  readonly ifindex: Int32Array;
  /** The link-layer protocol (EtherType) the kernel reports, host order (0 where it does not). */
  readonly protocol: Uint16Array;
  /** 1 where the kernel had taken an 802.1Q/802.1ad tag out into metadata (now back in the bytes). */
  readonly vlan: Uint8Array;
  /** That tag's TCI (priority, DEI, VLAN id) and TPID, where `vlan` is 1. */
  readonly vlanTci: Uint16Array;
  readonly vlanTpid: Uint16Array;
}

/** An empty batch with room for `capacity` frames. */
export function createBatch(capacity: number, linktype = 1): CaptureBatch {
  return {
    n: 0,
    buffer: new Uint8Array(0),
    linktype,
    headroom: 0,
    data: new Int32Array(capacity),
    caplen: new Int32Array(capacity),
    wirelen: new Uint32Array(capacity),
    sec: new Uint32Array(capacity),
    nsec: new Uint32Array(capacity),
    direction: new Uint8Array(capacity),
    ifindex: new Int32Array(capacity),
    protocol: new Uint16Array(capacity),
    vlan: new Uint8Array(capacity),
    vlanTci: new Uint16Array(capacity),
    vlanTpid: new Uint16Array(capacity),
  };
}

/** Keeps only the frames at `picked[0..k)` (ascending indices), moving them to the front. */
export function compactBatch(b: CaptureBatch, picked: Int32Array, k: number): void {
  for (let j = 0; j < k; j++) {
    const i = picked[j] as number;
    if (i === j) continue;
    b.data[j] = b.data[i] as number;
    b.caplen[j] = b.caplen[i] as number;
    b.wirelen[j] = b.wirelen[i] as number;
    b.sec[j] = b.sec[i] as number;
    b.nsec[j] = b.nsec[i] as number;
    b.direction[j] = b.direction[i] as number;
    b.ifindex[j] = b.ifindex[i] as number;
    b.protocol[j] = b.protocol[i] as number;
    b.vlan[j] = b.vlan[i] as number;
    b.vlanTci[j] = b.vlanTci[i] as number;
    b.vlanTpid[j] = b.vlanTpid[i] as number;
  }
  b.n = k;
}
