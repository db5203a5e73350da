// The packets the playground filters: built-in samples (the seeds' frames), a pasted hex frame, or
// a capture file indexed in the worker. All expose one interface to the table and the step view.
import { DLT, hexToBytes } from '../../src/index.js';
import {
  buildArpFrame,
  buildDhcpFrame,
  buildDnsQuery,
  buildIpFrame,
  summarize,
} from '../../src/packets.js';

export interface PacketSet {
  readonly name: string;
  readonly count: number;
  bytes(i: number): Uint8Array;
  wirelen(i: number): number;
  linktype(i: number): number;
  summary(i: number): string;
}

// The seeds' home LAN (data/README.md): the laptop scanning for its VMs, the router, a VM.
const LAPTOP = { mac: '3c:22:fb:6a:41:d2', ip: '192.168.1.10' };
const ROUTER = { mac: 'c4:ad:34:12:0e:01', ip: '192.168.1.1' };
const VM1 = { mac: '52:54:00:a1:b2:01', ip: '192.168.1.101' };
const VM4 = { mac: '52:54:00:a1:b2:04', ip: '192.168.1.104' };
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function sampleFrames(): { name: string; bytes: Uint8Array }[] {
  return [
    {
      name: 'ARP reply',
      bytes: buildArpFrame({
        op: 'reply',
        senderMac: VM1.mac,
        senderIp: VM1.ip,
        targetMac: LAPTOP.mac,
        targetIp: LAPTOP.ip,
        padTo: 60,
      }),
    },
    {
      name: 'ARP request',
      bytes: buildArpFrame({
        op: 'request',
        senderMac: LAPTOP.mac,
        senderIp: LAPTOP.ip,
        targetIp: VM1.ip,
        padTo: 60,
      }),
    },
    {
      name: 'DHCP discover',
      bytes: buildDhcpFrame({
        type: 'discover',
        chaddr: VM4.mac,
        xid: 0x3903f326,
        clientId: true,
        hostname: 'vm4',
      }),
    },
    {
      name: 'DNS query',
      bytes: buildIpFrame(
        { src: LAPTOP.mac, dst: ROUTER.mac },
        { src: LAPTOP.ip, dst: ROUTER.ip, id: 0x1c46 },
        {
          kind: 'udp',
          srcPort: 53001,
          dstPort: 53,
          payload: buildDnsQuery({ id: 0x1a2b, questions: [{ name: 'example.com' }] }),
        },
      ),
    },
    {
      name: 'HTTP request',
      bytes: buildIpFrame(
        { src: LAPTOP.mac, dst: ROUTER.mac },
        { src: LAPTOP.ip, dst: '93.184.215.14', id: 0x2b7e, df: true },
        {
          kind: 'tcp',
          srcPort: 40312,
          dstPort: 80,
          seq: 1000,
          ack: 2000,
          flags: 0x18,
          payload: ascii('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'),
        },
      ),
    },
  ];
}

function fromFrames(name: string, frames: readonly Uint8Array[], linktype: number): PacketSet {
  const summaries = frames.map((f) => safeSummary(f, linktype, f.length));
  return {
    name,
    count: frames.length,
    bytes: (i) => frames[i],
    wirelen: (i) => frames[i].length,
    linktype: () => linktype,
    summary: (i) => summaries[i],
  };
}

export function safeSummary(frame: Uint8Array, linktype: number, wirelen: number): string {
  try {
    return summarize(frame, linktype, { wirelen });
  } catch (err) {
    return `(not decoded: ${(err as Error).message})`;
  }
}

export const SAMPLE_NAMES = sampleFrames().map((s) => s.name);

export function samplePackets(): PacketSet {
  return fromFrames(
    'samples',
    sampleFrames().map((s) => s.bytes),
    DLT.EN10MB,
  );
}

/** A pasted frame: hex digits, with whitespace, colons and `0x` prefixes allowed; one frame per blank-line-separated paragraph. */
export function hexPackets(text: string, linktype: number): PacketSet | string {
  const frames: Uint8Array[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const digits = para
      .replace(/0x/gi, '')
      .replace(/^\s*[0-9a-f]{4,8}:\s/gim, '')
      .replace(/[\s:,-]/g, '');
    if (digits === '') continue;
    const b = hexToBytes(digits);
    if (!b) return `frame ${frames.length + 1}: expected an even number of hex digits`;
    frames.push(b);
  }
  if (frames.length === 0) return 'paste a frame as hex';
  return fromFrames('pasted', frames, linktype);
}

/** A capture indexed in the worker: views into the file's bytes. */
export function capturePackets(
  name: string,
  file: Uint8Array,
  index: {
    offsets: Uint32Array;
    caplens: Uint32Array;
    wirelens: Uint32Array;
    linktypes: Uint16Array;
    summaries: string[];
  },
): PacketSet {
  return {
    name,
    count: index.offsets.length,
    bytes: (i) => file.subarray(index.offsets[i], index.offsets[i] + index.caplens[i]),
    wirelen: (i) => index.wirelens[i],
    linktype: (i) => index.linktypes[i],
    summary: (i) => index.summaries[i],
  };
}
