// The seeds' filters as parameterized, hand-tuned programs, each with its equivalent pcap-filter expression.

import type { BlockId, Stmt } from '../compiler/ir.js';
import type { RawInsn } from '../core/insn.js';
import { alu, ld, ldx, ret } from '../core/insn.js';
import { assembleLabeled, type Item, jumpTo, label } from './labels.js';
import { macSetProgram } from './mac-set.js';

/**
 * Where the IPv4 header starts: `ethernet` for AF_PACKET SOCK_RAW and /dev/bpf on Ethernet (offset 14),
 * `ip` for AF_PACKET SOCK_DGRAM with ETH_P_IP and AF_INET raw sockets (offset 0, as in seed 001).
 */
export type LinkLayer = 'ethernet' | 'ip';

/** A ready-made filter: the program, and an expression that gives the same verdict on every packet. */
export interface ReadyFilter {
  readonly name: string;
  readonly program: RawInsn[];
  /** The same filter in pcap-filter syntax, for `linktype` (tcpdump -y). */
  readonly expression: string;
  readonly linktype: 'EN10MB' | 'RAW';
}

export interface CommonOptions {
  /** What an accepted packet returns: the snap length. Default 0xffffffff (whole packet), as the seeds. */
  accept?: number;
}
export interface IpFilterOptions extends CommonOptions {
  /** Default 'ethernet'. */
  link?: LinkLayer;
}
export type Direction = 'src' | 'dst' | 'either';

const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_IPV4 = 0x0800;

/** Parses `aa:bb:cc:dd:ee:ff` (also `-` separated) into its top 4 and low 2 bytes. */
export function macWords(mac: string): { hi: number; lo: number } {
  const parts = mac.trim().split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) {
    throw new RangeError(`expected a MAC address like 52:54:00:12:34:56, got '${mac}'`);
  }
  const b = parts.map((p) => Number.parseInt(p, 16));
  return { hi: ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0, lo: (b[4] << 8) | b[5] };
}

const hex = (n: number) => `0x${n.toString(16)}`;
const linktypeOf = (l: LinkLayer) => (l === 'ethernet' ? 'EN10MB' : 'RAW');

/**
 * ARP replies (seed 000's six instructions), optionally only from the given sender MACs, so the kernel
 * drops replies from every other host. The MAC tested is the ARP sender hardware address, through a
 * search tree (mac-set.ts): about 1,000 MACs fit a kernel filter.
 * @example arpReply({ from: ['52:54:00:12:34:56'] })
 */
export function arpReply(options: CommonOptions & { from?: readonly string[] } = {}): ReadyFilter {
  const accept = options.accept ?? 0xffffffff;
  const from = options.from ?? [];
  const macs = from.map(macWords);
  const program = from.length
    ? macSetProgram(from, {
        offset: 22, // ARP sender hardware address
        accept,
        guard: (b, tree) => {
          const drop = b.ret(0);
          const reply = b.add([ld.abs(20, 2) as Stmt], jeq(2, tree, drop));
          return b.add([ld.abs(12, 2) as Stmt], jeq(ETHERTYPE_ARP, reply, drop));
        },
      })
    : assembleLabeled([
        ld.abs(12, 2),
        jumpTo('jeq', ETHERTYPE_ARP, 'next', 'drop'),
        ld.abs(20, 2),
        jumpTo('jeq', 2, 'next', 'drop'),
        ret.k(accept),
        label('drop'),
        ret.k(0),
      ]);
  const who = macs
    .map((m) => `(arp[8:4] = ${hex(m.hi)} and arp[12:2] = ${hex(m.lo)})`)
    .join(' or ');
  return {
    name: 'arp-reply',
    program,
    expression: macs.length ? `arp[6:2] = 2 and (${who})` : 'arp[6:2] = 2',
    linktype: 'EN10MB',
  };
}

const jeq = (k: number, t: BlockId, f: BlockId) =>
  ({ kind: 'branch', cond: 'jeq', src: 'k', k, t, f }) as const;

/**
 * The common prologue of IPv4 transport filters: IPv4 and the given protocol; for port filters also
 * first fragment only and X = start of the transport header. Unlike the seeds' fixed offsets, the IP header length is read
 * from the packet (options make it longer than 20 bytes), as libpcap does.
 */
function ipv4Transport(l: LinkLayer, proto: number, ports = true): Item[] {
  const base = l === 'ethernet' ? 14 : 0;
  const items: Item[] =
    l === 'ethernet'
      ? [ld.abs(12, 2), jumpTo('jeq', ETHERTYPE_IPV4, 'next', 'drop')]
      : [ld.abs(0, 1), alu.and(0xf0), jumpTo('jeq', 0x40, 'next', 'drop')];
  items.push(ld.abs(base + 9, 1), jumpTo('jeq', proto, 'next', 'drop'));
  // Only the first fragment carries the ports; X = IP header length for the loads that follow.
  if (ports) items.push(ld.abs(base + 6, 2), jumpTo('jset', 0x1fff, 'drop', 'next'), ldx.msh(base));
  return items;
}

/** Port tests on the transport header at X (+ base): accept when any port matches in the direction. */
function portTests(
  base: number,
  ports: readonly number[],
  dir: Direction,
  onMatch: string,
): Item[] {
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 0 || p > 0xffff)
      throw new RangeError(`port ${p} is not in 0..65535`);
  }
  const items: Item[] = [];
  const offsets = dir === 'src' ? [0] : dir === 'dst' ? [2] : [0, 2];
  offsets.forEach((off, oi) => {
    items.push(ld.ind(base + off, 2));
    ports.forEach((p, pi) => {
      const last = pi === ports.length - 1;
      const miss = last ? (oi === offsets.length - 1 ? 'drop' : 'next') : 'next';
      items.push(jumpTo('jeq', p, onMatch, miss));
    });
  });
  return items;
}

function portExpr(proto: 'tcp' | 'udp', ports: readonly number[], dir: Direction): string {
  const d = dir === 'either' ? '' : `${dir} `;
  return ports.map((p) => `${proto} ${d}port ${p}`).join(' or ');
}

/**
 * DHCP/BOOTP (seed 001): UDP to `port` (67 server-bound, 68 client-bound, or both) and optionally the
 * BOOTP op (1 request, 2 reply). The seed compares one byte of the port at a fixed offset; this one
 * compares the whole port after the real IP header and skips non-first fragments.
 */
export function dhcp(
  options: IpFilterOptions & { port?: 67 | 68 | 'both'; op?: 1 | 2 } = {},
): ReadyFilter {
  const l = options.link ?? 'ethernet';
  const base = l === 'ethernet' ? 14 : 0;
  const ports = options.port === undefined || options.port === 'both' ? [67, 68] : [options.port];
  const items = ipv4Transport(l, 17);
  items.push(...portTests(base, ports, 'dst', options.op ? 'op' : 'accept'));
  if (options.op)
    items.push(label('op'), ld.ind(base + 8, 1), jumpTo('jeq', options.op, 'accept', 'drop'));
  items.push(label('accept'), ret.k(options.accept ?? 0xffffffff), label('drop'), ret.k(0));
  const portPart = ports.map((p) => `udp dst port ${p}`).join(' or ');
  return {
    name: 'dhcp',
    program: assembleLabeled(items),
    expression: `ip and (${portPart})${options.op ? ` and udp[8] = ${options.op}` : ''}`,
    linktype: linktypeOf(l),
  };
}

/** UDP to (or from) the given ports over IPv4. */
export function udpPorts(
  ports: readonly number[],
  options: IpFilterOptions & { direction?: Direction } = {},
): ReadyFilter {
  const l = options.link ?? 'ethernet';
  const dir = options.direction ?? 'dst';
  const items = ipv4Transport(l, 17);
  items.push(...portTests(l === 'ethernet' ? 14 : 0, ports, dir, 'accept'));
  items.push(label('accept'), ret.k(options.accept ?? 0xffffffff), label('drop'), ret.k(0));
  return {
    name: 'udp',
    program: assembleLabeled(items),
    expression: `ip and (${portExpr('udp', ports, dir)})`,
    linktype: linktypeOf(l),
  };
}

/** DNS over UDP port 53, queries and replies by default (the seed matched queries only). */
export function dns(options: IpFilterOptions & { direction?: Direction } = {}): ReadyFilter {
  return {
    ...udpPorts([53], { ...options, direction: options.direction ?? 'either' }),
    name: 'dns',
  };
}

/**
 * HTTP/HTTPS over TCP, both directions by default. Seed 000's sketch assumed a 20-byte IP header
 * (port at offset 36) and matched only the destination port; this reads the header length and
 * also matches the source port, so replies and packets with IP options are seen.
 */
export function http(
  options: IpFilterOptions & { ports?: readonly number[]; direction?: Direction } = {},
): ReadyFilter {
  const l = options.link ?? 'ethernet';
  const ports = options.ports ?? [80, 443];
  const dir = options.direction ?? 'either';
  const items = ipv4Transport(l, 6);
  items.push(...portTests(l === 'ethernet' ? 14 : 0, ports, dir, 'accept'));
  items.push(label('accept'), ret.k(options.accept ?? 0xffffffff), label('drop'), ret.k(0));
  return {
    name: 'http',
    program: assembleLabeled(items),
    expression: `ip and (${portExpr('tcp', ports, dir)})`,
    linktype: linktypeOf(l),
  };
}

/** ICMP over IPv4 (every fragment, as libpcap's `icmp`). */
export function icmp(options: IpFilterOptions = {}): ReadyFilter {
  const l = options.link ?? 'ethernet';
  const items = ipv4Transport(l, 1, false);
  items.push(ret.k(options.accept ?? 0xffffffff), label('drop'), ret.k(0));
  return {
    name: 'icmp',
    program: assembleLabeled(items),
    expression: 'icmp',
    linktype: linktypeOf(l),
  };
}

/** Frames whose Ethernet source address is `mac`. */
export function fromMac(mac: string, options: CommonOptions = {}): ReadyFilter {
  const m = macWords(mac);
  const program = assembleLabeled([
    ld.abs(6, 4),
    jumpTo('jeq', m.hi, 'next', 'drop'),
    ld.abs(10, 2),
    jumpTo('jeq', m.lo, 'next', 'drop'),
    ret.k(options.accept ?? 0xffffffff),
    label('drop'),
    ret.k(0),
  ]);
  return {
    name: 'from-mac',
    program,
    expression: `ether src ${mac.toLowerCase().replaceAll('-', ':')}`,
    linktype: 'EN10MB',
  };
}
