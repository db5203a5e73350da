// Hex strings to bytes, as the batch protocol, `cbpf run`, `cbpf debug` and the playground take packets.

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Bytes of an even-length hex string, or undefined if it is not one. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (!HEX.test(hex)) return undefined;
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.substr(i * 2, 2), 16);
  return out;
}
