// AF_PACKET sockets: open, bind to an interface, promiscuous mode, filters, statistics, send, receive.
import type { Program } from '../../core/encode.js';
import * as libc from '../ffi/libc.js';
import { attachFilter, attachFilterDrained, detachFilter, lockFilter } from './filter.js';

import { ETH_P_ALL } from './link-types.js';

export { ETH_P_ALL, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6 } from './link-types.js';
export const AF_PACKET = 17;
export const SOCK_RAW = 3;
export const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const SOL_PACKET = 263;
const PACKET_ADD_MEMBERSHIP = 1;
const PACKET_MR_PROMISC = 1;
const PACKET_STATISTICS = 6;
const SOL_SOCKET = 1;
const SO_ERROR = 4;
const SO_RCVBUFFORCE = 33;
const MSG_TRUNC = 0x20;

export interface PacketSocketOptions {
  interface?: string;
  /** 'raw' keeps the link header (SOCK_RAW), 'dgram' strips it (SOCK_DGRAM). */
  type?: 'raw' | 'dgram';
  /** Host-order ethertype; default ETH_P_ALL. */
  protocol?: number;
  promiscuous?: boolean;
  bufferSize?: number;
  /**
   * Bind to the interface with protocol 0 (nothing arrives) and to `protocol` only in start(): the
   * filter and a ring are set up before the first frame can reach the socket, as libpcap does.
   */
  deferStart?: boolean;
}

export interface PacketStats {
  /** Packets the filter accepted (queued or dropped for lack of room) since the last read. */
  received: number;
  /** Accepted packets dropped because the socket buffer was full. */
  dropped: number;
}

const htons = (x: number) => ((x & 0xff) << 8) | ((x >> 8) & 0xff);

function sockaddrLl(protocol: number, ifindex: number): Uint8Array {
  const a = new Uint8Array(20);
  const dv = new DataView(a.buffer);
  dv.setUint16(0, AF_PACKET, true);
  dv.setUint16(2, protocol, false);
  dv.setInt32(4, ifindex, true);
  return a;
}

/** One non-blocking AF_PACKET socket. */
export class PacketSocket {
  readonly fd: number;
  readonly ifindex: number;
  readonly protocol: number;
  #closed = false;
  #polling = false;

  constructor(options: PacketSocketOptions = {}) {
    this.protocol = options.protocol ?? ETH_P_ALL;
    this.ifindex = options.interface ? libc.ifNameToIndex(options.interface) : 0;
    const type = options.type === 'dgram' ? SOCK_DGRAM : SOCK_RAW;
    this.fd = libc.socket(
      AF_PACKET,
      type | SOCK_NONBLOCK | SOCK_CLOEXEC,
      options.deferStart ? 0 : htons(this.protocol),
    );
    try {
      if (options.bufferSize) {
        const v = new Uint8Array(4);
        new DataView(v.buffer).setInt32(0, options.bufferSize, true);
        libc.setsockopt(this.fd, SOL_SOCKET, SO_RCVBUFFORCE, v, 'setsockopt(SO_RCVBUFFORCE)');
      }
      if (options.deferStart) {
        if (this.ifindex) libc.bind(this.fd, sockaddrLl(0, this.ifindex));
      } else if (this.ifindex) libc.bind(this.fd, sockaddrLl(this.protocol, this.ifindex));
      if (options.promiscuous && this.ifindex) {
        const mreq = new Uint8Array(16);
        const dv = new DataView(mreq.buffer);
        dv.setInt32(0, this.ifindex, true);
        dv.setUint16(4, PACKET_MR_PROMISC, true);
        libc.setsockopt(
          this.fd,
          SOL_PACKET,
          PACKET_ADD_MEMBERSHIP,
          mreq,
          'setsockopt(PACKET_ADD_MEMBERSHIP)',
        );
      }
    } catch (e) {
      libc.close(this.fd);
      throw e;
    }
  }

  /**
   * Starts reception for a socket made with `deferStart` (bind to the protocol). Fails with ENETDOWN
   * when the interface is down, as libpcap's activation does.
   */
  start(): void {
    libc.bind(this.fd, sockaddrLl(this.protocol, this.ifindex));
    const err = this.socketError();
    if (err) throw new libc.SysError('bind', err);
  }

  /** Reads and clears the socket's pending error (SO_ERROR): ENETDOWN when the interface went down. */
  socketError(): number {
    const v = new Uint8Array(4);
    libc.getsockopt(this.fd, SOL_SOCKET, SO_ERROR, v, 'getsockopt(SO_ERROR)');
    return new DataView(v.buffer).getInt32(0, true);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Attaches with the drain sequence so nothing queued before the call leaks through. */
  setFilter(program: Program, drain = true): void {
    if (drain) attachFilterDrained(this.fd, program, true);
    else attachFilter(this.fd, program);
  }
  detachFilter(): void {
    detachFilter(this.fd);
  }
  lockFilter(): void {
    lockFilter(this.fd);
  }

  /** Reads and resets the kernel counters (PACKET_STATISTICS). */
  stats(): PacketStats {
    const v = new Uint8Array(8);
    libc.getsockopt(this.fd, SOL_PACKET, PACKET_STATISTICS, v, 'getsockopt(PACKET_STATISTICS)');
    const dv = new DataView(v.buffer);
    return { received: dv.getUint32(0, true), dropped: dv.getUint32(4, true) };
  }

  /** Sends a whole frame (SOCK_RAW: with its link header) out of the bound interface. */
  send(frame: Uint8Array): number {
    return libc.sendto(this.fd, frame, sockaddrLl(this.protocol, this.ifindex));
  }

  /**
   * Copies the next queued packet into `buf`; returns its length before truncation to `buf`
   * (after the filter's own truncation), or -1 when nothing is queued.
   */
  tryRecv(buf: Uint8Array): number {
    return libc.recv(this.fd, buf, MSG_TRUNC);
  }

  /** Like tryRecv, also filling `addr` with the frame's sockaddr_ll (direction, ifindex, protocol). */
  tryRecvFrom(buf: Uint8Array, addr: Uint8Array): number {
    return libc.recvfrom(this.fd, buf, MSG_TRUNC, addr);
  }

  /** Waits (off the event loop) until readable or `timeoutMs`; true when readable. */
  async waitReadable(timeoutMs: number): Promise<boolean> {
    return ((await this.poll(timeoutMs)) & libc.POLLIN) !== 0;
  }

  /** poll(2) for POLLIN off the event loop: the returned events (POLLERR with a pending error), 0 on timeout. */
  async poll(timeoutMs: number): Promise<number> {
    if (this.#closed) return 0;
    this.#polling = true;
    try {
      return await libc.pollAsync(this.fd, libc.POLLIN, timeoutMs);
    } finally {
      this.#polling = false;
      // close() deferred the descriptor's release while a worker thread was polling it.
      if (this.#closed && this.fd >= 0) this.#release();
    }
  }

  #released: Promise<void> | undefined;
  #release(): void {
    // Off the event loop: the kernel's packet_release waits for an RCU grace period.
    this.#released ??= libc.closeAsync(this.fd);
  }

  /** Resolves once the descriptor is really closed. */
  get released(): Promise<void> {
    return this.#released ?? new Promise((r) => setTimeout(r, 50)).then(() => this.released);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#polling) this.#release();
  }
}
