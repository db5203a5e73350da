// The streaming reader: a push parser that detects pcap or pcapng and accepts chunks of any size,
// plus an async-iterator and a one-call wrapper over it.
import { ByteQueue } from './byte-queue.js';
import {
  type ClassicHeader,
  classicMagic,
  PCAP_HEADER_LENGTH,
  parseClassicHeader,
  parseClassicRecordHeader,
} from './classic.js';
import { PcapFormatError } from './errors.js';
import {
  BT_EPB,
  BT_IDB,
  BT_PB,
  BT_SHB,
  BT_SPB,
  BYTE_ORDER_MAGIC,
  type PcapngRawBlock,
  type PcapngSection,
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

export interface CaptureParserOptions extends CaptureLimits {
  /** Copy every record's data instead of viewing the pushed chunk (use when chunk buffers are reused). */
  copy?: boolean;
  /**
   * A record whose captured length exceeds its file's/interface's (nonzero) snaplen but not the limits:
   * 'truncate' (default) cuts it to snaplen as libpcap does (so tcpdump and cbpf agree); 'keep' delivers
   * every byte present.
   */
  oversized?: 'truncate' | 'keep';
  /** Called with each pcapng block that yields no record (IDB and SHB included), with a view of its body. */
  onBlock?: (block: PcapngRawBlock) => void;
}

export interface CaptureParser {
  /** Feeds bytes; returns the records completed by them. Throws a PcapFormatError left by an earlier push. */
  push(chunk: Uint8Array): PcapRecord[];
  /** Declares the end of the stream; throws PcapFormatError if it stopped inside a header, record or block (or a pending one). */
  end(): PcapRecord[];
  /** 'pcap' or 'pcapng' once the magic has been seen. */
  readonly format: CaptureFormat | undefined;
}

const PCAPNG_MIN_SHB = 28;

/** A push parser; it buffers at most the one record or block in progress (bounded by the limits). */
export function createCaptureParser(options: CaptureParserOptions = {}): CaptureParser {
  const q = new ByteQueue();
  const minCaplenLimit = options.minCaplenLimit ?? DEFAULT_CAPLEN_LIMIT;
  const maxBlock = options.maxBlockLength ?? DEFAULT_MAX_BLOCK_LENGTH;
  const copy = options.copy ?? false;
  const truncate = (options.oversized ?? 'truncate') === 'truncate';
  let format: CaptureFormat | undefined;
  let classic: ClassicHeader | undefined;
  let section: PcapngSection | undefined;
  let failed: PcapFormatError | undefined;
  let ended = false;
  let sawInterface = false;
  /** Records emitted so far: the one being read when something is wrong is the next. */
  let records = 0;

  const emit = (out: PcapRecord[], r: PcapRecord) => {
    records++;
    if (truncate && r.snaplen !== 0 && r.caplen > r.snaplen) {
      r.data = r.data.subarray(0, r.snaplen);
      r.caplen = r.snaplen;
    }
    if (copy) r.data = r.data.slice();
    out.push(r);
  };

  function stepMagic(): boolean {
    const m = q.peek(4);
    if (!m) return false;
    const magicLE = (m[0] | (m[1] << 8) | (m[2] << 16) | (m[3] << 24)) >>> 0;
    if (classicMagic(magicLE)) format = 'pcap';
    else if (magicLE === BT_SHB) format = 'pcapng';
    else throw new PcapFormatError('BAD_MAGIC', 0, 'unknown file format');
    return true;
  }

  function stepClassic(out: PcapRecord[]): boolean {
    if (!classic) {
      const b = q.peek(PCAP_HEADER_LENGTH);
      if (!b) return false;
      classic = parseClassicHeader(b);
      q.skip(PCAP_HEADER_LENGTH);
      return true;
    }
    const hl = classic.recordHeaderLength;
    const hb = q.peek(hl);
    if (!hb) return false;
    const h = parseClassicRecordHeader(hb, classic);
    const limit = Math.min(Math.max(classic.snaplen, minCaplenLimit), maxBlock);
    if (h.caplen > limit)
      throw new PcapFormatError(
        'CAPLEN_TOO_LARGE',
        q.offset,
        caplenTooLarge(h.caplen, classic.snaplen, limit),
      );
    const b = q.peek(hl + h.caplen);
    if (!b) return false;
    emit(out, {
      timestampNs: h.timestampNs,
      data: b.subarray(hl),
      caplen: h.caplen,
      wireLength: h.wireLength,
      linktype: classic.linktype,
      interfaceId: 0,
      snaplen: classic.snaplen,
    });
    q.skip(hl + h.caplen);
    return true;
  }

  function stepPcapng(out: PcapRecord[]): boolean {
    const offset = q.offset;
    const first = q.peek(8);
    if (!first) return false;
    const typeLE = new DataView(first.buffer, first.byteOffset, 8).getUint32(0, true);
    // A section header's byte order is in its body; other blocks use their section's.
    const head = typeLE === BT_SHB ? q.peek(12) : first;
    if (!head) return false;
    const hv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    let le: boolean;
    if (typeLE === BT_SHB) {
      const bom = hv.getUint32(8, true);
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else
        throw new PcapFormatError(
          'BAD_MAGIC',
          offset + 8,
          section
            ? 'the file has a section with a bad byte order magic field'
            : 'unknown file format',
        );
    } else {
      if (!section)
        throw new PcapFormatError('NO_SECTION', offset, 'block before any section header');
      le = section.littleEndian;
    }
    const type = hv.getUint32(0, le);
    const len = hv.getUint32(4, le);
    if (len < 12 || (type === BT_SHB && len < PCAPNG_MIN_SHB))
      throw new PcapFormatError('BLOCK_TOO_SHORT', offset, blockTooShort(type, len));
    if (len % 4 !== 0)
      throw new PcapFormatError('BLOCK_LENGTH_MISMATCH', offset, lengthNotMultipleOf4(len));
    if (len > maxBlock)
      throw new PcapFormatError(
        'BLOCK_TOO_LARGE',
        offset,
        `pcapng block size ${len} > maximum ${maxBlock}`,
      );
    const b = q.peek(len);
    if (!b) return false;
    const dv = new DataView(b.buffer, b.byteOffset, len);
    if (dv.getUint32(len - 4, le) !== len)
      throw new PcapFormatError('BLOCK_LENGTH_MISMATCH', offset, LENGTH_MISMATCH);
    const body = b.subarray(8, len - 4);
    const limits = { minCaplenLimit: Math.min(minCaplenLimit, maxBlock) };
    switch (type) {
      case BT_SHB: {
        const major = dv.getUint16(12, le);
        if (major !== 1)
          throw new PcapFormatError(
            'BAD_VERSION',
            offset + 12,
            `unsupported pcapng savefile version ${major}.${dv.getUint16(14, le)}`,
          );
        section = { littleEndian: le, interfaces: [] };
        options.onBlock?.({ type, body, offset, littleEndian: le });
        break;
      }
      case BT_IDB:
        section!.interfaces.push(parseIdb(body, section!, offset));
        sawInterface = true;
        options.onBlock?.({ type, body, offset, littleEndian: le });
        break;
      case BT_EPB:
      case BT_PB:
        emit(out, parsePacketBlock(type, body, section!, limits, offset));
        break;
      case BT_SPB:
        emit(out, parseSimplePacketBlock(body, section!, limits, offset));
        break;
      default:
        options.onBlock?.({ type, body, offset, littleEndian: le });
    }
    q.skip(len);
    return true;
  }

  /** Bytes the header, record or block in progress needs in all (for the truncation message). */
  function pendingNeed(): number {
    if (format === 'pcap' && classic) {
      const hl = classic.recordHeaderLength;
      const hb = q.peek(hl);
      return hb ? hl + parseClassicRecordHeader(hb, classic).caplen : hl;
    }
    const head = q.peek(12) ?? q.peek(8);
    if (!head) return 8;
    const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    // A section header says its byte order in its body; any other block uses its section's.
    const le =
      dv.getUint32(0, true) === BT_SHB && head.length >= 12
        ? dv.getUint32(8, true) === BYTE_ORDER_MAGIC
        : (section?.littleEndian ?? true);
    return dv.getUint32(4, le);
  }

  function run(out: PcapRecord[]): void {
    for (;;) {
      let progressed: boolean;
      if (!format) progressed = stepMagic();
      else if (format === 'pcap') progressed = stepClassic(out);
      else progressed = stepPcapng(out);
      if (!progressed) return;
    }
  }

  function guarded(out: PcapRecord[], f: () => void): PcapRecord[] {
    try {
      f();
    } catch (e) {
      if (!(e instanceof PcapFormatError)) throw e;
      if (classic || section) e.atRecord(records + 1);
      failed = e;
      if (out.length === 0) throw e;
    }
    return out;
  }

  return {
    get format() {
      return format;
    },
    push(chunk: Uint8Array): PcapRecord[] {
      if (failed) throw failed;
      if (ended) throw new Error('push after end()');
      q.push(chunk);
      const out: PcapRecord[] = [];
      return guarded(out, () => run(out));
    },
    end(): PcapRecord[] {
      if (failed) throw failed;
      ended = true;
      const out: PcapRecord[] = [];
      return guarded(out, () => {
        run(out);
        const rest = q.length;
        if (rest > 0 || !format || (format === 'pcap' && !classic))
          throw new PcapFormatError(
            'TRUNCATED',
            q.offset,
            truncation(
              format,
              !!(classic || section),
              classic?.recordHeaderLength ?? 16,
              rest,
              pendingNeed(),
            ),
          );
        if (format === 'pcapng' && !sawInterface)
          throw new PcapFormatError('NO_INTERFACE', q.offset, NO_INTERFACES);
      });
    },
  };
}

/** Reads a whole capture held in memory; records before a format error are returned with it. */
export function parseCapture(
  bytes: Uint8Array,
  options?: CaptureParserOptions,
): { records: PcapRecord[]; error?: PcapFormatError } {
  const p = createCaptureParser(options);
  const records: PcapRecord[] = [];
  try {
    for (const r of p.push(bytes)) records.push(r);
    for (const r of p.end()) records.push(r);
    p.end();
  } catch (e) {
    if (!(e instanceof PcapFormatError)) throw e;
    return { records, error: e };
  }
  return { records };
}

/** Streams records from chunks; yields those before a format error, then throws it. */
export async function* readCapture(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options?: CaptureParserOptions,
): AsyncGenerator<PcapRecord> {
  const p = createCaptureParser(options);
  for await (const chunk of source) yield* p.push(chunk);
  yield* p.end();
  // end() may have returned records and kept an error for the next call.
  p.end();
}
