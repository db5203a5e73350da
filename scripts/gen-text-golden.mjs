// Regenerates test/golden/tcpdump/: what the installed tcpdump prints for -d, -dd and -ddd on a set of
// expressions and link types. Never edit the outputs by hand; rerun this after a tcpdump upgrade.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const CASES = [
  ['EN10MB', 'arp'],
  ['EN10MB', 'ip'],
  ['EN10MB', 'tcp port 80'],
  ['EN10MB', 'udp dst port 67'],
  ['EN10MB', 'host 10.0.0.1 and (tcp port 22 or tcp port 443)'],
  ['EN10MB', 'ip6 and not icmp6'],
  ['EN10MB', 'ether src 52:54:00:12:34:56'],
  ['EN10MB', 'vlan 100 and ip'],
  ['EN10MB', 'net 192.168.0.0/16'],
  ['EN10MB', 'portrange 1000-2000'],
  ['EN10MB', 'tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn'],
  ['EN10MB', 'ip[2:2] - ((ip[0]&0xf)<<2) > 100'],
  ['EN10MB', 'len > 1000 or less 64'],
  ['EN10MB', 'icmp[icmptype] = icmp-echo'],
  ['EN10MB', 'ether broadcast or ether multicast'],
  ['EN10MB', 'ip proto 47'],
  ['EN10MB', 'ip protochain 6'],
  ['EN10MB', 'ip6 protochain 17'],
  ['EN10MB', 'mpls 5 and ip'],
  ['EN10MB', 'pppoes 3'],
  ['EN10MB', 'ip[0] * 3 / 2 % 5 ^ 1 | 2 = 3'],
  ['EN10MB', 'ip[1] >> 1 = 2 or 0 - ip[0] = 4'],
  ['EN10MB', 'ip host 1.2.3.4 and not udp'],
  ['EN10MB', 'ip6 host fe80::1'],
  ['EN10MB', 'udp port 53 or udp port 67 or udp port 68'],
  ['EN10MB', ''],
  ['EN10MB', 'ether[0] & 1 = 0 and ip[16] >= 224'],
  ['EN10MB', 'tcp[13] & 7 != 0'],
  ['RAW', 'ip'],
  ['RAW', 'udp port 53'],
  ['RAW', 'ip6 and tcp'],
  ['LINUX_SLL', 'inbound and arp'],
  ['LINUX_SLL', 'outbound'],
  ['LINUX_SLL', 'tcp port 80'],
  ['LINUX_SLL2', 'ifindex 3 and ip'],
  ['LINUX_SLL2', 'udp'],
  ['NULL', 'ip6'],
  ['LOOP', 'ip and tcp'],
  ['IPV4', 'icmp'],
  ['IPV6', 'tcp port 443'],
];

const dir = new URL('../test/golden/tcpdump/', import.meta.url);
mkdirSync(dir, { recursive: true });
const index = [];
CASES.forEach(([dlt, expr], i) => {
  const name = `${String(i).padStart(2, '0')}-${dlt}`;
  for (const flag of ['-d', '-dd', '-ddd']) {
    const out = execFileSync('tcpdump', [flag, '-y', dlt, '--', expr], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    writeFileSync(new URL(`${name}${flag.replaceAll('-', '.')}`, dir), out);
  }
  index.push(`${name}\t${dlt}\t${expr}`);
});
writeFileSync(new URL('INDEX.tsv', dir), `${index.join('\n')}\n`);
console.log(`wrote ${CASES.length} cases to test/golden/tcpdump/`);
