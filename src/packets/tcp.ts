// TCP header (RFC 9293): flags and options (MSS, window scale, SACK, timestamps, others kept raw).
import { type LayerBase, u16, u32 } from './layer.js';

export type TcpOption =
  | { kind: 'eol' }
  | { kind: 'nop' }
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; shift: number }
  | { kind: 'sackOK' }
  | { kind: 'sack'; blocks: Array<[number, number]> }
  | { kind: 'timestamp'; value: number; echo: number }
  | { kind: 'unknown'; type: number; data: Uint8Array };

export interface TcpLayer extends LayerBase {
  kind: 'tcp';
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** Header length in bytes (data offset * 4). */
  dataOffset: number;
  /** The 8 flag bits CWR ECE URG ACK PSH RST SYN FIN (plus AE as bit 8). */
  flags: number;
  window: number;
  checksum: number;
  urgent: number;
  options: TcpOption[];
}

export const TCP_FLAG = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
  AE: 0x100,
} as const;

/** Decodes a TCP header at `off`. */
export function decodeTcp(b: Uint8Array, off = 0): TcpLayer {
  const avail = Math.max(0, b.length - off);
  const dataOffset = ((b[off + 12] ?? 0) >> 4) * 4;
  const ok = avail >= 20 && dataOffset >= 20 && avail >= dataOffset;
  const options: TcpOption[] = [];
  if (ok) {
    let i = off + 20;
    const end = off + dataOffset;
    while (i < end) {
      const t = b[i];
      if (t === 0) {
        options.push({ kind: 'eol' });
        break;
      }
      if (t === 1) {
        options.push({ kind: 'nop' });
        i++;
        continue;
      }
      const len = b[i + 1] ?? 0;
      if (len < 2 || i + len > end) break;
      if (t === 2 && len === 4) options.push({ kind: 'mss', value: u16(b, i + 2) });
      else if (t === 3 && len === 3) options.push({ kind: 'wscale', shift: b[i + 2] });
      else if (t === 4 && len === 2) options.push({ kind: 'sackOK' });
      else if (t === 5 && (len - 2) % 8 === 0) {
        const blocks: Array<[number, number]> = [];
        for (let j = i + 2; j < i + len; j += 8) blocks.push([u32(b, j), u32(b, j + 4)]);
        options.push({ kind: 'sack', blocks });
      } else if (t === 8 && len === 10)
        options.push({ kind: 'timestamp', value: u32(b, i + 2), echo: u32(b, i + 6) });
      else options.push({ kind: 'unknown', type: t, data: b.slice(i + 2, i + len) });
      i += len;
    }
  }
  return {
    kind: 'tcp',
    offset: off,
    headerLength: Math.min(Math.max(dataOffset, 20), avail),
    truncated: !ok,
    srcPort: u16(b, off),
    dstPort: u16(b, off + 2),
    seq: u32(b, off + 4),
    ack: u32(b, off + 8),
    dataOffset,
    flags: u16(b, off + 12) & 0x1ff,
    window: u16(b, off + 14),
    checksum: u16(b, off + 16),
    urgent: u16(b, off + 18),
    options,
  };
}
