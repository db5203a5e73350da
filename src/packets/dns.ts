// DNS (RFC 1035): header and question section, with name compression (bounded so loops end).
import { formatIpv4, formatIpv6 } from './addr.js';
import { type LayerBase, u16, u32 } from './layer.js';

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
