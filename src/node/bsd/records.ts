// Parsing a /dev/bpf read buffer: bpf_hdr-prefixed records padded to BPF_WORDALIGN (FFI-free).
// Layouts from cbpf-reference 6.3; untested against a real macOS/FreeBSD kernel.
import { CbpfError } from '../../core/errors.js';
import type { CaptureBatch } from '../capture-batch.js';
import type { BpfRecordErrorCode } from '../errors.js';

export type BpfFlavor = 'macos' | 'freebsd';

export interface BpfHeaderLayout {
  /** Offsets of bh_caplen, bh_datalen, bh_hdrlen; size of the stamp's fields. */
  readonly caplen: number;
  readonly datalen: number;
  readonly hdrlen: number;
  readonly stampField: 4 | 8;
  /** BPF_ALIGNMENT. */
  readonly alignment: 4 | 8;
  /** Header bytes the kernel writes (before padding to bh_hdrlen). */
  readonly size: number;
}

export const LAYOUTS: Readonly<Record<BpfFlavor, BpfHeaderLayout>> = {
  macos: { caplen: 8, datalen: 12, hdrlen: 16, stampField: 4, alignment: 4, size: 18 },
  freebsd: { caplen: 16, datalen: 20, hdrlen: 24, stampField: 8, alignment: 8, size: 26 },
};

export const bpfWordAlign = (x: number, alignment: number) =>
  (x + alignment - 1) & ~(alignment - 1);

export interface BpfRecord {
  /** Seconds and microseconds of the kernel's stamp. */
  readonly sec: number;
  readonly usec: number;
  readonly data: Uint8Array;
  readonly wirelen: number;
}

export class BpfRecordError extends CbpfError<BpfRecordErrorCode> {}

/** Splits the first `length` bytes of `buf` (what read() returned) into records; views, not copies. */
export function parseBpfBuffer(buf: Uint8Array, length: number, flavor: BpfFlavor): BpfRecord[] {
  const L = LAYOUTS[flavor];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: BpfRecord[] = [];
  let off = 0;
  while (off < length) {
    if (off + L.size > length)
      throw new BpfRecordError('BPF_SHORT_HEADER', `record at ${off}: header runs past ${length}`);
    const sec = L.stampField === 4 ? dv.getInt32(off, true) : Number(dv.getBigInt64(off, true));
    const usec =
      L.stampField === 4 ? dv.getInt32(off + 4, true) : Number(dv.getBigInt64(off + 8, true));
    const caplen = dv.getUint32(off + L.caplen, true);
    const datalen = dv.getUint32(off + L.datalen, true);
    const hdrlen = dv.getUint16(off + L.hdrlen, true);
    if (hdrlen < L.size || off + hdrlen + caplen > length)
      throw new BpfRecordError(
        'BPF_SHORT_RECORD',
        `record at ${off}: hdrlen ${hdrlen} + caplen ${caplen} runs past ${length}`,
      );
    out.push({
      sec,
      usec,
      data: buf.subarray(off + hdrlen, off + hdrlen + caplen),
      wirelen: datalen,
    });
    off += bpfWordAlign(hdrlen + caplen, L.alignment);
  }
  return out;
}

/**
 * Fills `batch` with the records of the first `length` bytes of `buf` (what read() returned), in place:
 * offsets into `buf`, no object per record. Throws BpfRecordError as parseBpfBuffer does.
 */
export function bpfBatch(
  buf: Uint8Array,
  length: number,
  flavor: BpfFlavor,
  snaplen: number,
  batch: CaptureBatch,
): void {
  const L = LAYOUTS[flavor];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let off = 0;
  let k = 0;
  batch.buffer = buf;
  while (off < length && k < batch.data.length) {
    if (off + L.size > length)
      throw new BpfRecordError('BPF_SHORT_HEADER', `record at ${off}: header runs past ${length}`);
    const caplen = dv.getUint32(off + L.caplen, true);
    const hdrlen = dv.getUint16(off + L.hdrlen, true);
    if (hdrlen < L.size || off + hdrlen + caplen > length)
      throw new BpfRecordError(
        'BPF_SHORT_RECORD',
        `record at ${off}: hdrlen ${hdrlen} + caplen ${caplen} runs past ${length}`,
      );
    const sec = L.stampField === 4 ? dv.getUint32(off, true) : Number(dv.getBigInt64(off, true));
    const usec =
      L.stampField === 4 ? dv.getInt32(off + 4, true) : Number(dv.getBigInt64(off + 8, true));
    batch.data[k] = off + hdrlen;
    batch.caplen[k] = Math.min(caplen, snaplen);
    batch.wirelen[k] = dv.getUint32(off + L.datalen, true);
    batch.sec[k] = sec;
    batch.nsec[k] = usec * 1000;
    batch.direction[k] = 0;
    batch.ifindex[k] = 0;
    batch.protocol[k] = 0;
    batch.vlan[k] = 0;
    batch.vlanTci[k] = 0;
    batch.vlanTpid[k] = 0;
    k++;
    off += bpfWordAlign(hdrlen + caplen, L.alignment);
  }
  batch.n = k;
}

/** struct bpf_program on 64-bit (u_int bf_len, pad, pointer at 8) given the instructions' address. */
export function bpfProgramStruct(count: number, address: bigint): Uint8Array {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, count, true);
  dv.setBigUint64(8, address, true);
  return b;
}

/** struct ifreq with the interface name in its first 16 bytes. */
export function ifreq(name: string): Uint8Array {
  const b = new Uint8Array(32);
  const bytes = new TextEncoder().encode(name);
  if (bytes.length > 15)
    throw new BpfRecordError('BAD_INTERFACE', `interface name '${name}' is longer than 15 bytes`);
  b.set(bytes);
  return b;
}

/** struct bpf_stat { u_int bs_recv, bs_drop; }. */
export function parseBpfStat(b: Uint8Array): { received: number; dropped: number } {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { received: dv.getUint32(0, true), dropped: dv.getUint32(4, true) };
}
