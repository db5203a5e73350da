// A batch's frames as objects, for the per-frame iterators of every backend (the batches stay the
// fast path; this is the convenient one).
import { nanoseconds } from '../pcap/record.js';
import type { CaptureBatch } from './capture-batch.js';
import type { CapturedFrame } from './capture-types.js';
import type { PacketDirection } from './linux/link-types.js';

/** The frames of a batch as objects (copies); `name` gives the interface of an index. */
export function* framesOf(
  b: CaptureBatch,
  name: (ifindex: number) => string,
): Generator<CapturedFrame> {
  for (let i = 0; i < b.n; i++) {
    const at = b.data[i] as number;
    yield {
      timestampNs: nanoseconds(b.sec[i] as number, b.nsec[i] as number),
      data: b.buffer.slice(at, at + (b.caplen[i] as number)),
      wirelen: b.wirelen[i] as number,
      interface: name(b.ifindex[i] as number),
      direction: b.direction[i] as PacketDirection,
      ifindex: b.ifindex[i] as number,
      protocol: b.protocol[i] as number,
      vlan: b.vlan[i] ? { tci: b.vlanTci[i] as number, tpid: b.vlanTpid[i] as number } : undefined,
    };
  }
}
