// The Internet checksum (RFC 1071) and the IPv4/IPv6 pseudo-header sums TCP, UDP and ICMPv6 cover.

/** One's-complement sum of `b[off..off+len)` as 16-bit big-endian words, folded to 16 bits, added to `initial`. */
export function onesSum(b: Uint8Array, off = 0, len = b.length - off, initial = 0): number {
  let sum = initial;
  const end = off + len;
  let i = off;
  for (; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i < end) sum += b[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The Internet checksum of the bytes (complement of the one's-complement sum). */
export function internetChecksum(
  b: Uint8Array,
  off = 0,
  len = b.length - off,
  initial = 0,
): number {
  return ~onesSum(b, off, len, initial) & 0xffff;
}

/** Pseudo-header sum for TCP/UDP/ICMPv6: addresses (4 or 16 bytes each), protocol, upper-layer length. */
export function pseudoHeaderSum(
  src: Uint8Array,
  dst: Uint8Array,
  protocol: number,
  length: number,
): number {
  let sum = onesSum(src) + onesSum(dst) + protocol + (length >>> 16) + (length & 0xffff);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}
