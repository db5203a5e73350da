// The packet dumps tcpdump prints under its line: -x (hex), -X (hex and ASCII), -A (ASCII), each
// after the link-level header, or with it when doubled (-xx, -XX, -AA). Same layout, byte for byte, as
// tcpdump's print-ascii.c: 16 bytes a line, "\n\t0x0010: " before each, bytes in pairs.

/** Which dump follows each packet line: tcpdump prefers -X, then -x, then -A. */
export interface DumpFlags {
  hex: number;
  hexAscii: number;
  ascii: number;
}

/** True if any dump was asked for. */
export function dumping(f: DumpFlags): boolean {
  return f.hex > 0 || f.hexAscii > 0 || f.ascii > 0;
}

// Both tables are made at the first dump (a run without -x/-X/-A never makes them).
let HEX: readonly string[] = [];
/** A byte as the ASCII column shows it: printable (isgraph) as is, anything else as '.'. */
let GRAPH: readonly string[] = [];
function tables(): void {
  if (HEX.length > 0) return;
  HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
  GRAPH = Array.from({ length: 256 }, (_, i) =>
    i > 0x20 && i < 0x7f ? String.fromCharCode(i) : '.',
  );
}
const offsetText = (o: number) => `\n\t0x${o.toString(16).padStart(4, '0')}: `;

/** -x: `\n\t0x0000:  4500 003c ...`, a space before each pair (and before a last odd byte). */
export function hexDump(b: Uint8Array): string {
  tables();
  let s = '';
  const pairs = b.length >> 1;
  for (let i = 0; i < pairs; i++) {
    if (i % 8 === 0) s += offsetText(i * 2);
    s += ` ${HEX[b[2 * i] as number]}${HEX[b[2 * i + 1] as number]}`;
  }
  if (b.length & 1) {
    if (pairs % 8 === 0) s += offsetText(pairs * 2);
    s += ` ${HEX[b[b.length - 1] as number]}`;
  }
  return s;
}

/** -X: each line's hex padded to 40 columns, two spaces, then the bytes as ASCII. */
export function hexAsciiDump(b: Uint8Array): string {
  tables();
  let s = '';
  for (let o = 0; o < b.length; o += 16) {
    const end = Math.min(o + 16, b.length);
    let hex = '';
    let ascii = '';
    for (let i = o; i + 1 < end; i += 2) {
      hex += ` ${HEX[b[i] as number]}${HEX[b[i + 1] as number]}`;
      ascii += GRAPH[b[i] as number] + GRAPH[b[i + 1] as number];
    }
    if ((end - o) & 1) {
      hex += ` ${HEX[b[end - 1] as number]}`;
      ascii += GRAPH[b[end - 1] as number];
    }
    s += `${offsetText(o)}${hex.padEnd(40)}  ${ascii}`;
  }
  return s;
}

/**
 * -A: a newline, then the bytes as text: printable bytes, tabs, spaces and newlines as they are,
 * others as '.'; a CR vanishes before a newline or near the end (tcpdump's ascii_print).
 */
export function asciiDump(b: Uint8Array): string {
  tables();
  let s = '\n';
  for (let i = 0; i < b.length; i++) {
    const c = b[i] as number;
    if (c === 0x0d) {
      const left = b.length - i - 1;
      if (left > 1 && b[i + 1] !== 0x0a) s += '.';
    } else if (c === 0x09 || c === 0x0a || c === 0x20) s += String.fromCharCode(c);
    else s += GRAPH[c];
  }
  return s;
}

/**
 * The dump after a packet's line: `frame` is the captured bytes, `linkHeader` the length tcpdump's
 * link-layer printer consumed (0 when it gave up on a truncated packet, so the whole frame shows).
 * A single flag leaves the link header out, and prints nothing when nothing follows it.
 */
export function packetDump(f: DumpFlags, frame: Uint8Array, linkHeader: number): string {
  const whole = f.hexAscii > 1 || (f.hexAscii === 0 && (f.hex > 1 || (f.hex === 0 && f.ascii > 1)));
  if (!whole && frame.length <= linkHeader) return '';
  const bytes = whole ? frame : frame.subarray(linkHeader);
  if (f.hexAscii > 0) return hexAsciiDump(bytes);
  if (f.hex > 0) return hexDump(bytes);
  if (f.ascii > 0) return asciiDump(bytes);
  return '';
}
