// What tcpdump prints for one packet (its pretty_print_packet): the number (-#), a complaint instead
// of the line when the record's lengths are impossible, the time column (-t...), the summary (-q, -e,
// -S), the dump (-x/-X/-A) and a newline. The summary itself comes from src/packets/summary.ts.
import type { DecodedFrame } from '../packets/decode.js';
import type { Layer } from '../packets/layer.js';
import type { TcpSeqState } from '../packets/tcp-seq.js';
import { type DumpFlags, dumping, packetDump } from './dump.js';
import { MAXIMUM_SNAPLEN } from './flags/tcpdump.js';
import { type PacketTime, StampFormatter } from './timestamps.js';

export interface PrinterFlags extends DumpFlags {
  /** -t repeats. */
  stamps: number;
  nano: boolean;
  /** -# */
  number: boolean;
  quiet: number;
  link: boolean;
  /** -S */
  absoluteSeq: boolean;
}

/** One packet as the printer needs it. */
export interface PrintedPacket {
  time: PacketTime;
  /** The captured bytes. */
  data: Uint8Array;
  wireLength: number;
  linktype: number;
}

/** Layers tcpdump's link-level printers consume before handing the rest on. */
const LINK_KINDS = new Set<Layer['kind']>(['ethernet', 'vlan', 'llc', 'sll', 'sll2', 'null']);

/**
 * How many bytes the link-level printer took (ndo_ll_hdr_len): where the first layer above the link
 * starts, or the whole frame when nothing does. A printer that ran off the end of a cut-off packet
 * never reports its length, so then it is 0 and -x shows the whole frame.
 */
export function linkHeaderLength(d: DecodedFrame, frameLength: number, summary: string): number {
  if (/\[\|[^\]]*\]$/.test(summary)) return 0;
  for (const l of d.layers) if (!LINK_KINDS.has(l.kind)) return l.offset;
  return frameLength;
}

/** The summary module's entry points, loaded once per run. */
interface SummaryModule {
  summarize: typeof import('../packets/summary.js').summarize;
  decodeFrame: typeof import('../packets/decode.js').decodeFrame;
  createTcpSeqState: typeof import('../packets/tcp-seq.js').createTcpSeqState;
  quietSummary: typeof import('./quiet.js').quietSummary;
}

/** Formats packets in order; keeps what tcpdump keeps across them (count, time reference, TCP bases). */
export class PacketPrinter {
  /** Packets printed so far (tcpdump's packets_captured, which -# shows). */
  count = 0;
  private readonly flags: PrinterFlags;
  private readonly stamps: StampFormatter;
  private readonly m: SummaryModule;
  readonly tcpSeq: TcpSeqState | undefined;
  private readonly decodeNeeded: boolean;

  constructor(flags: PrinterFlags, m: SummaryModule, tcpSeq?: TcpSeqState) {
    this.flags = flags;
    this.m = m;
    this.stamps = new StampFormatter(flags.stamps, flags.nano);
    this.tcpSeq = flags.absoluteSeq ? undefined : (tcpSeq ?? m.createTcpSeqState());
    this.decodeNeeded = dumping(flags) || flags.quiet > 0;
  }

  /** The packet's whole text, newline included. */
  text(p: PrintedPacket): string {
    const bad = invalidHeader(p.data.length, p.wireLength);
    return this.compose(bad ?? this.body(p), bad === undefined ? p.time : undefined);
  }

  /**
   * The number and time columns around a packet's body (the complaint about its lengths, without a
   * time, when `time` is undefined), in packet order: -# counts and -ttt measures from here.
   */
  compose(body: string, time: PacketTime | undefined): string {
    const n = ++this.count;
    const head = this.flags.number ? `${String(n).padStart(5)}  ` : '';
    return time === undefined ? `${head}${body}\n` : `${head}${this.stamps.text(time)}${body}\n`;
  }

  /** Whether the number and time columns need every earlier packet (-#, -ttt, -ttttt). */
  get ordered(): boolean {
    return this.flags.number || this.flags.stamps === 3 || this.flags.stamps === 5;
  }

  /** The summary and the dump, without the number and time columns. */
  body(p: PrintedPacket): string {
    const f = this.flags;
    let line = this.m.summarize(p.data, p.linktype, {
      link: f.link,
      wireLength: p.wireLength,
      tcpSeq: this.tcpSeq,
    });
    if (!this.decodeNeeded) return line;
    const d = this.m.decodeFrame(p.data, p.linktype);
    if (f.quiet > 0) line = this.m.quietSummary(line, d, f.link);
    if (!dumping(f)) return line;
    // A dump replaces the hex tcpdump's printers add for payloads they do not decode.
    const cut = line.indexOf('\n');
    if (cut >= 0) line = line.slice(0, cut);
    return line + packetDump(f, p.data, linkHeaderLength(d, p.data.length, line));
  }
}

/** pretty_print_packet's sanity checks on a record's lengths: the complaint, or undefined when sane. */
export function invalidHeader(caplen: number, len: number): string | undefined {
  const bad: string[] = [];
  if (caplen === 0) bad.push(' caplen==0');
  if (len === 0) bad.push(' len==0');
  else if (len < caplen) bad.push(` len(${len}) < caplen(${caplen})`);
  if (caplen > MAXIMUM_SNAPLEN) bad.push(` caplen(${caplen}) > ${MAXIMUM_SNAPLEN}`);
  if (len > MAXIMUM_SNAPLEN) bad.push(` len(${len}) > ${MAXIMUM_SNAPLEN}`);
  return bad.length === 0 ? undefined : `[Invalid header:${bad.join(',')}]`;
}

/** A printer with the summary code loaded (it is the heavy part, and -w runs never need it). */
export async function createPacketPrinter(
  flags: PrinterFlags,
  tcpSeq?: TcpSeqState,
): Promise<PacketPrinter> {
  const [{ summarize }, { decodeFrame }, { createTcpSeqState }, { quietSummary }] =
    await Promise.all([
      import('../packets/summary.js'),
      import('../packets/decode.js'),
      import('../packets/tcp-seq.js'),
      import('./quiet.js'),
    ]);
  return new PacketPrinter(
    flags,
    { summarize, decodeFrame, createTcpSeqState, quietSummary },
    tcpSeq,
  );
}
