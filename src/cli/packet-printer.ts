// What tcpdump prints for one packet (its pretty_print_packet): the number (-#), a complaint instead
// of the line when the record's lengths are impossible, the time column (-t...), the summary (-q, -e,
// -S), the dump (-x/-X/-A) and a newline. The summary itself comes from src/packets/summary.ts.
import type { TcpSeqState } from '../packets.js';
import { type DumpFlags, dumping, packetDump } from './dump.js';
import { MAXIMUM_SNAPLEN, type TcpdumpFlags } from './flags/tcpdump.js';
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

/** What the printer takes of tcpdump's flags (the command's printer and the -V workers' alike). */
export function printerFlags(f: TcpdumpFlags): PrinterFlags {
  return {
    hex: f.hex,
    hexAscii: f.hexAscii,
    ascii: f.ascii,
    stamps: f.stamps,
    nano: f.nano,
    number: f.number,
    quiet: f.quiet,
    link: f.link,
    absoluteSeq: f.absoluteSeq,
  };
}

/** One packet as the printer needs it. */
export interface PrintedPacket {
  time: PacketTime;
  /** The captured bytes. */
  data: Uint8Array;
  wirelen: number;
  linktype: number;
}

/** The summary module's entry points, loaded once per run. */
interface SummaryModule {
  printPacket: typeof import('../packets.js').printPacket;
  createTcpSeqState: typeof import('../packets.js').createTcpSeqState;
}

/** Formats packets in order; keeps what tcpdump keeps across them (count, time reference, TCP bases). */
export class PacketPrinter {
  /** Packets printed so far (tcpdump's packets_captured, which -# shows). */
  count = 0;
  private readonly flags: PrinterFlags;
  private readonly stamps: StampFormatter;
  private readonly m: SummaryModule;
  readonly tcpSeq: TcpSeqState | undefined;
  private readonly suppress: boolean;

  constructor(flags: PrinterFlags, m: SummaryModule, tcpSeq?: TcpSeqState) {
    this.flags = flags;
    this.m = m;
    this.stamps = new StampFormatter(flags.stamps, flags.nano);
    this.tcpSeq = flags.absoluteSeq ? undefined : (tcpSeq ?? m.createTcpSeqState());
    // As tcpdump's -x, -X and -q (not -A): no hex dump of payloads the printers do not decode.
    this.suppress = flags.hex > 0 || flags.hexAscii > 0 || flags.quiet > 0;
  }

  /** The packet's whole text, newline included. */
  text(p: PrintedPacket): string {
    const bad = invalidHeader(p.data.length, p.wirelen);
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
    const printed = this.m.printPacket(p.data, p.linktype, {
      link: f.link,
      wirelen: p.wirelen,
      tcpSeq: this.tcpSeq,
      suppressDefaultPrint: this.suppress,
      xflag: f.hex > 0,
      qflag: f.quiet,
    });
    if (!dumping(f)) return printed.text;
    return printed.text + packetDump(f, p.data, printed.linkHeaderLength);
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
  const { printPacket, createTcpSeqState } = await import('../packets.js');
  return new PacketPrinter(flags, { printPacket, createTcpSeqState }, tcpSeq);
}
