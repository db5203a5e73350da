// Capture files built byte by byte, for what the writers never produce: pcapng interfaces with
// if_tsresol/if_tsoffset, malformed blocks, and classic pcaps of other versions (2.2's swapped
// length fields, 2.5, DG/UX's 543.0) or unnormalised fractions.

export const concatBytes = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const pad4 = (n: number) => (n + 3) & ~3;

/** A little-endian pcapng block: type, length, body (padded), length; `len` overrides the lengths. */
export function block(type: number, body: Uint8Array, len?: number, trailer?: number): Uint8Array {
  const total = 12 + pad4(body.length);
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, len ?? total, true);
  b.set(body, 8);
  dv.setUint32(total - 4, trailer ?? len ?? total, true);
  return b;
}

export function shb(): Uint8Array {
  const body = new Uint8Array(16);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, 0x1a2b3c4d, true);
  dv.setUint16(4, 1, true);
  dv.setBigInt64(8, -1n, true);
  return block(0x0a0d0d0a, body);
}

/** An IDB with options: [code, value bytes]. */
export function idb(
  linktype: number,
  snaplen: number,
  options: [number, Uint8Array][] = [],
): Uint8Array {
  const opts = options.map(([code, v]) => {
    const o = new Uint8Array(4 + pad4(v.length));
    const dv = new DataView(o.buffer);
    dv.setUint16(0, code, true);
    dv.setUint16(2, v.length, true);
    o.set(v, 4);
    return o;
  });
  const fixed = new Uint8Array(8);
  const dv = new DataView(fixed.buffer);
  dv.setUint16(0, linktype, true);
  dv.setUint32(4, snaplen, true);
  return block(1, concatBytes([fixed, ...opts, ...(opts.length ? [new Uint8Array(4)] : [])]));
}

export const tsresol = (v: number): [number, Uint8Array] => [9, Uint8Array.of(v)];
export function tsoffset(seconds: bigint): [number, Uint8Array] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, seconds, true);
  return [14, b];
}

/** An EPB on interface `id` with the 64-bit timestamp `units`. */
export function epb(id: number, units: bigint, data: Uint8Array, wire = data.length): Uint8Array {
  const fixed = new Uint8Array(20 + pad4(data.length));
  const dv = new DataView(fixed.buffer);
  dv.setUint32(0, id, true);
  dv.setUint32(4, Number(units >> 32n), true);
  dv.setUint32(8, Number(units & 0xffffffffn), true);
  dv.setUint32(12, data.length, true);
  dv.setUint32(16, wire, true);
  fixed.set(data, 20);
  return block(6, fixed);
}

/** A classic pcap header (little-endian) of version major.minor, µs or ns. */
export function pcapHeader(
  major: number,
  minor: number,
  snaplen = 65535,
  linktype = 1,
  ns = false,
): Uint8Array {
  const b = new Uint8Array(24);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, ns ? 0xa1b23c4d : 0xa1b2c3d4, true);
  dv.setUint16(4, major, true);
  dv.setUint16(6, minor, true);
  dv.setUint32(16, snaplen, true);
  dv.setUint32(20, linktype, true);
  return b;
}

/** A classic record header then data; `first`/`second` are the two length fields in file order. */
export function pcapRecord(
  sec: number,
  frac: number,
  data: Uint8Array,
  first: number,
  second: number,
): Uint8Array {
  const b = new Uint8Array(16 + data.length);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, sec, true);
  dv.setUint32(4, frac, true);
  dv.setUint32(8, first, true);
  dv.setUint32(12, second, true);
  b.set(data, 16);
  return b;
}

/** A small Ethernet/IPv4/UDP frame (60 bytes), `tag` in its last byte. */
export function udpFrame(tag: number): Uint8Array {
  const f = new Uint8Array(60);
  f.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00, 0x45, 0, 0, 46, 0, 0, 0x40, 0, 64, 17]);
  f.set([10, 0, 0, 1, 10, 0, 0, 2, 0x30, 0x39, 0, 53, 0, 26], 26);
  f[59] = tag;
  return f;
}
