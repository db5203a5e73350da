// One-line packet summaries in the style of `tcpdump -n` (and `-e` for the link-level prefix).
import { DLT } from '../core/opcodes.js';
import type { ArpLayer } from './arp.js';
import { type DecodedFrame, decodeFrame } from './decode.js';
import type { DhcpLayer } from './dhcp.js';
import { DNS_TYPE_NAMES, type DnsLayer } from './dns.js';
import type { IcmpLayer } from './icmp.js';
import type { Icmpv6Layer } from './icmpv6.js';
import type { Ipv4Layer } from './ipv4.js';
import type { Ipv6Layer } from './ipv6.js';
import type { Layer } from './layer.js';
import type { StpLayer } from './stp.js';
import type { TcpLayer, TcpOption } from './tcp.js';
import { relativeTcpSeq, type TcpSeqState, type TcpSeqView } from './tcp-seq.js';

export interface SummaryOptions {
  /** Print the link-level header first, as `tcpdump -e`; default false. */
  link?: boolean;
  /** The packet's length on the wire (tcpdump's `length`); default the frame's byte count. */
  wireLength?: number;
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
}

/** tcpdump's names for ethertypes (print-ether.c / ethertype.h), for the `-e` prefix. */
// A Map, not an object literal, so the keys stay in hex (the formatter rewrites numeric keys to decimal).
const ETHERTYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0800, 'IPv4'],
  [0x0806, 'ARP'],
  [0x8035, 'Reverse ARP'],
  [0x8100, '802.1Q'],
  [0x88a8, '802.1Q-QinQ'],
  [0x9100, '802.1Q-9100'],
  [0x9200, '802.1Q-9200'],
  [0x86dd, 'IPv6'],
  [0x8847, 'MPLS unicast'],
  [0x8848, 'MPLS multicast'],
  [0x8863, 'PPPoE D'],
  [0x8864, 'PPPoE S'],
  [0x888e, 'EAPOL'],
  [0x88cc, 'LLDP'],
  [0x893a, 'IEEE1905.1'],
  [0x9000, 'Loopback'],
]);

function ethertypeText(t: number): string {
  return `ethertype ${ETHERTYPE_NAMES.get(t) ?? 'Unknown'} (0x${t.toString(16).padStart(4, '0')})`;
}

const SLL_PKTTYPE = ['In', 'B', 'M', 'P', 'Out'];

/**
 * Summarises a frame in one line close to `tcpdump -n` (same addresses, ports, flags and lengths;
 * wording may differ for protocols cbpf does not decode). TCP sequence numbers are absolute (`-S`) unless `tcpSeq` is given.
 * @example summarize(frame, DLT.EN10MB) // 'ARP, Request who-has 10.0.0.5 tell 10.0.0.1, length 28'
 */
export function summarize(
  frame: Uint8Array,
  linktype: number,
  options: SummaryOptions = {},
): string {
  return summarizeDecoded(decodeFrame(frame, linktype), {
    ...options,
    wireLength: options.wireLength ?? frame.length,
  });
}

/** The same, for an already decoded frame (`wireLength` defaults to the end of its last layer). */
export function summarizeDecoded(d: DecodedFrame, options: SummaryOptions = {}): string {
  const layers = d.layers;
  const last = layers.at(-1);
  const wireLength = options.wireLength ?? (last ? last.offset + last.headerLength : 0);
  const link = options.link ?? false;
  let i = 0;
  let prefix = '';
  let ethHead = '';
  let llcLength: number | undefined;
  // Link layers.
  while (i < layers.length) {
    const l = layers[i];
    if (l.kind === 'ethernet') {
      if (l.truncated) return `${link ? `${l.src} > ${l.dst}, ` : ''}[|ether]`;
      // 802.3 frames show their length field, Ethernet II frames the wire length (print-ether.c).
      ethHead = `${l.src} > ${l.dst}, ${l.ethertype < 0x0600 ? `802.3, length ${l.ethertype}` : `${ethertypeText(l.ethertype)}, length ${wireLength}`}: `;
      if (l.ethertype < 0x0600) llcLength = l.ethertype;
      if (link) prefix += ethHead;
    } else if (l.kind === 'vlan') {
      // A length field after a tag: tcpdump prints "802.3" and runs the LLC text straight on.
      if (l.ethertype < 0x0600) llcLength = l.ethertype;
      if (link)
        prefix += `vlan ${l.vid}, p ${l.pcp}${l.dei ? ', DEI' : ''}, ${l.ethertype < 0x0600 ? '802.3' : `${ethertypeText(l.ethertype)}, `}`;
    } else if (l.kind === 'sll' || l.kind === 'sll2') {
      if (l.truncated) return '[|sll]';
      const type = SLL_PKTTYPE[l.packetType] ?? '?';
      if (l.kind === 'sll2') {
        // print-sll.c's sll2_if_print: interface name and packet type come first, with or without -e.
        prefix += `${(options.interfaceName?.(l.ifindex) ?? '?').padEnd(5)} ${type.padEnd(3)} `;
        if (link)
          prefix += `ifindex ${l.ifindex} ${l.address} ${ethertypeText(l.protocol)}, length ${wireLength}: `;
      } else if (link)
        prefix += `${type.padStart(3)} ${l.address ? `${l.address} ` : ''}${ethertypeText(l.protocol)}, length ${wireLength}: `;
    } else if (l.kind === 'null') {
      if (l.truncated) return '[|null]';
      if (link)
        prefix += `AF ${l.family === 2 ? 'IPv4' : [10, 24, 28, 30].includes(l.family) ? 'IPv6' : 'Unknown'} (${l.family}), length ${wireLength}: `;
    } else if (l.kind === 'llc') {
      const llcText = `LLC, dsap ${sapText(l.dsap)} ${l.dsap & 1 ? 'Group' : 'Individual'}, ssap ${sapText(l.ssap)} ${l.ssap & 1 ? 'Response' : 'Command'}, ctrl 0x${l.control.toString(16).padStart(2, '0')}: `;
      const stp = layers[i + 1];
      if (stp?.kind === 'stp')
        return `${prefix}${link ? llcText : ''}${stpText(stp, (llcLength ?? wireLength - l.offset) - 3)}`;
      return `${prefix}${llcText}length ${wireLength - l.offset}`;
    } else break;
    i++;
  }
  if (link && (d.linktype === DLT.RAW || d.linktype === DLT.IPV4 || d.linktype === DLT.IPV6))
    prefix = 'ip: ';
  const l = layers[i];
  const remaining = wireLength - (l?.offset ?? wireLength);
  if (!l) return `${prefix}[|link]`;
  switch (l.kind) {
    case 'arp':
      return prefix + arpText(l, remaining, link);
    case 'ipv4':
    case 'ipv6':
      return prefix + ipText(layers, i, link, remaining, options.tcpSeq);
    case 'payload': {
      const m = /^ethertype-0x([0-9a-f]{4})$/.exec(l.protocol);
      if (m) {
        const type = Number.parseInt(m[1], 16);
        if (type === 0x88cc) return `${prefix}LLDP, length ${remaining}`;
        // tcpdump prints the link header (as -e, even without it) for a type it cannot decode, then a hex dump.
        if (link) return prefix.trimEnd();
        return ethHead ? ethHead.trimEnd() : `${ethertypeText(type)}, length ${remaining}`;
      }
      return `${prefix}${l.protocol}, length ${remaining}`;
    }
    default:
      return `${prefix}${l.kind}, length ${remaining}`;
  }
}

const SAP_NAMES: ReadonlyMap<number, string> = new Map([
  [0x42, 'STP'],
  [0xaa, 'SNAP'],
  [0xfe, 'OSI'],
  [0xe0, 'IPX'],
  [0xf0, 'NetBeui'],
  [0x06, 'IP'],
]);

function sapText(sap: number): string {
  return `${SAP_NAMES.get(sap & 0xfe) ?? 'Unknown'} (0x${sap.toString(16).padStart(2, '0')})`;
}

const STP_FLAGS: Array<[number, string]> = [
  [0x01, 'Topology change'],
  [0x02, 'Proposal'],
  [0x10, 'Learn'],
  [0x20, 'Forward'],
  [0x40, 'Agreement'],
  [0x80, 'Topology change ACK'],
];

/** As print-stp.c without -v: version, BPDU type, flags and the sender's bridge and port id. */
function stpText(s: StpLayer, length: number): string {
  const version =
    ({ 0: '802.1d', 2: '802.1w', 3: '802.1s', 4: '802.1aq' } as Record<number, string>)[
      s.version
    ] ?? `unknown version ${s.version}`;
  const flags = STP_FLAGS.filter(([bit]) => (s.flags & bit) !== 0)
    .map(([, n]) => n)
    .join(', ');
  if (s.bpduType === 0x80) return `STP ${version}, Topology Change, length ${length}`;
  const type =
    s.bpduType === 0
      ? 'Config'
      : s.bpduType === 2
        ? 'Rapid STP'
        : `Unknown BPDU Type 0x${s.bpduType.toString(16)}`;
  if (s.truncated || !s.bridgeId) return `STP ${version}, ${type} [|stp]`;
  if (s.version >= 3)
    return `STP ${version}, ${type}, CIST Flags [${flags || 'none'}], length ${length}`;
  return `STP ${version}, ${type}, Flags [${flags || 'none'}], bridge-id ${s.bridgeId}.${(s.portId ?? 0).toString(16).padStart(4, '0')}, length ${length}`;
}

function arpText(a: ArpLayer, length: number, link: boolean): string {
  const name = a.op === 3 || a.op === 4 ? 'RARP' : 'ARP';
  const head = link ? '' : `${name}, `;
  if (a.truncated && (a.spa === '' || a.tpa === '')) return `${head}[|arp]`;
  // As print-arp.c: only a non-IPv4 protocol or a zero hardware length stops the usual wording.
  if (a.ptype !== 0x0800 || a.plen !== 4 || a.hlen === 0) {
    const hrd = a.htype === 1 ? 'Ethernet' : `Unknown Hardware (${a.htype})`;
    const pro =
      ETHERTYPE_NAMES.get(a.ptype) ??
      `Unknown Protocol (0x${a.ptype.toString(16).padStart(4, '0')})`;
    return `${head}${hrd} (len ${a.hlen}), ${pro} (len ${a.plen}), length ${length}`;
  }
  const zeroTha = a.tha === '00:00:00:00:00:00' || a.tha === '';
  switch (a.op) {
    case 1:
      return `${head}Request who-has ${a.tpa}${zeroTha ? '' : ` (${a.tha})`} tell ${a.spa}, length ${length}`;
    case 2:
      return `${head}Reply ${a.spa} is-at ${a.sha}, length ${length}`;
    case 3:
      return `${head}Reverse Request who-is ${a.tha} tell ${a.sha}, length ${length}`;
    case 4:
      return `${head}Reverse Reply ${a.tha} at ${a.tpa}, length ${length}`;
    default:
      // tcpdump prints only this (and a hex dump) for an opcode it does not know.
      return `${head}Unknown (${a.op})`;
  }
}

function ipText(
  layers: Layer[],
  i: number,
  link: boolean,
  wireLeft: number,
  tcpSeq?: TcpSeqState,
): string {
  const ip = layers[i] as Ipv4Layer | Ipv6Layer;
  const v6 = ip.kind === 'ipv6';
  const head = link ? '' : v6 ? 'IP6 ' : 'IP ';
  if (ip.kind === 'ipv4' && (ip.ihl < 20 || ip.headerLength < 20)) return `${head}[|ip]`;
  if (ip.kind === 'ipv6' && ip.headerLength < 40 && ip.extensions.length === 0)
    return `${head}[|ip6]`;
  if (ip.kind === 'ipv6' && ip.version !== 6) return `${head}version error: ${ip.version} != 6`;
  const ipLen =
    ip.kind === 'ipv4' ? ip.totalLength - ip.ihl : ip.payloadLength - (ip.headerLength - 40);
  // As ip_print/ip6_print: the datagram claims more than the wire carried (ip6_print puts no space after it).
  const declared = ip.kind === 'ipv4' ? ip.totalLength : 40 + ip.payloadLength;
  const pre = `${head}${declared > wireLeft ? `truncated-ip${v6 ? '6' : ''} - ${declared - wireLeft} bytes missing!${v6 ? '' : ' '}` : ''}`;
  let ext = '';
  if (ip.kind === 'ipv6') {
    for (const e of ip.extensions) {
      if (e.type === 0) ext += 'HBH ';
      else if (e.type === 60) ext += 'DSTOPT ';
      else if (e.type === 44 && ip.fragment) ext += `frag (${ip.fragment.offset}|${ipLen}) `;
    }
  }
  const next = layers[i + 1];
  const proto = ip.protocol;
  const addrs = (sp?: number, dp?: number) =>
    `${ip.src}${sp === undefined ? '' : `.${sp}`} > ${ip.dst}${dp === undefined ? '' : `.${dp}`}: `;
  if (!next) return `${pre}${addrs()}${ext}ip-proto-${proto} ${ipLen}`;
  switch (next.kind) {
    case 'udp': {
      if (next.truncated && next.headerLength < 8) return `${pre}${addrs()}${ext}[|udp]`;
      const app = layers[i + 2];
      const ulen = next.length - 8;
      let body = `UDP, length ${ulen}`;
      if (app?.kind === 'dhcp') body = dhcpText(app, ulen);
      else if (app?.kind === 'dns')
        body = dnsText(app, ulen, next.srcPort === 5353 || next.dstPort === 5353);
      return `${pre}${addrs(next.srcPort, next.dstPort)}${ext}${body}`;
    }
    case 'tcp':
      return `${pre}${addrs(next.srcPort, next.dstPort)}${ext}${tcpText(next, ipLen, tcpSeq ? relativeTcpSeq(tcpSeq, ip, next) : { seq: next.seq, ack: next.ack, sackBase: 0 })}`;
    case 'icmp':
      return `${pre}${addrs()}${ext}${icmpText(next, ipLen)}`;
    case 'icmpv6':
      return `${pre}${addrs()}${ext}${icmpv6Text(next, ipLen)}`;
    case 'payload':
      return `${pre}${addrs()}${ext}${next.protocol === 'fragment' ? `ip-proto-${proto}` : next.protocol} ${ipLen}`;
    default:
      return `${pre}${addrs()}${ext}length ${ipLen}`;
  }
}

const TCP_FLAG_CHARS: Array<[number, string]> = [
  [0x01, 'F'],
  [0x02, 'S'],
  [0x04, 'R'],
  [0x08, 'P'],
  [0x10, '.'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];
// tcpdump 4.99 prints only the classic 8 flag bits; the AccECN AE bit (0x100) is left out as it does.

function tcpOptionText(o: TcpOption, sackBase: number): string {
  switch (o.kind) {
    case 'eol':
      return 'eol';
    case 'nop':
      return 'nop';
    case 'mss':
      return `mss ${o.value}`;
    case 'wscale':
      return `wscale ${o.shift}`;
    case 'sackOK':
      return 'sackOK';
    case 'sack':
      return `sack ${o.blocks.length} ${o.blocks.map(([a, b]) => `{${(a - sackBase) >>> 0}:${(b - sackBase) >>> 0}}`).join('')}`;
    case 'timestamp':
      return `TS val ${o.value} ecr ${o.echo}`;
    case 'unknown':
      return `opt-${o.type}`;
  }
}

function tcpText(t: TcpLayer, ipLen: number, n: TcpSeqView): string {
  if (t.truncated) return '[|tcp]';
  const len = ipLen - t.dataOffset;
  const flags =
    TCP_FLAG_CHARS.filter(([bit]) => (t.flags & bit) !== 0)
      .map(([, c]) => c)
      .join('') || 'none';
  let s = `Flags [${flags}]`;
  if (len > 0 || (t.flags & 0x07) !== 0)
    s += len > 0 ? `, seq ${n.seq}:${(n.seq + len) >>> 0}` : `, seq ${n.seq}`;
  if (t.flags & 0x10) s += `, ack ${n.ack}`;
  s += `, win ${t.window}`;
  if (t.flags & 0x20) s += `, urg ${t.urgent}`;
  if (t.options.length)
    s += `, options [${t.options.map((o) => tcpOptionText(o, n.sackBase)).join(',')}]`;
  return `${s}, length ${len}`;
}

const ICMP_UNREACH = ['net', 'host', 'protocol', 'port', 'need to frag', 'source route failed'];

/** print-icmp.c's wording for the common unreachable codes, naming the offending datagram. */
function unreachText(m: IcmpLayer): string {
  const x = m.inner;
  if (!x) return ICMP_UNREACH[m.code] ?? `code ${m.code}`;
  switch (m.code) {
    case 0:
      return `net ${x.dst}`;
    case 1:
      return `host ${x.dst}`;
    case 2:
      return `${x.dst} protocol ${x.protocol}`;
    case 3:
      if (x.dstPort === undefined) return `${x.dst} protocol ${x.protocol} port`;
      return `${x.dst} ${x.protocol === 6 ? 'tcp' : 'udp'} port ${x.dstPort}`;
    default:
      return `${x.dst} ${ICMP_UNREACH[m.code] ?? `code ${m.code}`}`;
  }
}

function icmpText(m: IcmpLayer, len: number): string {
  if (m.truncated) return 'ICMP [|icmp]';
  switch (m.type) {
    case 0:
      return `ICMP echo reply, id ${m.id}, seq ${m.seq}, length ${len}`;
    case 8:
      return `ICMP echo request, id ${m.id}, seq ${m.seq}, length ${len}`;
    case 3:
      return `ICMP ${unreachText(m)} unreachable, length ${len}`;
    case 5:
      return `ICMP redirect to ${m.gateway}, length ${len}`;
    case 11:
      return `ICMP ${m.code === 1 ? 'ip reassembly time exceeded' : 'time exceeded in-transit'}, length ${len}`;
    case 13:
      return `ICMP time stamp query id ${m.id} seq ${m.seq}, length ${len}`;
    case 14:
      return `ICMP time stamp reply id ${m.id} seq ${m.seq}, length ${len}`;
    default:
      return `ICMP type-#${m.type}, length ${len}`;
  }
}

const ICMPV6_NAMES: Readonly<Record<number, string>> = {
  1: 'destination unreachable',
  2: 'packet too big',
  3: 'time exceeded in-transit',
  4: 'parameter problem',
  128: 'echo request',
  129: 'echo reply',
  130: 'multicast listener query',
  131: 'multicast listener report',
  132: 'multicast listener done',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbor solicitation',
  136: 'neighbor advertisement',
  137: 'redirect',
  138: 'router renumbering',
  139: 'who-are-you request',
  140: 'who-are-you reply',
  141: 'inverse neighbor solicitation',
  142: 'inverse neighbor advertisement',
  143: 'multicast listener report v2',
  151: 'multicast router advertisement',
  152: 'multicast router solicitation',
  153: 'multicast router termination',
  155: 'RPL',
};

function icmpv6Text(m: Icmpv6Layer, len: number): string {
  if (m.truncated && m.headerLength < 4) return 'ICMP6 [|icmp6]';
  const name = ICMPV6_NAMES[m.type] ?? `unknown icmp6 type (${m.type})`;
  let extra = '';
  if (m.id !== undefined) extra = `, id ${m.id}, seq ${m.seq}`;
  else if (m.type === 135 && m.target) extra = `, who has ${m.target}`;
  else if (m.type === 136 && m.target) extra = `, tgt is ${m.target}`;
  else if (m.type === 137 && m.target) extra = ` ${m.target}`;
  else if (m.type === 143 && m.records !== undefined) extra = `, ${m.records} group record(s)`;
  return `ICMP6, ${name}${extra}, length ${len}`;
}

function dhcpText(m: DhcpLayer, len: number): string {
  if (m.op === 1) return `BOOTP/DHCP, Request from ${m.chaddr}, length ${len}`;
  if (m.op === 2) return `BOOTP/DHCP, Reply, length ${len}`;
  return `BOOTP/DHCP, op-#${m.op}, length ${len}`;
}

const DNS_RCODES = [
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
];
const DNS_OPS = ['', ' inv_q', ' stat', ' op3', ' notify', ' update'];

function dnsText(m: DnsLayer, len: number, mdns: boolean): string {
  if (m.headerLength < 12) return `[|domain]`;
  const op = DNS_OPS[m.opcode] ?? ` op${m.opcode}`;
  // mDNS (RFC 6762) uses the class's top bit to ask for a unicast (QU) or multicast (QM) answer; tcpdump shows it.
  const qu = (cls: number) => (mdns ? ((cls & 0x8000) !== 0 ? ' (QU)' : ' (QM)') : '');
  const q = m.questions
    .map((x) => ` ${DNS_TYPE_NAMES[x.type] ?? `Type${x.type}`}${qu(x.class)}? ${x.name}.`)
    .join('');
  if (m.qr) {
    // As ns_rprint: each answer's type, mDNS's cache-flush bit, and its data, comma separated.
    const answers = m.answers
      .map(
        (a) =>
          ` ${DNS_TYPE_NAMES[a.type] ?? `Type${a.type}`}${mdns && (a.class & 0x8000) !== 0 ? ' (Cache flush)' : ''}${a.data ? ` ${a.data}` : ''}`,
      )
      .join(',');
    return `${m.id}${op}${DNS_RCODES[m.rcode] ?? ` Resp${m.rcode}`}${m.aa ? '*' : ''}${m.ra ? '' : '-'}${m.tc ? '|' : ''}${m.ad ? '$' : ''}${m.qdcount !== 1 ? ` [${m.qdcount}q]` : ''} ${m.ancount}/${m.nscount}/${m.arcount}${answers} (${len})`;
  }

  let s = `${m.id}${op}${m.rd ? '+' : ''}${m.cd ? '%' : ''}`;
  if (m.qdcount !== 1) s += ` [${m.qdcount}q]`;
  if (m.ancount) s += ` [${m.ancount}a]`;
  if (m.nscount) s += ` [${m.nscount}n]`;
  if (m.arcount) s += ` [${m.arcount}au]`;
  return `${s}${q} (${len})`;
}
