// Loads from a packet held as a chain of chunks, the way FreeBSD's bpf_filter walks an mbuf chain.

/**
 * Big-endian value of `size` bytes at offset `o` of the chain, or -1 if the load fails. As in
 * FreeBSD's `m_xword`/`m_xhalf`: skip whole chunks until the one holding `o`; a word or half-word
 * may continue into the next chunk only (spread over three chunks, e.g. across an empty one, fails).
 */
export function chainRead(chunks: readonly Uint8Array[], o: number, size: number): number {
  if (o < 0) return -1;
  let i = 0;
  let m = chunks[0];
  if (m === undefined) return -1;
  while (o >= m.length) {
    o -= m.length;
    i++;
    m = chunks[i];
    if (m === undefined) return -1;
  }
  if (o + size <= m.length) return readBE(m, o, size);
  const next = chunks[i + 1];
  const here = m.length - o;
  if (next === undefined || next.length < size - here) return -1;
  let v = 0;
  for (let j = 0; j < size; j++) v = v * 256 + (j < here ? m[o + j] : next[j - here]);
  return v;
}

function readBE(p: Uint8Array, o: number, size: number): number {
  if (size === 1) return p[o];
  if (size === 2) return (p[o] << 8) | p[o + 1];
  return ((p[o] << 24) | (p[o + 1] << 16) | (p[o + 2] << 8) | p[o + 3]) >>> 0;
}

/** The chunks as one buffer (no copy for a single chunk). */
export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
