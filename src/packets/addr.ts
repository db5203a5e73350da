// Text forms of link and network addresses: MAC (aa:bb:..), IPv4 dotted quad, IPv6 as inet_ntop prints it.

/** Formats `len` bytes at `off` as lowercase colon-separated hex (a MAC for len 6), as tcpdump does. */
export function formatMac(b: Uint8Array, off = 0, len = 6): string {
  let s = '';
  for (let i = 0; i < len; i++) {
    if (i) s += ':';
    s += (b[off + i] ?? 0).toString(16).padStart(2, '0');
  }
  return s;
}

/** Parses `aa:bb:cc:dd:ee:ff` (also `-` or `.`-free 12 hex digits) into 6 bytes; throws RangeError if malformed. */
export function parseMac(text: string): Uint8Array {
  const parts =
    text.includes(':') || text.includes('-') ? text.split(/[:-]/) : (text.match(/.{1,2}/g) ?? []);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p)))
    throw new RangeError(`expected a MAC address, got ${JSON.stringify(text)}`);
  return Uint8Array.from(parts.map((p) => Number.parseInt(p, 16)));
}

/** Formats 4 bytes at `off` as a dotted quad. */
export function formatIpv4(b: Uint8Array, off = 0): string {
  return `${b[off] ?? 0}.${b[off + 1] ?? 0}.${b[off + 2] ?? 0}.${b[off + 3] ?? 0}`;
}

/** Parses a dotted quad into 4 bytes; throws RangeError if malformed. */
export function parseIpv4(text: string): Uint8Array {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    throw new RangeError(`expected an IPv4 address, got ${JSON.stringify(text)}`);
  return Uint8Array.from(parts.map(Number));
}

/**
 * Formats 16 bytes at `off` as glibc's inet_ntop does (what tcpdump prints): lowercase, the longest run
 * of two or more zero groups (the first on a tie) as `::`, and a dotted quad tail for ::a.b.c.d and
 * ::ffff:a.b.c.d.
 */
export function formatIpv6(b: Uint8Array, off = 0): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push(((b[off + 2 * i] ?? 0) << 8) | (b[off + 2 * i + 1] ?? 0));
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) s += ':';
      continue;
    }
    if (i) s += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      s += formatIpv4(b, off + 12);
      break;
    }
    s += w[i].toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) s += ':';
  return s;
}

/** Parses an IPv6 address (with `::` and an optional dotted-quad tail) into 16 bytes; throws RangeError if malformed. */
export function parseIpv6(text: string): Uint8Array {
  const bad = () => new RangeError(`expected an IPv6 address, got ${JSON.stringify(text)}`);
  let t = text;
  const lastColon = t.lastIndexOf(':');
  if (lastColon >= 0 && t.slice(lastColon + 1).includes('.')) {
    // A dotted-quad tail stands for the last two groups.
    const v4 = parseIpv4(t.slice(lastColon + 1));
    t = `${t.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = t.split('::');
  if (halves.length > 2) throw bad();
  const group = (s: string) =>
    s === ''
      ? []
      : s.split(':').map((g) => {
          if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw bad();
          return Number.parseInt(g, 16);
        });
  const head = group(halves[0]);
  const rest = halves.length === 2 ? group(halves[1]) : [];
  const words = [...head];
  const fixed = head.length + rest.length;
  if (halves.length === 2) {
    if (fixed > 7) throw bad();
    for (let i = 0; i < 8 - fixed; i++) words.push(0);
  } else if (fixed !== 8) throw bad();
  words.push(...rest);
  const out = new Uint8Array(16);
  words.forEach((x, i) => {
    out[2 * i] = x >> 8;
    out[2 * i + 1] = x & 0xff;
  });
  return out;
}

/** Formats an address of a protocol-address length: 4 → IPv4, 16 → IPv6, else hex. */
export function formatProtoAddr(b: Uint8Array, off: number, len: number): string {
  if (len === 4) return formatIpv4(b, off);
  if (len === 16) return formatIpv6(b, off);
  return formatMac(b, off, len);
}
