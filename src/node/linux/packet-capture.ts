// openCapture's Linux backend: an AF_PACKET socket read through a TPACKET_V3 ring in place (default)
// or recv(), opened as libpcap opens one: the link type from the device's ARPHRD type, a cooked socket
// for `any`, the filter attached before the socket is bound to its protocol (so no frame ever arrives
// unfiltered), VLAN tags and cooked headers put into the frames as libpcap puts them.

import { parseLinktype } from '../../compiler/names.js';
import type { CompiledFilter } from '../../core/filter.js';
import { compileFilter } from '../../core/select.js';
import { type CaptureBatch, compactBatch, createBatch } from '../capture-batch.js';
import { framesOf } from '../capture-frames.js';
import type { Capture, CaptureOptions } from '../capture-types.js';
import * as libc from '../ffi/libc.js';
import { CaptureError } from '../resolve-filter.js';
import { interfaceInfo } from './interfaces.js';
import { resolveLinuxFilter } from './kernel-filter.js';
import {
  ETH_P_ALL,
  ETH_P_ARP,
  ETH_P_IP,
  ETH_P_IPV6,
  LINKTYPE,
  linktypeLabel,
} from './link-types.js';
import { PacketSocket } from './packet-socket.js';
import { RingReader } from './ring-reader.js';
import { type BlockReading, RING_RESERVE, readBlock, ringGeometry } from './tpacket-v3.js';

const immediate = () => new Promise((r) => setImmediate(r));
/** Longest run of blocks read without letting timers and I/O in. */
const TURN_MS = 4;
/** How long one wait for the kernel lasts: bounds how late a stop or a vanished interface is noticed. */
const POLL_MS = 40;
/** Ring size without `bufferSize`: four times libpcap's 2 MiB, for a JavaScript consumer's pauses. */
export const DEFAULT_RING_BYTES = 8 << 20;
const ENETDOWN = 100;
const RECV_STAGING = 1 << 20;

/** The EtherType a `protocol` option stands for. */
export function protocolNumber(p: CaptureOptions['protocol']): number {
  switch (p) {
    case undefined:
    case 'all':
      return ETH_P_ALL;
    case 'ip':
      return ETH_P_IP;
    case 'ipv6':
      return ETH_P_IPV6;
    case 'arp':
      return ETH_P_ARP;
    default:
      if (!Number.isInteger(p) || p < 0 || p > 0xffff)
        throw new CaptureError('BAD_PROTOCOL', `protocol ${String(p)} is not an EtherType`);
      return p;
  }
}

/** A link type option (a tcpdump -y name, or a number) as a LINKTYPE_* value. */
export function linktypeNumber(lt: number | string): number {
  const n = typeof lt === 'number' ? lt : parseLinktype(lt);
  if (n === undefined) throw new CaptureError('BAD_LINKTYPE', `invalid data link type ${lt}`);
  return n === 12 || n === 14 ? LINKTYPE.RAW : n; // DLT_RAW's values on Linux and OpenBSD
}

/** Which socket, link types and default a capture of these options gets. */
export function planLink(
  name: string,
  device: { cooked: boolean; linktype: number; linktypes: readonly number[] },
  options: Pick<CaptureOptions, 'link' | 'protocol' | 'linktype'>,
): { cooked: boolean; linktype: number; linktypes: number[] } {
  const proto = protocolNumber(options.protocol);
  const ipOnly = proto === ETH_P_IP || proto === ETH_P_IPV6;
  const cooked = options.link ? options.link === 'cooked' : device.cooked;
  if (!cooked && device.cooked)
    throw new CaptureError(
      'LINK_UNAVAILABLE',
      `${name} can only be captured cooked (link: 'cooked')`,
    );
  let linktypes: number[];
  let linktype: number;
  if (!cooked) {
    linktypes = [...device.linktypes];
    linktype = device.linktype;
  } else {
    const sll = device.cooked ? [...device.linktypes] : [LINKTYPE.LINUX_SLL, LINKTYPE.LINUX_SLL2];
    if (sll.includes(LINKTYPE.LINUX_SLL) && !sll.includes(LINKTYPE.LINUX_SLL2))
      sll.push(LINKTYPE.LINUX_SLL2);
    linktypes = ipOnly ? [...sll, LINKTYPE.RAW] : sll;
    // Seed 001's socket (cooked, IP only) gets the kernel's bytes as they are; else the header that
    // says what each frame is, SLL2 as tcpdump 4.99 picks it for `any`.
    linktype =
      options.link === 'cooked' && ipOnly
        ? LINKTYPE.RAW
        : device.cooked
          ? device.linktype
          : LINKTYPE.LINUX_SLL2;
  }
  if (options.linktype !== undefined) {
    const want = linktypeNumber(options.linktype);
    if (!linktypes.includes(want))
      throw new CaptureError(
        'LINKTYPE_UNAVAILABLE',
        `${linktypeLabel(want).split(' ')[0]} is not one of the DLTs supported by this device`,
      );
    linktype = want;
  }
  return { cooked, linktype, linktypes };
}

/** Interface names by index, for frames of `any` (looked up once each). */
function interfaceNames(fixed: string | undefined): (index: number) => string {
  if (fixed !== undefined) return () => fixed;
  const names = new Map<number, string>();
  return (index) => {
    let n = names.get(index);
    if (n === undefined) {
      n = libc.ifIndexToName(index) ?? `if${index}`;
      names.set(index, n);
    }
    return n;
  };
}

/** openCapture on Linux: `ring` picks the TPACKET_V3 ring (default) over recv(). */
export async function openPacketCapture(options: CaptureOptions, ring: boolean): Promise<Capture> {
  const name = options.interface ?? 'any';
  let device: ReturnType<typeof interfaceInfo>;
  try {
    device = interfaceInfo(name);
  } catch (e) {
    if (e instanceof libc.SysError && e.code === 'ENODEV')
      throw new CaptureError('NO_SUCH_DEVICE', `${name}: No such device exists`);
    throw e;
  }
  // Every name the compiler knows resolves (names.ts): one the device does not offer fails as
  // tcpdump fails, "... is not one of the DLTs supported".
  const wanted = options.linktype;
  let plan: ReturnType<typeof planLink>;
  try {
    plan = planLink(name, device, { ...options, linktype: wanted });
  } catch (e) {
    if (
      !(
        e instanceof CaptureError &&
        e.code === 'LINKTYPE_UNAVAILABLE' &&
        wanted !== options.linktype
      )
    )
      throw e;
    throw new CaptureError(
      'LINKTYPE_UNAVAILABLE',
      `${String(options.linktype).toUpperCase()} is not one of the DLTs supported by this device`,
    );
  }
  const { linktype } = plan;
  const snaplen = Math.max(
    options.snaplen ?? 262_144,
    linktype === LINKTYPE.LINUX_SLL2 || linktype === LINKTYPE.LINUX_SLL ? 21 : 1,
  );
  const reading: BlockReading = {
    cooked:
      linktype === LINKTYPE.LINUX_SLL2
        ? 'sll2'
        : linktype === LINKTYPE.LINUX_SLL
          ? 'sll'
          : undefined,
    ethernetVlan: linktype === LINKTYPE.EN10MB && !plan.cooked,
    snaplen,
    loopback: (() => {
      try {
        return libc.ifNameToIndex('lo');
      } catch {
        return -1;
      }
    })(),
    direction: options.direction ?? 'inout',
  };
  let filter = await resolveLinuxFilter(options.filter, linktype, snaplen);
  const sock = new PacketSocket({
    interface: name === 'any' ? undefined : name,
    type: plan.cooked ? 'dgram' : 'raw',
    protocol: protocolNumber(options.protocol),
    // libpcap does not set promiscuous mode on `any`.
    promiscuous: name !== 'any' && options.promiscuous,
    bufferSize: ring ? undefined : options.bufferSize,
    deferStart: true,
  });
  let reader: RingReader | undefined;
  try {
    // Bound to protocol 0 so far: nothing has arrived, so no drain is needed.
    if (filter.kernel) sock.setFilter(filter.kernel, false);
    if (ring)
      reader = RingReader.open(
        sock,
        ringGeometry(snaplen + 24, options.bufferSize ?? DEFAULT_RING_BYTES, libc.pageSize()),
      );
    sock.start();
  } catch (e) {
    reader?.unmap();
    sock.close();
    if (e instanceof libc.SysError && e.code === 'ENETDOWN')
      throw new CaptureError('IFACE_NOT_UP', `${name}: That device is not up`);
    throw e;
  }
  let user: CompiledFilter | undefined;
  let outgoingVlan: CompiledFilter | undefined;
  const compileUser = () => {
    user = filter.user ? compileFilter(filter.user, { profile: 'libpcap' }) : undefined;
    outgoingVlan = filter.outgoingVlan
      ? compileFilter(filter.outgoingVlan, { profile: 'libpcap' })
      : undefined;
  };
  compileUser();
  const totals = { received: 0, dropped: 0 };
  let captured = 0;
  let closed = false;
  let down = false;
  const pull = () => {
    if (closed) return;
    const s = sock.stats();
    totals.received += s.received;
    totals.dropped += s.dropped;
  };
  const onAbort = () => capture.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const nameOf = interfaceNames(name === 'any' ? undefined : name);
  const gone = () =>
    name !== 'any' && libc.ifIndexToName(sock.ifindex) !== name
      ? new CaptureError('IFACE_GONE', `${name}: The interface disappeared`)
      : undefined;

  /** Waits for the kernel; an interface that went down (ENETDOWN) is waited for, as libpcap 1.10 does. */
  async function wait(): Promise<void> {
    const rev = await sock.poll(POLL_MS);
    if (closed) return;
    if (rev & libc.POLLNVAL)
      throw new CaptureError('RING_FAILED', 'the socket was closed under the capture');
    if (rev & libc.POLLERR) {
      const err = sock.socketError();
      if (err === ENETDOWN) down = true;
      else if (err !== 0) throw new libc.SysError('poll', err);
    }
    if (down) {
      const e = gone();
      if (e) throw e;
    }
  }

  let picked = new Int32Array(0);
  /** Runs the user-space filter (if any) over a filled batch. */
  const userFilter = (b: CaptureBatch) => {
    if (b.n === 0) return;
    if (picked.length < b.n) picked = new Int32Array(b.data.length);
    if (user) {
      compactBatch(b, picked, user.count(b.buffer, b.data, b.caplen, b.wirelen, b.n, picked));
      return;
    }
    const o = outgoingVlan;
    if (!o) return;
    // Only the outgoing frames whose inline tags the kernel program could not see (kernel-filter.ts).
    let k = 0;
    let all = true;
    for (let i = 0; i < b.n; i++) {
      const keep =
        b.direction[i] !== 4 ||
        b.vlan[i] === 0 ||
        o.at(b.buffer, b.data[i] as number, b.caplen[i] as number, b.wirelen[i] as number) !== 0;
      if (keep) picked[k++] = i;
      else all = false;
    }
    if (!all) compactBatch(b, picked, k);
  };

  async function* ringBatches(r: RingReader): AsyncGenerator<CaptureBatch> {
    const g = r.geometry;
    // At most one frame per 16 bytes of a block past its header (TPACKET_ALIGNMENT).
    const batch = createBatch(g.blockSize >> 4, linktype);
    batch.buffer = r.bytes;
    batch.address = r.address;
    batch.headroom = RING_RESERVE;
    let held = false;
    let turn = performance.now();
    try {
      for (;;) {
        if (held) {
          r.release();
          held = false;
          // A turn of the event loop every few ms: a flood must not starve timers and I/O.
          const now = performance.now();
          if (now - turn > TURN_MS) {
            turn = now;
            await immediate();
          }
        }
        if (closed) return;
        const at = r.ready();
        if (at < 0) {
          // Asleep in poll() until the kernel retires a block: one wake-up per block, as tcpdump.
          await wait();
          turn = performance.now();
          continue;
        }
        down = false;
        held = true;
        readBlock(r.bytes, r.words, at, g.blockSize, reading, batch);
        userFilter(batch);
        if (batch.n > 0) yield batch;
      }
    } finally {
      if (held && !closed) r.release();
    }
  }

  async function* recvBatches(): AsyncGenerator<CaptureBatch> {
    // recv() into one staging buffer, a cooked header's room before each frame; no VLAN tags here.
    const staging = new Uint8Array(RECV_STAGING);
    const batch = createBatch(4096, linktype);
    batch.buffer = staging;
    const addr = new Uint8Array(20);
    const dv = new DataView(addr.buffer);
    const header = reading.cooked === 'sll2' ? 20 : reading.cooked === 'sll' ? 16 : 0;
    const max = Math.min(snaplen, 65_536);
    while (!closed) {
      let pos = 0;
      let k = 0;
      while (k < batch.data.length && pos + header + max <= staging.length) {
        let n: number;
        try {
          n = sock.tryRecvFrom(staging.subarray(pos + header, pos + header + max), addr);
        } catch (e) {
          // The interface went down: wait for it (wait() notices if it disappears).
          if (!(e instanceof libc.SysError && e.errno === ENETDOWN)) throw e;
          down = true;
          break;
        }
        if (n < 0) break;
        const pkttype = addr[10] as number;
        const ifindex = dv.getInt32(4, true);
        if (
          pkttype === 4
            ? ifindex === reading.loopback || reading.direction === 'in'
            : reading.direction === 'out'
        )
          continue;
        const protocol = dv.getUint16(2, false);
        if (header) writeCookedHeader(staging, pos, reading.cooked as 'sll' | 'sll2', addr);
        const now = Date.now();
        batch.data[k] = pos;
        batch.caplen[k] = Math.min(header + Math.min(n, max), snaplen);
        batch.wirelen[k] = header + n;
        batch.sec[k] = Math.floor(now / 1000);
        batch.nsec[k] = (now % 1000) * 1e6;
        batch.direction[k] = pkttype;
        batch.ifindex[k] = ifindex;
        batch.protocol[k] = protocol;
        batch.vlan[k] = 0;
        batch.vlanTci[k] = 0;
        batch.vlanTpid[k] = 0;
        k++;
        pos += (header + Math.min(n, max) + 15) & ~15;
      }
      batch.n = k;
      userFilter(batch);
      if (batch.n > 0) {
        yield batch;
        // Under a flood recv never says EAGAIN: give timers and I/O their turn.
        await immediate();
      } else if (k === 0) await wait();
    }
  }

  const source = (): AsyncGenerator<CaptureBatch> => (reader ? ringBatches(reader) : recvBatches());
  let iterating = false;
  const claim = () => {
    if (iterating)
      throw new CaptureError('ALREADY_ITERATING', 'a capture is read by one loop at a time');
    iterating = true;
  };

  const capture: Capture = {
    fd: sock.fd,
    linktype,
    snaplen,
    get filtering() {
      return filter.kernel ? 'kernel' : filter.user ? 'user' : 'none';
    },
    stats() {
      pull();
      return { ...totals, captured };
    },
    async setFilter(f) {
      const next = await resolveLinuxFilter(f, linktype, snaplen);
      if (next.kernel) sock.setFilter(next.kernel, false);
      else if (filter.kernel) sock.detachFilter();
      filter = next;
      compileUser();
    },
    send: (frame) => sock.send(frame),
    get released() {
      return sock.released;
    },
    close() {
      if (closed) return;
      pull();
      closed = true;
      options.signal?.removeEventListener('abort', onAbort);
      reader?.unmap();
      sock.close();
    },
    async *batches() {
      claim();
      try {
        for await (const b of source()) {
          if (closed) return;
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
          for (const f of framesOf(b, nameOf)) {
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

/** A cooked header for a recv()'d frame at `pos` (its data follows), from its sockaddr_ll. */
function writeCookedHeader(
  b: Uint8Array,
  pos: number,
  kind: 'sll' | 'sll2',
  sll: Uint8Array,
): void {
  const hatype = sll[8]! | (sll[9]! << 8);
  if (kind === 'sll2') {
    b[pos] = sll[2]!;
    b[pos + 1] = sll[3]!;
    b[pos + 2] = 0;
    b[pos + 3] = 0;
    for (let j = 0; j < 4; j++) b[pos + 4 + j] = sll[7 - j]!;
    b[pos + 8] = hatype >> 8;
    b[pos + 9] = hatype & 0xff;
    b[pos + 10] = sll[10]!;
    b[pos + 11] = sll[11]!;
    b.set(sll.subarray(12, 20), pos + 12);
  } else {
    b[pos] = 0;
    b[pos + 1] = sll[10]!;
    b[pos + 2] = hatype >> 8;
    b[pos + 3] = hatype & 0xff;
    b[pos + 4] = 0;
    b[pos + 5] = sll[11]!;
    b.set(sll.subarray(12, 20), pos + 6);
    b[pos + 14] = sll[2]!;
    b[pos + 15] = sll[3]!;
  }
}
