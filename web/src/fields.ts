// The decoded packet as a tree of headers and their fields, each with the bytes it occupies, so the
// page can light the fields a filter program reads (`ldh [12]` reads the EtherType). Built on
// decodeFrame(); the byte positions are the protocols' fixed header layouts.
import { decodeFrame, type Layer, TCP_FLAG } from '../../src/packets.js';

export interface Field {
  readonly name: string;
  readonly value: string;
  /** Bytes of the frame the field occupies (a bit field shares its byte with its neighbours). */
  readonly offset: number;
  readonly length: number;
}

export interface Header {
  readonly title: string;
  readonly offset: number;
  readonly length: number;
  readonly truncated: boolean;
  readonly fields: readonly Field[];
}

const hex = (n: number, w: number) => `0x${n.toString(16).padStart(w, '0')}`;
const ETHERTYPES: Record<number, string> = {
  2048: 'IPv4',
  2054: 'ARP',
  32821: 'RARP',
  33024: '802.1Q VLAN',
  34984: '802.1ad',
  34525: 'IPv6',
  35020: 'LLDP',
};
const IP_PROTOS: Record<number, string> = {
  1: 'ICMP',
  2: 'IGMP',
  6: 'TCP',
  17: 'UDP',
  47: 'GRE',
  50: 'ESP',
  58: 'ICMPv6',
  132: 'SCTP',
};
const named = (n: number, w: number, names: Record<number, string>) =>
  names[n] ? `${hex(n, w)} (${names[n]})` : hex(n, w);
const ARP_OPS: Record<number, string> = {
  1: 'request',
  2: 'reply',
  3: 'RARP request',
  4: 'RARP reply',
};
const DHCP_TYPES = [
  '',
  'discover',
  'offer',
  'request',
  'decline',
  'ack',
  'nak',
  'release',
  'inform',
];

function tcpFlags(f: number): string {
  const names = Object.entries(TCP_FLAG)
    .filter(([, bit]) => (f & bit) !== 0)
    .map(([n]) => n);
  return `${hex(f, 2)}${names.length ? ` (${names.join(', ')})` : ''}`;
}

/** The headers of `frame` captured with `linktype`, outermost first. Never throws. */
export function packetFields(frame: Uint8Array, linktype: number): Header[] {
  let layers: Layer[];
  try {
    layers = decodeFrame(frame, linktype).layers;
  } catch {
    return [];
  }
  return layers.map((l) => header(l, frame.length));
}

function header(l: Layer, frameLength: number): Header {
  const o = l.offset;
  const f = (name: string, at: number, length: number, value: string | number): Field => ({
    name,
    value: String(value),
    offset: o + at,
    length,
  });
  const base = { offset: o, length: l.headerLength, truncated: l.truncated };
  switch (l.kind) {
    case 'ethernet':
      return {
        ...base,
        title: `Ethernet, ${l.src} → ${l.dst}`,
        fields: [
          f('destination', 0, 6, l.dst),
          f('source', 6, 6, l.src),
          f(
            l.ethertype >= 0x600 ? 'type' : 'length',
            12,
            2,
            l.ethertype >= 0x600 ? named(l.ethertype, 4, ETHERTYPES) : l.ethertype,
          ),
        ],
      };
    case 'vlan':
      return {
        ...base,
        title: `VLAN ${l.vid}`,
        fields: [
          f('priority', 0, 1, l.pcp),
          f('drop eligible', 0, 1, l.dei ? 'yes' : 'no'),
          f('VLAN id', 0, 2, l.vid),
          f('type', 2, 2, named(l.ethertype, 4, ETHERTYPES)),
        ],
      };
    case 'llc':
      return {
        ...base,
        title: 'Logical Link Control',
        fields: [
          f('DSAP', 0, 1, hex(l.dsap, 2)),
          f('SSAP', 1, 1, hex(l.ssap, 2)),
          f('control', 2, 1, hex(l.control, 2)),
          ...(l.snap
            ? [
                f('SNAP OUI', 3, 3, hex(l.snap.oui, 6)),
                f('SNAP type', 6, 2, named(l.snap.ethertype, 4, ETHERTYPES)),
              ]
            : []),
        ],
      };
    case 'sll':
      return {
        ...base,
        title: 'Linux cooked capture',
        fields: [
          f('packet type', 0, 2, l.packetType),
          f('ARPHRD type', 2, 2, l.arphrd),
          f('address', 6, 8, l.address),
          f('protocol', 14, 2, named(l.protocol, 4, ETHERTYPES)),
        ],
      };
    case 'sll2':
      return {
        ...base,
        title: 'Linux cooked capture v2',
        fields: [
          f('protocol', 0, 2, named(l.protocol, 4, ETHERTYPES)),
          f('interface index', 4, 4, l.ifindex),
          f('ARPHRD type', 8, 2, l.arphrd),
          f('packet type', 10, 1, l.packetType),
          f('address', 12, 8, l.address),
        ],
      };
    case 'null':
      return { ...base, title: 'BSD loopback', fields: [f('family', 0, 4, l.family)] };
    case 'arp':
      return {
        ...base,
        title: `ARP ${ARP_OPS[l.op] ?? `op ${l.op}`}`,
        fields: [
          f('hardware type', 0, 2, l.htype),
          f('protocol type', 2, 2, named(l.ptype, 4, ETHERTYPES)),
          f('hardware size', 4, 1, l.hlen),
          f('protocol size', 5, 1, l.plen),
          f('opcode', 6, 2, `${l.op} (${ARP_OPS[l.op] ?? '?'})`),
          f('sender MAC', 8, l.hlen, l.sha),
          f('sender IP', 8 + l.hlen, l.plen, l.spa),
          f('target MAC', 8 + l.hlen + l.plen, l.hlen, l.tha),
          f('target IP', 8 + 2 * l.hlen + l.plen, l.plen, l.tpa),
        ],
      };
    case 'ipv4':
      return {
        ...base,
        title: `IPv4, ${l.src} → ${l.dst}`,
        fields: [
          f('version', 0, 1, l.version),
          f('header length', 0, 1, `${l.ihl} bytes`),
          f('type of service', 1, 1, hex(l.tos, 2)),
          f('total length', 2, 2, l.totalLength),
          f('identification', 4, 2, hex(l.id, 4)),
          f(
            'flags',
            6,
            1,
            [l.df ? 'DF' : '', l.mf ? 'MF' : ''].filter(Boolean).join(' ') || 'none',
          ),
          f('fragment offset', 6, 2, l.fragmentOffset),
          f('time to live', 8, 1, l.ttl),
          f(
            'protocol',
            9,
            1,
            `${l.protocol}${IP_PROTOS[l.protocol] ? ` (${IP_PROTOS[l.protocol]})` : ''}`,
          ),
          f('checksum', 10, 2, `${hex(l.checksum, 4)}${l.checksumValid ? '' : ' (wrong)'}`),
          f('source', 12, 4, l.src),
          f('destination', 16, 4, l.dst),
          ...(l.ihl > 20 ? [f('options', 20, l.ihl - 20, `${l.ihl - 20} bytes`)] : []),
        ],
      };
    case 'ipv6':
      return {
        ...base,
        title: `IPv6, ${l.src} → ${l.dst}`,
        fields: [
          f('version', 0, 1, l.version),
          f('traffic class', 0, 2, hex(l.trafficClass, 2)),
          f('flow label', 1, 3, hex(l.flowLabel, 5)),
          f('payload length', 4, 2, l.payloadLength),
          f(
            'next header',
            6,
            1,
            `${l.nextHeader}${IP_PROTOS[l.nextHeader] ? ` (${IP_PROTOS[l.nextHeader]})` : ''}`,
          ),
          f('hop limit', 7, 1, l.hopLimit),
          f('source', 8, 16, l.src),
          f('destination', 24, 16, l.dst),
          ...l.extensions.map((x) => ({
            name: `extension header ${x.type}`,
            value: `${x.length} bytes`,
            offset: x.offset,
            length: x.length,
          })),
        ],
      };
    case 'tcp':
      return {
        ...base,
        title: `TCP, port ${l.srcPort} → ${l.dstPort}`,
        fields: [
          f('source port', 0, 2, l.srcPort),
          f('destination port', 2, 2, l.dstPort),
          f('sequence number', 4, 4, l.seq),
          f('acknowledgment', 8, 4, l.ack),
          f('header length', 12, 1, `${l.dataOffset} bytes`),
          f('flags', 13, 1, tcpFlags(l.flags)),
          f('window', 14, 2, l.window),
          f('checksum', 16, 2, hex(l.checksum, 4)),
          f('urgent pointer', 18, 2, l.urgent),
          ...(l.dataOffset > 20
            ? [f('options', 20, l.dataOffset - 20, `${l.dataOffset - 20} bytes`)]
            : []),
        ],
      };
    case 'udp':
      return {
        ...base,
        title: `UDP, port ${l.srcPort} → ${l.dstPort}`,
        fields: [
          f('source port', 0, 2, l.srcPort),
          f('destination port', 2, 2, l.dstPort),
          f('length', 4, 2, l.length),
          f('checksum', 6, 2, hex(l.checksum, 4)),
        ],
      };
    case 'icmp':
    case 'icmpv6':
      return {
        ...base,
        title: `${l.kind === 'icmp' ? 'ICMP' : 'ICMPv6'} type ${l.type}`,
        fields: [
          f('type', 0, 1, l.type),
          f('code', 1, 1, l.code),
          f('checksum', 2, 2, hex(l.checksum, 4)),
          ...(l.id !== undefined ? [f('identifier', 4, 2, l.id)] : []),
          ...(l.seq !== undefined ? [f('sequence', 6, 2, l.seq)] : []),
        ],
      };
    case 'dhcp':
      return {
        ...base,
        title: `DHCP${l.messageType ? ` ${DHCP_TYPES[l.messageType] ?? l.messageType}` : ''}`,
        fields: [
          f('op', 0, 1, l.op === 1 ? '1 (request)' : l.op === 2 ? '2 (reply)' : l.op),
          f('hops', 3, 1, l.hops),
          f('transaction id', 4, 4, hex(l.xid, 8)),
          f('client IP', 12, 4, l.ciaddr),
          f('your IP', 16, 4, l.yiaddr),
          f('server IP', 20, 4, l.siaddr),
          f('relay IP', 24, 4, l.giaddr),
          f('client MAC', 28, l.hlen > 0 && l.hlen <= 16 ? l.hlen : 6, l.chaddr),
          ...(l.headerLength > 240
            ? [f('options', 240, l.headerLength - 240, `${l.options.length} options`)]
            : []),
        ],
      };
    case 'dns':
      return {
        ...base,
        title: `DNS ${l.qr ? 'response' : 'query'}${l.questions[0] ? ` ${l.questions[0].name}` : ''}`,
        fields: [
          f('id', 0, 2, hex(l.id, 4)),
          f('flags', 2, 2, `${l.qr ? 'response' : 'query'}${l.rd ? ', recursion desired' : ''}`),
          f('questions', 4, 2, l.qdcount),
          f('answers', 6, 2, l.ancount),
          f('authority', 8, 2, l.nscount),
          f('additional', 10, 2, l.arcount),
          ...(l.headerLength > 12
            ? [f('records', 12, l.headerLength - 12, l.questions.map((q) => q.name).join(', '))]
            : []),
        ],
      };
    case 'stp':
      return {
        ...base,
        title: 'Spanning Tree',
        fields: [
          f('protocol', 0, 2, l.protocolId),
          f('version', 2, 1, l.version),
          f('BPDU type', 3, 1, l.bpduType),
        ],
      };
    case 'payload': {
      const length = Math.max(0, frameLength - o);
      return {
        ...base,
        length,
        title: `${l.protocol === 'data' ? 'data' : `not decoded (${l.protocol})`}, ${length} byte${length === 1 ? '' : 's'}`,
        fields: [],
      };
    }
  }
}
