// tcpdump's words around a capture file: its "reading from file" line, and the one line (with a
// caret under the expression where it is at fault) for each error. Apart from ./tcpdump.ts so the -V
// workers can word their files' lines and errors without loading the command.
import { CompileError } from '../compiler.js';
import { CbpfError, formatSpan, TextSyntaxError } from '../index.js';
import { type CaptureScanner, largestSnaplen, PcapFormatError } from '../pcap.js';
import type { OutputHeader } from './commands/offline.js';
import { isExpectedError } from './errors.js';
import { linkTypeText, linktypeToDlt } from './link-names.js';
import { isSystemError, strerror } from './system-errors.js';

const DLT_EN10MB = 1;
const DLT_LINUX_SLL2 = 276;
const INT_MAX = 0x7fffffff;

/** pcap_snapshot() of a file, as tcpdump prints it: the header's, adjusted as libpcap adjusts it. */
export function snapshotLength(first: OutputHeader, s: CaptureScanner | undefined): number {
  const h = s?.classic;
  const raw = h ? h.snaplen : first.snaplen;
  let snap = raw === 0 || raw > INT_MAX ? largestSnaplen(first.linktype) : raw;
  // A Kuznetzov (patched) Ethernet capture may hold 14 bytes more (libpcap's sf-pcap.c).
  if (h && h.recordHeaderLength === 24 && linktypeToDlt(first.linktype) === DLT_EN10MB)
    snap = Math.min(snap + 14, INT_MAX);
  return snap;
}

/** tcpdump's line on opening a file (and its warning for SLL2's interface names). */
export function readingLine(path: string, first: OutputHeader, s?: CaptureScanner): string {
  const warn =
    linktypeToDlt(first.linktype) === DLT_LINUX_SLL2
      ? 'Warning: interface names might be incorrect\n'
      : '';
  return `reading from file ${path}, link-type ${linkTypeText(first.linktype)}, snapshot length ${snapshotLength(first, s)}\n${warn}`;
}

/** Capture errors met before the file's header was read (tcpdump reports those without "pcap_loop:"). */
const beforeHeader = new WeakSet<object>();

/** Marks a capture error as met before the file's header was read (so without "pcap_loop:"). */
export function markBeforeHeader(err: PcapFormatError): void {
  beforeHeader.add(err);
}

/**
 * The one line (and caret) for an error, tcpdump-worded; undefined for errors that are bugs.
 * `afterHeader`: a capture error met while reading records, which tcpdump reports after "pcap_loop:".
 */
export function errorText(err: unknown, expr: string, afterHeader = true): string | undefined {
  if (err instanceof CompileError) {
    const message =
      err.code === 'SYNTAX' ? `can't parse filter expression: ${err.message}` : err.message;
    const [start, end] = err.span;
    // An empty span at 0 blames no part of the expression (a link type the compiler cannot do).
    if (expr.length === 0 || start > expr.length || end === 0) return message;
    return formatSpan(message, expr, start, Math.max(end, start + 1));
  }
  if (err instanceof TextSyntaxError)
    return formatSpan(err.message, expr, err.offset, err.offset + err.length);
  // libpcap's words after the offset and record (the scanner's message).
  if (err instanceof PcapFormatError)
    return afterHeader && !beforeHeader.has(err) ? `pcap_loop: ${err.message}` : err.message;
  if (isSystemError(err)) {
    if (err.path) return `${err.path}: ${strerror(err)}`;
    if (err.syscall === 'read') return `error reading dump file: ${strerror(err)}`;
    return strerror(err);
  }
  if (isExpectedError(err)) {
    // "path: no such file or directory" (the output file's, Node's words) in the C library's.
    const reason = strerror(err);
    if (err.message.toLowerCase().endsWith(`: ${reason.toLowerCase()}`))
      return err.message.slice(0, -reason.length) + reason;
  }
  if (err instanceof CbpfError) return err.message;
  return undefined;
}
