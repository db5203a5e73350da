// The expression sets the compile benchmarks time (bench/compile.ts against libpcap, bench/compile-ab.ts
// one commit's compiler against another's): the differential expressions, a seeded mixed batch like the
// issue's held-out one, and long lists.
import { readdirSync, readFileSync } from 'node:fs';
import { rng } from '../test/helpers/gen-linux-program.js';

const here = new URL('.', import.meta.url).pathname;

export interface Row {
  readonly dlt: string;
  readonly expr: string;
}

/** The differential expression files, every line of every one. */
export function differentialSet(): Row[] {
  const dir = `${here}../test/differential/exprs/`;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tsv'))
    .sort()
    .flatMap((f) =>
      readFileSync(`${dir}${f}`, 'utf8')
        .split('\n')
        .filter((l) => l.includes('\t') && !l.startsWith('#'))
        .map((l) => ({ dlt: l.slice(0, l.indexOf('\t')), expr: l.slice(l.indexOf('\t') + 1) })),
    );
}

/** Primitives per link type for the mixed batch (what people filter on; some fail on some link types). */
const IP_PRIMS = [
  'tcp',
  'udp',
  'icmp',
  'ip6',
  'ip',
  'host 10.0.0.1',
  'src host 192.168.1.7',
  'net 10.0.0.0/8',
  'dst net 172.16.0.0/12',
  'port 80',
  'tcp port 443',
  'udp port 53',
  'portrange 1000-2000',
  'tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn',
  'ip[8] < 64',
  'len > 200',
  'ip6 host fe80::1',
  'icmp6',
  'ip multicast',
  'ip[6:2] & 0x1fff = 0',
  'udp[8:2] = 0x1234',
  'tcp dst port http',
  'icmp[icmptype] = icmp-echo',
  'ip proto 47',
  'ip6 net 2001:db8::/32',
  'ip broadcast',
];
const POOLS: Record<string, readonly string[]> = {
  EN10MB: [
    ...IP_PRIMS,
    'arp',
    'ether host 00:11:22:33:44:55',
    'ether broadcast',
    'vlan 100',
    'vlan and tcp',
    'mpls 100',
    'pppoes 3',
    'ether proto 0x88cc',
    'stp',
    'llc',
    'arp dst host 10.0.0.1',
  ],
  RAW: IP_PRIMS,
  IPV4: IP_PRIMS,
  IPV6: IP_PRIMS,
  NULL: IP_PRIMS,
  LOOP: IP_PRIMS,
  LINUX_SLL: [...IP_PRIMS, 'arp', 'inbound', 'outbound', 'ether proto 100', 'link[0:2] = 4'],
  LINUX_SLL2: [...IP_PRIMS, 'arp', 'inbound', 'outbound', 'ifindex 2'],
};

/** A seeded batch of random compositions, `n` of them, over every link type of POOLS. */
export function mixedBatch(n: number): Row[] {
  const r = rng(915);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const gen = (prims: readonly string[], depth: number): string => {
    const x = r();
    if (depth === 0 || x < 0.4) return pick(prims);
    if (x < 0.55) return `not ${gen(prims, depth - 1)}`;
    const op = pick([' and ', ' or ']);
    return x < 0.8
      ? `(${gen(prims, depth - 1)}${op}${gen(prims, depth - 1)})`
      : `${gen(prims, depth - 1)}${op}${gen(prims, depth - 1)}`;
  };
  const dlts = Object.keys(POOLS);
  return Array.from({ length: n }, (_, i) => {
    const dlt = dlts[i % dlts.length] as string;
    return { dlt, expr: gen(POOLS[dlt] as readonly string[], 3) };
  });
}

const hosts = (n: number) => Array.from({ length: n }, (_, i) => `10.${i >> 8}.${i & 255}.1`);
/** Long lists: the shapes of issues 14 and 16. */
export const LISTS: { name: string; expr: string }[] = [
  {
    name: '200 hosts',
    expr: hosts(200)
      .map((h) => `host ${h}`)
      .join(' or '),
  },
  {
    name: '500 hosts',
    expr: hosts(500)
      .map((h) => `host ${h}`)
      .join(' or '),
  },
  {
    name: '1,000 hosts',
    expr: hosts(1000)
      .map((h) => `host ${h}`)
      .join(' or '),
  },
  {
    name: '200 × (tcp port N and host A)',
    expr: hosts(200)
      .map((h, i) => `(tcp port ${1000 + i} and host ${h})`)
      .join(' or '),
  },
  {
    name: '1,000 ports',
    expr: Array.from({ length: 1000 }, (_, i) => `port ${i + 1}`).join(' or '),
  },
  {
    name: '25 × ip6 protochain N',
    expr: Array.from({ length: 25 }, (_, i) => `ip6 protochain ${i + 1}`).join(' or '),
  },
  {
    name: '5,000 × src net A/24',
    expr: hosts(5000)
      .map((h) => `src net ${h.replace(/\.1$/, '.0')}/24`)
      .join(' or '),
  },
];
