// The state of printing one packet the way tcpdump does: the bytes, how far the capture goes, the text so
// far and the protocol whose name a truncation marker (` [|name]`) carries. Protocol printers read through
// it; a read past the captured bytes throws Truncated, which summarize() turns into the marker, as tcpdump's
// GET_* macros longjmp to its packet loop. Nothing here throws anything else.
import { formatIpv4, formatIpv6, formatMac } from './addr.js';
import type { TcpSeqState } from './tcp-seq.js';

/** Thrown by a read past the captured bytes; caught by summarize() (never escapes it). */
export class Truncated {
  // Not an Error: no stack is captured on this hot path, and callers never see it.
  readonly truncated = true;
}
const TRUNCATED = new Truncated();

/** What a printer may want to know beyond the bytes. */
export interface PrinterOptions {
  /** tcpdump's -e. */
  eflag?: boolean;
  /** Relative TCP sequence numbers across a capture. */
  tcpSeq?: TcpSeqState;
  /** Names an interface index (SLL2). */
  interfaceName?: (ifindex: number) => string | undefined;
  /**
   * tcpdump's ndo_suppress_default_print (-x, -X, -A, -q): the hex dump of a payload no printer
   * takes is left out where tcpdump checks it (most places; defaultPrint's `guard` marks the rest).
   */
  suppressDefaultPrint?: boolean;
  /** tcpdump's -x (ndo_xflag), which one printer checks instead. */
  xflag?: boolean;
  /** tcpdump's -q repeats (ndo_qflag): the printers that check it print less. */
  qflag?: number;
}

/**
 * The printers of protocols that carry other protocols (IP, Ethernet, PPP, MPLS, LLC, OSI ...), which a
 * printer reaches through `Printer.next` rather than by importing them: a tunnel's printer hands its
 * payload back to the printers that contain it (IP in GRE in IP), and the modules still import one
 * way. The table is next-printers.ts's; summarize() hands it in.
 */
export interface NextPrinters {
  printIp(p: Printer, o: number, length: number): void;
  printIp6(p: Printer, o: number, length: number): void;
  printIpDemux(
    p: Printer,
    o: number,
    length: number,
    ver: number,
    fragmented: boolean,
    ttl: number,
    nh: number,
    ip: number,
  ): void;
  printEther(
    p: Printer,
    o: number,
    length: number,
    caplen: number,
    switchTag?: { len: number; print: (p: Printer, o: number) => void },
  ): number;
  printEthertype(
    p: Printer,
    type: number,
    o: number,
    length: number,
    caplen: number,
    addrs?: { src: number; dst: number },
  ): boolean;
  printLlc(
    p: Printer,
    o: number,
    length: number,
    caplen: number,
    addrs?: { src: number; dst: number },
  ): number;
  printIsoclns(p: Printer, o: number, length: number): void;
  printMpls(p: Printer, o: number, length: number): void;
  printPpp(p: Printer, o: number, length: number): number;
}

export class Printer {
  /** One past the last byte printers may read (tcpdump's ndo_snapend). */
  snapend: number;
  out = '';
  /** The protocol a truncation marker names (tcpdump's ndo_protocol). */
  protocol = '';
  /** Bytes of link-layer header (what -x leaves out). */
  llHdrLen = 0;
  readonly eflag: boolean;
  readonly tcpSeq?: TcpSeqState;
  readonly interfaceName?: (ifindex: number) => string | undefined;
  readonly suppressDefaultPrint: boolean;
  readonly xflag: boolean;
  readonly qflag: number;
  private readonly saved: number[] = [];

  constructor(
    readonly b: Uint8Array,
    readonly next: NextPrinters,
    options: PrinterOptions = {},
  ) {
    this.snapend = b.length;
    this.eflag = options.eflag ?? false;
    this.tcpSeq = options.tcpSeq;
    this.interfaceName = options.interfaceName;
    this.suppressDefaultPrint = options.suppressDefaultPrint ?? false;
    this.xflag = options.xflag ?? false;
    this.qflag = options.qflag ?? 0;
  }

  /** Stops printing this packet (tcpdump's nd_trunc_longjmp); the caller adds the marker. */
  stop(): never {
    throw TRUNCATED;
  }

  /** ND_TTEST_LEN: are `n` bytes at `o` captured? */
  has(o: number, n: number): boolean {
    return o >= 0 && n >= 0 && o <= this.snapend && n <= this.snapend - o;
  }

  /** Throws Truncated unless `n` bytes at `o` are captured. */
  need(o: number, n: number): void {
    if (!this.has(o, n)) throw TRUNCATED;
  }

  /** Bytes captured from `o` on (ND_BYTES_AVAILABLE_AFTER). */
  avail(o: number): number {
    return o < this.snapend ? this.snapend - o : 0;
  }

  u8(o: number): number {
    if (o < 0 || o >= this.snapend) throw TRUNCATED;
    return this.b[o];
  }

  u16(o: number): number {
    this.need(o, 2);
    return (this.b[o] << 8) | this.b[o + 1];
  }

  u24(o: number): number {
    this.need(o, 3);
    return (this.b[o] << 16) | (this.b[o + 1] << 8) | this.b[o + 2];
  }

  u32(o: number): number {
    this.need(o, 4);
    return ((this.b[o] << 24) | (this.b[o + 1] << 16) | (this.b[o + 2] << 8) | this.b[o + 3]) >>> 0;
  }

  u64(o: number): bigint {
    return (BigInt(this.u32(o)) << 32n) | BigInt(this.u32(o + 4));
  }

  le16(o: number): number {
    this.need(o, 2);
    return this.b[o] | (this.b[o + 1] << 8);
  }

  le32(o: number): number {
    this.need(o, 4);
    return (this.b[o] | (this.b[o + 1] << 8) | (this.b[o + 2] << 16) | (this.b[o + 3] << 24)) >>> 0;
  }

  print(s: string): void {
    this.out += s;
  }

  /** nd_print_trunc: ` [|protocol]`. */
  trunc(): void {
    this.out += ` [|${this.protocol}]`;
  }

  /** nd_print_invalid. */
  invalid(): void {
    this.out += ' (invalid)';
  }

  /** nd_print_protocol_caps: the current protocol's name in capitals. */
  protocolCaps(): void {
    this.out += this.protocol.toUpperCase();
  }

  /** nd_push_snaplen: printers below see at most `len` bytes from `o`. Undo with pop(). */
  push(o: number, len: number): void {
    this.saved.push(this.snapend);
    if (len >= 0 && o + len < this.snapend) this.snapend = Math.max(o + len, 0);
  }

  /** nd_change_snaplen: sets the end for the current pushed level (never beyond the capture). */
  change(o: number, len: number): void {
    const outer = this.saved.length > 0 ? this.saved[this.saved.length - 1] : this.b.length;
    this.snapend = Math.min(outer, o + len);
  }

  pop(): void {
    const s = this.saved.pop();
    if (s !== undefined) this.snapend = s;
  }

  ip4(o: number): string {
    this.need(o, 4);
    return formatIpv4(this.b, o);
  }

  ip6(o: number): string {
    this.need(o, 16);
    return formatIpv6(this.b, o);
  }

  mac(o: number): string {
    this.need(o, 6);
    return formatMac(this.b, o);
  }

  /** Colon hex of `n` bytes. */
  hexColon(o: number, n: number): string {
    this.need(o, n);
    return formatMac(this.b, o, n);
  }

  /**
   * ND_DEFAULTPRINT: tcpdump's hex and ASCII dump of bytes it has no printer for, left out as the
   * call site's `guard` says: 'suppress' under -x/-X/-A/-q (most of tcpdump's), 'x' under -x only,
   * 'never' for the sites tcpdump does not guard.
   */
  defaultPrint(o: number, length: number, guard: 'suppress' | 'x' | 'never' = 'suppress'): void {
    if (guard === 'suppress' ? this.suppressDefaultPrint : guard === 'x' && this.xflag) return;
    this.hexAscii('\n\t', o, length, 0);
  }

  /** hex_and_ascii_print_with_offset: 16 bytes a line, stopping (truncated) at the capture's end. */
  hexAscii(ident: string, o: number, length: number, oset: number): void {
    const cap = this.avail(o);
    let truncated = false;
    let len = length;
    if (len > cap) {
      len = cap;
      truncated = true;
    }
    let hex = '';
    let ascii = '';
    let off = oset;
    const flush = () => {
      this.out += `${ident}0x${off.toString(16).padStart(4, '0')}: ${hex.padEnd(40)}  ${ascii}`;
      hex = '';
      ascii = '';
      off += 16;
    };
    for (let i = 0; i < len; i++) {
      const c = this.b[o + i];
      hex += `${i % 2 === 0 ? ' ' : ''}${c.toString(16).padStart(2, '0')}`;
      ascii += c > 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
      if (i % 16 === 15) flush();
    }
    if (hex !== '') flush();
    if (truncated) throw TRUNCATED;
  }

  /** hex_print_with_offset: the same without the ASCII column. */
  hex(ident: string, o: number, length: number, oset: number): void {
    const cap = this.avail(o);
    let truncated = false;
    let len = length;
    if (len > cap) {
      len = cap;
      truncated = true;
    }
    let s = '';
    for (let i = 0; i + 1 < len; i += 2) {
      if ((i / 2) % 8 === 0) s += `${ident}0x${(oset + i).toString(16).padStart(4, '0')}: `;
      s += ` ${hex2(this.b[o + i])}${hex2(this.b[o + i + 1])}`;
    }
    if (len & 1) {
      if (((len - 1) / 2) % 8 === 0)
        s += `${ident}0x${(oset + len - 1).toString(16).padStart(4, '0')}: `;
      s += ` ${hex2(this.b[o + len - 1])}`;
    }
    this.out += s;
    if (truncated) throw TRUNCATED;
  }

  /** nd_printjnp: up to `n` characters, stopping at NUL, escaped; throws at the capture's end. */
  printjnp(o: number, n: number): void {
    for (let i = 0; i < n; i++) {
      const c = this.u8(o + i);
      if (c === 0) break;
      this.out += charText(c);
    }
  }

  /** nd_printn: `n` characters escaped (NULs too); throws at the capture's end. */
  printn(o: number, n: number): void {
    for (let i = 0; i < n; i++) this.out += charText(this.u8(o + i));
  }

  /**
   * nd_printztn: a NUL-terminated string of at most `n` bytes, escaped; returns the bytes used with
   * the NUL, 0 when `n` bytes or the capture ended first (what was read is printed either way).
   */
  printztn(o: number, n: number): number {
    let bytes = 0;
    for (let i = 0; ; i++) {
      if (i >= n || o + i >= this.snapend) return 0;
      const c = this.b[o + i];
      bytes++;
      if (c === 0) return bytes;
      this.out += charText(c);
    }
  }

  /** nd_printzp: up to `n` characters or NUL; returns the bytes consumed, 0 if the capture ended. */
  printjn(o: number, n: number): void {
    for (let i = 0; i < n; i++) this.out += charText(this.u8(o + i));
  }
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0');
}

/** fn_print_char: printable ASCII as is, high bytes as `M-`, controls as `^X`. */
export function charText(c: number): string {
  let s = '';
  let x = c;
  if (x > 0x7f) {
    x &= 0x7f;
    s = 'M-';
  }
  if (x < 0x20 || x === 0x7f) return `${s}^${String.fromCharCode(x ^ 0x40)}`;
  return s + String.fromCharCode(x);
}

/**
 * A printf with one argument, enough for tcpdump's tok2str formats: %u %d %x %X %o %c %s with an
 * optional 0/width and #.
 */
export function fmt1(format: string, v: number | string): string {
  return format.replace(
    /%(#?)(0?)(\d*)(l{0,2})([udxXocs%])/g,
    (_m, hash, zero, width, _l, conv) => {
      if (conv === '%') return '%';
      let s: string;
      const n = typeof v === 'number' ? v : 0;
      switch (conv) {
        case 'x':
          s = (n >>> 0).toString(16);
          if (hash && n !== 0) s = `0x${s}`;
          break;
        case 'X':
          s = (n >>> 0).toString(16).toUpperCase();
          if (hash && n !== 0) s = `0X${s}`;
          break;
        case 'o':
          s = (n >>> 0).toString(8);
          break;
        case 'c':
          s = String.fromCharCode(n);
          break;
        case 's':
          s = String(v);
          break;
        case 'd':
          s = String(n | 0);
          break;
        default:
          s = String(n >>> 0);
      }
      const w = width ? Number(width) : 0;
      return s.length >= w ? s : zero ? s.padStart(w, '0') : s.padStart(w, ' ');
    },
  );
}

/** A value→name table, as tcpdump's `struct tok`. */
export type Tok = ReadonlyMap<number, string>;

/** tok2str: the name of `v`, or `format` filled with it. */
export function tok2str(table: Tok, format: string, v: number): string {
  return table.get(v) ?? fmt1(format, v);
}

/** bittok2str (separator ', ') / bittok2str_nosep (''): names of the set bits, or `format`. */
export function bittok2str(table: Tok, format: string, v: number, sep = ', '): string {
  const names: string[] = [];
  for (const [bits, name] of table) if (bits !== 0 && (v & bits) === bits) names.push(name);
  return names.length ? names.join(sep) : fmt1(format, v);
}

/** unsigned_relts_print: seconds as `1y2w3d4h5m6s` (`0s` for none). */
export function reltsText(secs0: number): string {
  const units: ReadonlyArray<[number, string]> = [
    [31536000, 'y'],
    [604800, 'w'],
    [86400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ];
  let secs = secs0 >>> 0;
  if (secs === 0) return '0s';
  let s = '';
  for (const [n, u] of units) {
    if (secs >= n) {
      s += `${Math.floor(secs / n)}${u}`;
      secs -= Math.floor(secs / n) * n;
    }
  }
  return s;
}

/** signed_relts_print. */
export function signedReltsText(secs: number): string {
  const v = secs | 0;
  return v < 0 ? `-${reltsText(-v)}` : reltsText(v);
}

/**
 * Runs `fn` over a private copy of bytes (tcpdump's unescaping printers point ndo at a temporary buffer):
 * the text and protocol name carry over both ways, truncation still ends the packet.
 */
export function withBuffer(p: Printer, bytes: Uint8Array, fn: (q: Printer) => void): void {
  const q = new Printer(bytes, p.next, {
    eflag: p.eflag,
    tcpSeq: p.tcpSeq,
    interfaceName: p.interfaceName,
    suppressDefaultPrint: p.suppressDefaultPrint,
    xflag: p.xflag,
    qflag: p.qflag,
  });
  q.out = p.out;
  q.protocol = p.protocol;
  try {
    fn(q);
  } finally {
    p.out = q.out;
    p.protocol = q.protocol;
  }
}
