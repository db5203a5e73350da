// One-line packet summaries as `tcpdump -n` prints them (`-e` adds the link-level header): the text
// after the time stamp, byte for byte, including tcpdump's truncation markers (` [|proto]`) and the hex
// dump it prints for payloads it has no printer for. Protocol printers live in their protocol's file.
import { DLT } from '../core/opcodes.js';
import { printArcnet, printArcnetLinux } from './arcnet.js';
import { printLlap } from './atalk.js';
import { printChdlc } from './chdlc.js';
import { printEther } from './ethernet.js';
import { printFrIf, printMfrIf } from './fr.js';
import { print80211If, printAvsIf, printPrismIf, printRadiotapIf } from './ieee802-11.js';
import { printIpnet } from './ipnet.js';
import { printIpoib } from './ipoib.js';
import { printIpN } from './ipv4.js';
import { printNull, printSll, printSll2 } from './link.js';
import { NEXT_PRINTERS } from './next-printers.js';
import { printNflog } from './nflog.js';
import { printPppHdlcIf, printPppIf } from './ppp.js';
import { printPppoe } from './pppoe.js';
import { Printer, Truncated } from './printer.js';
import { printSlipIf } from './slip.js';
import { printBrcmTagIf, printBrcmTagPrependIf, printDsaIf, printEdsaIf } from './switch-tags.js';
import type { TcpSeqState } from './tcp-seq.js';
import { printVsock } from './vsock.js';

export interface SummaryOptions {
  /** Print the link-level header first, as `tcpdump -e`; default false. */
  link?: boolean;
  /** The packet's length on the wire (tcpdump's `length`); default the frame's byte count. */
  wirelen?: number;
  /**
   * Names an SLL2 interface index (tcpdump calls if_indextoname, which only knows the local host);
   * default none, printed as `?` as tcpdump does for an index it cannot name.
   */
  interfaceName?: (ifindex: number) => string | undefined;
  /**
   * Print TCP sequence numbers relative to each conversation's first acknowledged segment, as tcpdump
   * does without -S: pass one createTcpSeqState() for all the packets of a capture, in order. Default
   * none: absolute numbers, as `tcpdump -S`.
   */
  tcpSeq?: TcpSeqState;
  /** Leave out the hex dumps of undecoded payloads where tcpdump does under -x, -X, -A or -q. */
  suppressDefaultPrint?: boolean;
  /** tcpdump's -x, which one printer (frame relay's) checks instead. */
  xflag?: boolean;
  /** tcpdump's -q repeats: TCP, UDP, IGMP and the link-level headers print less. */
  qflag?: number;
}

/** A printed packet: the text and how many leading bytes tcpdump counts as link-level header. */
export interface PrintedPacket {
  /** What tcpdump prints after the time stamp; continuation lines are separated by '\n'. */
  text: string;
  /** tcpdump's ndo_ll_hdr_len: the bytes `-x` leaves out (0 when printing stopped early). */
  linkHeaderLength: number;
}

/** tcpdump's MAXIMUM_SNAPLEN: larger lengths mark a record header as invalid. */
const MAXIMUM_SNAPLEN = 262144;

/**
 * Prints a frame as `tcpdump -n` does after the time stamp. Never throws: unknown link types and
 * protocols print as tcpdump prints them (often a hex dump), short frames end in its markers.
 * @example summarize(frame, DLT.EN10MB) // 'ARP, Request who-has 10.0.0.5 tell 10.0.0.1, length 28'
 */
export function summarize(
  frame: Uint8Array,
  linktype: number,
  options: SummaryOptions = {},
): string {
  return printPacket(frame, linktype, options).text;
}

/** summarize() with the link-level header length (what `-x` leaves out). */
export function printPacket(
  frame: Uint8Array,
  linktype: number,
  options: SummaryOptions = {},
): PrintedPacket {
  const caplen = frame.length;
  const len = options.wirelen ?? caplen;
  const bad: string[] = [];
  if (caplen === 0) bad.push(' caplen==0');
  if (len === 0) bad.push(' len==0');
  else if (len < caplen) bad.push(` len(${len}) < caplen(${caplen})`);
  if (caplen > MAXIMUM_SNAPLEN) bad.push(` caplen(${caplen}) > ${MAXIMUM_SNAPLEN}`);
  if (len > MAXIMUM_SNAPLEN) bad.push(` len(${len}) > ${MAXIMUM_SNAPLEN}`);
  if (bad.length) {
    return { text: `[Invalid header:${bad.join(',')}]`, linkHeaderLength: 0 };
  }
  const p = new Printer(frame, NEXT_PRINTERS, {
    eflag: options.link ?? false,
    tcpSeq: options.tcpSeq,
    interfaceName: options.interfaceName,
    suppressDefaultPrint: options.suppressDefaultPrint,
    xflag: options.xflag,
    qflag: options.qflag,
  });
  try {
    printLink(p, linktype, len, caplen);
  } catch (e) {
    if (!(e instanceof Truncated)) throw e;
    p.trunc();
    p.llHdrLen = 0;
  }
  return { text: p.out, linkHeaderLength: p.llHdrLen };
}

function printLink(p: Printer, linktype: number, len: number, caplen: number): void {
  switch (linktype) {
    case DLT.EN10MB:
      p.protocol = 'ether';
      p.llHdrLen += printEther(p, 0, len, caplen);
      return;
    case DLT.NULL:
    case DLT.LOOP:
      printNull(p, len, caplen);
      return;
    case DLT.LINUX_SLL:
      printSll(p, len, caplen);
      return;
    case DLT.LINUX_SLL2:
      printSll2(p, len, caplen);
      return;
    case DLT.RAW:
    case DLT.IPV4:
    case DLT.IPV6:
      // raw_if_print serves all three: IPv4 or IPv6 by the version nibble.
      p.protocol = 'raw';
      if (p.eflag) p.print('ip: ');
      printIpN(p, 0, len);
      return;
    case 7:
      printArcnet(p, len, caplen);
      return;
    case 129:
      printArcnetLinux(p, len, caplen);
      return;
    case 9:
      printPppIf(p, len, caplen);
      return;
    case 50:
      printPppHdlcIf(p, len, caplen);
      return;
    case 239:
      printNflog(p, len, caplen);
      return;
    case 242:
      printIpoib(p, len, caplen);
      return;
    case 226:
      printIpnet(p, len, caplen);
      return;
    case 271:
      printVsock(p, len, caplen);
      return;
    case 281:
      printBrcmTagIf(p, len, caplen);
      return;
    case 282:
      printBrcmTagPrependIf(p, len, caplen);
      return;
    case 284:
      printDsaIf(p, len, caplen);
      return;
    case 285:
      printEdsaIf(p, len, caplen);
      return;
    case 104:
      p.protocol = 'chdlc';
      p.llHdrLen += printChdlc(p, 0, len);
      return;
    case 107:
      printFrIf(p, len, caplen);
      return;
    case 114: {
      // ltalk_if_print: LocalTalk.
      p.protocol = 'ltalk';
      const n = printLlap(p, 0, len);
      p.llHdrLen += n === 0 ? caplen : n;
      return;
    }
    case 51:
      p.protocol = 'pppoe';
      p.llHdrLen += printPppoe(p, 0, len);
      return;
    case 8:
    case 15:
      printSlipIf(p, len, linktype === 15);
      return;
    case 182:
      printMfrIf(p, len, caplen);
      return;
    case 105:
      print80211If(p, len, caplen);
      return;
    case 119:
      printPrismIf(p, len, caplen);
      return;
    case 127:
      printRadiotapIf(p, len, caplen);
      return;
    case 163:
      printAvsIf(p, len, caplen);
      return;
    default:
      // unsupported_if_print: tcpdump reads the file but has no printer for its link type.
      p.protocol = 'unsupported';
      p.protocolCaps();
      p.hexAscii('\n\t', 0, caplen, 0);
  }
}
