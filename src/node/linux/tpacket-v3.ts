// PACKET_MMAP TPACKET_V3 layouts, ring geometry and block parsing (FFI-free, so tested with byte fixtures).
// Offsets from <linux/if_packet.h>, checked with offsetof() on x86_64. aarch64 has the same layout (all
// fields fixed-width, seq_num explicitly aligned(8), little-endian); only its page size may be 16 or
// 64 KiB, and blocks must be a multiple of it, so geometry takes the page size as a parameter.
import { CbpfError } from '../../core/errors.js';
import type { RingErrorCode } from '../errors.js';

export const SOL_PACKET = 263;
export const PACKET_RX_RING = 5;
export const PACKET_VERSION = 10;
export const TPACKET_V3 = 2;
export const TP_STATUS_KERNEL = 0;
export const TP_STATUS_USER = 1;
export const TP_STATUS_VLAN_VALID = 1 << 4;
export const TP_STATUS_VLAN_TPID_VALID = 1 << 6;
export const TPACKET_ALIGNMENT = 16;
export const tpacketAlign = (x: number) => (x + TPACKET_ALIGNMENT - 1) & ~(TPACKET_ALIGNMENT - 1);

/** struct tpacket_block_desc: version, offset_to_priv, then tpacket_hdr_v1 (48 bytes). */
export const BLOCK = {
  version: 0,
  offsetToPriv: 4,
  blockStatus: 8,
  numPkts: 12,
  offsetToFirstPkt: 16,
  blkLen: 20,
  seqNum: 24,
  tsFirstPkt: 32,
  tsLastPkt: 40,
  size: 48,
} as const;

/** struct tpacket3_hdr (48 bytes) with its tpacket_hdr_variant1. */
export const FRAME = {
  nextOffset: 0,
  sec: 4,
  nsec: 8,
  snaplen: 12,
  len: 16,
  status: 20,
  mac: 24,
  net: 26,
  rxhash: 28,
  vlanTci: 32,
  vlanTpid: 36,
  size: 48,
} as const;

/** TPACKET3_HDRLEN: TPACKET_ALIGN(sizeof tpacket3_hdr) + sizeof sockaddr_ll. */
export const TPACKET3_HDRLEN = tpacketAlign(FRAME.size) + 20;

/** struct tpacket_req3 (seven unsigned ints). */
export interface TpacketReq3 {
  blockSize: number;
  blockNr: number;
  frameSize: number;
  frameNr: number;
  /** Milliseconds before the kernel hands over a partly filled block (0: it picks, ~8 ms). */
  retireBlkTov: number;
}

/** The 28 bytes setsockopt(PACKET_RX_RING) takes. */
export function encodeTpacketReq3(r: TpacketReq3): Uint8Array {
  const b = new Uint8Array(28);
  const dv = new DataView(b.buffer);
  const fields = [r.blockSize, r.blockNr, r.frameSize, r.frameNr, r.retireBlkTov, 0, 0];
  for (const [i, v] of fields.entries()) dv.setUint32(i * 4, v >>> 0, true);
  return b;
}

/** A ring block that contradicts itself, or a bad geometry input; `code` RING_*. */
export class RingError extends CbpfError<RingErrorCode> {}

const MIN_BLOCK = 128 << 10; // fewer, larger blocks: one hand-over per ~800 small frames
const MAX_FRAME = 65_536; // GSO frames on lo/veth reach 64 KiB; longer ones are cut to the block

/**
 * Ring geometry for a snap length and total size: blocks are powers of two, multiples of the page,
 * large enough for one maximal frame plus headers, and at least 4 of them.
 */
export function ringGeometry(
  snaplen: number,
  bufferSize: number,
  pageSize: number,
  retireBlkTov = 8,
): TpacketReq3 {
  if (!(pageSize > 0) || (pageSize & (pageSize - 1)) !== 0)
    throw new RingError('RING_BAD_PAGE', `page size ${pageSize} is not a power of two`);
  const need = BLOCK.size + tpacketAlign(TPACKET3_HDRLEN + 16) + Math.min(snaplen, MAX_FRAME);
  let blockSize = Math.max(pageSize, MIN_BLOCK);
  while (blockSize < need) blockSize *= 2;
  const blockNr = Math.max(4, Math.floor(bufferSize / blockSize));
  const frameSize = Math.min(blockSize, 2048);
  return {
    blockSize,
    blockNr,
    frameSize,
    frameNr: (blockSize / frameSize) * blockNr,
    retireBlkTov,
  };
}

/** One frame of a block, shaped like CapturedFrame. */
export interface RingFrame {
  /** Kernel receive time, milliseconds since the epoch (with the nanoseconds as a fraction). */
  readonly timestamp: number;
  /**
   * The captured bytes (VLAN tag put back when the kernel had stripped it, as libpcap): a view into
   * the block's copy, which nothing reuses or overwrites. One allocation per block instead of per
   * frame more than halves the CPU per frame; a frame kept for long keeps its block (<= 128 KiB)
   * alive, so slice() the few you keep.
   */
  readonly data: Uint8Array;
  /** tp_len: the frame's length on the wire, before any snap length or filter truncation. */
  readonly wireLength: number;
  readonly interface: string;
}

/**
 * Appends the frames of one retired block (a copy of its first blk_len bytes, which the frames then
 * view) to `out`, each cut to `snaplen`. Throws RingError when a header points outside the block.
 */
export function parseBlock(
  block: Uint8Array,
  iface: string,
  snaplen: number,
  out: RingFrame[],
): void {
  const dv = new DataView(block.buffer, block.byteOffset, block.byteLength);
  if (block.length < BLOCK.size)
    throw new RingError('RING_BAD_BLOCK', `block of ${block.length} bytes has no header`);
  const n = dv.getUint32(BLOCK.numPkts, true);
  let off = dv.getUint32(BLOCK.offsetToFirstPkt, true);
  for (let i = 0; i < n; i++) {
    if (off + FRAME.size > block.length)
      throw new RingError(
        'RING_BAD_BLOCK',
        `frame ${i} header at ${off} runs past ${block.length}`,
      );
    const caplen = dv.getUint32(off + FRAME.snaplen, true);
    const mac = dv.getUint16(off + FRAME.mac, true);
    if (off + mac + caplen > block.length)
      throw new RingError(
        'RING_BAD_BLOCK',
        `frame ${i} data at ${off + mac} runs past ${block.length}`,
      );
    const status = dv.getUint32(off + FRAME.status, true);
    let wire = dv.getUint32(off + FRAME.len, true);
    const start = off + mac;
    let data: Uint8Array;
    // The kernel strips an offloaded 802.1Q tag; put it back after the two MAC addresses (libpcap's
    // pcap-linux.c does the same) so the bytes match the wire.
    if (status & TP_STATUS_VLAN_VALID && caplen >= 12) {
      const tpid =
        status & TP_STATUS_VLAN_TPID_VALID ? dv.getUint16(off + FRAME.vlanTpid, true) : 0x8100;
      const tci = dv.getUint32(off + FRAME.vlanTci, true) & 0xffff;
      const keep = Math.min(caplen + 4, snaplen);
      data = new Uint8Array(keep);
      data.set(block.subarray(start, start + Math.min(12, keep)));
      const tag = [tpid >> 8, tpid & 0xff, tci >> 8, tci & 0xff];
      for (let k = 0; k < 4 && 12 + k < keep; k++) data[12 + k] = tag[k];
      if (keep > 16) data.set(block.subarray(start + 12, start + keep - 4), 16);
      wire += 4;
    } else {
      data = block.subarray(start, start + Math.min(caplen, snaplen));
    }
    out.push({
      timestamp:
        dv.getUint32(off + FRAME.sec, true) * 1000 + dv.getUint32(off + FRAME.nsec, true) / 1e6,
      data,
      wireLength: wire,
      interface: iface,
    });
    const next = dv.getUint32(off + FRAME.nextOffset, true);
    if (next === 0) break;
    off += next;
  }
}
