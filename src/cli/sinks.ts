// Where `cbpf -r` sends matching packets besides a plain -w file: printed lines (with the tcpdump
// flags that shape them), a count (--count), or both a file and lines (--print).
import type { CaptureScanner } from '../pcap.js';
import type { RecordSink } from './commands/offline.js';
import type { CliIo } from './io.js';
import type { PacketPrinter, PrintedPacket } from './packet-printer.js';
import type { PacketTime } from './timestamps.js';

/**
 * A record's time as libpcap hands it over: a classic file's fields as signed 32-bit numbers (an
 * out-of-range fraction passes through), scaled between micro- and nanoseconds as asked; a pcapng's
 * from its 64-bit count.
 */
export function packetTime(
  s: CaptureScanner,
  buf: Uint8Array,
  i: number,
  nano: boolean,
): PacketTime {
  const h = s.classic;
  if (h) {
    const at = s.batch.start[i] as number;
    const dv = new DataView(buf.buffer, buf.byteOffset + at, 8);
    const sec = dv.getInt32(0, h.littleEndian);
    const f = dv.getInt32(4, h.littleEndian);
    const frac = h.nanosecond === nano ? f : nano ? f * 1000 : Math.trunc(f / 1000);
    return { sec, frac };
  }
  const ns = s.record(buf, i).timestampNs;
  const sec = ns / 1_000_000_000n;
  const rest = Number(ns - sec * 1_000_000_000n);
  return { sec: Number(sec), frac: nano ? rest : Math.trunc(rest / 1000) };
}

/** The packet at batch index `i`, as the printer takes it. */
export function printedPacket(
  s: CaptureScanner,
  buf: Uint8Array,
  i: number,
  nano: boolean,
): PrintedPacket {
  const b = s.batch;
  const at = b.data[i] as number;
  return {
    time: packetTime(s, buf, i, nano),
    data: buf.subarray(at, at + (b.caplen[i] as number)),
    wirelen: b.wirelen[i] as number,
    linktype: b.linktype[i] as number,
  };
}

/** Prints each packet through `printer`: one write per batch, or per packet with -l. */
export function printSink(
  printer: PacketPrinter,
  io: CliIo,
  nano: boolean,
  lineBuffered: boolean,
): RecordSink {
  let text = '';
  const flush = async () => {
    if (text === '') return;
    const t = text;
    text = '';
    if (!io.stdout.write(t)) await new Promise<void>((r) => io.stdout.once('drain', r));
  };
  return {
    put(s, buf, i) {
      text += printer.text(printedPacket(s, buf, i, nano));
      if (lineBuffered) {
        io.stdout.write(text);
        text = '';
      }
    },
    flush,
    close: flush,
    discard: flush,
  };
}

/** Counts packets (--count): what tcpdump reports instead of printing them. */
export function countSink(): RecordSink & { count: number } {
  return {
    count: 0,
    put() {
      this.count++;
    },
    flush: () => undefined,
    async close() {},
    async discard() {},
  };
}

/** Both sinks, in order (-w with --print, or with --count). */
export function teeSink(a: RecordSink, b: RecordSink): RecordSink {
  return {
    put(s, buf, i) {
      a.put(s, buf, i);
      b.put(s, buf, i);
    },
    async flush() {
      await a.flush();
      await b.flush();
    },
    async close(first) {
      try {
        await a.close(first);
      } finally {
        await b.close(first);
      }
    },
    async appendEncoded(bytes, first) {
      await a.appendEncoded?.(bytes, first);
      await b.appendEncoded?.(bytes, first);
    },
    async discard() {
      try {
        await a.discard();
      } finally {
        await b.discard();
      }
    },
  };
}

/**
 * One sink kept open over several inputs (-V): closing it after each file does nothing;
 * `finish()` closes it for real.
 */
export function keptOpen(sink: RecordSink): RecordSink & { finish(): Promise<void> } {
  let last: Parameters<RecordSink['close']>[0];
  // A file of the list already went through: a later failure keeps its output (tcpdump exits with
  // what it dumped); a run that fails before anything was filtered leaves the destination alone.
  let used = false;
  let discarded = false;
  return {
    put: (s, buf, i) => {
      used = true;
      sink.put(s, buf, i);
    },
    ...(sink.putMany && {
      putMany: (s, buf, base, picked, k) => {
        used = true;
        sink.putMany?.(s, buf, base, picked, k);
      },
    }),
    flush: () => sink.flush(),
    ...(sink.readBuffer && { readBuffer: (size: number) => sink.readBuffer?.(size) }),
    async close(first) {
      used = true;
      last ??= first;
      await sink.flush();
    },
    finish: () => (discarded ? sink.discard() : sink.close(last)),
    appendEncoded: (bytes, first) => {
      used = true;
      return sink.appendEncoded?.(bytes, first) ?? Promise.resolve();
    },
    async discard() {
      if (!used) discarded = true;
    },
  };
}
