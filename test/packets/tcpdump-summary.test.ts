// Differential: summaries of frames on link types the corpus lacks against `tcpdump -n -t` (and `-e`).
// The corpus itself is compared line for line in summary-parity.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DLT } from '../../src/core/opcodes.js';
import { buildArpFrame, buildIpFrame, summarize } from '../../src/packets/index.js';
import { PcapWriter } from '../../src/pcap/index.js';

function tcpdumpLines(file: string, link: boolean): string[] {
  const r = spawnSync('tcpdump', ['-r', file, '-n', '-t', ...(link ? ['-e'] : [])], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.error)
    throw new Error(
      `tcpdump not runnable (${r.error.message}); install it: apt-get install -y tcpdump`,
    );
  const lines: string[] = [];
  // Continuation lines (protocol detail some printers add) start with white space; an SLL -e line starts with " In".
  for (const l of r.stdout.split('\n')) {
    if (l === '') continue;
    if (/^\s/.test(l) && lines.length > 0 && !/^ {0,2}(In|Out|B|M|P) /.test(l))
      lines[lines.length - 1] += l;
    else lines.push(l);
  }
  return lines;
}

test('link types the corpus lacks (SLL2, LOOP, NULL both orders, SLL): exact text against tcpdump', () => {
  const ip4 = buildIpFrame(
    {},
    { src: '10.0.0.1', dst: '10.0.0.2' },
    { kind: 'udp', srcPort: 1000, dstPort: 2000, payload: new Uint8Array(4) },
  ).subarray(14);
  const ip6 = buildIpFrame(
    {},
    { version: 6, src: 'fe80::1', dst: 'ff02::1' },
    { kind: 'icmpv6', id: 7, seq: 1 },
  ).subarray(14);
  const arp = buildArpFrame({
    senderMac: '52:54:00:12:34:56',
    senderIp: '10.0.0.1',
    targetIp: '10.0.0.2',
  }).subarray(14);
  const mac = [0x52, 0x54, 0, 0x12, 0x34, 0x56];
  // An interface index no host has, so tcpdump's if_indextoname fails and it prints '?' as we do.
  const sll2 = (proto: number, type: number, body: Uint8Array) =>
    Uint8Array.from([
      proto >> 8,
      proto & 255,
      0,
      0,
      0x00,
      0x0f,
      0x42,
      0x3f,
      0,
      1,
      type,
      6,
      ...mac,
      0,
      0,
      ...body,
    ]);
  const sll = (proto: number, type: number, body: Uint8Array) =>
    Uint8Array.from([0, type, 0, 1, 0, 6, ...mac, 0, 0, proto >> 8, proto & 255, ...body]);
  const cases: Array<[number, Uint8Array[]]> = [
    [DLT.LINUX_SLL2, [sll2(0x0800, 0, ip4), sll2(0x0806, 4, arp), sll2(0x86dd, 1, ip6)]],
    [DLT.LINUX_SLL, [sll(0x0800, 0, ip4), sll(0x0806, 4, arp), sll(0x86dd, 2, ip6)]],
    [
      DLT.NULL,
      [
        Uint8Array.from([2, 0, 0, 0, ...ip4]),
        Uint8Array.from([0, 0, 0, 2, ...ip4]),
        Uint8Array.from([30, 0, 0, 0, ...ip6]),
      ],
    ],
    [DLT.LOOP, [Uint8Array.from([0, 0, 0, 2, ...ip4]), Uint8Array.from([0, 0, 0, 24, ...ip6])]],
    [DLT.RAW, [ip4, ip6]],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'cbpf-link-'));
  try {
    for (const [linktype, frames] of cases) {
      const w = new PcapWriter({ linktype });
      const file = join(dir, `${linktype}.pcap`);
      writeFileSync(
        file,
        Buffer.concat(frames.map((data, i) => w.write({ timestampNs: BigInt(i) * 1000n, data }))),
      );
      for (const link of [false, true]) {
        const theirs = tcpdumpLines(file, link);
        const ours = frames.map((f) => summarize(f, linktype, { link }));
        assert.deepEqual(ours, theirs, `linktype ${linktype}${link ? ' -e' : ''}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
