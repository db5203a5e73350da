// `cbpf -r FILE`: reads the capture in large chunks, runs the filter on the read buffer at each
// record's offset, and copies matching records into a large output buffer (or prints their lines).
import { fstatSync, statSync } from 'node:fs';
import { parseLinktype } from '../../compiler.js';
import { type CompiledFilter, compileFilter, type Program } from '../../index.js';
import { BufferedOutput, refuseSameFile, scanCaptureFile } from '../../internal.js';
import {
  type CaptureScanner,
  type ClassicHeader,
  createCaptureScanner,
  largestSnaplen,
  PcapFormatError,
  PcapngWriter,
  PcapWriter,
} from '../../pcap.js';
import { CliError } from '../errors.js';
import { type CliIo, write } from '../io.js';
import { stampTimeval } from './stamp-text.js';

/** A part of a file for scanCaptureFile (one thread's share of a large file). */
type ScanRange = NonNullable<NonNullable<Parameters<typeof scanCaptureFile>[2]>['range']>;

export interface OfflineOptions {
  /** Stop after this many matching packets. */
  count: number;
  /**
   * Bytes kept per packet written, and the written file's snap length. Default: every byte, and the
   * input's snap length in the header, as tcpdump -r -w (which ignores -s) writes it.
   */
  snaplen?: number;
  /** Print the link-level header. */
  link: boolean;
  /** Write matching packets here ('-' for stdout) instead of printing them. */
  out?: string;
  /** Link type (name or number) to compile the expression for instead of the file's. */
  dlt?: string;
  /** Write pcapng whatever the extension. */
  pcapng?: boolean;
  /** Compile the expression without the optimizer (tcpdump -O). */
  noOptimize?: boolean;
  /** Where matching records go instead of the file or the printed lines (the CLI's flags make it). */
  sink?: RecordSink;
  /** The filter for a link type when the caller compiled it already (else the expression is compiled here). */
  program?: (linktype: number) => Promise<Program | undefined>;
  /** A part of the file only (one thread's share of a large file): where to start and stop. */
  range?: ScanRange;
  /** With `range.end`: the file offset of the first record this part left to the next. */
  onStop?: (offset: number) => void;
  /** Called once the input's header is known, before the filter is compiled (tcpdump's "reading from file"). */
  onHeader?: (first: OutputHeader, scanner: CaptureScanner) => void;
}

/** Where matching records go: put() runs synchronously per record, the rest once per batch. */
export interface RecordSink {
  put(s: CaptureScanner, buf: Uint8Array, i: number): void;
  /** put() for records `base + picked[q]`, q < k, in that order (where a sink can do better than a loop). */
  putMany?(s: CaptureScanner, buf: Uint8Array, base: number, picked: Int32Array, k: number): void;
  /**
   * After each batch: hands the batch's output on, waiting while the destination is full (undefined:
   * nothing to wait for).
   */
  flush(): Promise<void> | undefined;
  /** `first`: what the output's header takes from the input, if the input had a header. */
  close(first?: OutputHeader): Promise<void>;
  /**
   * Appends records another thread encoded for this output (pcap or pcapng records, no header),
   * opening the output with `first` if nothing was written yet.
   */
  appendEncoded?(bytes: Uint8Array, first: OutputHeader): Promise<void>;
  /** Leaves the destination as it was (the run failed before filtering began, as tcpdump's would). */
  discard(): Promise<void>;
  /**
   * A buffer of `size` bytes for the input's reads that shares its memory with the output's, where
   * the sink copies records as they are (putMany): each run of them is then moved within one buffer.
   */
  readBuffer?(size: number): Uint8Array | undefined;
}

/** What an output file's header takes from the input: link type, snap length, the link field's upper bits. */
export interface OutputHeader {
  linktype: number;
  snaplen: number;
  linkExtension: number;
}

/**
 * Writes records as tcpdump -w does: the file is made at the first match, with that record's link
 * type and snap length (-s's if given), and for pcap the input's link-field upper bits (FCS length);
 * timestamps in microseconds, little-endian; pcapng input becomes pcap unless the name or --pcapng
 * asks for pcapng. Records bound for pcap are copied by the scanner where it can (copyAsPcap), the
 * rest decoded and encoded by the writers.
 */
export function fileSink(path: string, o: OfflineOptions, io: CliIo): RecordSink {
  let out: BufferedOutput | undefined;
  let enc: PcapWriter | PcapngWriter | undefined;
  const pcapng = o.pcapng || /\.pcapng$/i.test(path);
  /** The output's buffers, and the input's view beside them, once readBuffer() made them. */
  let shared: Uint8Array[] = [];
  let input: Uint8Array | undefined;
  const open = (f: OutputHeader): PcapWriter | PcapngWriter => {
    // A snap length of 0 (pcapng: none given) is libpcap's largest, as tcpdump writes it.
    const snaplen = o.snaplen ?? (f.snaplen || 262_144);
    out = path === '-' ? new BufferedOutput(io.stdout) : new BufferedOutput(path, OUT_SIZE, shared);
    if (pcapng) return new PcapngWriter({ linktype: f.linktype, snaplen });
    const w = new PcapWriter({ linktype: (f.linktype | f.linkExtension) >>> 0, snaplen });
    out.append(w.header());
    return w;
  };
  return {
    putMany(s, buf, base, picked, k) {
      if (k === 0) return;
      enc ??= open(firstOf(s, s.record(buf, base + (picked[0] as number))));
      if (!(enc instanceof PcapWriter)) {
        for (let q = 0; q < k; q++) this.put(s, buf, base + (picked[q] as number));
        return;
      }
      const dst = out as BufferedOutput;
      const snaplen = enc.snaplen;
      dst.reserve(s.pcapSize(base, picked, k, snaplen));
      dst.length += s.copyManyAsPcap(buf, base, picked, k, snaplen, dst.buf, dst.length);
    },
    put(s, buf, i) {
      enc ??= open(firstOf(s, s.record(buf, i)));
      const dst = out as BufferedOutput;
      if (enc instanceof PcapWriter) {
        // To pcap: the record header re-encoded and the bytes copied, no record object.
        // Cut to the header's snap length, as the writer cuts: a pcapng record longer than its
        // interface's (which tcpdump refuses to read) cannot make a pcap libpcap would read cut.
        const caplen = Math.min(s.batch.caplen[i], enc.snaplen);
        dst.reserve(16 + caplen);
        dst.length += s.copyAsPcap(buf, i, caplen, dst.buf, dst.length);
        return;
      }
      const r = s.record(buf, i);
      dst.append(
        enc.write({
          timestampNs: pcapngTime(r.timestampNs),
          data: r.data.subarray(0, o.snaplen),
          wirelen: r.wirelen,
        }),
      );
    },
    flush() {
      if (!out) return undefined;
      if (path === '-') out.flush();
      return out.drained();
    },
    async appendEncoded(bytes, first) {
      enc ??= open(first);
      const o = out as BufferedOutput;
      o.append(enc.header());
      o.append(bytes);
      if (path === '-') o.flush();
      await o.drained();
    },
    async close(first) {
      // Nothing matched (or nothing was there): a file with just the header, as tcpdump -w leaves.
      if (!enc && first) enc = open(first);
      if (!out || !enc) return;
      // A pcapng's header, if no record was written (it goes out with the first).
      out.append(enc.header());
      await out.close();
    },
    async discard() {
      await out?.discard();
    },
    readBuffer(size) {
      // Only a file (a stream keeps what it is handed) written as pcap (pcapng records are encoded);
      // the next file of a -V list reads into the same view.
      if (input) return size <= input.length ? input.subarray(0, size) : undefined;
      if (path === '-' || pcapng || out) return undefined;
      const all = new ArrayBuffer(size + OUT_BUFFERS * OUT_SIZE);
      shared = Array.from(
        { length: OUT_BUFFERS },
        (_, i) => new Uint8Array(all, size + i * OUT_SIZE, OUT_SIZE),
      );
      input = new Uint8Array(all, 0, size);
      return input;
    },
  };
}

/** BufferedOutput's buffer size, and how many it fills at most: one, and two whose writes are in flight. */
const OUT_SIZE = 1 << 20;
const OUT_BUFFERS = 3;

/**
 * A time a pcapng EPB can hold: a negative one, or one past 2^64 µs (an if_tsoffset or if_tsresol
 * far out), wraps as libpcap's 64-bit arithmetic wraps it, rather than failing the run.
 */
function pcapngTime(ns: bigint): bigint {
  if (ns >= 0n && ns < 18_446_744_073_709_551_616_000n) return ns;
  return BigInt.asUintN(64, ns / 1000n) * 1000n;
}

/** Prints `time summary` lines, tcpdump -n style, through one write per batch. */
async function printSink(o: OfflineOptions, io: CliIo): Promise<RecordSink> {
  const { summarize, createTcpSeqState } = await import('../../packets.js');
  const tcpSeq = createTcpSeqState();
  let text = '';
  const flush = async () => {
    if (text === '') return;
    const t = text;
    text = '';
    await write(io.stdout, t);
  };
  return {
    put(s, buf, i) {
      const r = s.record(buf, i);
      text += `${stampTimeval(s.timeval(buf, i))} ${summarize(r.data, r.linktype, { link: o.link, wirelen: r.wirelen, tcpSeq })}\n`;
    },
    flush,
    close: flush,
    discard: flush,
  };
}

/** The header fields an output file takes from the input, at record `r`. */
export function firstOf(s: CaptureScanner, r: { linktype: number; snaplen: number }): OutputHeader {
  const h = s.classic;
  return h ? classicFirst(h) : ngFirst(r);
}

/** A pcapng interface's fields as libpcap reads them (pcap_adjust_snapshot: 0 or past INT_MAX is the largest). */
function ngFirst(i: { linktype: number; snaplen: number }): OutputHeader {
  const max = largestSnaplen(i.linktype);
  return {
    linktype: i.linktype,
    snaplen: i.snaplen === 0 || i.snaplen > 0x7fff_ffff ? max : i.snaplen,
    linkExtension: 0,
  };
}

/**
 * A classic file's header fields as libpcap reads them: a snap length that is not positive as a
 * signed 32-bit number becomes the link type's largest (pcap-common.c max_snaplen_for_dlt), which
 * tcpdump -w then writes; any other is kept, however large.
 */
export function classicFirst(h: ClassicHeader): OutputHeader {
  let snaplen = (h.snaplen | 0) <= 0 ? largestSnaplen(h.linktype) : h.snaplen;
  // Kuznetzov's patched libpcap captured Ethernet in cooked mode and added a 14-byte header to
  // each packet: libpcap allows for it (sf-pcap.c), so tcpdump -w writes the larger length.
  if (h.recordHeaderLength === 24 && h.linktype === 1)
    snaplen = Math.min(snaplen + 14, 0x7fff_ffff);
  return { linktype: h.linktype, snaplen, linkExtension: h.linkExtension };
}

/**
 * Reads `path` ('-' for stdin), filters it with `expr` (empty: everything) and writes or prints what
 * matches. `expr` may be a function, called once the input is open (tcpdump reads -F's file then).
 */
export async function offline(
  path: string,
  expr: string | (() => string),
  o: OfflineOptions,
  io: CliIo,
): Promise<number> {
  const { resolveFilter } = await import('../../internal.js');
  const forced = o.dlt === undefined ? undefined : parseLinktype(String(o.dlt));
  if (o.dlt !== undefined && forced === undefined)
    throw new CliError(
      'BAD_LINKTYPE',
      `unknown link type '${o.dlt}' (tcpdump's -y names: EN10MB, LINUX_SLL, IEEE802_11_RADIO, PPP ...)`,
    );
  // Reading a file while replacing it (or appending to it through stdout) destroys it.
  if (o.out)
    refuseSameFile(
      { path, fd: path === '-' ? io.stdinFd : undefined },
      { path: o.out, fd: o.out === '-' ? io.stdoutFd : undefined },
    );
  // A stop signal ends the scan between batches; what was written stays, whole (signals.ts).
  let stopped = false;
  const onStop = () => {
    stopped = true;
  };
  io.signal?.addEventListener('abort', onStop, { once: true });
  // Compiles run where a signal ends the process at once, as it ends tcpdump while it compiles:
  // nothing is written before the first compile.
  const uninterruptible = io.uninterruptible ?? (<T>(work: () => T) => work());
  // Compiled when a link type is first seen; null accepts everything.
  const filters = new Map<number, CompiledFilter | null>();
  const filterFor = async (lt: number): Promise<CompiledFilter | null> => {
    let f = filters.get(lt);
    if (f === undefined) {
      f = await uninterruptible(async () => {
        const program = o.program
          ? await o.program(forced ?? lt)
          : await resolveFilter(
              text || undefined,
              forced ?? lt,
              { swapped: scanner.classic ? !scanner.classic.littleEndian : false },
              !o.noOptimize,
            );
        // Userland filtering as tcpdump -r does it: libpcap's run-time semantics, with the JIT where allowed.
        return program ? compileFilter(program, { profile: 'libpcap' }) : null;
      });
      filters.set(lt, f);
    }
    return f;
  };
  const progress = progressBar(path, io);
  const sink = o.sink ?? (o.out ? fileSink(o.out, o, io) : await printSink(o, io));
  // Buffers no larger than the file: a -V list of small captures reads each one in a few microseconds.
  const size = sizeOf(path);
  const scanner = createCaptureScanner(
    size === undefined ? {} : { batchSize: Math.max(1, Math.min(16384, Math.ceil(size / 16))) },
  );
  const chunkSize = size === undefined ? undefined : Math.min(1 << 19, Math.max(1 << 12, size));
  const buffer = chunkSize === undefined ? undefined : sink.readBuffer?.(chunkSize);
  let announced = false;
  let text = typeof expr === 'string' ? expr : '';
  const announce = (f: OutputHeader) => {
    if (announced) return;
    announced = true;
    o.onHeader?.(f, scanner);
    if (typeof expr === 'function') text = expr();
  };
  let n = 0;
  let first: OutputHeader | undefined;
  /** Indices of the records a batch's filter accepted. */
  let picked = new Int32Array(0);
  let failure: unknown;
  /**
   * Filters the batch's records from `i` on, a run of one link type at a time, and hands the matches to
   * the sink; stops at a link type whose filter is not compiled yet, or at -c's count. Returns where it
   * stopped.
   */
  const filterRuns = (s: CaptureScanner, buf: Uint8Array, from: number): number => {
    const b = s.batch;
    let i = from;
    while (i < b.n && n < o.count) {
      const lt = b.linktype[i] as number;
      const f = filters.get(lt);
      if (f === undefined) break;
      // The records up to the next change of link type, filtered in one call (the loop is then the
      // JIT's own, around the inlined program), then written in order.
      // (A classic pcap has one link type: the whole batch.)
      let j = s.classic ? b.n : i + 1;
      while (j < b.n && b.linktype[j] === lt) j++;
      if (picked.length < b.data.length) picked = new Int32Array(b.data.length);
      if (f === null) {
        // No filter: every record, as one run where the sink takes runs.
        const k = Math.min(j - i, o.count - n);
        if (sink.putMany) {
          for (let q = 0; q < k; q++) picked[q] = q;
          sink.putMany(s, buf, i, picked, k);
        } else for (let q = 0; q < k; q++) sink.put(s, buf, i + q);
        n += k;
      } else {
        const start = i;
        const at = <T extends Int32Array | Uint32Array>(a: T) =>
          (start === 0 ? a : a.subarray(start)) as T;
        const k = f.count(buf, at(b.data), at(b.caplen), at(b.wirelen), j - i, picked);
        // A run of matches copied at once (most often neighbours in the file: one copy for many).
        if (sink.putMany && n + k <= o.count) {
          if (k > 0) sink.putMany(s, buf, i, picked, k);
          n += k;
        } else
          for (let q = 0; q < k && n < o.count; q++, n++)
            sink.put(s, buf, i + (picked[q] as number));
      }
      i = j;
    }
    return i;
  };
  const more = () => n < o.count && !stopped;
  try {
    const stoppedAt = await scanCaptureFile(
      path,
      (s, buf, bytes) => {
        const b = s.batch;
        first ??= firstOf(s, s.record(buf, 0));
        announce(first);
        progress?.tick(bytes);
        let i = filterRuns(s, buf, 0);
        // Every filter was ready and the output can take more: no promise for this batch (about one
        // batch per 512 KiB read, and the awaits were a tenth of a file of 1 kB frames).
        if (!(i < b.n && n < o.count)) {
          const wait = sink.flush();
          return wait === undefined ? more() : wait.then(more);
        }
        // A link type met for the first time: its filter is compiled first.
        return (async () => {
          while (i < b.n && n < o.count) {
            await filterFor(b.linktype[i] as number);
            i = filterRuns(s, buf, i);
          }
          await sink.flush();
          return more();
        })();
      },
      path !== '-'
        ? { scanner, chunkSize, buffer, range: o.range, signal: io.signal }
        : isFile(io.stdinFd)
          ? { scanner, stdinFd: io.stdinFd, signal: io.signal }
          : { scanner, stdin: io.stdin, signal: io.signal },
    );
    if (stoppedAt !== undefined) o.onStop?.(stoppedAt);
  } catch (e) {
    failure = e;
  }
  io.signal?.removeEventListener('abort', onStop);
  progress?.end();
  // A capture without records (or whose first record is broken) still has a header to copy.
  first ??= headerOf(scanner);
  if (first && !announced && (!failure || failure instanceof PcapFormatError)) announce(first);
  // tcpdump compiles before it reads a record: an expression is checked even when no record
  // came to need it.
  if (filters.size === 0 && first && !stopped && (!failure || failure instanceof PcapFormatError))
    try {
      await filterFor(first.linktype);
    } catch (e) {
      failure = e;
    }
  // A run that failed before its filter was ready leaves the destination alone, as tcpdump's does;
  // otherwise what was written is put in place (whole records), also after a broken record.
  if (failure !== undefined && filters.size === 0) await sink.discard();
  else
    try {
      await sink.close(first);
    } catch (e) {
      failure ??= e;
    }
  if (failure !== undefined) throw failure;
  // Interrupted, tcpdump ends a printed line it may have cut (its extra newline) and exits 0.
  // (A caller's sink: the caller knows whether it prints.)
  if (stopped && !o.out && !o.sink) await write(io.stdout, '\n');
  return 0;
}

/** The size of the file at `path` ('-' and what cannot be stat'ed: undefined). */
function sizeOf(path: string): number | undefined {
  if (path === '-') return undefined;
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** The output header a capture's file header or first interface gives, once the scanner has seen it. */
function headerOf(s: CaptureScanner): OutputHeader | undefined {
  if (s.classic) return classicFirst(s.classic);
  return s.firstInterface && ngFirst(s.firstInterface);
}

/**
 * Whether `fd` is a regular file: then '-' is read like a named file, in large reads from the
 * descriptor rather than as a stream of 64 KiB chunks. Pipes and terminals stay streams (a
 * descriptor Node has made non-blocking would fail a direct read).
 */
function isFile(fd: number | undefined): fd is number {
  if (fd === undefined) return false;
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/**
 * A progress bar on stderr for files over 8 MiB when stderr is a terminal, advanced by the bytes
 * each batch of records covers.
 */
function progressBar(
  path: string,
  io: CliIo,
): { tick: (bytes: number) => void; end: () => void } | undefined {
  const tty = io.stderrIsTTY ? io.stderrIsTTY() : (io.stderr as { isTTY?: boolean }).isTTY === true;
  if (path === '-' || !tty) return undefined;
  const size = statSync(path).size;
  if (size < 8 * 2 ** 20) return undefined;
  let done = 0;
  let drawn = 0;
  const draw = () => {
    const pct = Math.min(100, Math.floor((100 * done) / size));
    io.stderr.write(
      `\r[${'#'.repeat(Math.floor(pct / 4)).padEnd(25)}] ${String(pct).padStart(3)}% of ${(size / 2 ** 20).toFixed(0)} MiB`,
    );
  };
  return {
    tick(bytes) {
      done += bytes;
      const now = Date.now();
      if (now - drawn > 200) {
        drawn = now;
        draw();
      }
    },
    end() {
      if (drawn) io.stderr.write('\n');
    },
  };
}
