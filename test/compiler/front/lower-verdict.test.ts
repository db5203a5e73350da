// Verdict check of parse + lower against tcpdump: for each link type and expression, the lowering's CFG (run by a
// local interpreter) and `tcpdump -ddd -y DLT` must accept exactly the same corpus packets, truncated copies included.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CompileError } from '../../../src/compiler/errors.js';
import { lower } from '../../../src/compiler/lower/index.js';
import { parse } from '../../../src/compiler/parser.js';
import { NeedsKernel, type Packet, readPcap, runCfg, runRaw, tcpdumpProgram } from './verdict-helpers.js';

const CORPUS = new URL('../../../../shared/corpus/pcap/', import.meta.url).pathname;

const DLTS: Record<string, number> = { EN10MB: 1, RAW: 101, LINUX_SLL: 113, LINUX_SLL2: 276, NULL: 0, LOOP: 108, IPV4: 228, IPV6: 229 };

/** Corpus packets per link type, each also cut at a few lengths (truncated frames exercise out-of-bounds loads). */
function packetsByLinktype(): Map<number, Packet[]> {
  const out = new Map<number, Packet[]>();
  for (const f of readdirSync(CORPUS).sort()) {
    if (!f.endsWith('.pcap')) continue;
    const r = readPcap(join(CORPUS, f));
    if (!r) continue;
    const lt = r.linktype === 12 ? 101 : r.linktype;
    const list = out.get(lt) ?? [];
    for (const p of r.packets.slice(0, 60)) {
      list.push(p);
      for (const cut of [1, 13, 15, 21, 25, 35, 41, 55, 59]) if (cut < p.data.length) list.push({ data: p.data.subarray(0, cut), wirelen: p.wirelen });
    }
    out.set(lt, list);
  }
  return out;
}

const COMMON = [
  'ip', 'ip6', 'arp', 'rarp', 'tcp', 'udp', 'icmp', 'icmp6', 'sctp', 'igmp', 'pim', 'vrrp', 'igrp',
  'host 192.168.1.1', 'src host 10.0.0.1', 'dst host 10.0.0.1 or src host 10.0.0.2', 'host 192.168', 'host 10',
  'net 10.0.0.0/8', 'net 192.168.0.0 mask 255.255.0.0', 'src net 172.16', 'dst net 10', 'net 0.0.0.0/0',
  'ip host 1.2.3.4 or 5.6.7.8', 'arp host 10.1.1.1', 'rarp src host 10.1.1.1', 'ip src and dst net 10.0.0.0/8',
  'host fe80::1', 'ip6 src host ::1', 'ip6 net fe80::/10', 'ip6 dst net ff00::/8', 'net 2001:db8::/32',
  'port 80', 'port 53', 'tcp port 80', 'udp port 53', 'tcp src port 80', 'udp dst port 67 or 68', 'sctp port 9',
  'port http', 'port domain', 'tcp port http or https', 'not port 22', 'tcp src and dst port 80', 'portrange 1-1023',
  'tcp portrange 6000-6010', 'udp src portrange 100-10', 'port 0x50', 'port 0120',
  'ip proto 6', 'ip proto \\tcp', 'ip6 proto 17', 'proto \\udp', 'proto 47', 'ether proto \\ip', 'ether proto 0x86dd',
  'ip[0] & 0xf != 5', 'ip[2:2] > 100', 'ip[6] & 0x20 != 0', 'ip[8] = 64', 'tcp[tcpflags] & tcp-syn != 0',
  'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn', 'tcp[13] & 7 != 0', 'udp[0:2] = 53', 'icmp[icmptype] = icmp-echo',
  'icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply', 'ip6[6] = 58', 'icmp6[0] = 128',
  'icmp6[icmp6type] = icmp6-echo', 'ip[ip[0] & 0xf] > 3', 'tcp[(tcp[12] >> 4) * 4] = 0x47', 'ip[0:4] / 2 > 1000',
  'len > 100', 'len < 60', 'len >= 1500', 'len <= 64', 'len - 14 > 100', 'less 100', 'greater 200', 'len * 2 = 120',
  '1 + 1 = 2', '1 - 2 > 0', 'ip[1] + ip[2] - 3 * ip[3] % 7 > ip[4] ^ 5 | 1 << 2', '-ip[0] < 5', 'ip[0] & 0xf << 2 = 20',
  'ip multicast', 'ip6 multicast', 'ip broadcast', 'arp[6:2] = 2', 'rarp[6:2] = 4',
  'tcp and not port 22', 'tcp or udp and not icmp', 'not (tcp or udp)', 'not not ip', '!ip6 && !arp || udp',
  'host 10.0.0.1 and (port 80 or port 443)', 'not host 1.1.1.1 and 2.2.2.2', 'tcp port 80 or 443 or 8080',
  '(udp port 53)', 'ip and (((tcp)))', 'ip or ip6 or arp',
  'ip6 protochain 6', 'ip6 protochain 17', 'protochain 58', 'ip protochain 6', 'ip protochain 51', 'protochain \\udp',
];

const ETHER_ONLY = [
  'ether host 00:11:22:33:44:55', 'ether src 0:1:2:3:4:5', 'ether dst ff:ff:ff:ff:ff:ff', 'ether host 0011.2233.4455',
  'ether src 00-11-22-33-44-55 or ether dst 1:2:3:4:5:6', 'ether broadcast', 'broadcast', 'ether multicast', 'multicast',
  'ether proto 100', 'ether proto 6', 'ether proto 0xfe', 'ether proto \\iso', 'stp', 'ipx', 'netbeui', 'atalk', 'aarp', 'decnet', 'iso',
  'vlan', 'vlan 100', 'vlan and ip', 'vlan and tcp port 80', 'vlan 10 and vlan 20', 'vlan and vlan and ip', 'ip or vlan and ip',
  'mpls', 'mpls 100', 'mpls and ip', 'mpls and mpls 5 and ip6', 'pppoed', 'pppoes', 'pppoes 1 and ip', 'pppoes and tcp port 80',
  'ether[0] & 1 != 0', 'link[12:2] = 0x800', 'ether src 0:1:2:3:4:5 and not ip',
];

const SLL_ONLY = ['ether proto 100', 'ether proto 0xfe', 'link[0:2] = 4', 'pppoes and ip'];

const cases: [string, string[]][] = [
  ['EN10MB', [...COMMON, ...ETHER_ONLY]],
  ['RAW', COMMON],
  ['LINUX_SLL', [...COMMON, ...SLL_ONLY]],
  ['LINUX_SLL2', [...COMMON, ...SLL_ONLY]],
  ['NULL', COMMON],
  ['LOOP', COMMON],
  ['IPV4', COMMON.slice(0, 30)],
  ['IPV6', COMMON.slice(0, 30)],
];

const packets = packetsByLinktype();
// Link types without corpus captures borrow RAW's IP packets (behind a 4-byte family word for NULL/LOOP); those
// without any packets still compare the compile/no-compile decision.
const raw = packets.get(101) ?? [];
function borrow(lt: number, make: (p: Packet) => Packet): void {
  if (!packets.has(lt)) packets.set(lt, raw.map(make));
}
const prefix = (pre: number[]) => (p: Packet) => {
  const d = new Uint8Array(pre.length + p.data.length);
  d.set(pre);
  d.set(p.data, pre.length);
  return { data: d, wirelen: p.wirelen + pre.length };
};
borrow(108, (p) => prefix([0, 0, 0, (p.data[0] ?? 0) >> 4 === 6 ? 10 : 2])(p));
borrow(276, (p) => prefix([0x08, 0, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0])(p));

for (const [dlt, exprs] of cases) {
  test(`lowering agrees with tcpdump on ${dlt}`, () => {
    const pkts = packets.get(DLTS[dlt] as number) ?? [];
    const failures: string[] = [];
    let compared = 0;
    for (const expr of exprs) {
      const ref = tcpdumpProgram(dlt, expr);
      let cfg;
      try {
        cfg = lower(parse(expr), { linktype: DLTS[dlt] as number });
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        if (!('error' in ref)) failures.push(`${expr}: cbpf error ${e.code} ${e.message}, tcpdump compiles`);
        continue;
      }
      if ('error' in ref) {
        // libpcap's optimizer rejects never-matching programs; the back end reports that, not lowering.
        if (!/rejects all packets/.test(ref.error)) failures.push(`${expr}: cbpf compiles, tcpdump: ${ref.error}`);
        else if (pkts.some((p) => runCfg(cfg, p) !== 0)) failures.push(`${expr}: tcpdump rejects all, cbpf accepts some`);
        continue;
      }
      for (const p of pkts) {
        let want: number;
        try {
          want = runRaw(ref, p);
        } catch (e) {
          if (e instanceof NeedsKernel) break;
          throw e;
        }
        const got = runCfg(cfg, p);
        compared++;
        if (got !== want) {
          failures.push(`${expr}: packet of ${p.data.length} bytes: cbpf ${got}, tcpdump ${want}`);
          break;
        }
      }
    }
    assert.deepEqual(failures, [], `${failures.length} disagreements (${compared} verdicts compared)`);
  });
}

const INVALID: [string, string][] = [
  ['EN10MB', 'port 99999'], ['EN10MB', 'ether host 1:2:3'], ['EN10MB', 'tcp src port http and'], ['RAW', 'arp'],
  ['RAW', 'ether host 1:2:3:4:5:6'], ['EN10MB', 'tcp host 1.2.3.4'], ['EN10MB', 'ip6 host 1.2.3.4'], ['EN10MB', 'udp port http'],
  ['EN10MB', 'net 10.0.0.1/8'], ['EN10MB', 'net 10.0.0.0/33'], ['EN10MB', 'vlan 5000'], ['EN10MB', 'ether proto \\foo'],
  ['EN10MB', 'ip proto \\foo'], ['EN10MB', 'host foo'], ['EN10MB', 'port foo'], ['EN10MB', 'ip[0:3] = 1'], ['EN10MB', 'ip[0] / 0 = 1'],
  ['EN10MB', 'ip[0] >> 33 = 1'], ['EN10MB', 'gateway foo'], ['EN10MB', 'ether net 1:2:3:4:5:6'], ['EN10MB', 'ip host fe80::1'],
  ['EN10MB', '('], ['EN10MB', ')'], ['EN10MB', 'host'], ['EN10MB', 'tcp or'], ['EN10MB', 'and'], ['EN10MB', 'not'],
  ['EN10MB', 'ip and and ip'], ['EN10MB', 'ip[0'], ['EN10MB', 'ip[0] ='], ['EN10MB', '1.2.3.4'], ['EN10MB', 'ip port 80'],
  ['EN10MB', 'host 1.2.3.4/8'], ['EN10MB', 'host 10.0.0.0/8'], ['EN10MB', 'ether src 1.2.3.4'], ['EN10MB', 'mpls 2000000'],
  ['EN10MB', 'pppoes 70000'], ['EN10MB', 'less'], ['EN10MB', 'icmp6 proto 3'], ['EN10MB', 'tcp protochain 6'],
  ['RAW', 'ether broadcast'], ['EN10MB', 'ip6 broadcast'], ['EN10MB', '256.1.1.1'], ['EN10MB', '1::2::3'],
  ['EN10MB', 'ip6 net ::1/129'], ['EN10MB', 'tcp[0:5]=1'], ['LINUX_SLL', 'vlan'], ['LINUX_SLL', 'mpls'],
  ['LINUX_SLL', 'ether host 1:2:3:4:5:6'], ['LINUX_SLL2', 'multicast'], ['EN10MB', 'tcp or 80'], ['EN10MB', '10.0.0.1'],
  ['EN10MB', 'len-1 > 5'], ['EN10MB', 'ether'], ['EN10MB', 'ip proto tcp'], ['EN10MB', 'src 10.0.0.0/8'], ['NULL', 'arp'],
  ['NULL', 'ether proto 6'], ['EN10MB', 'src port 1 or dst foo'], ['EN10MB', 'sctp port http'],
];

test('invalid expressions fail in both cbpf and tcpdump', () => {
  const failures: string[] = [];
  for (const [dlt, expr] of INVALID) {
    const ref = tcpdumpProgram(dlt, expr);
    let ok = true;
    try {
      lower(parse(expr), { linktype: DLTS[dlt] as number });
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      ok = false;
    }
    if (ok || !('error' in ref)) failures.push(`${dlt} ${expr}: cbpf ${ok ? 'compiles' : 'errors'}, tcpdump ${'error' in ref ? 'errors' : 'compiles'}`);
  }
  assert.deepEqual(failures, []);
});
