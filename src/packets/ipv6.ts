// IPv6 header (RFC 8200) and its extension header chain: hop-by-hop, routing, fragment, destination options, AH.
import { formatIpv6 } from './addr.js';
import { type LayerBase, u16, u32 } from './layer.js';
import { printMobility } from './mobility.js';
import type { Printer } from './printer.js';

export interface Ipv6Extension {
  /** The header's own protocol number (0, 43, 44, 60, 51). */
  type: number;
  offset: number;
  length: number;
  nextHeader: number;
}

export interface Ipv6Layer extends LayerBase {
  kind: 'ipv6';
  version: number;
  trafficClass: number;
  flowLabel: number;
  payloadLength: number;
  /** The fixed header's next-header field. */
  nextHeader: number;
  hopLimit: number;
  src: string;
  dst: string;
  extensions: Ipv6Extension[];
  /** The protocol after the last extension header (what `headerLength` leads to). */
  protocol: number;
  /** Present when a fragment header was seen. */
  fragment?: { offset: number; more: boolean; id: number };
}

const EXT = new Set([0, 43, 44, 51, 60]);

/** Decodes an IPv6 header and walks its extension headers (at most 16, so a loop of garbage ends). */
export function decodeIpv6(b: Uint8Array, off = 0): Ipv6Layer {
  const avail = Math.max(0, b.length - off);
  const w = u32(b, off);
  const payloadLength = u16(b, off + 4);
  const layer: Ipv6Layer = {
    kind: 'ipv6',
    offset: off,
    headerLength: Math.min(40, avail),
    truncated: avail < 40 || avail < 40 + payloadLength,
    version: w >>> 28,
    trafficClass: (w >>> 20) & 0xff,
    flowLabel: w & 0xfffff,
    payloadLength,
    nextHeader: b[off + 6] ?? 0,
    hopLimit: b[off + 7] ?? 0,
    src: formatIpv6(b, off + 8),
    dst: formatIpv6(b, off + 24),
    extensions: [],
    protocol: b[off + 6] ?? 0,
  };
  if (avail < 40) return layer;
  let nh = layer.nextHeader;
  let p = off + 40;
  for (let n = 0; n < 16 && EXT.has(nh); n++) {
    if (p + 8 > b.length) {
      layer.truncated = true;
      break;
    }
    const next = b[p];
    let len: number;
    if (nh === 44) len = 8;
    else if (nh === 51) len = (b[p + 1] + 2) * 4;
    else len = (b[p + 1] + 1) * 8;
    if (nh === 44) {
      const fo = u16(b, p + 2);
      layer.fragment = { offset: fo & 0xfff8, more: (fo & 1) === 1, id: u32(b, p + 4) };
    }
    layer.extensions.push({ type: nh, offset: p, length: len, nextHeader: next });
    if (p + len > b.length) {
      layer.truncated = true;
      p = b.length;
      nh = next;
      break;
    }
    p += len;
    nh = next;
    // A non-first fragment carries no upper-layer header.
    if (layer.fragment && layer.fragment.offset !== 0) break;
  }
  layer.protocol = nh;
  layer.headerLength = p - off;
  return layer;
}

// ---- Printing, as tcpdump's print-ip6.c (with print-ip6opts.c, print-frag6.c, print-rt6.c) without -v ----

/** ip6_print: an IPv6 packet at `o` with `length` bytes left on the wire. */
export function printIp6(p: Printer, o: number, length: number): void {
  p.protocol = 'ip6';
  if (!p.has(o, 40)) {
    p.trunc();
    return;
  }
  if (length < 40) {
    p.print(`truncated-ip6 ${length}`);
    return;
  }
  if (!p.eflag) p.print('IP6 ');
  const version = p.u8(o) >> 4;
  if (version !== 6) {
    p.print(`version error: ${version} != 6`);
    return;
  }
  let payloadLen = p.u16(o + 4);
  let len: number;
  if (payloadLen !== 0) {
    len = payloadLen + 40;
    if (length < len) p.print(`truncated-ip6 - ${len - length} bytes missing!`);
  } else len = length + 40;
  let ph = 255;
  let nh = p.u8(o + 6);
  p.push(o, len);
  let cp = o;
  let advance = 40;
  let totalAdvance = 0;
  let foundExt = false;
  let foundJumbo = false;
  let foundHbh = false;
  let fragmented = false;
  const ret = () => p.pop();
  while (cp < p.snapend && advance > 0) {
    if (len < advance) {
      p.trunc();
      return;
    }
    cp += advance;
    len -= advance;
    totalAdvance += advance;
    if (cp === o + 40 && nh !== 6 && nh !== 17 && nh !== 33 && nh !== 132)
      p.print(`${p.ip6(o + 8)} > ${p.ip6(o + 24)}: `);
    switch (nh) {
      case 0: {
        if (foundHbh) {
          p.print('[The Hop-by-Hop Options header was already found]');
          p.invalid();
          return;
        }
        if (ph !== 255) {
          p.print("[The Hop-by-Hop Options header don't follow the IPv6 header]");
          p.invalid();
          return;
        }
        const r = hbhOptProcess(p, cp, payloadLen);
        advance = r.advance;
        if (r.jumbo !== undefined) {
          foundJumbo = true;
          payloadLen = r.jumbo;
        }
        if (payloadLen === 0 && !foundJumbo) {
          p.print('[No valid Jumbo Payload Hop-by-Hop option found]');
          p.invalid();
          return;
        }
        if (advance < 0) {
          ret();
          return;
        }
        foundExt = true;
        foundHbh = true;
        nh = p.u8(cp);
        break;
      }
      case 60:
        advance = dstOptProcess(p, cp);
        if (advance < 0) {
          ret();
          return;
        }
        foundExt = true;
        nh = p.u8(cp);
        break;
      case 44:
        advance = printFrag6(p, cp, o);
        if (advance < 0 || p.snapend <= cp + advance) {
          ret();
          return;
        }
        foundExt = true;
        nh = p.u8(cp);
        fragmented = true;
        break;
      case 62:
      case 135:
        printMobility(p, cp);
        {
          ret();
          return;
        }
      case 43:
        p.u8(cp);
        advance = printRt6(p, cp);
        if (advance < 0) {
          ret();
          return;
        }
        foundExt = true;
        nh = p.u8(cp);
        break;
      default:
        if (foundJumbo) {
          len = payloadLen + 40;
          if (len < totalAdvance) {
            p.trunc();
            return;
          }
          if (length < len) p.print(`truncated-ip6 - ${len - length} bytes missing!`);
          p.change(o, len);
          len -= totalAdvance;
        } else if (payloadLen === 0) {
          if (foundExt) {
            p.trunc();
            return;
          }
          len = 40;
          p.change(o, len);
          len -= totalAdvance;
        }
        p.next.printIpDemux(p, cp, len, 6, fragmented, p.u8(o + 7), nh, o);
        {
          ret();
          return;
        }
    }
    ph = nh;
    p.protocol = 'ip6';
  }
  ret();
}

/** hbhopt_process: prints "HBH " and finds a Jumbo Payload option; advance -1 when cut off. */
function hbhOptProcess(
  p: Printer,
  o: number,
  payloadLen: number,
): { advance: number; jumbo?: number } {
  p.protocol = 'hbhopt';
  const hbhlen = (p.u8(o + 1) + 1) << 3;
  if (!p.has(o, hbhlen)) {
    p.trunc();
    return { advance: -1 };
  }
  p.print('HBH ');
  const r = ip6OptProcess(p, o + 2, hbhlen - 2, payloadLen);
  if (r.bad) {
    p.trunc();
    return { advance: -1, jumbo: r.jumbo };
  }
  return { advance: hbhlen, jumbo: r.jumbo };
}

function dstOptProcess(p: Printer, o: number): number {
  p.protocol = 'dstopt';
  const len = (p.u8(o + 1) + 1) << 3;
  if (!p.has(o, len)) {
    p.trunc();
    return -1;
  }
  p.print('DSTOPT ');
  return len;
}

/** ip6_opt_process without -v: only malformed options print anything. */
function ip6OptProcess(
  p: Printer,
  o: number,
  len: number,
  payloadLen: number | undefined,
): { bad: boolean; jumbo?: number } {
  let jumbo: number | undefined;
  let seenJumbo = false;
  let optlen = 0;
  for (let i = 0; i < len; i += optlen) {
    const t = p.u8(o + i);
    if (t === 0) optlen = 1;
    else if (i + 1 < len) optlen = p.u8(o + i + 1) + 2;
    else return { bad: true, jumbo };
    if (i + optlen > len) return { bad: true, jumbo };
    switch (t) {
      case 0:
        break;
      case 1:
        if (len - i < 2) {
          p.print('(padn: trunc)');
          return { bad: true, jumbo };
        }
        break;
      case 0x05:
        if (len - i < 4) {
          p.print('(rtalert: trunc)');
          return { bad: true, jumbo };
        }
        if (p.u8(o + i + 1) !== 2) {
          p.print(`(rtalert: invalid len ${p.u8(o + i + 1)})`);
          return { bad: true, jumbo };
        }
        break;
      case 0xc2: {
        if (len - i < 6) {
          p.print('(jumbo: trunc)');
          return { bad: true, jumbo };
        }
        if (p.u8(o + i + 1) !== 4) {
          p.print(`(jumbo: invalid len ${p.u8(o + i + 1)})`);
          return { bad: true, jumbo };
        }
        const jl = p.u32(o + i + 2);
        if (!seenJumbo) {
          seenJumbo = true;
          if (payloadLen === 0 && jl >= 65536) jumbo = jl;
        }
        break;
      }
      case 0xc9:
        if (len - i < 18) {
          p.print('(homeaddr: trunc)');
          return { bad: true, jumbo };
        }
        if (p.u8(o + i + 1) < 16) {
          p.print(`(homeaddr: invalid len ${p.u8(o + i + 1)})`);
          return { bad: true, jumbo };
        }
        break;
      default:
        if (len - i < 2) {
          p.print(`(type ${t}: trunc)`);
          return { bad: true, jumbo };
        }
    }
  }
  return { bad: false, jumbo };
}

/** frag6_print: `frag (offset|length)`; -1 for a non-first fragment (nothing more to decode). */
function printFrag6(p: Printer, o: number, ip6: number): number {
  p.protocol = 'frag6';
  const offlg = p.u16(o + 2);
  const plen = p.u16(ip6 + 4);
  // A size_t in tcpdump: a header chain longer than the payload wraps around 2^64.
  const rest = 40 + plen - (o - ip6) - 8;
  p.print(`frag (${offlg & 0xfff8}|${rest < 0 ? (2n ** 64n + BigInt(rest)).toString() : rest})`);
  if ((offlg & 0xfff8) !== 0) return -1;
  p.print(' ');
  return 8;
}

/** rt6_print: the routing header and its addresses. */
function printRt6(p: Printer, o: number): number {
  p.protocol = 'rt6';
  p.protocolCaps();
  let len = p.u8(o + 1);
  p.print(` (len=${len}`);
  const type = p.u8(o + 2);
  p.print(`, type=${type}`);
  if (type === 0) p.print(' [Deprecated]');
  p.print(`, segleft=${p.u8(o + 3)}`);
  if (type === 0 || type === 2) {
    const rsv = p.u32(o + 4);
    if (rsv) p.print(`, rsv=0x${rsv.toString(16)}`);
    if (len % 2 === 1) {
      p.print(` (invalid length ${len})`);
      p.invalid();
      return -1;
    }
    len >>= 1;
    for (let i = 0; i < len; i++) p.print(`, [${i}]${p.ip6(o + 8 + 16 * i)}`);
    p.print(') ');
    return (p.u8(o + 1) + 1) << 3;
  }
  if (type === 4) {
    p.print(`, last-entry=${p.u8(o + 4)}`);
    const flags = p.u8(o + 5);
    if (flags) p.print(`, flags=0x${flags.toString(16)}`);
    p.print(`, tag=${p.u16(o + 6).toString(16)}`);
    if (len % 2 === 1) {
      p.print(` (invalid length ${len})`);
      p.invalid();
      return -1;
    }
    len >>= 1;
    for (let i = 0; i < len; i++) p.print(`, [${i}]${p.ip6(o + 8 + 16 * i)}`);
    p.print(') ');
    return (p.u8(o + 1) + 1) << 3;
  }
  p.print(' (unknown type)');
  p.invalid();
  return -1;
}
