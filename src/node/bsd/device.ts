// The /dev/bpfN backend for macOS and FreeBSD (cbpf-reference 6.3), opened as libpcap's pcap-bpf.c opens
// one. UNTESTED on a real macOS or FreeBSD kernel: the whole sequence runs in unit tests on Linux
// against a fake device that records each call and its argument bytes (test/node/bsd-device.test.ts).
import type { Program } from '../../core/encode.js';
import { toBytes } from '../../core/encode.js';
import { CbpfError } from '../../core/errors.js';
import * as libc from '../ffi/libc.js';
import { SysError } from '../ffi/libc.js';
import * as I from './ioctl.js';
import {
  type BpfFlavor,
  type BpfRecord,
  bpfProgramStruct,
  ifreq,
  parseBpfBuffer,
  parseBpfStat,
} from './records.js';

const O_RDONLY = 0;
const O_RDWR = 2;
const EBUSY = 16;
const ENOENT = 2;
const EACCES = 13;
const ENOBUFS = 55; // the same on macOS and FreeBSD
/** libpcap's DEFAULT_BUFSIZE: the buffer it starts from without -B, halved until BIOCSETIF takes it. */
export const DEFAULT_BPF_BUFSIZE = 524_288;

/** The system calls the device makes: libc, or a fake device in tests. */
export interface BpfSys {
  open(path: string, flags: number): number;
  /** `referenced`: memory a pointer inside `arg` points to (kept alive for the call; a fake reads it). */
  ioctl(
    fd: number,
    request: number,
    arg: Uint8Array | null,
    label: string,
    referenced?: Uint8Array,
  ): number;
  read(fd: number, buf: Uint8Array): Promise<number>;
  write(fd: number, buf: Uint8Array): number;
  closeAsync(fd: number): Promise<void>;
  close(fd: number): void;
  addressOf(buf: Uint8Array): bigint;
}

/** The real thing. */
export const LIBC_BPF_SYS: BpfSys = {
  open: libc.open,
  ioctl: (fd, request, arg, label) => libc.ioctl(fd, request, arg, label),
  read: libc.readAsync,
  write: libc.write,
  closeAsync: libc.closeAsync,
  close: libc.close,
  addressOf: libc.addressOf,
};

const u32 = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
};
const getU32 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(0, true);

export interface BpfDeviceOptions {
  interface: string;
  /** Kernel buffer (BIOCSBLEN); default libpcap's: 512 KiB or the device's default if larger, halved until accepted. */
  bufferSize?: number;
  promiscuous?: boolean;
  immediate?: boolean;
  /** Read timeout in ms (BIOCSRTIMEOUT), so a blocked read returns and close() is noticed. */
  timeoutMs?: number;
  /** Default: the platform's (macOS or FreeBSD). */
  flavor?: BpfFlavor;
  sys?: BpfSys;
}

/** An open /dev/bpf bound to an interface. */
export class BpfDevice {
  readonly fd: number;
  readonly path: string;
  readonly bufferSize: number;
  readonly flavor: BpfFlavor;
  /** The data link type the device reports (BIOCGDLT), e.g. 1 for Ethernet, 0 for lo0. */
  readonly linktype: number;
  readonly #sys: BpfSys;
  #closed = false;
  #reading = false;

  constructor(o: BpfDeviceOptions) {
    const sys = o.sys ?? LIBC_BPF_SYS;
    this.#sys = sys;
    this.flavor = o.flavor ?? (process.platform === 'darwin' ? 'macos' : 'freebsd');
    const { fd, path } = openFree(sys, this.flavor);
    this.fd = fd;
    this.path = path;
    const REQUESTS = {
      BIOCVERSION: I.BIOCVERSION,
      BIOCSBLEN: I.BIOCSBLEN,
      BIOCGBLEN: I.BIOCGBLEN,
      BIOCSETIF: I.BIOCSETIF,
      BIOCGDLT: I.BIOCGDLT,
      BIOCIMMEDIATE: I.BIOCIMMEDIATE,
      BIOCPROMISC: I.BIOCPROMISC,
      BIOCSRTIMEOUT: I.BIOCSRTIMEOUT,
      BIOCSHDRCMPLT: I.BIOCSHDRCMPLT,
    };
    const ioctl = (name: keyof typeof REQUESTS, arg: Uint8Array | null) =>
      sys.ioctl(fd, REQUESTS[name], arg, `ioctl(${name})`);
    try {
      // struct bpf_version { u_short bv_major, bv_minor }: libpcap wants major 1, minor at least 1.
      const version = new Uint8Array(4);
      ioctl('BIOCVERSION', version);
      const v = new DataView(version.buffer);
      const [major, minor] = [v.getUint16(0, true), v.getUint16(2, true)];
      if (major !== 1 || minor < 1)
        throw new CbpfError(
          'BPF_VERSION',
          `kernel bpf filter out of date: version ${major}.${minor}, need 1.1`,
        );
      // The buffer size must be set before BIOCSETIF (the kernel allocates the buffers there).
      const name = ifreq(o.interface);
      if (o.bufferSize) {
        ioctl('BIOCSBLEN', u32(o.bufferSize));
        ioctl('BIOCSETIF', name);
      } else {
        const cur = new Uint8Array(4);
        let size = DEFAULT_BPF_BUFSIZE;
        try {
          ioctl('BIOCGBLEN', cur);
          size = Math.max(getU32(cur), DEFAULT_BPF_BUFSIZE);
        } catch {}
        for (; ; size >>>= 1) {
          ioctl('BIOCSBLEN', u32(size));
          try {
            ioctl('BIOCSETIF', name);
            break;
          } catch (e) {
            // Too large for this kernel: libpcap halves and tries again.
            if (!(e instanceof SysError && e.errno === ENOBUFS) || size <= 4096) throw e;
          }
        }
      }
      const blen = new Uint8Array(4);
      ioctl('BIOCGBLEN', blen);
      this.bufferSize = getU32(blen);
      const dlt = new Uint8Array(4);
      ioctl('BIOCGDLT', dlt);
      this.linktype = getU32(dlt);
      if (o.immediate ?? true) ioctl('BIOCIMMEDIATE', u32(1));
      if (o.promiscuous) ioctl('BIOCPROMISC', null);
      // struct timeval: a 64-bit tv_sec, then tv_usec (32 bits on macOS, 64 on FreeBSD; little-endian,
      // so the low half written covers both).
      const tv = new Uint8Array(16);
      const ms = o.timeoutMs ?? 50;
      new DataView(tv.buffer).setBigInt64(0, BigInt(Math.floor(ms / 1000)), true);
      new DataView(tv.buffer).setInt32(8, (ms % 1000) * 1000, true);
      ioctl('BIOCSRTIMEOUT', tv);
      // Sent frames keep the source address given (libpcap sets it for pcap_inject).
      ioctl('BIOCSHDRCMPLT', u32(1));
    } catch (e) {
      sys.close(fd);
      throw e;
    }
  }

  /** BIOCSETF: installs the filter and flushes the buffer. */
  setFilter(program: Program): void {
    const insns = toBytes(program, 'le');
    this.#sys.ioctl(
      this.fd,
      I.BIOCSETF,
      bpfProgramStruct(program.length, this.#sys.addressOf(insns)),
      'ioctl(BIOCSETF)',
      insns,
    );
  }

  stats(): { received: number; dropped: number } {
    const b = new Uint8Array(8);
    this.#sys.ioctl(this.fd, I.BIOCGSTATS, b, 'ioctl(BIOCGSTATS)');
    return parseBpfStat(b);
  }

  send(frame: Uint8Array): number {
    return this.#sys.write(this.fd, frame);
  }

  /** One read (exactly bufferSize bytes, as the kernel requires), split into records. */
  async readRecords(buf = new Uint8Array(this.bufferSize)): Promise<BpfRecord[]> {
    const n = await this.read(buf);
    return parseBpfBuffer(buf, n, this.flavor);
  }

  /**
   * One read() on koffi's worker pool (the event loop stays free): resolves to the byte count, 0 when
   * the read timeout passed with nothing. `buf` must be bufferSize bytes.
   */
  async read(buf: Uint8Array): Promise<number> {
    if (this.#closed) return 0;
    this.#reading = true;
    try {
      return await this.#sys.read(this.fd, buf);
    } finally {
      this.#reading = false;
      // close() deferred releasing the descriptor while a pool thread was reading it.
      if (this.#closed) this.#release();
    }
  }

  #released: Promise<void> | undefined;
  #release(): void {
    this.#released ??= this.#sys.closeAsync(this.fd);
  }

  /** Resolves once the descriptor is really closed. */
  get released(): Promise<void> {
    return this.#released ?? new Promise((r) => setTimeout(r, 20)).then(() => this.released);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#reading) this.#release();
  }
}

/**
 * A free BPF device, as libpcap's bpf_open finds one: FreeBSD's cloning /dev/bpf first; else
 * /dev/bpf0, /dev/bpf1 ... skipping busy ones (EBUSY). Read-write, or read-only where only that is
 * allowed (capture without sending).
 */
function openFree(sys: BpfSys, flavor: BpfFlavor): { fd: number; path: string } {
  const tryOpen = (path: string): number => {
    try {
      return sys.open(path, O_RDWR);
    } catch (e) {
      if (e instanceof SysError && e.errno === EACCES) return sys.open(path, O_RDONLY);
      throw e;
    }
  };
  if (flavor === 'freebsd') {
    try {
      return { fd: tryOpen('/dev/bpf'), path: '/dev/bpf' };
    } catch (e) {
      if (!(e instanceof SysError && e.errno === ENOENT)) throw e;
    }
  }
  for (let i = 0; i < 256; i++) {
    const path = `/dev/bpf${i}`;
    try {
      return { fd: tryOpen(path), path };
    } catch (e) {
      if (e instanceof SysError && e.errno === EBUSY) continue;
      throw e;
    }
  }
  throw new SysError('open(/dev/bpfN)', EBUSY, 'no free bpf device');
}
