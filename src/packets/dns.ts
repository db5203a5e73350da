// DNS (RFC 1035): header and question section, with name compression (bounded so loops end).
import { formatIpv4, formatIpv6 } from './addr.js';
import { type LayerBase, u16, u32 } from './layer.js';
import { charText, type Printer, type Tok, tok2str } from './printer.js';

export interface DnsQuestion {
  /** Dotted name without the trailing dot ('' is the root). */
  name: string;
  type: number;
  class: number;
}

export interface DnsLayer extends LayerBase {
  kind: 'dns';
  id: number;
  /** True for a response. */
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  rcode: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
  questions: DnsQuestion[];
  /** The answer section (authority and additional records are counted, not decoded). */
  answers: DnsRecord[];
}

/** A resource record; `data` is its rdata as text for A, AAAA, CNAME, NS, PTR, DNAME and MX, else undefined. */
export interface DnsRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data?: string;
}

export const DNS_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  35: 'NAPTR',
  41: 'OPT',
  43: 'DS',
  46: 'RRSIG',
  47: 'NSEC',
  48: 'DNSKEY',
  64: 'SVCB',
  65: 'HTTPS',
  252: 'AXFR',
  255: 'ANY',
};

/** Reads a possibly compressed name at `pos` of the DNS message `msg`; returns the name and the position after it, or undefined if malformed. */
export function readDnsName(
  msg: Uint8Array,
  pos: number,
): { name: string; next: number } | undefined {
  const labels: string[] = [];
  let next = -1;
  let p = pos;
  for (let hops = 0; hops < 128; hops++) {
    if (p >= msg.length) return undefined;
    const len = msg[p];
    if (len === 0) {
      return { name: labels.join('.'), next: next < 0 ? p + 1 : next };
    }
    if ((len & 0xc0) === 0xc0) {
      if (p + 1 >= msg.length) return undefined;
      if (next < 0) next = p + 2;
      p = ((len & 0x3f) << 8) | msg[p + 1];
      continue;
    }
    if ((len & 0xc0) !== 0 || p + 1 + len > msg.length) return undefined;
    labels.push(String.fromCharCode(...msg.subarray(p + 1, p + 1 + len)));
    p += 1 + len;
  }
  return undefined;
}

/** Decodes a DNS message's header and questions; `b.subarray(off)` must be the whole message (offsets are relative to it). */
export function decodeDns(b: Uint8Array, off = 0): DnsLayer {
  const msg = b.subarray(off);
  const f = u16(msg, 2);
  const layer: DnsLayer = {
    kind: 'dns',
    offset: off,
    headerLength: Math.min(12, msg.length),
    truncated: msg.length < 12,
    id: u16(msg, 0),
    qr: (f & 0x8000) !== 0,
    opcode: (f >> 11) & 0xf,
    aa: (f & 0x0400) !== 0,
    tc: (f & 0x0200) !== 0,
    rd: (f & 0x0100) !== 0,
    ra: (f & 0x0080) !== 0,
    ad: (f & 0x0020) !== 0,
    cd: (f & 0x0010) !== 0,
    rcode: f & 0xf,
    qdcount: u16(msg, 4),
    ancount: u16(msg, 6),
    nscount: u16(msg, 8),
    arcount: u16(msg, 10),
    questions: [],
    answers: [],
  };
  if (layer.truncated) return layer;
  let p = 12;
  for (let i = 0; i < layer.qdcount; i++) {
    const n = readDnsName(msg, p);
    if (!n || n.next + 4 > msg.length) {
      layer.truncated = true;
      break;
    }
    layer.questions.push({ name: n.name, type: u16(msg, n.next), class: u16(msg, n.next + 2) });
    p = n.next + 4;
  }
  for (let i = 0; i < layer.ancount && !layer.truncated; i++) {
    const n = readDnsName(msg, p);
    if (!n || n.next + 10 > msg.length) {
      layer.truncated = true;
      break;
    }
    const type = u16(msg, n.next);
    const rdlen = u16(msg, n.next + 8);
    const rd = n.next + 10;
    if (rd + rdlen > msg.length) {
      layer.truncated = true;
      break;
    }
    layer.answers.push({
      name: n.name,
      type,
      class: u16(msg, n.next + 2),
      ttl: u32(msg, n.next + 4),
      data: rdataText(msg, type, rd, rdlen),
    });
    p = rd + rdlen;
  }
  layer.headerLength = p;
  return layer;
}

function rdataText(msg: Uint8Array, type: number, at: number, len: number): string | undefined {
  if (type === 1 && len === 4) return formatIpv4(msg, at);
  if (type === 28 && len === 16) return formatIpv6(msg, at);
  if (type === 2 || type === 5 || type === 12 || type === 39) {
    const n = readDnsName(msg, at);
    return n ? `${n.name}.` : undefined;
  }
  if (type === 15 && len >= 3) {
    const n = readDnsName(msg, at + 2);
    return n ? `${n.name}. ${u16(msg, at)}` : undefined;
  }
  return undefined;
}

// ---- Printing, as tcpdump's print-domain.c without -v ----

const NS_OPS = [
  '',
  ' inv_q',
  ' stat',
  ' op3',
  ' notify',
  ' update',
  ' op6',
  ' op7',
  ' op8',
  ' updateA',
  ' updateD',
  ' updateDA',
  ' updateM',
  ' updateMA',
  ' zoneInit',
  ' zoneRef',
];
// tcpdump's table really lacks the space before Resp17 and Resp21.
const NS_RESP = [
  '',
  ' FormErr',
  ' ServFail',
  ' NXDomain',
  ' NotImp',
  ' Refused',
  ' YXDomain',
  ' YXRRSet',
  ' NXRRSet',
  ' NotAuth',
  ' NotZone',
  ' Resp11',
  ' Resp12',
  ' Resp13',
  ' Resp14',
  ' NoChange',
  ' BadVers',
  'Resp17',
  ' Resp18',
  ' Resp19',
  ' Resp20',
  'Resp21',
  ' Resp22',
  ' BadCookie',
];

/** ns_type2str. */
export const NS_TYPE_NAMES: Tok = new Map([
  [1, 'A'],
  [2, 'NS'],
  [3, 'MD'],
  [4, 'MF'],
  [5, 'CNAME'],
  [6, 'SOA'],
  [7, 'MB'],
  [8, 'MG'],
  [9, 'MR'],
  [10, 'NULL'],
  [11, 'WKS'],
  [12, 'PTR'],
  [13, 'HINFO'],
  [14, 'MINFO'],
  [15, 'MX'],
  [16, 'TXT'],
  [17, 'RP'],
  [18, 'AFSDB'],
  [19, 'X25'],
  [20, 'ISDN'],
  [21, 'RT'],
  [22, 'NSAP'],
  [23, 'NSAP_PTR'],
  [24, 'SIG'],
  [25, 'KEY'],
  [26, 'PX'],
  [27, 'GPOS'],
  [28, 'AAAA'],
  [29, 'LOC'],
  [30, 'NXT'],
  [31, 'EID'],
  [32, 'NIMLOC'],
  [33, 'SRV'],
  [34, 'ATMA'],
  [35, 'NAPTR'],
  [36, 'KX'],
  [37, 'CERT'],
  [38, 'A6'],
  [39, 'DNAME'],
  [40, 'SINK'],
  [41, 'OPT'],
  [42, 'APL'],
  [43, 'DS'],
  [44, 'SSHFP'],
  [45, 'IPSECKEY'],
  [46, 'RRSIG'],
  [47, 'NSEC'],
  [48, 'DNSKEY'],
  [99, 'SPF'],
  [100, 'UINFO'],
  [101, 'UID'],
  [102, 'GID'],
  [103, 'UNSPEC'],
  [104, 'UNSPECA'],
  [249, 'TKEY'],
  [250, 'TSIG'],
  [251, 'IXFR'],
  [252, 'AXFR'],
  [253, 'MAILB'],
  [254, 'MAILA'],
  [255, 'ANY'],
  [256, 'URI'],
]);
const NS_CLASS_NAMES: Tok = new Map([
  [1, 'IN'],
  [3, 'CHAOS'],
  [4, 'HS'],
  [255, 'ANY'],
]);
const EDNS_OPT_NAMES: Tok = new Map([
  [1, 'LLQ'],
  [2, 'UL'],
  [3, 'NSID'],
  [5, 'DAU'],
  [6, 'DHU'],
  [7, 'N3U'],
  [8, 'ECS'],
  [9, 'EXPIRE'],
  [10, 'COOKIE'],
  [11, 'KEEPALIVE'],
  [12, 'PADDING'],
  [13, 'CHAIN'],
  [14, 'KEY-TAG'],
  [16, 'CLIENT-TAG'],
  [17, 'SERVER-TAG'],
]);
const DAU_NAMES: Tok = new Map([
  [0, 'DELETE'],
  [1, 'RSAMD5'],
  [2, 'DH'],
  [3, 'DS'],
  [5, 'RSASHA1'],
  [6, 'DSA-NSEC3-SHA1'],
  [7, 'RSASHA1-NSEC3-SHA1'],
  [8, 'RSASHA256'],
  [10, 'RSASHA512'],
  [12, 'ECC-GOST'],
  [13, 'ECDSAP256SHA256'],
  [14, 'ECDSAP384SHA384'],
  [15, 'ED25519'],
  [16, 'ED448'],
  [252, 'INDIRECT'],
  [253, 'PRIVATEDNS'],
  [254, 'PRIVATEOID'],
]);
const DHU_NAMES: Tok = new Map([
  [1, 'SHA-1'],
  [2, 'SHA-256'],
  [3, 'GOST_R_34.11-94'],
  [4, 'SHA-384'],
]);
const N3U_NAMES: Tok = new Map([[1, 'SHA-1']]);

/** A name could not be read (the caller prints the truncation marker). */
const NONE = -1;

/** ns_nskip: the offset after a (possibly compressed) name at `cp`, or NONE. */
function nsSkip(p: Printer, cp0: number): number {
  let cp = cp0;
  if (!p.has(cp, 1)) return NONE;
  let i = p.u8(cp);
  cp++;
  // Each label advances cp, so the loop ends at the capture's end at the latest.
  while (i) {
    switch (i & 0xc0) {
      case 0xc0:
        return cp + 1;
      case 0x40: {
        if ((i & 0x3f) !== 1) return NONE;
        if (!p.has(cp, 1)) return NONE;
        let bitlen = p.u8(cp);
        if (bitlen === 0) bitlen = 256;
        cp++;
        cp += Math.floor((bitlen + 7) / 8);
        break;
      }
      case 0x80:
        return NONE;
      default:
        cp += i;
    }
    if (!p.has(cp, 1)) return NONE;
    i = p.u8(cp);
    cp++;
  }
  return cp;
}

function labelLen(p: Printer, cp: number): number {
  if (!p.has(cp, 1)) return NONE;
  const i = p.u8(cp);
  switch (i & 0xc0) {
    case 0x40: {
      const elt = i & 0x3f;
      if (elt !== 1) {
        p.print(`<ELT ${elt}>`);
        return NONE;
      }
      if (!p.has(cp + 1, 1)) return NONE;
      let bitlen = p.u8(cp + 1);
      if (bitlen === 0) bitlen = 256;
      return Math.floor((bitlen + 7) / 8) + 1;
    }
    case 0xc0:
    case 0x00:
      return i;
    default:
      p.print('<BAD LABEL TYPE>');
      return NONE;
  }
}

function blabelPrint(p: Printer, cp: number): number {
  if (!p.has(cp, 1)) return NONE;
  let bitlen = p.u8(cp);
  if (bitlen === 0) bitlen = 256;
  const slen = Math.floor((bitlen + 3) / 4);
  const lim = cp + 1 + slen;
  p.print('\\[x');
  let bitp = cp + 1;
  let b = bitlen;
  for (; bitp < lim && b > 7; b -= 8, bitp++) p.print(p.u8(bitp).toString(16).padStart(2, '0'));
  if (b > 4) {
    const tc = p.u8(bitp);
    p.print((tc & (0xff << (8 - b)) & 0xff).toString(16).padStart(2, '0'));
  } else if (b > 0) {
    const tc = p.u8(bitp);
    p.print(((tc >> 4) & 0x0f & (0x0f << (4 - b))).toString(16));
  }
  p.print(`/${bitlen}]`);
  return lim;
}

/**
 * fqdn_print: a domain name at `cp` of the message starting at `bp`, with compression pointers that
 * must point backwards (so the walk ends). Returns the offset after the name, or NONE.
 */
export function fqdnPrint(p: Printer, cp0: number, bp: number): number {
  let cp = cp0;
  let l = labelLen(p, cp);
  if (l === NONE) return NONE;
  if (!p.has(cp, 1)) return NONE;
  let maxOffset = cp - bp;
  let i = p.u8(cp);
  cp++;
  let rp = NONE;
  let compress = false;
  if ((i & 0xc0) !== 0xc0) rp = cp + l;
  let nameChars = 0;
  if (i === 0) {
    p.print('.');
    return rp;
  }
  while (i && cp < p.snapend) {
    switch (i & 0xc0) {
      case 0xc0: {
        if (!compress) {
          rp = cp + 1;
          compress = true;
        }
        if (!p.has(cp, 1)) return NONE;
        const offset = ((i << 8) | p.u8(cp)) & 0x3fff;
        if (offset >= maxOffset) {
          p.print('<BAD PTR>');
          return NONE;
        }
        maxOffset = offset;
        cp = bp + offset;
        if (!p.has(cp, 1)) return NONE;
        i = p.u8(cp);
        l = labelLen(p, cp);
        if (l === NONE) return NONE;
        cp++;
        continue;
      }
      case 0x40: {
        const elt = i & 0x3f;
        if (elt === 1) {
          if (blabelPrint(p, cp) === NONE) return NONE;
        } else {
          p.print(`<ELT ${elt}>`);
          return NONE;
        }
        break;
      }
      case 0x80:
        p.print('<BAD LABEL TYPE>');
        return NONE;
      default:
        if (nameChars + l <= 255) {
          if (!printnUntil(p, cp, l)) return NONE;
        } else if (nameChars < 255) {
          if (!printnUntil(p, cp, 255 - nameChars)) return NONE;
        }
        nameChars += l;
    }
    cp += l;
    if (nameChars <= 255) p.print('.');
    nameChars++;
    if (!p.has(cp, 1)) return NONE;
    i = p.u8(cp);
    l = labelLen(p, cp);
    if (l === NONE) return NONE;
    cp++;
    if (!compress) rp += l + 1;
  }
  if (nameChars > 255) p.print('<DOMAIN NAME TOO LONG>');
  return rp;
}

/** nd_printn with the capture's end as limit: false if it ran out first. */
function printnUntil(p: Printer, o: number, n: number): boolean {
  for (let k = 0; k < n; k++) {
    if (o + k >= p.snapend) return false;
    p.print(charText(p.b[o + k]));
  }
  return true;
}

function nsCprint(p: Printer, cp: number): number {
  if (!p.has(cp, 1)) return NONE;
  const i = p.u8(cp);
  if (!printnUntil(p, cp + 1, i)) return NONE;
  return cp + 1 + i;
}

function ecsPrint(p: Printer, cp: number, dataLen: number): void {
  if (dataLen < 4) {
    p.invalid();
    return;
  }
  const family = p.u16(cp);
  const srcLen = p.u8(cp + 2);
  const scopeLen = p.u8(cp + 3);
  let bits: number;
  if (family === 1) bits = 32;
  else if (family === 2) bits = 128;
  else {
    p.invalid();
    return;
  }
  if (dataLen - 4 > bits / 8) {
    p.invalid();
    return;
  }
  if (srcLen > bits || scopeLen > bits || Math.floor((srcLen + 7) / 8) !== dataLen - 4) {
    p.invalid();
    return;
  }
  const padded = new Uint8Array(16);
  for (let k = 0; k < dataLen - 4; k++) padded[k] = p.u8(cp + 4 + k);
  p.print(`${family === 1 ? formatIpv4(padded) : formatIpv6(padded)}/${srcLen}/${scopeLen}`);
}

function eoptPrint(p: Printer, cp0: number): number {
  let cp = cp0;
  if (!p.has(cp, 2)) return NONE;
  const opt = p.u16(cp);
  cp += 2;
  p.print(tok2str(EDNS_OPT_NAMES, 'Opt%u', opt));
  if (!p.has(cp, 2)) return NONE;
  const dataLen = p.u16(cp);
  cp += 2;
  if (!p.has(cp, dataLen)) return NONE;
  if (dataLen > 0) {
    p.print(' ');
    const hex = (k: number) =>
      p
        .u8(cp + k)
        .toString(16)
        .padStart(2, '0');
    const algs = (t: Tok) => {
      for (let k = 0; k < dataLen; k++)
        p.print(`${k > 0 ? ' ' : ''}${tok2str(t, 'Alg_%u', p.u8(cp + k))}`);
    };
    switch (opt) {
      case 8:
        ecsPrint(p, cp, dataLen);
        break;
      case 10:
        if (dataLen < 8 || (dataLen > 8 && dataLen < 16) || dataLen > 40) p.invalid();
        else for (let k = 0; k < dataLen; k++) p.print(`${k === 8 ? ' ' : ''}${hex(k)}`);
        break;
      case 11:
        if (dataLen !== 2) p.invalid();
        else p.print(`${(p.u16(cp) / 10).toFixed(1)} sec`);
        break;
      case 9:
        if (dataLen !== 4) p.invalid();
        else p.print(`${p.u32(cp)} sec`);
        break;
      case 12:
        p.print(`(${dataLen})`);
        break;
      case 14:
        if (dataLen % 2 !== 0) p.invalid();
        else for (let k = 0; k < dataLen; k += 2) p.print(`${k > 0 ? ' ' : ''}${p.u16(cp + k)}`);
        break;
      case 5:
        algs(DAU_NAMES);
        break;
      case 6:
        algs(DHU_NAMES);
        break;
      case 7:
        algs(N3U_NAMES);
        break;
      case 13:
        fqdnPrint(p, cp, cp + dataLen);
        break;
      default:
        for (let k = 0; k < dataLen; k++) p.print(hex(k));
    }
  }
  return cp + dataLen;
}

function nsQprint(p: Printer, cp0: number, bp: number, mdns: boolean): number {
  const np = cp0;
  let cp = nsSkip(p, cp0);
  if (cp === NONE || !p.has(cp, 4)) return NONE;
  let i = p.u16(cp);
  cp += 2;
  p.print(` ${tok2str(NS_TYPE_NAMES, 'Type%u', i)}`);
  i = p.u16(cp);
  const cls = mdns ? i & ~0x8000 : i;
  if (cls !== 1) p.print(` ${tok2str(NS_CLASS_NAMES, '(Class %u)', cls)}`);
  if (mdns) p.print(i & 0x8000 ? ' (QU)' : ' (QM)');
  p.print('? ');
  const r = fqdnPrint(p, np, bp);
  return r === NONE ? NONE : r + 4;
}

function nsRprint(p: Printer, cp0: number, bp: number, mdns: boolean): number {
  let cp = nsSkip(p, cp0);
  if (cp === NONE || !p.has(cp, 10)) return p.snapend;
  const typ = p.u16(cp);
  cp += 2;
  const i = p.u16(cp);
  cp += 2;
  const cls = mdns ? i & ~0x8000 : i;
  if (cls !== 1 && typ !== 41) p.print(` ${tok2str(NS_CLASS_NAMES, '(Class %u)', cls)}`);
  if (mdns && i & 0x8000) p.print(' (Cache flush)');
  let optFlags = 0;
  if (typ === 41) {
    cp += 2;
    optFlags = p.u16(cp);
    cp += 2;
  } else cp += 4;
  const len = p.u16(cp);
  cp += 2;
  const rp = cp + len;
  p.print(` ${tok2str(NS_TYPE_NAMES, 'Type%u', typ)}`);
  if (rp > p.snapend) return NONE;
  switch (typ) {
    case 1:
      if (!p.has(cp, 4)) return NONE;
      p.print(` ${p.ip4(cp)}`);
      break;
    case 2:
    case 5:
    case 12:
    case 39:
      p.print(' ');
      if (fqdnPrint(p, cp, bp) === NONE) return NONE;
      break;
    case 15:
      p.print(' ');
      if (!p.has(cp, 2)) return NONE;
      if (fqdnPrint(p, cp + 2, bp) === NONE) return NONE;
      p.print(` ${p.u16(cp)}`);
      break;
    case 16:
      while (cp < rp) {
        p.print(' "');
        cp = nsCprint(p, cp);
        if (cp === NONE) return NONE;
        p.print('"');
      }
      break;
    case 33:
      p.print(' ');
      if (!p.has(cp, 6)) return NONE;
      if (fqdnPrint(p, cp + 6, bp) === NONE) return NONE;
      p.print(`:${p.u16(cp + 4)} ${p.u16(cp)} ${p.u16(cp + 2)}`);
      break;
    case 28:
      if (!p.has(cp, 16)) return NONE;
      p.print(` ${p.ip6(cp)}`);
      break;
    case 38: {
      if (!p.has(cp, 1)) return NONE;
      const pbit = p.u8(cp);
      const pbyte = Math.floor((pbit & ~7) / 8);
      if (pbit > 128) {
        p.print(` ${pbit}(bad plen)`);
        break;
      }
      if (pbit < 128) {
        const a = new Uint8Array(16);
        p.need(cp + 1, 16 - pbyte);
        for (let k = 0; k < 16 - pbyte; k++) a[pbyte + k] = p.b[cp + 1 + k];
        p.print(` ${pbit} ${formatIpv6(a)}`);
      }
      if (pbit > 0) {
        p.print(' ');
        if (fqdnPrint(p, cp + 1 + 16 - pbyte, bp) === NONE) return NONE;
      }
      break;
    }
    case 256:
      if (!p.has(cp, len)) return NONE;
      p.print(` ${p.u16(cp)} ${p.u16(cp + 2)} `);
      if (!printnUntil(p, cp + 4, (len - 4) & 0xffff)) return NONE;
      break;
    case 41:
      p.print(` UDPsize=${cls}`);
      if (optFlags & 0x8000) p.print(' DO');
      if (cp < rp) {
        p.print(' [');
        while (cp < rp) {
          cp = eoptPrint(p, cp);
          if (cp === NONE) return NONE;
          if (cp < rp) p.print(',');
        }
        p.print(']');
      }
      break;
    case 104:
      if (!p.has(cp, len)) return NONE;
      if (!printnUntil(p, cp, len)) return NONE;
      break;
    case 250:
      if (cp + len > p.snapend) return NONE;
      break;
  }
  return rp;
}

/** The OPT record's extended rcode bits (0 when there is none or the walk runs out of bytes). */
function extendedRcode(p: Printer, bp: number, qd: number, anns: number, ar: number): number {
  let cp = bp + 12;
  for (let i = 0; i < qd; i++) {
    cp = nsSkip(p, cp);
    if (cp === NONE) return 0;
    cp += 4;
    if (cp >= p.snapend) return 0;
  }
  for (let i = 0; i < anns; i++) {
    cp = nsSkip(p, cp);
    if (cp === NONE) return 0;
    cp += 8;
    if (cp + 2 > p.snapend) return 0;
    cp += 2 + p.u16(cp);
    if (cp >= p.snapend) return 0;
  }
  for (let i = 0; i < ar; i++) {
    cp = nsSkip(p, cp);
    if (cp === NONE) return 0;
    if (cp + 2 > p.snapend) return 0;
    const type = p.u16(cp);
    cp += 4;
    if (cp + 1 > p.snapend) return 0;
    if (type === 41) return p.u8(cp);
    cp += 4;
    if (cp + 2 > p.snapend) return 0;
    cp += 2 + p.u16(cp);
    if (cp >= p.snapend) return 0;
  }
  return 0;
}

/** domain_print: a DNS message at `bp` of `length` bytes (with the 2-byte length prefix over TCP). */
export function printDomain(
  p: Printer,
  bp0: number,
  length0: number,
  overTcp: boolean,
  mdns: boolean,
): void {
  p.protocol = 'domain';
  let bp = bp0;
  let length = length0;
  if (overTcp) {
    if (length < 2) {
      p.print(` [DNS over TCP: length ${length} < 2]`);
      p.invalid();
      return;
    }
    length -= 2;
    const prefix = p.u16(bp);
    if (prefix !== length) {
      p.print(` [prefix length(${prefix}) != length(${length})]`);
      p.invalid();
      return;
    }
    bp += 2;
    p.print(' ');
  }
  if (length < 12) {
    p.print(`${p.protocol} [length ${length} < 12]`);
    p.invalid();
    return;
  }
  if (!p.has(bp, 12)) {
    p.trunc();
    return;
  }
  const flags = p.u16(bp + 2);
  let qdcount = p.u16(bp + 4);
  let ancount = p.u16(bp + 6);
  const nscount = p.u16(bp + 8);
  const arcount = p.u16(bp + 10);
  const rcode = (flags & 0xf) | (extendedRcode(p, bp, qdcount, ancount + nscount, arcount) << 4);
  const opcode = (flags >> 11) & 0xf;
  if (flags & 0x8000) {
    const rc = rcode < NS_RESP.length ? NS_RESP[rcode] : ` Resp${rcode & 0xfff}`;
    p.print(
      `${p.u16(bp)}${NS_OPS[opcode]}${rc}${flags & 0x0400 ? '*' : ''}${flags & 0x0080 ? '' : '-'}${flags & 0x0200 ? '|' : ''}${flags & 0x0020 ? '$' : ''}`,
    );
    if (qdcount !== 1) p.print(` [${qdcount}q]`);
    let cp = bp + 12;
    for (let i = 0; i < qdcount; i++) {
      if (i !== 0) p.print(',');
      cp = nsSkip(p, cp);
      if (cp === NONE) {
        p.trunc();
        return;
      }
      cp += 4;
    }
    p.print(` ${ancount}/${nscount}/${arcount}`);
    if (ancount) {
      cp = nsRprint(p, cp, bp, mdns);
      if (cp === NONE) {
        p.trunc();
        return;
      }
      ancount--;
      while (cp < p.snapend && ancount) {
        p.print(',');
        cp = nsRprint(p, cp, bp, mdns);
        if (cp === NONE) {
          p.trunc();
          return;
        }
        ancount--;
      }
    }
    if (ancount) {
      p.trunc();
      return;
    }
  } else {
    p.print(
      `${p.u16(bp)}${NS_OPS[opcode]}${flags & 0x0100 ? '+' : ''}${flags & 0x0010 ? '%' : ''}`,
    );
    const b2 = p.u16(bp + 2);
    if (b2 & 0x6cf) p.print(` [b2&3=0x${b2.toString(16)}]`);
    if (opcode === 1) {
      if (qdcount) p.print(` [${qdcount}q]`);
      if (ancount !== 1) p.print(` [${ancount}a]`);
    } else {
      if (ancount) p.print(` [${ancount}a]`);
      if (qdcount !== 1) p.print(` [${qdcount}q]`);
    }
    if (nscount) p.print(` [${nscount}n]`);
    if (arcount) p.print(` [${arcount}au]`);
    let cp = bp + 12;
    if (qdcount) {
      cp = nsQprint(p, cp, bp, mdns);
      if (cp === NONE) {
        p.trunc();
        return;
      }
      qdcount--;
      while (cp < p.snapend && qdcount) {
        cp = nsQprint(p, cp, bp, mdns);
        if (cp === NONE) {
          p.trunc();
          return;
        }
        qdcount--;
      }
    }
    if (qdcount) {
      p.trunc();
      return;
    }
  }
  p.print(` (${length})`);
}
