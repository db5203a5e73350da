// What every decoded layer has (the decoders' layers extend it), and the byte readers they share.
// The union of all layers is decode.ts's `Layer`, beside the decoder that makes them.
/** Fields every layer has. */
export interface LayerBase {
  /** Offset of the layer's first byte in the frame. */
  offset: number;
  /** Bytes of header this layer decoded (what the next layer starts after). */
  headerLength: number;
  /** True when the bytes ended before the header (or a length it declares) did. */
  truncated: boolean;
}

/** Bytes no decoder claimed (an unknown protocol or application data). */
export interface PayloadLayer extends LayerBase {
  kind: 'payload';
  /** Why decoding stopped: the protocol number/name that has no decoder, or 'data'. */
  protocol: string;
}

/** Big-endian u16 at `off`, or 0 past the end (callers check lengths first). */
export function u16(b: Uint8Array, off: number): number {
  return ((b[off] ?? 0) << 8) | (b[off + 1] ?? 0);
}

/** Big-endian u32 at `off` as an unsigned number. */
export function u32(b: Uint8Array, off: number): number {
  return (
    (((b[off] ?? 0) << 24) |
      ((b[off + 1] ?? 0) << 16) |
      ((b[off + 2] ?? 0) << 8) |
      (b[off + 3] ?? 0)) >>>
    0
  );
}
