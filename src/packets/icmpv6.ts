// ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861): echo id/seq, NS/NA/redirect target address.
import { formatIpv6 } from './addr.js';
import { type LayerBase, u16 } from './layer.js';
import { printMld, printMldv2Query, printMldv2Report } from './mld.js';
import { charText, type Printer, type Tok, tok2str } from './printer.js';

export interface Icmpv6Layer extends LayerBase {
  kind: 'icmpv6';
  type: number;
  code: number;
  checksum: number;
  id?: number;
  seq?: number;
  /** Target address of neighbor solicitation/advertisement and redirect. */
  target?: string;
  /** Number of multicast address records of an MLDv2 report (type 143). */
  records?: number;
}

export const ICMPV6_TYPE = {
  ECHO_REQUEST: 128,
  ECHO_REPLY: 129,
  ROUTER_SOLICIT: 133,
  ROUTER_ADVERT: 134,
  NEIGHBOR_SOLICIT: 135,
  NEIGHBOR_ADVERT: 136,
  REDIRECT: 137,
} as const;

/** Decodes an ICMPv6 header (8 bytes; 24 for ND messages with a target) at `off`. */
export function decodeIcmpv6(b: Uint8Array, off = 0): Icmpv6Layer {
  const avail = Math.max(0, b.length - off);
  const type = b[off] ?? 0;
  const layer: Icmpv6Layer = {
    kind: 'icmpv6',
    offset: off,
    headerLength: Math.min(8, avail),
    truncated: avail < 8,
    type,
    code: b[off + 1] ?? 0,
    checksum: u16(b, off + 2),
  };
  if (avail >= 8 && (type === 128 || type === 129)) {
    layer.id = u16(b, off + 4);
    layer.seq = u16(b, off + 6);
  }
  if (avail >= 8 && type === 143) layer.records = u16(b, off + 6);
  if (type >= 135 && type <= 137) {
    layer.headerLength = Math.min(24, avail);
    if (avail >= 24) layer.target = formatIpv6(b, off + 8);
    else layer.truncated = true;
  }
  return layer;
}

// ---- Printing, as tcpdump's print-icmp6.c without -v ----

const ICMP6_NAMES: Tok = new Map([
  [1, 'destination unreachable'],
  [2, 'packet too big'],
  [3, 'time exceeded in-transit'],
  [4, 'parameter problem'],
  [128, 'echo request'],
  [129, 'echo reply'],
  [130, 'multicast listener query'],
  [131, 'multicast listener report'],
  [132, 'multicast listener done'],
  [133, 'router solicitation'],
  [134, 'router advertisement'],
  [135, 'neighbor solicitation'],
  [136, 'neighbor advertisement'],
  [137, 'redirect'],
  [138, 'router renumbering'],
  [141, 'inverse neighbor solicitation'],
  [142, 'inverse neighbor advertisement'],
  [143, 'multicast listener report v2'],
  [144, 'ha discovery request'],
  [145, 'ha discovery reply'],
  [146, 'mobile router solicitation'],
  [147, 'mobile router advertisement'],
  [139, 'who-are-you request'],
  [140, 'who-are-you reply'],
  [201, 'mtrace message'],
  [200, 'mtrace response'],
  [155, 'RPL'],
]);
const UNREACH_CODES: Tok = new Map([
  [0, 'unreachable route'],
  [1, ' unreachable prohibited'],
  [2, 'beyond scope'],
  [3, 'unreachable address'],
  [4, 'unreachable port'],
]);

/** get_upperlayer: the transport header after the IPv6 header (and its extensions) at `o`. */
function upperLayer(p: Printer, o: number): { proto: number; at: number } | undefined {
  if (!p.has(o + 6, 1)) return undefined;
  let nh = p.u8(o + 6);
  let hlen = 40;
  let bp = o;
  while (bp < p.snapend) {
    bp += hlen;
    switch (nh) {
      case 17:
      case 6:
        return p.has(bp + 2, 2) ? { proto: nh, at: bp } : undefined;
      case 0:
      case 60:
      case 43:
        if (!p.has(bp + 1, 1)) return undefined;
        nh = p.u8(bp);
        hlen = (p.u8(bp + 1) + 1) << 3;
        break;
      case 44:
        if (!p.has(bp + 2, 2)) return undefined;
        if ((p.u16(bp + 2) & 0xfff8) !== 0) return undefined;
        nh = p.u8(bp);
        hlen = 8;
        break;
      case 51:
        if (!p.has(bp + 1, 1)) return undefined;
        nh = p.u8(bp);
        hlen = (p.u8(bp + 1) + 2) << 2;
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** print_unknown_data: a hex dump (no ASCII) of what is captured of `len` bytes. */
export function printUnknownData(p: Printer, o: number, ident: string, len: number): void {
  if (!p.has(o, 0)) {
    p.print(`${ident}Dissector error: print_unknown_data called with pointer past end of packet`);
    return;
  }
  p.hex(ident, o, Math.min(len, p.avail(o)), 0);
}

/** icmp6_print: an ICMPv6 message at `o` of `length` bytes. */
export function printIcmp6(
  p: Printer,
  o: number,
  length: number,
  _ip: number,
  _fragmented: boolean,
): void {
  p.protocol = 'icmp6';
  if (length === 0) {
    p.print('ICMP6, length 0');
    p.invalid();
    return;
  }
  const type = p.u8(o);
  p.print(`ICMP6, ${tok2str(ICMP6_NAMES, 'unknown icmp6 type (%u)', type)}`);
  const code = p.u8(o + 1);
  const oip = o + 8;
  switch (type) {
    case 1:
      p.print(`, ${tok2str(UNREACH_CODES, 'unknown unreach code (%u)', code)}`);
      switch (code) {
        case 0:
        case 1:
        case 3:
          p.print(` ${p.ip6(oip + 24)}`);
          break;
        case 2:
          p.print(` ${p.ip6(oip + 24)}, source address ${p.ip6(oip + 8)}`);
          break;
        case 4: {
          const ul = upperLayer(p, oip);
          if (!ul) {
            p.trunc();
            return;
          }
          const dport = p.u16(ul.at + 2);
          if (ul.proto === 6) p.print(`, ${p.ip6(oip + 24)} tcp port ${dport}`);
          else if (ul.proto === 17) p.print(`, ${p.ip6(oip + 24)} udp port ${dport}`);
          else p.print(`, ${p.ip6(oip + 24)} protocol ${ul.proto} port ${dport} unreachable`);
          break;
        }
        default:
          printUnknownData(p, o, '\n\t', length);
          return;
      }
      break;
    case 2:
      p.print(`, mtu ${p.u32(o + 4)}`);
      break;
    case 3:
      if (code === 0) p.print(` for ${p.ip6(oip + 24)}`);
      else if (code === 1) p.print(' (reassembly)');
      else p.print(`, unknown code (${code})`);
      break;
    case 4: {
      if (!p.has(oip + 24, 16)) {
        p.trunc();
        return;
      }
      const what = ['erroneous', 'next header', 'option', 'incomplete header chain'][code];
      if (what) p.print(`, ${what} - octet ${p.u32(o + 4)}`);
      else p.print(`, code-#${code}`);
      break;
    }
    case 128:
    case 129:
      p.print(`, id ${p.u16(o + 4)}, seq ${p.u16(o + 6)}`);
      break;
    case 130:
      if (length === 24) printMld(p, o);
      else if (length >= 28) {
        p.print(' v2');
        printMldv2Query(p, o, length);
      } else p.print(` unknown-version (len ${length}) `);
      break;
    case 131:
    case 132:
      printMld(p, o);
      break;
    case 133:
    case 134:
      break;
    case 135:
      p.print(`, who has ${p.ip6(o + 8)}`);
      break;
    case 136:
      p.print(`, tgt is ${p.ip6(o + 8)}`);
      break;
    case 137:
      p.print(`, ${p.ip6(o + 24)}`);
      p.print(` to ${p.ip6(o + 8)}`);
      break;
    // Their truncation markers are local: the length still follows.
    case 138:
      printRouterRenumbering(p, o);
      break;
    case 139:
    case 140:
      printNodeInfo(p, o, length);
      break;
    case 141:
    case 142:
      break;
    case 143:
      printMldv2Report(p, o, length);
      break;
    case 144:
    case 146:
      p.print(
        `, id 0x${p
          .u16(o + 4)
          .toString(16)
          .padStart(4, '0')}`,
      );
      break;
    case 145:
    case 147:
      break;
    case 155:
      printRpl(p, code);
      break;
    default:
      p.print(`, length ${length}`);
      printUnknownData(p, o, '\n\t', length);
      return;
  }
  p.print(`, length ${length}`);
}

/** icmp6_rrenum_print without -v; false when it ended in a truncation marker. */
function printRouterRenumbering(p: Printer, o: number): boolean {
  if (!p.has(o + 12, 4)) {
    p.trunc();
    return false;
  }
  const code = p.u8(o + 1);
  p.print(
    code === 0
      ? ', command'
      : code === 1
        ? ', result'
        : code === 255
          ? ', sequence number reset'
          : `, code-#${code}`,
  );
  p.print(`, seq=${p.u32(o + 4)}`);
  if (code === 0) {
    const m = o + 16;
    if (!p.has(m + 8, 16)) {
      p.trunc();
      return false;
    }
    p.print(' match(');
    const rc = p.u8(m);
    p.print(rc === 1 ? 'add' : rc === 2 ? 'change' : rc === 3 ? 'setglobal' : `#${rc}`);
    p.print(`,${p.ip6(m + 8)}/${p.u8(m + 3)})`);
    let n = p.u8(m + 1) - 3;
    if (n % 4) {
      p.trunc();
      return false;
    }
    n /= 4;
    let cp = m + 24;
    while (n-- > 0) {
      if (!p.has(cp + 16, 16)) {
        p.trunc();
        return false;
      }
      p.print(' use(');
      const f = p.u8(cp + 12);
      if (f) p.print(`${f & 0x80 ? 'V' : ''}${f & 0x40 ? 'P' : ''},`);
      p.print(`${p.ip6(cp + 16)}/${p.u8(cp)}/${p.u8(cp + 1)})`);
      cp += 32;
    }
  }
  return true;
}

/** icmp6_nodeinfo_print without -v; false when it ended in a truncation marker. */
function printNodeInfo(p: Printer, o: number, icmp6len: number): boolean {
  const ep = p.snapend;
  if (ep < o) return true;
  const siz = ep - o;
  const type = p.u8(o);
  const nodeAddrFlags = (i: number, withT: boolean) =>
    ` [${i & 0x40 ? 'a' : ''}${i & 0x20 ? 'G' : ''}${i & 0x10 ? 'S' : ''}${i & 0x08 ? 'L' : ''}${i & 0x04 ? 'C' : ''}${i & 0x02 ? 'A' : ''}${withT && i & 0x01 ? 'T' : ''}]`;
  if (type === 139) {
    if (siz === 12) {
      p.print(' who-are-you request');
      return true;
    }
    p.print(' node information query');
    if (!p.has(o, 16)) {
      p.trunc();
      return false;
    }
    p.print(' (');
    const qtype = p.u16(o + 4);
    if (qtype === 0) p.print('noop');
    else if (qtype === 1) {
      p.print('supported qtypes');
      const i = p.u16(o + 6);
      if (i) p.print(` [${i & 1 ? 'C' : ''}]`);
    } else if (qtype === 2) p.print('DNS name');
    else if (qtype === 3) {
      p.print('node addresses');
      const i = p.u16(o + 6);
      if (i) p.print(nodeAddrFlags(i, false));
    } else p.print('unknown');
    if (qtype === 0 || qtype === 1) {
      p.print(')');
      return true;
    }
    if (siz === 16) {
      p.print(', 03 draft)');
      return true;
    }
    const cp = o + 16;
    const c = p.u8(o + 1);
    if (c === 0) {
      if (p.has(o, 32) && siz === 32) p.print(`, subject=${p.ip6(cp)}`);
    } else if (c === 1) {
      p.print(', subject=DNS name');
      if (p.u8(cp) === ep - cp - 1) {
        p.print(', "');
        for (let q = cp + 1; q < ep; q++) p.print(charText(p.u8(q)));
        p.print('"');
      } else printDnsNameList(p, cp, ep);
    } else if (c === 2) {
      if (p.has(o, 20) && siz === 20) p.print(`, subject=${p.ip4(cp)}`);
    } else p.print(', unknown subject');
    p.print(')');
    return true;
  }
  if (icmp6len > siz) {
    p.trunc();
    return false;
  }
  if (!p.has(o, 16)) {
    p.trunc();
    return false;
  }
  p.print(' node information reply (');
  const c = p.u8(o + 1);
  let comma = false;
  if (c === 1 || c === 2) {
    p.print(c === 1 ? 'refused' : 'unknown');
    comma = true;
  }
  if (c !== 0) {
    p.print(')');
    return true;
  }
  const sep = () => {
    if (comma) p.print(', ');
  };
  const qtype = p.u16(o + 4);
  if (qtype === 0) {
    sep();
    p.print('noop');
  } else if (qtype === 1) {
    sep();
    p.print('supported qtypes');
    const i = p.u16(o + 6);
    if (i) p.print(` [${i & 1 ? 'C' : ''}]`);
  } else if (qtype === 2) {
    sep();
    p.print('DNS name');
    const cp = o + 20;
    if (p.u8(cp) === ep - cp - 1) {
      p.print(', "');
      for (let q = cp + 1; q < ep; q++) p.print(charText(p.u8(q)));
      p.print('"');
    } else printDnsNameList(p, cp, ep);
    if ((p.u16(o + 6) & 1) !== 0) p.print(` [TTL=${p.u32(o + 16)}]`);
  } else if (qtype === 3) {
    sep();
    p.print('node addresses');
    let i = 16;
    while (i < siz) {
      if (i + 20 > siz) break;
      p.print(` ${p.ip6(o + i + 4)}(${p.u32(o + i)})`);
      i += 20;
    }
    const f = p.u16(o + 6);
    if (f) p.print(nodeAddrFlags(f, true));
  } else {
    sep();
    p.print('unknown');
  }
  p.print(')');
  return true;
}

/** dnsname_print: the names of a node information reply, `, ` separated, in DNS label form. */
function printDnsNameList(p: Printer, o: number, ep: number): void {
  let cp = o;
  p.print(' ');
  while (cp < ep) {
    let i = p.u8(cp);
    if (i === 0) {
      p.print('.');
      break;
    }
    cp++;
    let first = true;
    while (i > 0 && cp < ep) {
      if (!first) p.print('.');
      first = false;
      for (let k = 0; k < i; k++) p.print(charText(p.u8(cp + k)));
      cp += i;
      i = cp < ep ? p.u8(cp) : 0;
      if (i !== 0) cp++;
    }
    if (cp < ep) {
      p.print(', ');
      cp++;
    }
  }
}

const RPL_CODES: readonly string[] = [
  'DODAG Information Solicitation',
  'DODAG Information Object',
  'Destination Advertisement Object',
  'Destination Advertisement Object Ack',
];

/** rpl_print without -v: the message's name (secured messages are not decoded). */
function printRpl(p: Printer, code: number): void {
  if (code & 0x80) {
    p.print(', (SEC) [worktodo]');
    return;
  }
  p.print(`, (CLR)${RPL_CODES[code] ?? `RPL message, unknown code ${code}`}`);
}
