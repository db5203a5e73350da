// The streaming reader: a push parser that detects pcap or pcapng and accepts chunks of any size (the
// walker over each chunk, with the one record or block that straddles chunks gathered in between),
// plus an async-iterator and a one-call wrapper over it.
import { CbpfError } from '../core/errors.js';
import { PcapFormatError, type PcapUsageCode } from './errors.js';
import type { PcapngRawBlock } from './pcapng.js';
import type { CaptureLimits, PcapRecord } from './record.js';
import { type CaptureFormat, createCaptureWalker } from './walker.js';

export type { CaptureFormat } from './walker.js';

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

/** Records a push hands the walker at most per scan: small, as parsers are many and batches short. */
const PARSER_BATCH = 512;
const EMPTY = new Uint8Array(0);

/**
 * A push parser; it buffers at most the one record or block in progress (bounded by the limits, and
 * grown as its bytes arrive, never to a length a header merely claims).
 */
export function createCaptureParser(options: CaptureParserOptions = {}): CaptureParser {
  const walker = createCaptureWalker({
    minCaplenLimit: options.minCaplenLimit,
    maxBlockLength: options.maxBlockLength,
    oversized: options.oversized,
    onBlock: options.onBlock,
    batchSize: PARSER_BATCH,
  });
  const copy = options.copy ?? false;
  /**
   * The unconsumed bytes of earlier chunks, fewer than the walker needs: the start of a record or
   * block. Records read from it are views of it, so it is replaced, never rewritten, once consumed.
   */
  let carry = EMPTY;
  let carried = 0;
  let failed: PcapFormatError | undefined;
  let ended = false;

  /** Walks buf[start, end) as far as whole records go; returns where it stopped. */
  function walk(buf: Uint8Array, start: number, end: number, out: PcapRecord[]): number {
    for (;;) {
      const used = walker.scan(buf, start, end);
      for (let i = 0; i < walker.batch.n; i++) {
        const r = walker.record(buf, i);
        if (copy) r.data = r.data.slice();
        out.push(r);
      }
      start += used;
      if (walker.error) throw walker.error;
      if (used === 0) return start;
    }
  }

  /** Appends chunk[from, from + n) to the carry, growing it geometrically up to what the walker needs. */
  function append(chunk: Uint8Array, from: number, n: number): void {
    if (carried + n > carry.length) {
      const grown = new Uint8Array(
        Math.min(walker.need, Math.max(carried + n, 2 * carry.length, 64)),
      );
      grown.set(carry.subarray(0, carried));
      carry = grown;
    }
    carry.set(chunk.subarray(from, from + n), carried);
    carried += n;
  }

  function feed(chunk: Uint8Array, out: PcapRecord[]): void {
    let at = 0;
    // First the record or block in progress: fill the carry to what the walker needs, and walk it.
    while (carried > 0 && at < chunk.length) {
      const take = Math.min(walker.need - carried, chunk.length - at);
      append(chunk, at, take);
      at += take;
      if (carried < walker.need) return;
      const stop = walk(carry, 0, carried, out);
      if (stop > 0) {
        carry = stop < carried ? carry.slice(stop, carried) : EMPTY;
        carried -= stop;
      }
    }
    // Then the chunk itself, records viewing it; its tail starts the next carry.
    if (carried === 0 && at < chunk.length) {
      const stop = walk(chunk, at, chunk.length, out);
      if (stop < chunk.length) {
        carry = chunk.slice(stop);
        carried = carry.length;
      }
    }
  }

  function guarded(out: PcapRecord[], f: () => void): PcapRecord[] {
    try {
      f();
    } catch (e) {
      if (!(e instanceof PcapFormatError)) throw e;
      failed = e;
      if (out.length === 0) throw e;
    }
    return out;
  }

  return {
    get format() {
      return walker.format;
    },
    push(chunk: Uint8Array): PcapRecord[] {
      if (failed) throw failed;
      if (ended) throw new CbpfError<PcapUsageCode>('PUSH_AFTER_END', 'push after end()');
      // Plain Uint8Array views even for subclasses (Node's Buffer), so records look the same everywhere.
      if (chunk.constructor !== Uint8Array)
        chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const out: PcapRecord[] = [];
      return guarded(out, () => feed(chunk, out));
    },
    end(): PcapRecord[] {
      if (failed) throw failed;
      ended = true;
      const out: PcapRecord[] = [];
      return guarded(out, () => walker.end(carried));
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
