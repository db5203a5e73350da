// Seeded capture files that reach the corners of the readers: byte orders, ns and Kuznetzov pcap,
// oversized and malformed records, pcapng with several interfaces and block kinds, and truncations.
import { PcapngWriter, PcapWriter } from '../../src/pcap/index.js';
import { rng } from './gen-linux-program.js';

export interface EdgeFile {
  name: string;
  bytes: Uint8Array;
}

/** An Ethernet/IPv4 TCP or UDP frame (or ARP) of 60–300 bytes with seeded ports and addresses. */
function frame(r: () => number): Uint8Array {
  const size = 60 + Math.floor(r() * 240);
  const f = new Uint8Array(size);
  for (let i = 0; i < 12; i++) f[i] = Math.floor(r() * 256);
  if (r() < 0.15) {
    f.set([0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1], 12);
    return f;
  }
  const proto = r() < 0.6 ? 6 : 17;
  f.set([0x08, 0x00, 0x45, 0, (size - 14) >> 8, (size - 14) & 255, 0, 0, 0x40, 0, 64, proto], 12);
  f.set([10, 0, 0, 1 + Math.floor(r() * 4), 10, 0, 0, 1 + Math.floor(r() * 4)], 26);
  const ports = [80, 443, 53, 22, 8080];
  const sp = ports[Math.floor(r() * ports.length)];
  const dp = ports[Math.floor(r() * ports.length)];
  f.set([sp >> 8, sp & 255, dp >> 8, dp & 255], 34);
  return f;
}

function records(seed: number, n: number) {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const data = frame(r);
    return {
      timestampNs:
        1_700_000_000_000_000_000n + BigInt(i) * 1_234_567_891n + BigInt(Math.floor(r() * 1000)),
      data,
      wirelen: data.length + (r() < 0.2 ? Math.floor(r() * 1000) : 0),
    };
  });
}

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

function pcap(
  seed: number,
  n: number,
  o: ConstructorParameters<typeof PcapWriter>[0] = {},
): Uint8Array {
  const w = new PcapWriter({ snaplen: 65535, ...o });
  return concat([w.header(), ...records(seed, n).map((r) => w.write(r))]);
}

/** Stream offset of record `i` (0-based) of a classic pcap with `hl`-byte record headers. */
function recordOffset(b: Uint8Array, i: number, le = true, hl = 16): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = 24;
  for (let k = 0; k < i; k++) p += hl + dv.getUint32(p + 8, le);
  return p;
}

function patch32(b: Uint8Array, at: number, v: number, le = true): Uint8Array {
  const c = b.slice();
  new DataView(c.buffer).setUint32(at, v, le);
  return c;
}

function pcapng(seed: number, n: number): Uint8Array {
  const w = new PcapngWriter({
    littleEndian: false,
    interfaces: [
      { linktype: 1, snaplen: 65535, nanosecond: true },
      { linktype: 1, snaplen: 128 },
    ],
    comment: 'edge',
  });
  const parts = [w.header()];
  for (const [i, r] of records(seed, n).entries())
    parts.push(
      w.write({
        ...r,
        interfaceId: i % 3 === 0 ? 1 : 0,
        comment: i % 7 === 0 ? `c${i}` : undefined,
      }),
    );
  return concat(parts);
}

/** A pcapng with an SPB, an unknown block, and a second interface of another link type (raw IPv4). */
function pcapngMixed(): Uint8Array {
  const w = new PcapngWriter({ interfaces: [{ linktype: 1, snaplen: 100 }] });
  const recs = records(7, 40);
  const parts = [w.header()];
  for (const r of recs.slice(0, 10)) parts.push(w.write(r));
  // SPB: type 3, wire length, data padded to 4.
  const d = recs[10].data;
  const spb = new Uint8Array(16 + ((d.length + 3) & ~3));
  const dv = new DataView(spb.buffer);
  dv.setUint32(0, 3, true);
  dv.setUint32(4, spb.length, true);
  dv.setUint32(8, d.length, true);
  spb.set(d, 12);
  dv.setUint32(spb.length - 4, spb.length, true);
  parts.push(spb);
  // An unknown (custom) block.
  parts.push(Uint8Array.of(0xad, 0x0b, 0, 0, 16, 0, 0, 0, 1, 2, 3, 4, 16, 0, 0, 0));
  const raw = w.addInterface({ linktype: 101, snaplen: 65535 });
  for (const [i, r] of recs.slice(11).entries())
    parts.push(w.write(i % 2 ? { ...r, data: r.data.subarray(14), interfaceId: raw } : r));
  return concat(parts);
}

/** The edge files, each small; names say what they exercise. */
export function edgeFiles(): EdgeFile[] {
  const le = pcap(1, 300);
  const out: EdgeFile[] = [
    { name: 'le-us.pcap', bytes: le },
    { name: 'be-us.pcap', bytes: pcap(2, 300, { littleEndian: false }) },
    { name: 'le-ns.pcap', bytes: pcap(3, 300, { nanosecond: true }) },
    { name: 'be-ns.pcap', bytes: pcap(4, 300, { nanosecond: true, littleEndian: false }) },
    { name: 'empty.pcap', bytes: new PcapWriter().header() },
    // Records larger than a read chunk (1 MiB): the reader's buffer must grow.
    {
      name: 'big-records.pcap',
      bytes: (() => {
        const w = new PcapWriter({ snaplen: 8 << 20 });
        const big = records(9, 6).map((r, i) => {
          const data = new Uint8Array(i % 2 ? 3 << 20 : 300 + i);
          data.set(r.data);
          return { ...r, data, wirelen: data.length };
        });
        return concat([w.header(), ...big.map((r) => w.write(r))]);
      })(),
    },
    { name: 'zero-bytes.pcap', bytes: new Uint8Array(0) },
    { name: 'bad-magic.pcap', bytes: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) },
    // snaplen 100 in the header: longer records are cut to it on reading, as libpcap does.
    { name: 'oversized.pcap', bytes: patch32(le, 16, 100) },
    // usec ≥ 10^6 carries into the seconds.
    { name: 'usec-overflow.pcap', bytes: patch32(le, recordOffset(le, 3) + 4, 2_500_000) },
    // ...and past 2^32 seconds, which the pcap writer refuses (RangeError).
    {
      name: 'usec-overflow-2106.pcap',
      bytes: patch32(
        patch32(le, recordOffset(le, 5), 0xffffffff),
        recordOffset(le, 5) + 4,
        1_000_000,
      ),
    },
    { name: 'caplen-too-large.pcap', bytes: patch32(le, recordOffset(le, 50) + 8, 300_000) },
    { name: 'le.pcapng', bytes: pcapngMixed() },
    { name: 'be.pcapng', bytes: pcapng(5, 200) },
    // A second section in the other byte order: each record is decoded under its own section.
    { name: 'two-sections.pcapng', bytes: concat([pcapngMixed(), pcapng(8, 30)]) },
    {
      name: 'bad-interface.pcapng',
      bytes: (() => {
        const b = pcapngMixed();
        // The first EPB follows the SHB (28 bytes) and the IDB (20 bytes); name interface 9.
        return patch32(b, 48 + 8, 9);
      })(),
    },
  ];
  const kuz = pcap(6, 50);
  // Kuznetzov: 24-byte record headers; rebuild the records with 8 extra bytes each.
  {
    const parts = [patch32(kuz.subarray(0, 24), 0, 0xa1b2cd34)];
    let p = 24;
    const dv = new DataView(kuz.buffer);
    while (p < kuz.length) {
      const cap = dv.getUint32(p + 8, true);
      parts.push(
        kuz.subarray(p, p + 16),
        new Uint8Array(8).fill(0xee),
        kuz.subarray(p + 16, p + 16 + cap),
      );
      p += 16 + cap;
    }
    out.push({ name: 'kuznetzov.pcap', bytes: concat(parts) });
  }
  const cut = (name: string, b: Uint8Array, at: number) =>
    out.push({ name: `${name}-cut${at}`, bytes: b.subarray(0, at) });
  for (const at of [3, 10, 24, 30, recordOffset(le, 100) + 7, le.length - 3])
    cut('le-us.pcap', le, at);
  const ng = pcapng(5, 200);
  for (const at of [8, 20, 100, ng.length - 5]) cut('be.pcapng', ng, at);
  return out;
}
