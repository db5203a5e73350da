// Generated frames for the link types beyond Ethernet and cooked captures: 802.11 frames of every type,
// subtype and direction behind radiotap headers of varying lengths and present flags, AVS, Prism and PPI
// headers; PPP and HDLC framings; Frame Relay NLPIDs; pflog headers; SunATM cells with LLC, LANE and
// signalling payloads; LLC/SNAP LANs (token ring, FDDI, IP over Fibre Channel, ATM); ARCnet; IPNET; Juniper
// headers; netANALYZER pseudo-headers. Each builder takes the generator and a source of IP packets.

/** Makes one frame: `r` is the seeded generator, `ip()` an IPv4 or IPv6 packet, `ether()` an Ethernet frame. */
export interface Sources {
  readonly r: () => number;
  readonly ip: () => Uint8Array;
  readonly ether: () => Uint8Array;
}

const MACS = [
  [0x00, 0x01, 0x02, 0x03, 0x04, 0x05],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  [0x01, 0x00, 0x5e, 0x00, 0x00, 0x01],
  [0x00, 0x0d, 0x93, 0x82, 0x36, 0x3a],
  [0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc],
];

const cat = (...parts: (Uint8Array | readonly number[])[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const le16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
const le32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
const be16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const be32 = (v: number) => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];

function pickOf(r: () => number) {
  return <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
}
const bytes = (r: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(r() * 256));

/** What follows an LLC-carrying header: SNAP with an ethertype (IP mostly), or a plain SAP frame. */
export function llcPayload(s: Sources): Uint8Array {
  const { r } = s;
  const pick = pickOf(r);
  const k = r();
  if (k < 0.7) {
    const ip = s.ip();
    const type = ip[0] >> 4 === 6 ? 0x86dd : 0x0800;
    return cat(
      [
        0xaa,
        0xaa,
        0x03,
        0,
        0,
        0,
        ...be16(r() < 0.9 ? type : pick([0x0806, 0x809b, 0x8137, 0x6003, 0x8100])),
      ],
      ip,
    );
  }
  if (k < 0.8) return cat([0xaa, 0xaa, 0x03, 0x08, 0x00, 0x07, 0x80, 0x9b], bytes(r, 12));
  // A SAP frame: I, S or U control byte, then OSI or other data.
  const sap = pick([0x42, 0xfe, 0xe0, 0xf0, 0x06, 0x04]);
  const control = pick([
    0x03, 0x63, 0x43, 0x0f, 0x6f, 0xe3, 0xaf, 0x87, 0x01, 0x05, 0x09, 0x00, 0x02, 0x10,
  ]);
  return cat(
    [sap, sap, control, pick([0x81, 0x82, 0x83, 0x00]), 0x1b, 0x01, 0, 0x11],
    bytes(r, 10),
  );
}

/** An 802.11 frame of any type, subtype and direction; `pad` aligns a data frame's body to 4 bytes. */
function wlanFrame(s: Sources, pad: boolean): Uint8Array {
  const { r } = s;
  const pick = pickOf(r);
  const type = r() < 0.05 ? 3 : pick([0, 1, 2, 2, 2]);
  const subtype = Math.floor(r() * 16);
  const fc0 = (subtype << 4) | (type << 2);
  const dir = Math.floor(r() * 4);
  const fc1 = dir | (r() < 0.2 ? 0x08 : 0) | (r() < 0.1 ? 0x40 : 0);
  const addr = () => pick(MACS);
  if (type === 1) {
    // Control frames: ACK and CTS have one address, the others two; some are cut short anyway.
    const one = subtype === 0x0c || subtype === 0x0d;
    return cat([fc0, fc1, 0, 0], addr(), one ? [] : addr(), r() < 0.3 ? bytes(r, 6) : []);
  }
  const hdr = [
    fc0,
    fc1,
    0x3a,
    0x01,
    ...addr(),
    ...addr(),
    ...addr(),
    ...le16(Math.floor(r() * 65536)),
  ];
  if (type === 2 && dir === 3) hdr.push(...addr());
  if (type === 2 && subtype & 0x08) hdr.push(Math.floor(r() * 8), 0);
  if (type === 0) return cat(hdr, bytes(r, 12 + Math.floor(r() * 20)));
  while (pad && hdr.length % 4) hdr.push(0);
  // Null data subtypes (bit 0x40) carry no body.
  return cat(hdr, subtype & 0x04 ? [] : llcPayload(s));
}

/** A radiotap header: TSFT, flags (maybe with the data-pad bit), rate, channel, signal, with or without an extension word. */
function radiotap(s: Sources): { head: Uint8Array; pad: boolean } {
  const { r } = s;
  const fields: number[] = [];
  let present = 0;
  const ext = r() < 0.1;
  const at = () => 8 + (ext ? 4 : 0) + fields.length;
  const align = (n: number) => {
    while (at() % n) fields.push(0);
  };
  let pad = false;
  if (r() < 0.5) {
    present |= 1;
    align(8);
    fields.push(...bytes(r, 8));
  }
  if (r() < 0.7) {
    present |= 2;
    pad = r() < 0.4;
    fields.push((pad ? 0x20 : 0) | (r() < 0.2 ? 0x10 : 0) | (r() < 0.1 ? 0x02 : 0));
  }
  if (r() < 0.6) {
    present |= 4;
    fields.push(Math.floor(r() * 108));
  }
  if (r() < 0.6) {
    present |= 8;
    align(2);
    fields.push(...le16(2412 + 5 * Math.floor(r() * 13)), ...le16(0x00a0));
  }
  if (r() < 0.5) {
    present |= 0x20;
    fields.push(256 - Math.floor(r() * 90));
  }
  if (ext) present |= 0x80000000;
  const len = 8 + (ext ? 4 : 0) + fields.length;
  const head = cat([0, 0, ...le16(len), ...le32(present)], ext ? le32(0x20) : [], fields);
  // libpcap reads the flags where they would be with no extension word; the pad only counts then.
  return { head, pad: pad && !ext };
}

/** The AVS header (cookie 0x8021100x, big-endian length, usually 64). */
const avs = (r: () => number) => {
  const len = r() < 0.8 ? 64 : 72;
  return cat(be32(0x80211001), be32(len), bytes(r, len - 8));
};

/** The Prism header: 144 bytes starting with a message code. */
const prism = (r: () => number) => cat(le32(0x44), le32(144), bytes(r, 136));

export function ieee80211Frame(dlt: string, s: Sources): Uint8Array {
  const { r } = s;
  switch (dlt) {
    case 'IEEE802_11':
      return wlanFrame(s, false);
    case 'IEEE802_11_RADIO': {
      const { head, pad } = radiotap(s);
      return cat(head, wlanFrame(s, pad));
    }
    case 'IEEE802_11_RADIO_AVS':
      return cat(avs(r), wlanFrame(s, false));
    case 'PRISM_HEADER':
      return cat(r() < 0.5 ? prism(r) : avs(r), wlanFrame(s, false));
    default: {
      // PPI: version, flags, length, DLT (802.11 mostly), then fields.
      const extra = bytes(r, 4 * Math.floor(r() * 4));
      const linktype = r() < 0.85 ? 105 : 1;
      return cat([0, 0, ...le16(8 + extra.length), ...le32(linktype)], extra, wlanFrame(s, false));
    }
  }
}

/** PPP protocol field values libpcap's tests look for, and others. */
const PPP_PROTOS = [
  0x0021, 0x0057, 0x0021, 0x0057, 0x002d, 0x002f, 0x0281, 0x0023, 0x0029, 0x8021, 0xc021, 0x002b,
  0x0031,
];

function pppPayload(s: Sources, proto: number): Uint8Array {
  if (proto === 0x0021 || proto === 0x002d || proto === 0x002f) return s.ip();
  if (proto === 0x0057) return s.ip();
  if (proto === 0x0281) return cat([0, 0x05, 0x01, 64], s.ip());
  return cat(bytes(s.r, 20));
}

/** Frames of the serial and tunnel link types. */
export function otherFrame(dlt: string, s: Sources): Uint8Array {
  const { r } = s;
  const pick = pickOf(r);
  const ip = () => s.ip();
  switch (dlt) {
    case 'PPP':
    case 'PPP_SERIAL': {
      const proto = pick(PPP_PROTOS);
      return cat([0xff, 0x03, ...be16(proto)], pppPayload(s, proto));
    }
    case 'PPP_PPPD': {
      const proto = pick(PPP_PROTOS);
      return cat([pick([0, 1, 2]), 0x03, ...be16(proto)], pppPayload(s, proto));
    }
    case 'PPP_ETHER': {
      const proto = pick(PPP_PROTOS);
      const body = pppPayload(s, proto);
      return cat(
        [0x11, 0, ...be16(pick([1, 3, 0x1234])), ...be16(body.length + 2), ...be16(proto)],
        body,
      );
    }
    case 'PPP_BSDOS': {
      const proto = pick(PPP_PROTOS);
      return cat([pick([0, 1]), 0, 0, 0, 0, ...be16(proto)], bytes(r, 17), pppPayload(s, proto));
    }
    case 'C_HDLC': {
      const k = r();
      if (k < 0.15) return cat([0x0f, 0, 0xfe, 0xfe, 0x03, pick([0x81, 0x82, 0x83])], bytes(r, 20));
      if (k < 0.25) return cat([0x8f, 0, 0x88, 0x47, 0, 0x05, 0x01, 64], ip());
      const p = ip();
      const t = r() < 0.9 ? (p[0] >> 4 === 6 ? 0x86dd : 0x0800) : pick([0x0806, 0x8035, 0x2000]);
      return cat([pick([0x0f, 0x8f]), 0, ...be16(t)], p);
    }
    case 'FRELAY': {
      const dlci = [Math.floor(r() * 256), 0x01 | (Math.floor(r() * 16) << 4)];
      const k = r();
      if (k < 0.2) return cat(dlci, [0x03, pick([0x81, 0x82, 0x83])], bytes(r, 20));
      if (k < 0.3) return cat(dlci, [0x03, 0x80, 0, 0, 0, 0x08, 0x00], ip());
      const p = ip();
      return cat(dlci, [r() < 0.95 ? 0x03 : 0x13, p[0] >> 4 === 6 ? 0x8e : 0xcc], p);
    }
    case 'SLIP':
      return cat([pick([0, 1]), ...bytes(r, 15)], ip());
    case 'SLIP_BSDOS':
      return cat([pick([0, 1]), ...bytes(r, 23)], ip());
    case 'PFLOG': {
      // length, af, action, reason, ifname, ruleset, rule numbers, uid, pid, rule uid/pid, dir, pad.
      const p = ip();
      const af = p[0] >> 4 === 6 ? pick([10, 24, 28]) : 2;
      const len = pick([61, 64, 69]);
      const name = (t: string) => [
        ...new TextEncoder().encode(t),
        ...new Array(16 - t.length).fill(0),
      ];
      const head = [
        len,
        af,
        pick([0, 1, 2, 8]),
        pick([0, 1, 3, 14]),
        ...name(pick(['eth0', 'lo0', 'em0', 'pflog0'])),
        ...name(pick(['', 'foo', 'anchor'])),
        ...be32(pick([0, 3, 7, 0xffffffff])),
        ...be32(pick([0, 1, 0xffffffff])),
        ...bytes(r, 16),
        pick([0, 1, 2]),
        0,
        0,
        0,
      ];
      while (head.length < ((len + 3) & ~3)) head.push(0);
      return cat(head, p);
    }
    case 'IPNET': {
      const p = ip();
      return cat([1, p[0] >> 4 === 6 ? 26 : 2, ...be16(pick([1, 2])), ...bytes(r, 20)], p);
    }
    case 'ENC':
      return cat([...le32(ip()[0] >> 4 === 6 ? 24 : 2), ...bytes(r, 8)], ip());
    default:
      return cat(bytes(r, 1 + Math.floor(r() * 60)));
  }
}

/** Frames of the LANs, ATM and ARCnet. */
export function lanFrame(dlt: string, s: Sources): Uint8Array {
  const { r } = s;
  const pick = pickOf(r);
  const mac = () => pick(MACS);
  switch (dlt) {
    case 'IEEE802':
      return cat([0x10, 0x40], mac(), mac(), llcPayload(s));
    case 'FDDI':
      return cat([0x50], mac(), mac(), llcPayload(s));
    case 'IP_OVER_FC':
      return cat([0, 0], mac(), [0, 0], mac(), llcPayload(s));
    case 'ATM_RFC1483':
    case 'ATM_CLIP':
      return llcPayload(s);
    case 'SUNATM': {
      // flags/type byte (direction bit, LANE 1 / LLC 2 / other), VPI, VCI.
      const vpi = pick([0, 0, 1, 5]);
      const vci = pick([1, 2, 3, 4, 5, 16, 32, 100]);
      const kind = r();
      if (kind < 0.3)
        return cat(
          [pick([0x01, 0x81]), vpi, ...be16(vci), ...(r() < 0.2 ? [0xff, 0x00] : [0, 1])],
          s.ether(),
        );
      if (kind < 0.45)
        // Q.2931 signalling: the message type at 5.
        return cat(
          [pick([0x06, 0x86]), vpi, ...be16(vci), 0x09, 0x03, 0, 0, 1],
          [pick([0x05, 0x02, 0x07, 0x0f, 0x4d, 0x5a, 0x46])],
          bytes(r, 10),
        );
      return cat([pick([0x02, 0x82, 0x05, 0x00]), vpi, ...be16(vci)], llcPayload(s));
    }
    case 'ARCNET':
    case 'ARCNET_LINUX': {
      const p = s.ip();
      const type = pick([212, 240, 213, 241, 214, 221, 0xc4, 250, p[0] >> 4 === 6 ? 0xc4 : 212]);
      const head = [pick([0, 1, 0x0a, 0xff]), pick([0, 1, 0x0a, 0xff])];
      if (dlt === 'ARCNET_LINUX') head.push(0, 0);
      return cat(head, [type, 0, 0xff, 0xff], p);
    }
    default:
      return cat(bytes(r, 1 + Math.floor(r() * 60)));
  }
}

/** Juniper headers: the "MGC" magic (mostly), flags with the direction bit, then an IP packet at the type's offset. */
export function juniperFrame(payloadAt: number, s: Sources): Uint8Array {
  const { r } = s;
  const magic = r() < 0.9 ? [0x4d, 0x47, 0x43] : [0x4d, 0x47, 0x44];
  const head = [...magic, Math.floor(r() * 4), ...bytes(s.r, Math.max(0, payloadAt - 4))];
  return cat(head, s.ip());
}
