// `cbpf -r FILE`: reads the capture in large chunks, runs the filter on the read buffer at each
// record's offset, and copies matching records into a large output buffer (or prints their lines).
import { fstatSync, statSync } from 'node:fs';
import { LINKTYPE_NAMES } from '../../compiler/index.js';
import { CbpfError } from '../../core/errors.js';
import type { CompiledFilter } from '../../core/filter.js';
import { compileFilter } from '../../core/select.js';
import { BufferedOutput } from '../../node/buffered-output.js';
import { scanCaptureFile } from '../../node/scan-file.js';
import type { ClassicHeader } from '../../pcap/classic.js';
// The pcap modules themselves, not pcap/index.js: startup time is part of the throughput of a run.
import { PcapWriter } from '../../pcap/classic.js';
import { PcapngWriter } from '../../pcap/pcapng.js';
import { largestSnaplen } from '../../pcap/record.js';
import { type CaptureScanner, createCaptureScanner } from '../../pcap/scanner.js';
import { type CliIo, write } from '../io.js';
import { stampText } from './stamp-text.js';

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
}

/** Where matching records go: put() runs synchronously per record, the rest once per batch. */
interface RecordSink {
  put(s: CaptureScanner, buf: Uint8Array, i: number): void;
  /** After each batch: hands the batch's output on, waiting while the destination is full. */
  flush(): Promise<void>;
  /** `first`: what the output's header takes from the input, if the input had a header. */
  close(first?: OutputHeader): Promise<void>;
}

/** What an output file's header takes from the input: link type, snap length, the link field's upper bits. */
interface OutputHeader {
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
function fileSink(path: string, o: OfflineOptions, io: CliIo): RecordSink {
  let out: BufferedOutput | undefined;
  let enc: PcapWriter | PcapngWriter | undefined;
  const pcapng = o.pcapng || /\.pcapng$/i.test(path);
  const open = (f: OutputHeader): PcapWriter | PcapngWriter => {
    // A snap length of 0 (pcapng: none given) is libpcap's largest, as tcpdump writes it.
    const snaplen = o.snaplen ?? (f.snaplen || 262_144);
    out = new BufferedOutput(path === '-' ? io.stdout : path);
    return pcapng
      ? new PcapngWriter({ linktype: f.linktype, snaplen })
      : new PcapWriter({ linktype: (f.linktype | f.linkExtension) >>> 0, snaplen });
  };
  return {
    put(s, buf, i) {
      const b = s.batch;
      if (out && enc instanceof PcapWriter) {
        // To pcap: the record header re-encoded and the bytes copied, no record object.
        // Cut to the header's snap length, as the writer cuts: a pcapng record longer than its
        // interface's (which tcpdump refuses to read) cannot make a pcap libpcap would read cut.
        const caplen = Math.min(b.caplen[i], enc.snaplen);
        out.reserve(16 + caplen);
        const n = s.copyAsPcap(buf, i, caplen, out.buf, out.length);
        if (n > 0) {
          out.length += n;
          return;
        }
      }
      const r = s.record(buf, i);
      enc ??= open(firstOf(s, r));
      (out as BufferedOutput).append(
        enc.write({
          timestampNs: r.timestampNs,
          data: r.data.subarray(0, o.snaplen),
          wireLength: r.wireLength,
        }),
      );
    },
    async flush() {
      if (!out) return;
      if (path === '-') out.flush();
      await out.drained();
    },
    async close(first) {
      // Nothing matched (or nothing was there): a file with just the header, as tcpdump -w leaves.
      if (!enc && first) enc = open(first);
      if (!out || !enc) return;
      // The header, if the first record failed to encode (it is written with the first record).
      out.append(enc.header());
      await out.close();
    },
  };
}

/** Prints `time summary` lines, tcpdump -n style, through one write per batch. */
async function printSink(o: OfflineOptions, io: CliIo): Promise<RecordSink> {
  const { summarize } = await import('../../packets/summary.js');
  const { createTcpSeqState } = await import('../../packets/tcp-seq.js');
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
      text += `${stampText(r.timestampNs)} ${summarize(r.data, r.linktype, { link: o.link, wireLength: r.wireLength, tcpSeq })}\n`;
    },
    flush,
    close: flush,
  };
}

/** The header fields an output file takes from the input, at record `r`. */
function firstOf(s: CaptureScanner, r: { linktype: number; snaplen: number }): OutputHeader {
  const h = s.classic;
  return h ? classicFirst(h) : { linktype: r.linktype, snaplen: r.snaplen, linkExtension: 0 };
}

/**
 * A classic file's header fields as libpcap reads them: a snap length that is not positive as a
 * signed 32-bit number becomes the link type's largest (pcap-common.c max_snaplen_for_dlt), which
 * tcpdump -w then writes; any other is kept, however large.
 */
function classicFirst(h: ClassicHeader): OutputHeader {
  const snaplen = (h.snaplen | 0) <= 0 ? largestSnaplen(h.linktype) : h.snaplen;
  return { linktype: h.linktype, snaplen, linkExtension: h.linkExtension };
}

/** Reads `path` ('-' for stdin), filters it with `expr` (empty: everything) and writes or prints what matches. */
export async function offline(
  path: string,
  expr: string,
  o: OfflineOptions,
  io: CliIo,
): Promise<number> {
  const { resolveFilter } = await import('../../node/resolve-filter.js');
  const forced =
    o.dlt === undefined
      ? undefined
      : (LINKTYPE_NAMES[String(o.dlt).toUpperCase()] ?? Number(o.dlt));
  if (forced !== undefined && Number.isNaN(forced))
    throw new CbpfError(
      'BAD_LINKTYPE',
      `unknown link type '${o.dlt}' (use ${Object.keys(LINKTYPE_NAMES).join(', ')})`,
    );
  // Compiled when a link type is first seen (a bad expression is reported only then, as before);
  // null accepts everything.
  const filters = new Map<number, CompiledFilter | null>();
  const progress = progressBar(path, io);
  const sink = o.out ? fileSink(o.out, o, io) : await printSink(o, io);
  let n = 0;
  let first: OutputHeader | undefined;
  const scanner = createCaptureScanner();
  /** Indices of the records a batch's filter accepted. */
  let picked = new Int32Array(0);
  try {
    await scanCaptureFile(
      path,
      async (s, buf, bytes) => {
        progress?.tick(bytes);
        const b = s.batch;
        first ??= firstOf(s, s.record(buf, 0));
        let i = 0;
        while (i < b.n && n < o.count) {
          const lt = b.linktype[i];
          let f = filters.get(lt);
          if (f === undefined) {
            const program = await resolveFilter(expr || undefined, forced ?? lt);
            // Userland filtering as tcpdump -r does it: libpcap's run-time semantics, with the JIT where allowed.
            f = program ? compileFilter(program, { profile: 'libpcap' }) : null;
            filters.set(lt, f);
          }
          // The records up to the next change of link type, filtered in one call (the loop is then the
          // JIT's own, around the inlined program), then written in order.
          let j = i + 1;
          while (j < b.n && b.linktype[j] === lt) j++;
          if (f === null) for (; i < j && n < o.count; i++, n++) sink.put(s, buf, i);
          else {
            if (picked.length < b.data.length) picked = new Int32Array(b.data.length);
            const at = <T extends Int32Array | Uint32Array>(a: T) =>
              (i === 0 ? a : a.subarray(i)) as T;
            const k = f.count(buf, at(b.data), at(b.caplen), at(b.wirelen), j - i, picked);
            for (let q = 0; q < k && n < o.count; q++, n++)
              sink.put(s, buf, i + (picked[q] as number));
            i = j;
          }
        }
        await sink.flush();
        return n < o.count;
      },
      path !== '-'
        ? { scanner }
        : isFile(io.stdinFd)
          ? { scanner, stdinFd: io.stdinFd }
          : { scanner, stdin: io.stdin },
    );
  } finally {
    progress?.end();
    // A pcap without records (or whose first record is broken) still has a header to copy.
    if (scanner.classic) first ??= classicFirst(scanner.classic);
    await sink.close(first);
  }
  return 0;
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
