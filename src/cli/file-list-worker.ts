// A -V worker thread: filters whole files of the list as the main thread hands them over and sends
// back, in order within each file, what the main thread must write: the file's header (for its
// "reading from file" line), the records to write (pcap/pcapng bytes), the printed lines (or, when
// -#, -ttt or relative TCP numbers need what came before, each packet's body and time), the count,
// and its TCP conversations. A file starts with no conversations, so the relative numbers of a
// packet whose conversation this file met without a SYN (an earlier file may have started it) are a
// guess: such packets come back with their bytes, and the main thread prints them again where an
// earlier file did start their conversation.
import { parentPort, workerData } from 'node:worker_threads';
import type { decodeFrame } from '../packets.js';
import { type CaptureScanner, PcapngWriter, PcapWriter } from '../pcap.js';
import { errorText, readingLine } from './capture-text.js';
import { type OutputHeader, offline, type RecordSink } from './commands/offline.js';
import type { CliIo } from './io.js';
import {
  createPacketPrinter,
  invalidHeader,
  type PrintedPacket,
  type PrinterFlags,
} from './packet-printer.js';
import { printedPacket } from './sinks.js';

/** What every task of a run shares (the worker's workerData). */
export interface FileListSetup {
  kind: 'cbpf-file-list';
  expr: string;
  /** -c, per file. */
  count: number;
  dlt?: string;
  noOptimize: boolean;
  link: boolean;
  /** -w: the output's header, which the first file decided. */
  write?: { pcapng: boolean; header: OutputHeader };
  /** Printing: the printer's flags; `compose` leaves the number and time columns to the main thread. */
  print?: { flags: PrinterFlags; compose: boolean };
}

/** One file of the list. */
export interface FileTask {
  index: number;
  path: string;
  /** The file's size, for libpcap's wording of a truncated header. */
  size?: number;
}

/** What the worker reports, in order, for the file `index`. */
export type FileEvent =
  | { index: number; kind: 'header'; first: OutputHeader; line: string }
  | { index: number; kind: 'bytes'; data: Uint8Array }
  | { index: number; kind: 'text'; text: string }
  | {
      index: number;
      kind: 'items';
      items: string[];
      times: Float64Array;
      /** The items whose TCP numbers rest on a conversation this file met without its SYN. */
      guesses: Guess[];
    }
  | {
      index: number;
      kind: 'done';
      count: number;
      /** The conversations as this file left them, and those a SYN (re)started in it. */
      conversations: [string, { seq: number; ack: number }][];
      restarted: string[];
      /** The error that ended the file: its text, and whether the file's header had been read. */
      error?: { text: string; afterHeader: boolean };
    };

/** A packet printed from a guessed conversation: enough to print it again. */
export interface Guess {
  item: number;
  key: string;
  data: Uint8Array;
  wirelen: number;
  linktype: number;
}

type Bases = { seq: number; ack: number };

/**
 * The conversation table of one file, which notes for each packet whether its numbers came from an
 * entry this file created without a SYN (`guessed`), and which conversations a SYN (re)started.
 */
class TrackingMap extends Map<string, Bases> {
  /** Entries created on a lookup that found nothing, not (re)started by a SYN since. */
  readonly unsure = new Set<string>();
  readonly restarted = new Set<string>();
  /** For the current packet: its conversation, whether it missed, whether it used an unsure entry. */
  key: string | undefined;
  missed = false;
  guessed = false;

  begin(): void {
    this.key = undefined;
    this.missed = false;
    this.guessed = false;
  }

  override get(key: string): Bases | undefined {
    const v = super.get(key);
    this.key = key;
    this.missed = v === undefined;
    this.guessed = v === undefined || this.unsure.has(key);
    return v;
  }

  override set(key: string, v: Bases): this {
    if (this.key === key && this.missed) this.unsure.add(key);
    else {
      // A SYN with ACK on a conversation already in the table: it restarts whatever came before.
      this.unsure.delete(key);
      this.restarted.add(key);
      if (this.key === key) this.guessed = false;
    }
    return super.set(key, v);
  }

  /** The packet missed, but was a SYN with ACK: it started its conversation whatever came before. */
  synStarted(): void {
    if (!this.key) return;
    this.unsure.delete(this.key);
    this.restarted.add(this.key);
    this.guessed = false;
  }
}

/** Whether a frame's TCP segment carries SYN. */
function hasSyn(p: PrintedPacket, decode: typeof decodeFrame): boolean {
  const tcp = decode(p.data, p.linktype).layers.find((l) => l.kind === 'tcp');
  return tcp !== undefined && tcp.kind === 'tcp' && (tcp.flags & 0x02) !== 0;
}

/** A growable byte buffer for one batch's records. */
class Bytes {
  buf = new Uint8Array(1 << 16);
  length = 0;
  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(2 * this.buf.length, this.length + n));
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }
  take(): Uint8Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    return out;
  }
}

async function runTask(setup: FileListSetup, task: FileTask, post: (e: FileEvent) => void) {
  const { index } = task;
  const conversations = new TrackingMap();
  const printer = setup.print
    ? await createPacketPrinter(setup.print.flags, { conversations })
    : undefined;
  // With relative TCP numbers every packet comes back as an item, so guessed ones can be replaced.
  const compose = (setup.print?.compose ?? false) || printer?.tcpSeq !== undefined;
  const { decodeFrame: decode } = await import('../packets.js');
  let guesses: Guess[] = [];
  const nano = setup.print?.flags.nano ?? false;
  const w = setup.write;
  const enc = w
    ? w.pcapng
      ? new PcapngWriter({ linktype: w.header.linktype, snaplen: w.header.snaplen || 262_144 })
      : new PcapWriter({
          linktype: (w.header.linktype | w.header.linkExtension) >>> 0,
          snaplen: w.header.snaplen || 262_144,
        })
    : undefined;
  enc?.header();
  const bytes = new Bytes();
  let text = '';
  let items: string[] = [];
  let times: number[] = [];
  let count = 0;
  let afterHeader = false;
  const put = (s: CaptureScanner, buf: Uint8Array, i: number) => {
    count++;
    if (enc) {
      let n = 0;
      if (enc instanceof PcapWriter) {
        const caplen = Math.min(s.batch.caplen[i] as number, enc.snaplen);
        bytes.reserve(16 + caplen);
        n = s.copyAsPcap(buf, i, caplen, bytes.buf, bytes.length);
        bytes.length += n;
      }
      if (n === 0) {
        const r = s.record(buf, i);
        const b = enc.write({
          timestampNs: r.timestampNs,
          data: r.data,
          wirelen: r.wirelen,
        });
        bytes.reserve(b.length);
        bytes.buf.set(b, bytes.length);
        bytes.length += b.length;
      }
    }
    if (!printer) return;
    const p = printedPacket(s, buf, i, nano);
    if (!compose) {
      text += printer.text(p);
      return;
    }
    const bad = invalidHeader(p.data.length, p.wirelen);
    conversations.begin();
    items.push(bad ?? printer.body(p));
    times.push(bad ? Number.NaN : p.time.sec, p.time.frac);
    if (conversations.missed && conversations.guessed && hasSyn(p, decode))
      conversations.synStarted();
    if (!bad && conversations.guessed && conversations.key !== undefined)
      guesses.push({
        item: items.length - 1,
        key: conversations.key,
        data: p.data.slice(),
        wirelen: p.wirelen,
        linktype: p.linktype,
      });
  };
  const flush = async () => {
    if (bytes.length > 0) post({ index, kind: 'bytes', data: bytes.take() });
    if (text !== '') post({ index, kind: 'text', text });
    if (items.length > 0)
      post({ index, kind: 'items', items, times: Float64Array.from(times), guesses });
    text = '';
    items = [];
    times = [];
    guesses = [];
  };
  const sink: RecordSink = { put, flush, close: flush, discard: flush };
  // Nothing is printed from here: the main thread writes what the sink collects.
  const io = { stderrIsTTY: () => false } as unknown as CliIo;
  let error: { text: string; afterHeader: boolean } | undefined;
  try {
    await offline(
      task.path,
      setup.expr,
      {
        count: setup.count,
        link: setup.link,
        dlt: setup.dlt,
        noOptimize: setup.noOptimize,
        sink,
        onHeader: (first, scanner) => {
          afterHeader = true;
          post({ index, kind: 'header', first, line: readingLine(task.path, first, scanner) });
        },
      },
      io,
    );
  } catch (err) {
    await flush();
    error = {
      text: errorText(err, setup.expr, afterHeader) ?? String((err as Error)?.stack ?? err),
      afterHeader,
    };
  }
  post({
    index,
    kind: 'done',
    count,
    conversations: [...conversations],
    restarted: [...conversations.restarted],
    error,
  });
}

/** The worker's main loop: one task at a time, in the order they arrive. */
export function runFileListWorker(): void {
  const setup = workerData as FileListSetup;
  const port = parentPort;
  if (!port) return;
  let chain = Promise.resolve();
  port.on('message', (task: FileTask) => {
    chain = chain.then(() =>
      runTask(setup, task, (e) =>
        port.postMessage(e, e.kind === 'bytes' ? [e.data.buffer as ArrayBuffer] : []),
      ),
    );
  });
}
