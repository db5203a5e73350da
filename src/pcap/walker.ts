// The one walk over pcap and pcapng bytes: format detection, the file header, classic records and
// pcapng blocks, with every check and error of the formats. It runs over whole records in a caller's
// buffer and reports where they lie (no per-record allocation); the push parser, the async iterator
// and `cbpf -r`'s scanner are layers over it that differ only in how they hold the bytes.
import {
  type ClassicHeader,
  classicMagic,
  NOT_SWAPPED,
  PCAP_HEADER_LENGTH,
  parseClassicHeader,
  parseClassicRecordHeader,
  SWAPPED,
  u32,
} from './classic.js';
import { PcapFormatError } from './errors.js';
import {
  BT_EPB,
  BT_IDB,
  BT_PB,
  BT_SHB,
  BT_SPB,
  BYTE_ORDER_MAGIC,
  BYTE_ORDER_MAGIC_SWAPPED,
  type PcapngRawBlock,
  type PcapngSection,
  pad4,
  parseIdb,
  parsePacketBlock,
  parseSimplePacketBlock,
} from './pcapng.js';
import {
  type CaptureLimits,
  DEFAULT_CAPLEN_LIMIT,
  DEFAULT_MAX_BLOCK_LENGTH,
  type PcapRecord,
} from './record.js';
import {
  blockTooShort,
  caplenTooLarge,
  LENGTH_MISMATCH,
  lengthNotMultipleOf4,
  NO_INTERFACES,
  truncation,
} from './wording.js';

export type CaptureFormat = 'pcap' | 'pcapng';

export interface CaptureWalkerOptions extends CaptureLimits {
  /**
   * A record whose captured length exceeds its file's/interface's (nonzero) snaplen but not the limits:
   * 'truncate' (default) cuts it to snaplen as libpcap does (so tcpdump and cbpf agree); 'keep' delivers
   * every byte present.
   */
  oversized?: 'truncate' | 'keep';
  /** Most records one scan() reports; default 16384. */
  batchSize?: number;
  /** Called with each pcapng block that yields no record (IDB and SHB included), with a view of its body. */
  onBlock?: (block: PcapngRawBlock) => void;
}

/** Where the records of the last scan() lie in the scanned buffer (struct of arrays, reused by the next scan()). */
export interface RecordBatch {
  /** Records found; entries at indexes ≥ n are stale. */
  n: number;
  /** Buffer index of each record's header (pcap) or block (pcapng). */
  start: Int32Array;
  /** Buffer index of each record's captured bytes. */
  data: Int32Array;
  /** Captured length, already cut to the snaplen as the parser cuts it. */
  caplen: Int32Array;
  /** Length on the wire. */
  wirelen: Uint32Array;
  /** LINKTYPE_* of each record. */
  linktype: Int32Array;
}

/** See createCaptureWalker. */
export interface CaptureWalker {
  /** 'pcap' or 'pcapng' once the magic has been seen. */
  readonly format: CaptureFormat | undefined;
  /** The file header of a classic pcap once seen. */
  readonly classic: ClassicHeader | undefined;
  /** The pcapng section the walk is in (its byte order and interfaces so far). */
  readonly section: PcapngSection | undefined;
  /** A pcapng's first interface once seen: what libpcap takes the file's link type and snap length from. */
  readonly firstInterface: { linktype: number; snaplen: number } | undefined;
  /** Records reported by scan() so far, over all batches. */
  readonly records: number;
  /** The records the last scan() found. */
  readonly batch: RecordBatch;
  /** Stream offset of the byte the next scan() starts at. */
  readonly offset: number;
  /** Bytes the next header, record or block needs in one piece; a buffer must hold at least this many. */
  readonly need: number;
  /** The malformed part the last scan() stopped at (its records precede it); thrown again by later calls. */
  readonly error: PcapFormatError | undefined;
  /**
   * Scans the whole records in `buf[start, end)`, which continue the stream at `offset`; fills `batch`
   * and returns the bytes consumed. It stops early when the batch is full or before a section header
   * once the batch has records (so record() reads every record under its own section): call it again
   * while it consumes bytes.
   */
  scan(buf: Uint8Array, start: number, end: number): number;
  /**
   * Declares the end of the stream with `rest` unconsumed bytes; throws PcapFormatError if it stopped
   * inside a header, record or block, or a pcapng described no interface.
   */
  end(rest: number): void;
  /** Record `i` of the batch decoded in full (timestamp, interface, snaplen, comment); data is a view of `buf`. */
  record(buf: Uint8Array, i: number): PcapRecord;
}

/** A section header block's fixed part: type, length, byte-order magic, version, section length, trailer. */
const PCAPNG_MIN_SHB = 28;
/** An EPB's fixed part (type, length, interface, timestamp, lengths, trailer): the in-place decode needs it. */
const EPB_MIN = 32;

/**
 * A walker over a capture's bytes held by the caller, who hands it whole records: after each scan()
 * the unconsumed rest plus at least `need` more bytes must be passed again in one piece.
 * @example
 * const w = createCaptureWalker();
 * for (let at = 0, used; (used = w.scan(bytes, at, bytes.length)) > 0; at += used)
 *   for (let i = 0; i < w.batch.n; i++) console.log(w.batch.caplen[i], w.batch.wirelen[i]);
 */
export function createCaptureWalker(options: CaptureWalkerOptions = {}): CaptureWalker {
  const minCaplenLimit = options.minCaplenLimit ?? DEFAULT_CAPLEN_LIMIT;
  const maxBlock = options.maxBlockLength ?? DEFAULT_MAX_BLOCK_LENGTH;
  const ngLimits = { minCaplenLimit: Math.min(minCaplenLimit, maxBlock) };
  const truncate = (options.oversized ?? 'truncate') === 'truncate';
  const onBlock = options.onBlock;
  const size = options.batchSize ?? 16384;
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`batchSize: expected a positive integer, got ${size}`);
  const batch: RecordBatch = {
    n: 0,
    start: new Int32Array(size),
    data: new Int32Array(size),
    caplen: new Int32Array(size),
    wirelen: new Uint32Array(size),
    linktype: new Int32Array(size),
  };
  let format: CaptureFormat | undefined;
  let classic: ClassicHeader | undefined;
  let section: PcapngSection | undefined;
  let error: PcapFormatError | undefined;
  let firstInterface: { linktype: number; snaplen: number } | undefined;
  let records = 0;
  let offset = 0;
  let need = 4;
  /**
   * What the header, record or block the last scan() stopped before claims to need in all, as libpcap
   * would try to read it (for the truncation message): `need`, except for a later section header
   * whose byte order is not in hand yet, whose length is read in the section's.
   */
  let claimed = 4;
  /** Buffer index of the next unconsumed byte during scan(). */
  let pos = 0;

  function add(start: number, data: number, caplen: number, wirelen: number, linktype: number) {
    const n = batch.n++;
    batch.start[n] = start;
    batch.data[n] = data;
    batch.caplen[n] = caplen;
    batch.wirelen[n] = wirelen;
    batch.linktype[n] = linktype;
  }

  /** Classic records from pos. The loop the throughput rests on. */
  function scanClassic(dv: DataView, end: number, base: number): void {
    const h = classic as ClassicHeader;
    const le = h.littleEndian;
    const hl = h.recordHeaderLength;
    const snap = h.snaplen;
    const cut = truncate && snap !== 0;
    const limit = Math.min(Math.max(snap, minCaplenLimit), maxBlock);
    const { start, data, caplen: caps, wirelen, linktype } = batch;
    const lt = h.linktype;
    const order = h.lengthsSwapped;
    let n = batch.n;
    let p = pos;
    need = hl;
    while (n < size && end - p >= hl) {
      let caplen = dv.getUint32(p + 8, le);
      let wire = dv.getUint32(p + 12, le);
      // Before version 2.3 the wire length came first (and 2.3 files were written both ways).
      if (order !== NOT_SWAPPED && (order === SWAPPED || caplen > wire)) {
        const t = caplen;
        caplen = wire;
        wire = t;
      }
      if (caplen > limit) {
        batch.n = n;
        pos = p;
        throw new PcapFormatError(
          'CAPLEN_TOO_LARGE',
          base + p,
          caplenTooLarge(caplen, snap, limit),
        );
      }
      if (end - p - hl < caplen) {
        need = hl + caplen;
        break;
      }
      start[n] = p;
      data[n] = p + hl;
      caps[n] = cut && caplen > snap ? snap : caplen;
      wirelen[n] = wire;
      linktype[n] = lt;
      n++;
      p += hl + caplen;
    }
    batch.n = n;
    pos = p;
    claimed = need;
  }

  /** One pcapng block at p; returns the position after it, or p when it is incomplete or ends the batch. */
  function scanBlock(buf: Uint8Array, dv: DataView, p: number, end: number, base: number): number {
    const at = base + p;
    need = 8;
    claimed = 8;
    if (end - p < 8) return p;
    const typeLE = dv.getUint32(p, true);
    // A section header's byte order is in its body; other blocks use their section's.
    let le: boolean;
    if (typeLE === BT_SHB) {
      need = 12;
      if (end - p < 12) {
        claimed = u32(buf, p + 4, section?.littleEndian ?? true);
        return p;
      }
      const bom = dv.getUint32(p + 8, true);
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (bom === BYTE_ORDER_MAGIC_SWAPPED) le = false;
      else
        throw new PcapFormatError(
          'BAD_MAGIC',
          at + 8,
          section
            ? 'the file has a section with a bad byte order magic field'
            : 'unknown file format',
        );
    } else {
      if (!section) throw new PcapFormatError('NO_SECTION', at, 'block before any section header');
      le = section.littleEndian;
    }
    const type = dv.getUint32(p, le);
    const len = dv.getUint32(p + 4, le);
    if (len < 12 || (type === BT_SHB && len < PCAPNG_MIN_SHB))
      throw new PcapFormatError('BLOCK_TOO_SHORT', at, blockTooShort(type, len));
    if (len % 4 !== 0)
      throw new PcapFormatError('BLOCK_LENGTH_MISMATCH', at, lengthNotMultipleOf4(len));
    if (len > maxBlock)
      throw new PcapFormatError(
        'BLOCK_TOO_LARGE',
        at,
        `pcapng block size ${len} > maximum ${maxBlock}`,
      );
    need = len;
    claimed = len;
    if (end - p < len) return p;
    if (dv.getUint32(p + len - 4, le) !== len)
      throw new PcapFormatError('BLOCK_LENGTH_MISMATCH', at, LENGTH_MISMATCH);
    const sec = section as PcapngSection;
    if (type === BT_EPB && len >= EPB_MIN) {
      // The common case decoded in place; anything unusual goes through parsePacketBlock below,
      // which also raises the errors.
      const i = sec.interfaces[dv.getUint32(p + 8, le)];
      const caplen = dv.getUint32(p + 20, le);
      if (
        i !== undefined &&
        caplen <= Math.max(i.snaplen, ngLimits.minCaplenLimit) &&
        20 + pad4(caplen) <= len - 12
      ) {
        const cut = truncate && i.snaplen !== 0 && caplen > i.snaplen ? i.snaplen : caplen;
        add(p, p + 28, cut, dv.getUint32(p + 24, le), i.linktype);
        return p + len;
      }
    }
    const body = buf.subarray(p + 8, p + len - 4);
    switch (type) {
      case BT_SHB: {
        if (batch.n > 0) return p; // record() must see each record's own section
        const major = dv.getUint16(p + 12, le);
        if (major !== 1)
          throw new PcapFormatError(
            'BAD_VERSION',
            at + 12,
            `unsupported pcapng savefile version ${major}.${dv.getUint16(p + 14, le)}`,
          );
        section = { littleEndian: le, interfaces: [] };
        onBlock?.({ type, body, offset: at, littleEndian: le });
        break;
      }
      case BT_IDB: {
        const i = parseIdb(body, sec, at);
        sec.interfaces.push(i);
        firstInterface ??= { linktype: i.linktype, snaplen: i.snaplen };
        onBlock?.({ type, body, offset: at, littleEndian: le });
        break;
      }
      case BT_EPB:
      case BT_PB:
      case BT_SPB: {
        const r =
          type === BT_SPB
            ? parseSimplePacketBlock(body, sec, ngLimits, at)
            : parsePacketBlock(type, body, sec, ngLimits, at);
        const cut = truncate && r.snaplen !== 0 && r.caplen > r.snaplen ? r.snaplen : r.caplen;
        add(p, r.data.byteOffset - buf.byteOffset, cut, r.wirelen, r.linktype);
        break;
      }
      default:
        onBlock?.({ type, body, offset: at, littleEndian: le });
    }
    return p + len;
  }

  function scanFrom(buf: Uint8Array, dv: DataView, end: number, base: number): void {
    if (!format) {
      need = claimed = 4;
      if (end - pos < 4) return;
      const magicLE = dv.getUint32(pos, true);
      if (classicMagic(magicLE)) format = 'pcap';
      else if (magicLE === BT_SHB) format = 'pcapng';
      else throw new PcapFormatError('BAD_MAGIC', 0, 'unknown file format');
    }
    if (format === 'pcap') {
      if (!classic) {
        need = claimed = PCAP_HEADER_LENGTH;
        if (end - pos < PCAP_HEADER_LENGTH) return;
        classic = parseClassicHeader(buf.subarray(pos, pos + PCAP_HEADER_LENGTH));
        pos += PCAP_HEADER_LENGTH;
      }
      scanClassic(dv, end, base);
      return;
    }
    while (batch.n < size) {
      const q = scanBlock(buf, dv, pos, end, base);
      if (q === pos) return;
      pos = q;
    }
  }

  return {
    get format() {
      return format;
    },
    get classic() {
      return classic;
    },
    get section() {
      return section;
    },
    get firstInterface() {
      return firstInterface;
    },
    get records() {
      return records;
    },
    batch,
    get offset() {
      return offset;
    },
    get need() {
      return need;
    },
    get error() {
      return error;
    },
    scan(buf, start, end) {
      if (error) throw error;
      if (!(start >= 0 && start <= end && end <= buf.length))
        throw new RangeError(`scan: [${start}, ${end}) lies outside a ${buf.length}-byte buffer`);
      batch.n = 0;
      const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      pos = start;
      try {
        scanFrom(buf, dv, end, offset - start);
      } catch (e) {
        if (!(e instanceof PcapFormatError)) throw e;
        // The records before the bad part stay in the batch; `pos` is where that part starts.
        error = e;
        if (classic || section) e.atRecord(records + batch.n + 1);
      }
      records += batch.n;
      offset += pos - start;
      return pos - start;
    },
    end(rest) {
      if (error) throw error;
      const reason =
        rest > 0 || !format || (format === 'pcap' && !classic)
          ? truncation(
              format,
              !!(classic || section),
              classic?.recordHeaderLength ?? 16,
              rest,
              claimed,
            )
          : format === 'pcapng' && !firstInterface
            ? NO_INTERFACES
            : undefined;
      if (reason === undefined) return;
      error = new PcapFormatError(
        reason === NO_INTERFACES ? 'NO_INTERFACE' : 'TRUNCATED',
        offset,
        reason,
      );
      if (classic || section) error.atRecord(records + 1);
      throw error;
    },
    record(buf, i) {
      if (!(i >= 0 && i < batch.n)) throw new RangeError(`record: no record ${i} in the batch`);
      const at = batch.start[i];
      const caplen = batch.caplen[i];
      const view = new Uint8Array(buf.buffer, buf.byteOffset + batch.data[i], caplen);
      if (format === 'pcap') {
        const h = classic as ClassicHeader;
        const rh = parseClassicRecordHeader(buf.subarray(at, at + h.recordHeaderLength), h);
        return {
          timestampNs: rh.timestampNs,
          data: view,
          caplen,
          wirelen: rh.wirelen,
          linktype: h.linktype,
          interfaceId: 0,
          snaplen: h.snaplen,
        };
      }
      const sec = section as PcapngSection;
      const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      const type = dv.getUint32(at, sec.littleEndian);
      const body = buf.subarray(at + 8, at + dv.getUint32(at + 4, sec.littleEndian) - 4);
      const r =
        type === BT_SPB
          ? parseSimplePacketBlock(body, sec, ngLimits, 0)
          : parsePacketBlock(type, body, sec, ngLimits, 0);
      r.data = view;
      r.caplen = caplen;
      return r;
    },
  };
}
