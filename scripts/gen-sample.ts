// Generates data/sample-home-lan.pcap: a deterministic (seeded) home-LAN capture like the seeds'
// scenario, ~94% ARP with 100 ARP replies from four QEMU/KVM VMs. Run: npx tsx scripts/gen-sample.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildArpFrame,
  buildDhcpFrame,
  buildDnsQuery,
  buildEthernet,
  buildIpFrame,
  parseIpv6,
  parseMac,
} from '../src/packets/index.js';
import { PcapWriter } from '../src/pcap/index.js';
// mulberry32, seeded: the file is byte-identical on every run.
import { rng } from '../test/helpers/gen-linux-program.js';

/** A device on the sample LAN. */
export interface SampleDevice {
  name: string;
  mac: string;
  ip: string;
  ip6: string;
}

const dev = (name: string, mac: string, host: number, ll: string): SampleDevice => ({
  name,
  mac,
  ip: `192.168.1.${host}`,
  ip6: `fe80::${ll}`,
});

/** The twelve devices; the last four are the VMs whose ARP replies the seeds' filter keeps. */
export const SAMPLE_DEVICES: readonly SampleDevice[] = [
  dev('router', 'c4:ad:34:12:0e:01', 1, 'c6ad:34ff:fe12:e01'),
  dev('laptop', '3c:22:fb:6a:41:d2', 10, '3e22:fbff:fe6a:41d2'),
  dev('phone-a', 'f0:99:b6:2e:77:10', 21, 'f299:b6ff:fe2e:7710'),
  dev('phone-b', '8c:85:90:4b:c3:5e', 22, '8e85:90ff:fe4b:c35e'),
  dev('tv', 'a8:23:fe:09:d1:7c', 30, 'aa23:feff:fe09:d17c'),
  dev('printer', '00:1b:a9:f5:62:08', 40, '21b:a9ff:fef5:6208'),
  dev('nas', '00:11:32:8c:4e:a1', 50, '211:32ff:fe8c:4ea1'),
  dev('thermostat', '18:b4:30:27:9a:3c', 60, '1ab4:30ff:fe27:9a3c'),
  dev('vm1', '52:54:00:a1:b2:01', 101, '5054:ff:fea1:b201'),
  dev('vm2', '52:54:00:a1:b2:02', 102, '5054:ff:fea1:b202'),
  dev('vm3', '52:54:00:a1:b2:03', 103, '5054:ff:fea1:b203'),
  dev('vm4', '52:54:00:a1:b2:04', 104, '5054:ff:fea1:b204'),
];
export const SAMPLE_VMS = SAMPLE_DEVICES.slice(8);

/** Exact frame counts per category (they sum to 10,000). */
export const SAMPLE_COUNTS = {
  arpRequest: 9288,
  /** Few, so that (as in seed 000) an "ARP replies only" filter keeps about 100 frames. */
  arpReplyOther: 12,
  /** 25 from each VM. */
  arpReplyVm: 100,
  ipv4: 200,
  ipv6: 50,
  other: 350,
} as const;

/** Seconds since the epoch of the first frame (2026-02-19T10:00:00Z) and the capture's span. */
export const SAMPLE_START_S = 1771495200;
export const SAMPLE_SPAN_NS = 4_000_000_000;

const hex = (s: string) =>
  Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (h) => Number.parseInt(h, 16));

/** Builds the sample's frames in capture order with their timestamps. */
export function generateSampleFrames(
  seed = 0x5eed,
): Array<{ timestampNs: bigint; data: Uint8Array }> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const [router, laptop] = SAMPLE_DEVICES;
  const others = SAMPLE_DEVICES.slice(0, 8);
  const frames: Uint8Array[] = [];
  // Frames that must stay in order (a TCP handshake, a DHCP exchange) are grouped and kept together.
  const groups: Uint8Array[][] = [];

  // ARP requests: the laptop sweeps the /24 (an arp-scan style discovery) and devices resolve each other.
  for (let i = 0; i < SAMPLE_COUNTS.arpRequest; i++) {
    const from = r() < 0.7 ? laptop : pick(others);
    const gratuitous = i % 400 === 0;
    let target = from.ip;
    // Only every 400th request is gratuitous (sender IP = target IP); the others ask for someone else.
    while (!gratuitous && target === from.ip)
      target = r() < 0.7 ? `192.168.1.${int(1, 254)}` : pick(SAMPLE_DEVICES).ip;
    frames.push(
      buildArpFrame({ senderMac: from.mac, senderIp: from.ip, targetIp: target, padTo: 60 }),
    );
  }
  const reply = (d: SampleDevice) => {
    const to = r() < 0.8 ? laptop : pick(others.filter((o) => o !== d));
    return buildArpFrame({
      op: 'reply',
      senderMac: d.mac,
      senderIp: d.ip,
      targetMac: to.mac,
      targetIp: to.ip,
      padTo: 60,
    });
  };
  for (let i = 0; i < SAMPLE_COUNTS.arpReplyOther; i++) frames.push(reply(pick(others)));
  for (let i = 0; i < SAMPLE_COUNTS.arpReplyVm; i++)
    frames.push(reply(SAMPLE_VMS[i % SAMPLE_VMS.length]));

  // IPv4 (200): DHCP for vm4 (4), DNS queries and answers (80), pings to the VMs (40), an SSH session (60), SSDP/mDNS (16).
  const vm4 = SAMPLE_VMS[3];
  groups.push(
    (['discover', 'offer', 'request', 'ack'] as const).map((type) =>
      buildDhcpFrame({
        type,
        chaddr: vm4.mac,
        xid: 0x3903f326,
        clientId: true,
        hostname: type === 'discover' || type === 'request' ? 'vm4' : undefined,
        yiaddr: type === 'offer' || type === 'ack' ? vm4.ip : undefined,
        requestedIp: type === 'request' ? vm4.ip : undefined,
        serverId: type === 'discover' ? undefined : router.ip,
        leaseTime: type === 'offer' || type === 'ack' ? 86400 : undefined,
        subnetMask: type === 'offer' || type === 'ack' ? '255.255.255.0' : undefined,
        router: type === 'offer' || type === 'ack' ? router.ip : undefined,
        serverMac: router.mac,
        serverIp: router.ip,
      }),
    ),
  );
  const names = [
    'example.com',
    'api.github.com',
    'time.apple.com',
    'registry.npmjs.org',
    'deb.debian.org',
    'updates.example.net',
  ];
  for (let i = 0; i < 40; i++) {
    const c = pick(others.slice(1));
    const id = int(1, 65535);
    const q = buildDnsQuery({ id, questions: [{ name: pick(names), type: r() < 0.75 ? 1 : 28 }] });
    const sport = int(32768, 60999);
    const answer = new Uint8Array([
      ...q,
      ...hex('c00c 0001 0001 0000012c 0004'),
      93,
      184,
      int(0, 255),
      int(1, 254),
    ]);
    answer[2] = 0x81;
    answer[3] = 0x80;
    answer[7] = 1;
    // An A answer even for AAAA questions would be odd: answer those with no records.
    if (q[q.length - 3] === 28) answer[7] = 0;
    const body = q[q.length - 3] === 28 ? answer.subarray(0, q.length) : answer;
    groups.push([
      buildIpFrame(
        { src: c.mac, dst: router.mac },
        { src: c.ip, dst: router.ip, id: int(0, 65535) },
        { kind: 'udp', srcPort: sport, dstPort: 53, payload: q },
      ),
      buildIpFrame(
        { src: router.mac, dst: c.mac },
        { src: router.ip, dst: c.ip, id: int(0, 65535) },
        { kind: 'udp', srcPort: 53, dstPort: sport, payload: body },
      ),
    ]);
  }
  for (let i = 0; i < 20; i++) {
    const vm = SAMPLE_VMS[i % 4];
    const data = Uint8Array.from({ length: 56 }, (_, j) => j);
    groups.push([
      buildIpFrame(
        { src: laptop.mac, dst: vm.mac },
        { src: laptop.ip, dst: vm.ip },
        { kind: 'icmp', type: 8, id: 0x4d2, seq: i, payload: data },
      ),
      buildIpFrame(
        { src: vm.mac, dst: laptop.mac },
        { src: vm.ip, dst: laptop.ip },
        { kind: 'icmp', type: 0, id: 0x4d2, seq: i, payload: data },
      ),
    ]);
  }
  {
    const vm = SAMPLE_VMS[0];
    const a = { eth: { src: laptop.mac, dst: vm.mac }, ip: { src: laptop.ip, dst: vm.ip } };
    const b = { eth: { src: vm.mac, dst: laptop.mac }, ip: { src: vm.ip, dst: laptop.ip } };
    let sa = 0x1a2b3c4d;
    let sb = 0x7e6f5a4b;
    const ssh: Uint8Array[] = [];
    const seg = (
      from: typeof a,
      sp: number,
      dp: number,
      seq: number,
      ack: number,
      flags: number,
      len: number,
      options?: Uint8Array,
    ) =>
      buildIpFrame(
        from.eth,
        { ...from.ip, df: true },
        {
          kind: 'tcp',
          srcPort: sp,
          dstPort: dp,
          seq,
          ack,
          flags,
          window: 64240,
          options,
          payload: Uint8Array.from({ length: len }, () => int(0, 255)),
        },
      );
    ssh.push(
      seg(a, 52814, 22, sa, 0, 0x02, 0, hex('020405b4 0402 080a 00000000 00000000 0103 0307')),
    );
    ssh.push(
      seg(b, 22, 52814, sb, sa + 1, 0x12, 0, hex('020405b4 0402 080a 00000000 00000000 0103 0307')),
    );
    sa++;
    sb++;
    ssh.push(seg(a, 52814, 22, sa, sb, 0x10, 0));
    while (ssh.length < 60) {
      const fromA = ssh.length % 2 === 1;
      const len = int(36, 180);
      if (fromA) {
        ssh.push(seg(a, 52814, 22, sa, sb, 0x18, len));
        sa += len;
      } else {
        ssh.push(seg(b, 22, 52814, sb, sa, 0x18, len));
        sb += len;
      }
    }
    groups.push(ssh);
  }
  const tv = SAMPLE_DEVICES[4];
  const ssdp = new TextEncoder().encode(
    'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 2\r\nST: ssdp:all\r\n\r\n',
  );
  for (let i = 0; i < 8; i++)
    frames.push(
      buildIpFrame(
        { src: tv.mac, dst: '01:00:5e:7f:ff:fa' },
        { src: tv.ip, dst: '239.255.255.250', ttl: 4 },
        { kind: 'udp', srcPort: 50000 + i, dstPort: 1900, payload: ssdp },
      ),
    );
  const mdnsQ = buildDnsQuery({
    id: 0,
    rd: false,
    questions: [{ name: '_airplay._tcp.local', type: 12 }],
  });
  for (let i = 0; i < 8; i++) {
    const d = pick(others.slice(2));
    frames.push(
      buildIpFrame(
        { src: d.mac, dst: '01:00:5e:00:00:fb' },
        { src: d.ip, dst: '224.0.0.251', ttl: 255 },
        { kind: 'udp', srcPort: 5353, dstPort: 5353, payload: mdnsQ },
      ),
    );
  }

  // IPv6 (50): neighbor solicitations/advertisements (30), router solicitations/advertisements (8), mDNS (12).
  const lla = (type: number, mac: string) => new Uint8Array([type, 1, ...parseMac(mac)]);
  for (let i = 0; i < 15; i++) {
    const from = pick(SAMPLE_DEVICES);
    const to = pick(SAMPLE_DEVICES.filter((d) => d !== from));
    const t6 = parseIpv6(to.ip6);
    const solicited = `ff02::1:ff${to.ip6
      .split(':')
      .slice(-2)
      .map((g) => g.padStart(4, '0'))
      .join('')
      .slice(2, 4)}:${to.ip6.split(':').at(-1)}`;
    const smac = `33:33:ff:${to.mac.slice(9)}`;
    groups.push([
      buildIpFrame(
        { src: from.mac, dst: smac },
        { version: 6, src: from.ip6, dst: solicited, hopLimit: 255 },
        {
          kind: 'icmpv6',
          type: 135,
          body: new Uint8Array([0, 0, 0, 0, ...t6, ...lla(1, from.mac)]),
        },
      ),
      buildIpFrame(
        { src: to.mac, dst: from.mac },
        { version: 6, src: to.ip6, dst: from.ip6, hopLimit: 255 },
        {
          kind: 'icmpv6',
          type: 136,
          body: new Uint8Array([0x60, 0, 0, 0, ...t6, ...lla(2, to.mac)]),
        },
      ),
    ]);
  }
  for (let i = 0; i < 4; i++) {
    const d = pick(others.slice(1));
    groups.push([
      buildIpFrame(
        { src: d.mac, dst: '33:33:00:00:00:02' },
        { version: 6, src: d.ip6, dst: 'ff02::2', hopLimit: 255 },
        { kind: 'icmpv6', type: 133, body: new Uint8Array([0, 0, 0, 0, ...lla(1, d.mac)]) },
      ),
      buildIpFrame(
        { src: router.mac, dst: '33:33:00:00:00:01' },
        { version: 6, src: router.ip6, dst: 'ff02::1', hopLimit: 255 },
        {
          kind: 'icmpv6',
          type: 134,
          body: new Uint8Array([
            64,
            0,
            0x07,
            0x08,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            ...lla(1, router.mac),
            3,
            4,
            64,
            0xc0,
            0,
            0x27,
            0x8d,
            0,
            0,
            0,
            0x38,
            0x40,
            0,
            0,
            0,
            0,
            ...parseIpv6('fd00:1234:5678::'),
          ]),
        },
      ),
    ]);
  }
  for (let i = 0; i < 12; i++) {
    const d = pick(others.slice(2));
    frames.push(
      buildIpFrame(
        { src: d.mac, dst: '33:33:00:00:00:fb' },
        { version: 6, src: d.ip6, dst: 'ff02::fb', hopLimit: 255 },
        { kind: 'udp', srcPort: 5353, dstPort: 5353, payload: mdnsQ },
      ),
    );
  }

  // Other ethertypes (350): STP BPDUs over 802.2 LLC (150), LLDP (50), IEEE 1905.1 from a mesh Wi-Fi (100), HomePlug AV (50).
  const bridge = '00:1b:21:3a:4f:10';
  const bpdu = hex(
    '0000 00 00 00 8000c4ad34120e01 00000000 8000001b213a4f10 8001 0000 1400 0200 0f00',
  );
  for (let i = 0; i < 150; i++) {
    const llc = new Uint8Array([0x42, 0x42, 0x03, ...bpdu]);
    const f = buildEthernet(
      { dst: '01:80:c2:00:00:00', src: bridge, ethertype: llc.length, padTo: 60 },
      llc,
    );
    frames.push(f);
  }
  const lldp = hex('0207 04 c4ad34120e01 0403 07 7031 0602 0078 0000');
  for (let i = 0; i < 50; i++)
    frames.push(
      buildEthernet(
        { dst: '01:80:c2:00:00:0e', src: router.mac, ethertype: 0x88cc, padTo: 60 },
        lldp,
      ),
    );
  for (let i = 0; i < 100; i++) {
    const msg = new Uint8Array([0, 0, 0, 0, (i >> 8) & 0xff, i & 0xff, 0, 0x80, 0, 0, 0]);
    frames.push(
      buildEthernet(
        { dst: '01:80:c2:00:00:13', src: router.mac, ethertype: 0x893a, padTo: 60 },
        msg,
      ),
    );
  }
  for (let i = 0; i < 50; i++)
    frames.push(
      buildEthernet(
        { dst: '00:b0:52:00:00:01', src: SAMPLE_DEVICES[6].mac, ethertype: 0x88e1, padTo: 60 },
        hex('01 00a0 00b052 00000000'),
      ),
    );

  // Shuffle single frames and groups (Fisher-Yates), then spread them over the span in order.
  const units: Uint8Array[][] = [...frames.map((f) => [f]), ...groups];
  for (let i = units.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [units[i], units[j]] = [units[j], units[i]];
  }
  const ordered = units.flat();
  const times = ordered.map(() => Math.floor(r() * SAMPLE_SPAN_NS)).sort((x, y) => x - y);
  const start = BigInt(SAMPLE_START_S) * 1_000_000_000n;
  // Microsecond resolution (the file is a classic µs pcap), strictly increasing.
  let last = -1;
  return ordered.map((data, i) => {
    let us = Math.floor(times[i] / 1000);
    if (us <= last) us = last + 1;
    last = us;
    return { timestampNs: start + BigInt(us) * 1000n, data };
  });
}

/** The whole capture file's bytes. */
export function generateSamplePcap(seed?: number): Uint8Array {
  const w = new PcapWriter({ linktype: 1, snaplen: 262144 });
  const parts = [w.header(), ...generateSampleFrames(seed).map((r) => w.write(r))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = fileURLToPath(new URL('../data/sample-home-lan.pcap', import.meta.url));
  const bytes = generateSamplePcap();
  writeFileSync(path, bytes);
  console.log(`wrote ${path}: ${bytes.length} bytes`);
}
