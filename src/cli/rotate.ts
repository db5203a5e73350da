// -w with -C (a new file once this one is past N million bytes), -G (a new file every N seconds of
// wall-clock time, its name run through strftime), -W (how many files: -C wraps around, -G stops),
// -z (a command run on each closed file) and -U (each packet written out at once), named and
// ordered as tcpdump's dump_packet_and_trunc() does. Every matching packet goes to exactly one file.
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { BufferedOutput } from '../internal.js';
import { PcapngWriter, PcapWriter } from '../pcap.js';
import { firstOf, type OutputHeader, type RecordSink } from './commands/offline.js';
import type { CliIo } from './io.js';
import { RunComplete } from './run-complete.js';
import { strftime } from './strftime.js';

export interface RotateOptions {
  /** The -w name. */
  path: string;
  /** -C in bytes; 0 for none. */
  fileSize: number;
  /** -W; 0 for none. */
  fileCount: number;
  /** -G seconds; 0 for none. */
  seconds: number;
  /** -z */
  postRotate?: string;
  /** -U */
  packetBuffered: boolean;
  pcapng: boolean;
  /** The clock -G reads (seconds); tests pass their own. */
  now?: () => number;
}

/** Digits -W N asks for in a -C file number (tcpdump's getWflagChars: those of N - 1). */
export function fileNumberWidth(count: number): number {
  let c = 0;
  for (let x = count - 1; x > 0; x = Math.floor(x / 10)) c++;
  return c;
}

/** tcpdump's MakeFilename: the name (strftime'd for -G) and, for -C, the file number padded to `width`. */
export function rotatedName(
  path: string,
  n: number,
  width: number,
  gTime: number | undefined,
): string {
  const name = gTime === undefined ? path : strftime(path, gTime);
  return n === 0 && width === 0 ? name : `${name}${String(n).padStart(width, '0')}`;
}

/**
 * An output file written synchronously: a rotation closes the old file before it opens the next,
 * which may have the same name (-W 1), as tcpdump's fclose and fopen do.
 */
class SyncFile {
  buf = new Uint8Array(1 << 20);
  length = 0;
  private readonly fd: number;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
  }

  append(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  flush(): void {
    for (let at = 0; at < this.length; ) at += writeSync(this.fd, this.buf, at, this.length - at);
    this.length = 0;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

/** The rotating -w sink. */
export function rotatingSink(o: RotateOptions, io: CliIo): RecordSink {
  const now = o.now ?? (() => Math.floor(Date.now() / 1000));
  const width = o.fileSize > 0 ? fileNumberWidth(o.fileCount) : 0;
  const pcapng = o.pcapng || /\.pcapng$/i.test(o.path);
  let gTime = o.seconds > 0 ? now() : undefined;
  let gCount = 0;
  let cCount = 0;
  let header: OutputHeader | undefined;
  let out: SyncFile | BufferedOutput | undefined;
  let enc: PcapWriter | PcapngWriter | undefined;
  let name = '';
  let size = 0;
  /** Files being closed (written out behind), with their -z commands after. */
  const closing: Promise<void>[] = [];

  const open = (h: OutputHeader, n: number) => {
    name = rotatedName(o.path, n, width, gTime);
    out = name === '-' ? new BufferedOutput(io.stdout) : new SyncFile(name);
    const snaplen = h.snaplen || 262_144;
    enc = pcapng
      ? new PcapngWriter({ linktype: h.linktype, snaplen })
      : new PcapWriter({ linktype: (h.linktype | h.linkExtension) >>> 0, snaplen });
    const head = enc.header();
    out.append(head);
    size = head.length;
  };
  /** Closes the current file; a rotation (not the end of the run) then runs -z on it, as tcpdump does. */
  const close = (rotation: boolean) => {
    const done = out;
    const closed = name;
    if (!done) return;
    out = undefined;
    const ran = () => {
      if (rotation && o.postRotate)
        spawn(o.postRotate, [closed], { stdio: 'ignore' }).on('error', () => {});
    };
    if (done instanceof SyncFile) {
      done.close();
      ran();
    } else closing.push(done.close().then(ran));
  };

  return {
    put(s, buf, i) {
      if (!header) {
        header = firstOf(s, s.record(buf, i));
        open(header, 0);
      }
      if (gTime !== undefined) {
        const t = now();
        if (t - gTime >= o.seconds) {
          gTime = t;
          gCount++;
          close(true);
          if (o.fileSize === 0 && o.fileCount > 0 && gCount >= o.fileCount)
            throw new RunComplete(`Maximum file limit reached: ${o.fileCount}`);
          cCount = 0;
          open(header, 0);
        }
      }
      if (o.fileSize > 0 && size > o.fileSize) {
        close(true);
        cCount++;
        if (o.fileCount > 0 && cCount >= o.fileCount) cCount = 0;
        open(header, cCount);
      }
      const w = out as SyncFile | BufferedOutput;
      const b = s.batch;
      let n = 0;
      if (enc instanceof PcapWriter) {
        const caplen = Math.min(b.caplen[i] as number, enc.snaplen);
        w.reserve(16 + caplen);
        n = s.copyAsPcap(buf, i, caplen, w.buf, w.length);
        w.length += n;
      }
      if (n === 0) {
        const r = s.record(buf, i);
        const bytes = (enc as PcapWriter | PcapngWriter).write({
          timestampNs: r.timestampNs,
          data: r.data,
          wirelen: r.wirelen,
        });
        w.append(bytes);
        n = bytes.length;
      }
      size += n;
      if (o.packetBuffered) w.flush();
    },
    async flush() {
      if (out instanceof BufferedOutput) {
        out.flush();
        await out.drained();
      }
      while (closing.length > 1) await closing.shift();
    },
    async close(first) {
      // Nothing matched: the first file with its header alone, as tcpdump leaves it.
      if (!header && first) {
        header = first;
        open(first, 0);
      }
      close(false);
      await Promise.all(closing.splice(0));
    },
    // Called only before the filter is ready, when no file has been opened yet.
    async discard() {},
  };
}
