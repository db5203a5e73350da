// Filters on AF_INET sockets: a raw IPv4 socket, an FFI UDP socket, and Node's own dgram sockets.
import type { Socket as DgramSocket } from 'node:dgram';
import type { Program } from '../../core/encode.js';
import { CbpfError } from '../../core/errors.js';
import type { DescriptorErrorCode } from '../errors.js';
import * as libc from '../ffi/libc.js';
import { attachFilter, attachFilterDrained, detachFilter, lockFilter } from './filter.js';

const AF_INET = 2;
const SOCK_DGRAM = 2;
const SOCK_RAW = 3;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;

function sockaddrIn(address: string, port: number): Uint8Array {
  const a = new Uint8Array(16);
  const dv = new DataView(a.buffer);
  dv.setUint16(0, AF_INET, true);
  dv.setUint16(2, port, false);
  a.set(address.split('.').map(Number), 4);
  return a;
}

export interface InetDatagram {
  readonly data: Uint8Array;
  /** Source address and port (port 0 for raw sockets). */
  readonly address: string;
  readonly port: number;
}

/**
 * A non-blocking AF_INET socket with a classic filter. 'raw': offset 0 is the IPv4 header and the
 * filter's result truncates to max(1, r). 'udp': offset 0 is the UDP header, payload = max(8, r) - 8.
 */
export class InetSocket implements AsyncIterable<InetDatagram> {
  readonly fd: number;
  #closed = false;
  #polling = false;

  constructor(
    kind: 'raw' | 'udp',
    options: { protocol?: number; bind?: { address?: string; port?: number } } = {},
  ) {
    this.fd = libc.socket(
      AF_INET,
      (kind === 'raw' ? SOCK_RAW : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC,
      kind === 'raw' ? (options.protocol ?? 17) : 0,
    );
    try {
      if (options.bind)
        libc.bind(this.fd, sockaddrIn(options.bind.address ?? '0.0.0.0', options.bind.port ?? 0));
    } catch (e) {
      libc.close(this.fd);
      throw e;
    }
  }

  setFilter(program: Program): void {
    attachFilterDrained(this.fd, program, true);
  }
  detachFilter(): void {
    detachFilter(this.fd);
  }
  lockFilter(): void {
    lockFilter(this.fd);
  }

  sendTo(data: Uint8Array, address: string, port = 0): number {
    return libc.sendto(this.fd, data, sockaddrIn(address, port));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#polling) void libc.closeAsync(this.fd);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<InetDatagram> {
    const buf = new Uint8Array(65_536);
    const from = new Uint8Array(16);
    try {
      while (!this.#closed) {
        const n = libc.recvfrom(this.fd, buf, 0, from);
        if (n < 0) {
          this.#polling = true;
          try {
            await libc.pollAsync(this.fd, libc.POLLIN, 40);
          } finally {
            this.#polling = false;
            if (this.#closed) void libc.closeAsync(this.fd);
          }
          continue;
        }
        const dv = new DataView(from.buffer);
        yield {
          data: buf.slice(0, n),
          address: [...from.subarray(4, 8)].join('.'),
          port: dv.getUint16(2, false),
        };
      }
    } finally {
      this.close();
    }
  }
}

export class DescriptorError extends CbpfError<DescriptorErrorCode> {}

/**
 * The descriptor under a bound Node dgram socket. Node has no public API for it: this reads libuv's
 * handle through Node internals (the socket's state symbol, else the deprecated `_handle`), so it may
 * break in a future Node; InetSocket('udp') is the supported alternative.
 */
export function dgramDescriptor(socket: DgramSocket): number {
  const s = socket as unknown as Record<symbol, { handle?: { fd?: number } }>;
  const state = Object.getOwnPropertySymbols(socket).find((k) => k.description === 'state symbol');
  const fd = state ? s[state]?.handle?.fd : undefined;
  if (typeof fd !== 'number' || fd < 0)
    throw new DescriptorError(
      'NO_DESCRIPTOR',
      'the dgram socket has no descriptor yet (bind it first) or Node hides it',
    );
  return fd;
}

/** Attaches a classic filter to a bound Node dgram socket (offset 0 = UDP header; seed 003's case). */
export function attachToDgram(socket: DgramSocket, program: Program): void {
  attachFilter(dgramDescriptor(socket), program);
}
