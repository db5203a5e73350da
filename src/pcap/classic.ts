// Classic libpcap format: file header and record header decoding, and the writer.
import { PcapFormatError } from './errors.js';
import type { PcapRecordInput } from './record.js';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** Alexey Kuznetzov's patched libpcap: 8 more bytes (ifindex, protocol, pkt_type, pad) per record header. */
export const PCAP_MAGIC_KUZNETZOV = 0xa1b2cd34;
export const PCAP_HEADER_LENGTH = 24;

export interface ClassicHeader {
  littleEndian: boolean;
  nanosecond: boolean;
  /** 16, or 24 for the Kuznetzov variant. */
  recordHeaderLength: number;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  /** Low 16 bits of the link field. */
  linktype: number;
  /** The link field's upper 16 bits as read (FCS length information), for copies that keep them. */
  linkExtension: number;
  /**
   * Files before version 2.3 (and DG/UX's 543.0) put the wire length before the captured length;
   * 2.3 files were written both ways, so a record there is read swapped when its captured length
   * exceeds its wire length (sf-pcap.c lengths_swapped).
   */
  lengthsSwapped: LengthOrder;
}

export const NOT_SWAPPED = 0;
export const SWAPPED = 1;
export const MAYBE_SWAPPED = 2;
export type LengthOrder = typeof NOT_SWAPPED | typeof SWAPPED | typeof MAYBE_SWAPPED;

/** Byte offsets of the captured and wire lengths in the record header at `at` (caplen first). */
export function lengthOffsets(
  b: Uint8Array,
  at: number,
  h: ClassicHeader,
): readonly [number, number] {
  const order = h.lengthsSwapped;
  if (order === NOT_SWAPPED) return NORMAL_ORDER;
  if (order === SWAPPED || u32(b, at + 8, h.littleEndian) > u32(b, at + 12, h.littleEndian))
    return SWAPPED_ORDER;
  return NORMAL_ORDER;
}
const NORMAL_ORDER = [8, 12] as const;
const SWAPPED_ORDER = [12, 8] as const;

/** The magic's byte order and kind, or undefined if `magicLE` (the first 4 bytes read little-endian) is not a pcap magic. */
export function classicMagic(
  magicLE: number,
): { littleEndian: boolean; magic: number } | undefined {
  for (const magic of [PCAP_MAGIC_US, PCAP_MAGIC_NS, PCAP_MAGIC_KUZNETZOV]) {
    if (magicLE === magic) return { littleEndian: true, magic };
    if (magicLE === swap32(magic)) return { littleEndian: false, magic };
  }
  return undefined;
}

export function swap32(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

/** Decodes the 24-byte file header at stream offset 0. */
export function parseClassicHeader(b: Uint8Array): ClassicHeader {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const m = classicMagic(dv.getUint32(0, true));
  if (!m) throw new PcapFormatError('BAD_MAGIC', 0, 'unknown file format');
  const le = m.littleEndian;
  const versionMajor = dv.getUint16(4, le);
  const versionMinor = dv.getUint16(6, le);
  // libpcap reads versions 2.0 to 2.4 and DG/UX tcpdump's 543.0 (version 1 files predate libpcap 0.4).
  if (versionMajor < 2) throw new PcapFormatError('BAD_VERSION', 4, 'archaic pcap savefile format');
  if (!((versionMajor === 2 && versionMinor <= 4) || (versionMajor === 543 && versionMinor === 0)))
    throw new PcapFormatError(
      'BAD_VERSION',
      4,
      `unsupported pcap savefile version ${versionMajor}.${versionMinor}`,
    );
  return {
    littleEndian: le,
    nanosecond: m.magic === PCAP_MAGIC_NS,
    recordHeaderLength: m.magic === PCAP_MAGIC_KUZNETZOV ? 24 : 16,
    versionMajor,
    versionMinor,
    snaplen: dv.getUint32(16, le),
    linktype: dv.getUint32(20, le) & 0xffff,
    linkExtension: (dv.getUint32(20, le) & 0xffff0000) >>> 0,
    lengthsSwapped:
      versionMajor === 543 || versionMinor < 3
        ? SWAPPED
        : versionMinor === 3
          ? MAYBE_SWAPPED
          : NOT_SWAPPED,
  };
}

export interface ClassicRecordHeader {
  timestampNs: bigint;
  caplen: number;
  wirelen: number;
}

/** Decodes a record header (16 or 24 bytes) under `h`. Seconds are unsigned (files reach past 2038). */
export function parseClassicRecordHeader(b: Uint8Array, h: ClassicHeader): ClassicRecordHeader {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = h.littleEndian;
  const sec = dv.getUint32(0, le);
  const frac = dv.getUint32(4, le);
  const [cap, wire] = lengthOffsets(b, 0, h);
  return {
    timestampNs: BigInt(sec) * 1_000_000_000n + BigInt(h.nanosecond ? frac : frac * 1000),
    caplen: dv.getUint32(cap, le),
    wirelen: dv.getUint32(wire, le),
  };
}

export interface PcapWriterOptions {
  /** LINKTYPE_*; default 1 (Ethernet). */
  linktype?: number;
  /** Written in the header; records longer are cut to it. Default 262144. */
  snaplen?: number;
  /** Nanosecond magic and timestamps; default false (microseconds, truncating). */
  nanosecond?: boolean;
  /** Default true. */
  littleEndian?: boolean;
}

/** Serialises records as a classic pcap stream: the header once, then one chunk per record. */
export class PcapWriter {
  readonly linktype: number;
  readonly snaplen: number;
  readonly nanosecond: boolean;
  readonly littleEndian: boolean;
  private started = false;

  constructor(options: PcapWriterOptions = {}) {
    this.linktype = options.linktype ?? 1;
    this.snaplen = options.snaplen ?? 262144;
    this.nanosecond = options.nanosecond ?? false;
    this.littleEndian = options.littleEndian ?? true;
    checkU32('linktype', this.linktype);
    checkU32('snaplen', this.snaplen);
  }

  /** The file header the first time, then an empty array. */
  header(): Uint8Array {
    if (this.started) return new Uint8Array(0);
    this.started = true;
    const b = new Uint8Array(PCAP_HEADER_LENGTH);
    const dv = new DataView(b.buffer);
    const le = this.littleEndian;
    dv.setUint32(0, this.nanosecond ? PCAP_MAGIC_NS : PCAP_MAGIC_US, le);
    dv.setUint16(4, 2, le);
    dv.setUint16(6, 4, le);
    dv.setUint32(16, this.snaplen, le);
    dv.setUint32(20, this.linktype, le);
    return b;
  }

  /** One record's bytes, preceded by the file header if it was not emitted yet. */
  write(record: PcapRecordInput): Uint8Array {
    const head = this.header();
    const caplen = Math.min(record.data.length, this.snaplen);
    const wire = record.wirelen ?? record.data.length;
    checkU32('wirelen', wire);
    const ts = record.timestampNs;
    if (ts < 0n || ts >= 4294967296n * 1_000_000_000n)
      throw new RangeError(`timestampNs out of pcap range: ${ts}`);
    const out = new Uint8Array(head.length + 16 + caplen);
    out.set(head, 0);
    const dv = new DataView(out.buffer, head.length, 16);
    const le = this.littleEndian;
    const ns = ts % 1_000_000_000n;
    dv.setUint32(0, Number(ts / 1_000_000_000n), le);
    dv.setUint32(4, Number(this.nanosecond ? ns : ns / 1000n), le);
    dv.setUint32(8, caplen, le);
    dv.setUint32(12, wire, le);
    out.set(record.data.subarray(0, caplen), head.length + 16);
    return out;
  }
}

export function checkU32(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw new RangeError(`${name}: expected a u32, got ${v}`);
}

/** The u32 at b[p] in the given byte order (no DataView, so nothing allocated per call). */
export const u32 = (b: Uint8Array, p: number, le: boolean): number =>
  le
    ? (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0
    : ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;

/** Stores the u32 `v` little-endian at b[p]. */
export function setU32LE(b: Uint8Array, p: number, v: number): void {
  b[p] = v;
  b[p + 1] = v >>> 8;
  b[p + 2] = v >>> 16;
  b[p + 3] = v >>> 24;
}

/**
 * Writes the classic record whose header is at `src[at]` (under file header `h`) to `dst[to]` as
 * tcpdump -w writes it with the record's first `caplen` bytes: little-endian, the seconds as read
 * and the fraction in microseconds (a nanosecond file's divided by 1000 as the signed number
 * libpcap reads it as), not normalised, as
 * libpcap hands them to pcap_dump(); the lengths in 2.4 order. Returns the bytes written
 * (16 + caplen); `dst` needs room for them.
 */
export function copyClassicRecord(
  src: Uint8Array,
  at: number,
  h: ClassicHeader,
  caplen: number,
  dst: Uint8Array,
  to: number,
): number {
  const le = h.littleEndian;
  const data = at + h.recordHeaderLength;
  if (le && !h.nanosecond && h.recordHeaderLength === 16 && h.lengthsSwapped === NOT_SWAPPED) {
    // Already in the output's layout: one copy, then the length if -s cut it.
    dst.set(src.subarray(at, data + caplen), to);
    if (caplen !== u32(src, at + 8, true)) setU32LE(dst, to + 8, caplen);
    return 16 + caplen;
  }
  const frac = u32(src, at + 4, le);
  setU32LE(dst, to, u32(src, at, le));
  // A nanosecond fraction is a signed 32-bit number divided toward zero, as libpcap divides it.
  setU32LE(dst, to + 4, h.nanosecond ? Math.trunc((frac | 0) / 1000) >>> 0 : frac);
  setU32LE(dst, to + 8, caplen);
  setU32LE(dst, to + 12, u32(src, at + lengthOffsets(src, at, h)[1], le));
  dst.set(src.subarray(data, data + caplen), to + 16);
  return 16 + caplen;
}
