// pcapng: block decoding against per-section state, and the writer.
import { lazy } from '../core/lazy.js';
import { checkU32 } from './classic.js';
import { PcapFormatError } from './errors.js';
import type { PcapRecord, PcapRecordInput } from './record.js';
import { caplenTooLarge, typeTooShort } from './wording.js';

export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 0x00000001;
/** Obsolete Packet Block (pcapng drafts before EPB). */
export const BT_PB = 0x00000002;
export const BT_SPB = 0x00000003;
export const BT_EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** The byte-order magic as read in the other byte order: a big-endian section read little-endian. */
export const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/** An interface described by an IDB: what its packet blocks need to become records. */
export interface PcapngInterface {
  linktype: number;
  snaplen: number;
  /** Timestamp units → ns: ns = ts * mul / div (integer division, as libpcap truncates). */
  mul: bigint;
  div: bigint;
  /** if_tsoffset, seconds, added to every timestamp. */
  offsetNs: bigint;
  /** Timestamp units per second (if_tsresol), and whether a power of 2: libpcap's arithmetic (timeval.ts). */
  unitsPerSecond: bigint;
  binary: boolean;
  /** if_tsoffset as read (seconds). */
  offsetSec: bigint;
}

/** The state a section carries: its byte order and interfaces so far. */
export interface PcapngSection {
  littleEndian: boolean;
  interfaces: PcapngInterface[];
}

/** A block the reader does not turn into records, for callers that want it (e.g. NRB, ISB, DSB, custom). */
export interface PcapngRawBlock {
  type: number;
  /** The body between the length fields (a view). */
  body: Uint8Array;
  offset: number;
  littleEndian: boolean;
}

/** Timestamp units from an if_tsresol byte: {mul, div} turning units into ns, and units per second. */
export function tsresolScale(
  v: number,
  offset: number,
): { mul: bigint; div: bigint; unitsPerSecond: bigint; binary: boolean } {
  const n = v & 0x7f;
  if (v & 0x80) {
    if (n > 63)
      throw new PcapFormatError(
        'BAD_TSRESOL',
        offset,
        `Interface Description Block if_tsresol option resolution 2^-${n} is too high`,
      );
    const units = 1n << BigInt(n);
    return { mul: 1_000_000_000n, div: units, unitsPerSecond: units, binary: true };
  }
  if (n > 19)
    throw new PcapFormatError(
      'BAD_TSRESOL',
      offset,
      `Interface Description Block if_tsresol option resolution 10^-${n} is too high`,
    );
  const units = 10n ** BigInt(n);
  return n <= 9
    ? { mul: 10n ** BigInt(9 - n), div: 1n, unitsPerSecond: units, binary: false }
    : { mul: 1n, div: 10n ** BigInt(n - 9), unitsPerSecond: units, binary: false };
}

/** Walks options in body[start..]; malformed trailing options end the walk (they carry nothing we need). */
function forEachOption(
  dv: DataView,
  start: number,
  end: number,
  le: boolean,
  fn: (code: number, at: number, len: number) => void,
): void {
  let p = start;
  while (p + 4 <= end) {
    const code = dv.getUint16(p, le);
    const len = dv.getUint16(p + 2, le);
    if (code === OPT_ENDOFOPT) return;
    if (p + 4 + len > end) return;
    fn(code, p + 4, len);
    p += 4 + pad4(len);
  }
}

/** n rounded up to a multiple of 4, exact for any length (a 32-bit `(n + 3) & ~3` wraps at 0xfffffffd+). */
export function pad4(n: number): number {
  return n + (-n & 3);
}

// Made at their first use (each costs a start that reads or writes no comment a tenth of a millisecond).
const utf8 = lazy(() => new TextDecoder('utf-8'));
const utf8enc = lazy(() => new TextEncoder());

function comments(body: Uint8Array, dv: DataView, start: number, le: boolean): string | undefined {
  const found: string[] = [];
  forEachOption(dv, start, body.length, le, (code, at, len) => {
    if (code === OPT_COMMENT) found.push(utf8().decode(body.subarray(at, at + len)));
  });
  return found.length ? found.join('\n') : undefined;
}

/** Decodes an IDB body into the section's next interface. `offset` is the block's stream offset. */
export function parseIdb(
  body: Uint8Array,
  section: PcapngSection,
  offset: number,
): PcapngInterface {
  const tooShort = () => new PcapFormatError('BLOCK_TOO_SHORT', offset, typeTooShort(BT_IDB));
  if (body.length < 8) throw tooShort();
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const le = section.littleEndian;
  // Default if_tsresol 6 (microseconds).
  let scale = { mul: 1000n, div: 1n, unitsPerSecond: 1_000_000n, binary: false };
  let offsetSec = 0n;
  // libpcap reads these options strictly (sf-pcapng.c process_idb_options): an option cut short, a
  // length other than the option's, or one given twice fails the file, in its words.
  const bad = (why: string) => new PcapFormatError('BAD_IDB_OPTION', offset, why);
  let sawTsresol = false;
  let sawTsoffset = false;
  for (let p = 8; p < body.length; ) {
    if (p + 4 > body.length) throw tooShort();
    const code = dv.getUint16(p, le);
    const len = dv.getUint16(p + 2, le);
    const at = p + 4;
    p = at + pad4(len);
    if (p > body.length) throw tooShort();
    if (code === OPT_ENDOFOPT) {
      if (len !== 0)
        throw bad(`Interface Description Block has opt_endofopt option with length ${len} != 0`);
      break;
    }
    if (code === IF_TSRESOL) {
      if (len !== 1)
        throw bad(`Interface Description Block has if_tsresol option with length ${len} != 1`);
      if (sawTsresol) throw bad('Interface Description Block has more than one if_tsresol option');
      sawTsresol = true;
      scale = tsresolScale(body[at], offset);
    } else if (code === IF_TSOFFSET) {
      if (len !== 8)
        throw bad(`Interface Description Block has if_tsoffset option with length ${len} != 8`);
      if (sawTsoffset)
        throw bad('Interface Description Block has more than one if_tsoffset option');
      sawTsoffset = true;
      offsetSec = dv.getBigInt64(at, le);
    }
  }
  return {
    linktype: dv.getUint16(0, le),
    snaplen: dv.getUint32(4, le),
    mul: scale.mul,
    div: scale.div,
    offsetNs: offsetSec * 1_000_000_000n,
    unitsPerSecond: scale.unitsPerSecond,
    binary: scale.binary,
    offsetSec,
  };
}

/** Limits a packet block is checked against. */
export interface PacketLimits {
  minCaplenLimit: number;
}

function iface(section: PcapngSection, id: number, offset: number): PcapngInterface {
  const i = section.interfaces[id];
  if (!i)
    throw new PcapFormatError(
      'BAD_INTERFACE',
      offset,
      `a packet arrived on interface ${id}, but there's no Interface Description Block for that interface`,
    );
  return i;
}

function checkCaplen(
  caplen: number,
  i: PcapngInterface,
  limits: PacketLimits,
  offset: number,
): void {
  const limit = Math.max(i.snaplen, limits.minCaplenLimit);
  if (caplen > limit)
    throw new PcapFormatError('CAPLEN_TOO_LARGE', offset, caplenTooLarge(caplen, i.snaplen, limit));
}

function toNs(i: PcapngInterface, hi: number, lo: number): bigint {
  const ts = (BigInt(hi) << 32n) | BigInt(lo);
  return (ts * i.mul) / i.div + i.offsetNs;
}

/** Decodes an EPB (type 6) or obsolete PB (type 2) body into a record. */
export function parsePacketBlock(
  type: number,
  body: Uint8Array,
  section: PcapngSection,
  limits: PacketLimits,
  offset: number,
): PcapRecord {
  if (body.length < 20) throw new PcapFormatError('BLOCK_TOO_SHORT', offset, typeTooShort(type));
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const le = section.littleEndian;
  const interfaceId = type === BT_EPB ? dv.getUint32(0, le) : dv.getUint16(0, le);
  const i = iface(section, interfaceId, offset);
  const caplen = dv.getUint32(12, le);
  checkCaplen(caplen, i, limits, offset);
  if (20 + pad4(caplen) > body.length)
    throw new PcapFormatError('BLOCK_TOO_SHORT', offset, typeTooShort(type));
  const record: PcapRecord = {
    timestampNs: toNs(i, dv.getUint32(4, le), dv.getUint32(8, le)),
    data: body.subarray(20, 20 + caplen),
    caplen,
    wirelen: dv.getUint32(16, le),
    linktype: i.linktype,
    interfaceId,
    snaplen: i.snaplen,
  };
  const comment = comments(body, dv, 20 + pad4(caplen), le);
  if (comment !== undefined) record.comment = comment;
  return record;
}

/** Decodes an SPB body: interface 0, no timestamp (0), caplen = min(wire length, snaplen, bytes present). */
export function parseSimplePacketBlock(
  body: Uint8Array,
  section: PcapngSection,
  limits: PacketLimits,
  offset: number,
): PcapRecord {
  if (body.length < 4) throw new PcapFormatError('BLOCK_TOO_SHORT', offset, typeTooShort(BT_SPB));
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const i = iface(section, 0, offset);
  const wirelen = dv.getUint32(0, section.littleEndian);
  let caplen = wirelen;
  if (i.snaplen !== 0 && caplen > i.snaplen) caplen = i.snaplen;
  checkCaplen(caplen, i, limits, offset);
  if (4 + pad4(caplen) > body.length)
    throw new PcapFormatError('BLOCK_TOO_SHORT', offset, typeTooShort(BT_SPB));
  return {
    timestampNs: 0n,
    data: body.subarray(4, 4 + caplen),
    caplen,
    wirelen,
    linktype: i.linktype,
    interfaceId: 0,
    snaplen: i.snaplen,
  };
}

/** An interface a PcapngWriter describes. */
export interface PcapngInterfaceOptions {
  /** LINKTYPE_*; default 1. */
  linktype?: number;
  /** Default 262144; records longer are cut to it. */
  snaplen?: number;
  /** Nanosecond if_tsresol (9) instead of the default microseconds (6). */
  nanosecond?: boolean;
  /** if_name, if given. */
  name?: string;
}

export interface PcapngWriterOptions extends PcapngInterfaceOptions {
  /** Default true. */
  littleEndian?: boolean;
  /** Interfaces to describe up front; default one built from the top-level linktype/snaplen/nanosecond. */
  interfaces?: PcapngInterfaceOptions[];
  /** opt_comment on the section header. */
  comment?: string;
}

const encodeUtf8 = (text: string): Uint8Array => utf8enc().encode(text);

/** Serialises records as pcapng: SHB and IDBs once, then one EPB per record; interfaces may be added later. */
export class PcapngWriter {
  readonly littleEndian: boolean;
  private readonly interfaces: Required<Omit<PcapngInterfaceOptions, 'name'>>[] = [];
  private pending: Uint8Array[] = [];

  constructor(options: PcapngWriterOptions = {}) {
    this.littleEndian = options.littleEndian ?? true;
    this.pending.push(
      this.block(
        BT_SHB,
        shbFixed(this.littleEndian),
        options.comment !== undefined ? [[OPT_COMMENT, encodeUtf8(options.comment)]] : [],
      ),
    );
    for (const i of options.interfaces ?? [options]) this.addInterface(i);
  }

  /** Describes another interface (its IDB goes out with the next chunk); returns its interfaceId. */
  addInterface(options: PcapngInterfaceOptions = {}): number {
    const i = {
      linktype: options.linktype ?? 1,
      snaplen: options.snaplen ?? 262144,
      nanosecond: options.nanosecond ?? false,
    };
    checkU32('snaplen', i.snaplen);
    if (!Number.isInteger(i.linktype) || i.linktype < 0 || i.linktype > 0xffff)
      throw new RangeError(`linktype: expected a u16, got ${i.linktype}`);
    const fixed = new Uint8Array(8);
    const dv = new DataView(fixed.buffer);
    dv.setUint16(0, i.linktype, this.littleEndian);
    dv.setUint32(4, i.snaplen, this.littleEndian);
    const opts: [number, Uint8Array][] = [];
    if (options.name !== undefined) opts.push([2, encodeUtf8(options.name)]);
    if (i.nanosecond) opts.push([IF_TSRESOL, Uint8Array.of(9)]);
    this.pending.push(this.block(BT_IDB, fixed, opts));
    this.interfaces.push(i);
    return this.interfaces.length - 1;
  }

  /** Header blocks not yet emitted (SHB, IDBs); empty once flushed. */
  header(): Uint8Array {
    const out = concat(this.pending);
    this.pending = [];
    return out;
  }

  /** One EPB, preceded by any header blocks not yet emitted. */
  write(record: PcapRecordInput): Uint8Array {
    const id = record.interfaceId ?? 0;
    const i = this.interfaces[id];
    if (!i)
      throw new RangeError(`interfaceId ${id}: writer has ${this.interfaces.length} interfaces`);
    const caplen = Math.min(record.data.length, i.snaplen);
    const wire = record.wirelen ?? record.data.length;
    checkU32('wirelen', wire);
    if (record.timestampNs < 0n)
      throw new RangeError(`timestampNs negative: ${record.timestampNs}`);
    const units = i.nanosecond ? record.timestampNs : record.timestampNs / 1000n;
    if (units >= 1n << 64n) throw new RangeError(`timestampNs out of range: ${record.timestampNs}`);
    const fixed = new Uint8Array(20 + pad4(caplen));
    const dv = new DataView(fixed.buffer);
    const le = this.littleEndian;
    dv.setUint32(0, id, le);
    dv.setUint32(4, Number(units >> 32n), le);
    dv.setUint32(8, Number(units & 0xffffffffn), le);
    dv.setUint32(12, caplen, le);
    dv.setUint32(16, wire, le);
    fixed.set(record.data.subarray(0, caplen), 20);
    const opts: [number, Uint8Array][] =
      record.comment !== undefined ? [[OPT_COMMENT, encodeUtf8(record.comment)]] : [];
    this.pending.push(this.block(BT_EPB, fixed, opts));
    return this.header();
  }

  private block(type: number, fixed: Uint8Array, options: [number, Uint8Array][]): Uint8Array {
    let optLen = 0;
    for (const [, v] of options) {
      if (v.length > 0xffff) throw new RangeError(`option longer than 65535 bytes`);
      optLen += 4 + pad4(v.length);
    }
    if (options.length) optLen += 4; // opt_endofopt
    const total = 12 + fixed.length + optLen;
    const out = new Uint8Array(total);
    const dv = new DataView(out.buffer);
    const le = this.littleEndian;
    dv.setUint32(0, type, le);
    dv.setUint32(4, total, le);
    out.set(fixed, 8);
    let p = 8 + fixed.length;
    for (const [code, v] of options) {
      dv.setUint16(p, code, le);
      dv.setUint16(p + 2, v.length, le);
      out.set(v, p + 4);
      p += 4 + pad4(v.length);
    }
    dv.setUint32(total - 4, total, le);
    return out;
  }
}

function shbFixed(le: boolean): Uint8Array {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, BYTE_ORDER_MAGIC, le);
  dv.setUint16(4, 1, le);
  dv.setUint16(6, 0, le);
  dv.setBigInt64(8, -1n, le); // section length not specified
  return b;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
