// A queue of pushed chunks that hands out contiguous views, copying only when a request straddles chunks.

export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // index of the first live chunk (avoids O(n) shift with tiny chunks)
  private pos = 0; // read position inside chunks[head]
  private total = 0; // unread bytes
  /** Bytes consumed since the start of the stream. */
  offset = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    // Plain Uint8Array views even for subclasses (Node's Buffer), so records look the same everywhere.
    if (chunk.constructor !== Uint8Array)
      chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /**
   * The next `n` unread bytes as one array without consuming them, or undefined if fewer are queued.
   * A view when they lie in one chunk; otherwise they are merged once into a fresh chunk.
   */
  peek(n: number): Uint8Array | undefined {
    if (n > this.total) return undefined;
    const first = this.chunks[this.head];
    if (n === 0) return new Uint8Array(0);
    if (first.length - this.pos >= n) return first.subarray(this.pos, this.pos + n);
    const merged = new Uint8Array(n);
    let filled = 0;
    let i = this.head;
    let p = this.pos;
    while (filled < n) {
      const c = this.chunks[i];
      const take = Math.min(c.length - p, n - filled);
      merged.set(c.subarray(p, p + take), filled);
      filled += take;
      if (p + take === c.length) {
        i++;
        p = 0;
      } else {
        p += take;
      }
    }
    // Replace the merged span by the merged chunk (plus the rest of a partly used chunk), so a later
    // peek of the same bytes does not copy again.
    const rest: Uint8Array[] = [merged];
    if (p > 0) rest.push(this.chunks[i].subarray(p));
    const tailStart = p > 0 ? i + 1 : i;
    this.chunks = rest.concat(this.chunks.slice(tailStart));
    this.head = 0;
    this.pos = 0;
    return merged;
  }

  /** Consumes `n` bytes (n ≤ length). */
  skip(n: number): void {
    this.total -= n;
    this.offset += n;
    while (n > 0) {
      const c = this.chunks[this.head];
      const left = c.length - this.pos;
      if (n < left) {
        this.pos += n;
        return;
      }
      n -= left;
      this.head++;
      this.pos = 0;
    }
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
    if (this.total === 0) {
      this.chunks = [];
      this.head = 0;
    }
  }
}
