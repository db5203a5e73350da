// The /dev/bpfN backend for macOS and FreeBSD (cbpf-reference 6.3). UNTESTED on a real macOS or
// FreeBSD kernel: only the pure parts (ioctl numbers, records, structs) are unit-tested on Linux.
import type { Program } from '../../core/encode.js';
import { toBytes } from '../../core/encode.js';
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

const O_RDWR = 2;
const u32 = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
};

export interface BpfDeviceOptions {
  interface: string;
  bufferSize?: number;
  promiscuous?: boolean;
  immediate?: boolean;
  /** Read timeout in ms (BIOCSRTIMEOUT), so a blocked read returns and close() is noticed. */
  timeoutMs?: number;
}

/** An open /dev/bpfN bound to an interface. */
export class BpfDevice {
  readonly fd: number;
  readonly path: string;
  readonly bufferSize: number;
  readonly flavor: BpfFlavor = process.platform === 'darwin' ? 'macos' : 'freebsd';
  /** The data link type the device reports (BIOCGDLT), e.g. 1 for Ethernet, 0 for lo0. */
  readonly linktype: number;
  #closed = false;
  #reading = false;

  constructor(o: BpfDeviceOptions) {
    let fd = -1;
    let path = '';
    for (let i = 0; i < 256 && fd < 0; i++) {
      path = `/dev/bpf${i}`;
      try {
        fd = libc.open(path, O_RDWR);
      } catch (e) {
        if (e instanceof SysError && e.code === 'EBUSY') continue;
        throw e;
      }
    }
    if (fd < 0) throw new SysError('open(/dev/bpfN)', 16, 'no free bpf device');
    this.fd = fd;
    this.path = path;
    try {
      if (o.bufferSize) libc.ioctl(fd, I.BIOCSBLEN, u32(o.bufferSize), 'ioctl(BIOCSBLEN)');
      libc.ioctl(fd, I.BIOCSETIF, ifreq(o.interface), 'ioctl(BIOCSETIF)');
      const blen = new Uint8Array(4);
      libc.ioctl(fd, I.BIOCGBLEN, blen, 'ioctl(BIOCGBLEN)');
      this.bufferSize = new DataView(blen.buffer).getUint32(0, true);
      const dlt = new Uint8Array(4);
      libc.ioctl(fd, I.BIOCGDLT, dlt, 'ioctl(BIOCGDLT)');
      this.linktype = new DataView(dlt.buffer).getUint32(0, true);
      if (o.immediate ?? true) libc.ioctl(fd, I.BIOCIMMEDIATE, u32(1), 'ioctl(BIOCIMMEDIATE)');
      if (o.promiscuous) libc.ioctl(fd, I.BIOCPROMISC, null, 'ioctl(BIOCPROMISC)');
      libc.ioctl(fd, I.BIOCSHDRCMPLT, u32(1), 'ioctl(BIOCSHDRCMPLT)');
      const tv = new Uint8Array(16); // struct timeval: i64 sec, i64 usec (32-bit usec on macOS, little-endian low half)
      const ms = o.timeoutMs ?? 50;
      new DataView(tv.buffer).setBigInt64(0, BigInt(Math.floor(ms / 1000)), true);
      new DataView(tv.buffer).setInt32(8, (ms % 1000) * 1000, true);
      libc.ioctl(fd, I.BIOCSRTIMEOUT, tv, 'ioctl(BIOCSRTIMEOUT)');
    } catch (e) {
      libc.close(fd);
      throw e;
    }
  }

  /** BIOCSETF: installs the filter and flushes the buffer. */
  setFilter(program: Program): void {
    const insns = toBytes(program, 'le');
    libc.ioctl(
      this.fd,
      I.BIOCSETF,
      bpfProgramStruct(program.length, libc.addressOf(insns)),
      'ioctl(BIOCSETF)',
    );
    void insns.length;
  }

  stats(): { received: number; dropped: number } {
    const b = new Uint8Array(8);
    libc.ioctl(this.fd, I.BIOCGSTATS, b, 'ioctl(BIOCGSTATS)');
    return parseBpfStat(b);
  }

  send(frame: Uint8Array): number {
    return libc.write(this.fd, frame);
  }

  /** One read (exactly bufferSize bytes, as the kernel requires), split into records. */
  readRecords(buf = new Uint8Array(this.bufferSize)): BpfRecord[] {
    const n = libc.read(this.fd, buf);
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
      return await libc.readAsync(this.fd, buf);
    } finally {
      this.#reading = false;
      // close() deferred releasing the descriptor while a pool thread was reading it.
      if (this.#closed) this.#release();
    }
  }

  #released: Promise<void> | undefined;
  #release(): void {
    this.#released ??= libc.closeAsync(this.fd);
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
