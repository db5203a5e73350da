// PACKET_MMAP TPACKET_V3 layouts, ring geometry and block parsing (FFI-free, so tested with byte fixtures).
// Offsets from <linux/if_packet.h>, checked with offsetof() on x86_64. aarch64 has the same layout (all
// fields fixed-width, seq_num explicitly aligned(8), little-endian); only its page size may be 16 or
// 64 KiB, and blocks must be a multiple of it, so geometry takes the page size as a parameter.
import { CbpfError } from '../../core/errors.js';
import type { CaptureBatch } from '../capture-batch.js';
import type { RingErrorCode } from '../errors.js';

export const SOL_PACKET = 263;
export const PACKET_RX_RING = 5;
export const PACKET_VERSION = 10;
export const PACKET_RESERVE = 12;
/**
 * Bytes the kernel leaves free before each frame's data (PACKET_RESERVE): room to write a pcap record
 * header there, so `-w` hands the ring's spans to writev() without a copy (16 bytes, and 4 more for a
 * VLAN tag put back; a cooked header has its own 16 bytes of room).
 */
export const RING_RESERVE = 16;
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

const MIN_BLOCK = 256 << 10; // as libpcap's TPACKET_V3 blocks: one hand-over per ~1,600 small frames
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
  const need =
    BLOCK.size + tpacketAlign(TPACKET3_HDRLEN + 16) + RING_RESERVE + Math.min(snaplen, MAX_FRAME);
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

/** How readBlock() turns the kernel's frames into the captured ones. */
export interface BlockReading {
  /** The cooked header to build in front of each frame of a SOCK_DGRAM socket, if any. */
  readonly cooked: 'sll' | 'sll2' | undefined;
  /** Put a tag the kernel took out back after the MAC addresses (EN10MB on a SOCK_RAW socket). */
  readonly ethernetVlan: boolean;
  readonly snaplen: number;
  /** The loopback interface's index: its outgoing copies are dropped (each also comes back in). */
  readonly loopback: number;
  /** Which directions to keep (-Q). */
  readonly direction: 'in' | 'out' | 'inout';
}

const SLL_HDR_LEN = 16;
const SLL2_HDR_LEN = 20;
const VLAN_TAG_LEN = 4;
const PACKET_OUTGOING = 4;
/** The frame header's sockaddr_ll: at TPACKET_ALIGN(sizeof(struct tpacket3_hdr)). */
const SLL_AT = tpacketAlign(FRAME.size);
const SLL_END = SLL_AT + 20;

/**
 * Reads the block at `at` of a mapped ring (`bytes`, and `words` over the same memory) into `batch`,
 * in place: a tag the kernel stripped is put back by moving the MAC addresses 4 bytes down, a cooked
 * header is built in the room the kernel leaves before each frame (as libpcap does), so every frame is
 * contiguous in the ring and nothing is copied. Frames that `r` drops (loopback's outgoing copies,
 * the other direction) are left out. Returns how many frames the block held. Throws RingError when a
 * header points outside the block.
 */
export function readBlock(
  bytes: Uint8Array,
  words: Int32Array,
  at: number,
  size: number,
  r: BlockReading,
  batch: CaptureBatch,
): number {
  const n = words[(at + BLOCK.numPkts) >> 2] as number;
  const end = at + size;
  let off = at + (words[(at + BLOCK.offsetToFirstPkt) >> 2] as number);
  let k = 0;
  // Locals, not property loads in the loop: this runs once per captured frame.
  const cooked = r.cooked;
  const header = cooked === 'sll2' ? SLL2_HDR_LEN : cooked === 'sll' ? SLL_HDR_LEN : 0;
  const ethernetVlan = r.ethernetVlan;
  const snaplen = r.snaplen;
  const loopback = r.loopback;
  const keepIn = r.direction !== 'out';
  const keepOut = r.direction !== 'in';
  const bData = batch.data;
  const bCaplen = batch.caplen;
  const bWirelen = batch.wirelen;
  const bSec = batch.sec;
  const bNsec = batch.nsec;
  const bDirection = batch.direction;
  const bIfindex = batch.ifindex;
  const bProtocol = batch.protocol;
  const bVlan = batch.vlan;
  const bTci = batch.vlanTci;
  const bTpid = batch.vlanTpid;
  const frameSize = FRAME.size;
  const sllWords = SLL_AT >> 2;
  for (let i = 0; i < n; i++) {
    const w = off >> 2;
    if ((off & 7) !== 0 || off + frameSize > end)
      throw new RingError('RING_BAD_BLOCK', `frame ${i} header at ${off - at} runs past ${size}`);
    let caplen = words[w + 3] as number;
    const mac = (words[w + 6] as number) & 0xffff;
    let start = off + mac;
    if (caplen < 0 || mac < SLL_END || start + caplen > end)
      throw new RingError('RING_BAD_BLOCK', `frame ${i} data at ${mac} runs past ${size}`);
    const hw = words[w + sllWords + 2] as number; // hatype | pkttype << 16 | halen << 24
    const pkttype = (hw >>> 16) & 0xff;
    const ifindex = words[w + sllWords + 1] as number;
    // libpcap's linux_check_direction: loopback's outgoing copy also comes back in; -Q.
    if (pkttype === PACKET_OUTGOING ? keepOut && ifindex !== loopback : keepIn) {
      let wire = (words[w + 4] as number) >>> 0;
      const status = words[w + 5] as number;
      const sllWord = words[w + sllWords] as number; // family | protocol (network order) << 16
      const protocol = ((sllWord >>> 24) & 0xff) | ((sllWord >>> 8) & 0xff00);
      const tagged = (status & TP_STATUS_VLAN_VALID) !== 0;
      let tci = 0;
      let tpid = 0;
      if (tagged) {
        tci = (words[w + 8] as number) & 0xffff;
        tpid = status & TP_STATUS_VLAN_TPID_VALID ? (words[w + 9] as number) & 0xffff : 0x8100;
      }
      if (cooked !== undefined) {
        // The kernel leaves at least 16 bytes before a SOCK_DGRAM frame's data, past the sockaddr_ll;
        // the header (and a tag) take at most 24.
        const vlanLen = tagged ? VLAN_TAG_LEN : 0;
        const h = start - header - vlanLen;
        if (h < off + SLL_END)
          throw new RingError('RING_BAD_BLOCK', `frame ${i} has no room for its cooked header`);
        const s = off + SLL_AT;
        if (cooked === 'sll2') {
          // protocol (or the tag's TPID), reserved, ifindex, hatype, pkttype, halen, address[8]
          if (tagged) {
            bytes[h] = tpid >>> 8;
            bytes[h + 1] = tpid & 0xff;
          } else {
            bytes[h] = bytes[s + 2] as number;
            bytes[h + 1] = bytes[s + 3] as number;
          }
          bytes[h + 2] = 0;
          bytes[h + 3] = 0;
          bytes[h + 4] = ifindex >>> 24;
          bytes[h + 5] = (ifindex >>> 16) & 0xff;
          bytes[h + 6] = (ifindex >>> 8) & 0xff;
          bytes[h + 7] = ifindex & 0xff;
          bytes[h + 8] = (hw >>> 8) & 0xff;
          bytes[h + 9] = hw & 0xff;
          bytes[h + 10] = pkttype;
          bytes[h + 11] = hw >>> 24;
          for (let j = 0; j < 8; j++) bytes[h + 12 + j] = bytes[s + 12 + j] as number;
          if (tagged) {
            bytes[h + 20] = tci >>> 8;
            bytes[h + 21] = tci & 0xff;
            bytes[h + 22] = bytes[s + 2] as number;
            bytes[h + 23] = bytes[s + 3] as number;
          }
        } else {
          // pkttype, hatype, halen (each 16 bits), address[8], then (the tag and) the protocol.
          bytes[h] = 0;
          bytes[h + 1] = pkttype;
          bytes[h + 2] = (hw >>> 8) & 0xff;
          bytes[h + 3] = hw & 0xff;
          bytes[h + 4] = 0;
          bytes[h + 5] = hw >>> 24;
          for (let j = 0; j < 8; j++) bytes[h + 6 + j] = bytes[s + 12 + j] as number;
          let p = h + 14;
          if (tagged) {
            bytes[p] = tpid >>> 8;
            bytes[p + 1] = tpid & 0xff;
            bytes[p + 2] = tci >>> 8;
            bytes[p + 3] = tci & 0xff;
            p += 4;
          }
          bytes[p] = bytes[s + 2] as number;
          bytes[p + 1] = bytes[s + 3] as number;
        }
        start = h;
        caplen += header + vlanLen;
        wire += header + vlanLen;
      } else if (tagged && ethernetVlan && caplen >= 12) {
        // libpcap's VLAN reinsertion: the addresses move 4 bytes down into the room before the frame.
        if (start - VLAN_TAG_LEN < off + SLL_END)
          throw new RingError('RING_BAD_BLOCK', `frame ${i} has no room for its VLAN tag`);
        const d = start - VLAN_TAG_LEN;
        for (let j = 0; j < 12; j++) bytes[d + j] = bytes[start + j] as number;
        bytes[d + 12] = tpid >>> 8;
        bytes[d + 13] = tpid & 0xff;
        bytes[d + 14] = tci >>> 8;
        bytes[d + 15] = tci & 0xff;
        start = d;
        caplen += VLAN_TAG_LEN;
        wire += VLAN_TAG_LEN;
      }
      bData[k] = start;
      bCaplen[k] = Math.min(caplen, snaplen);
      bWirelen[k] = wire;
      bSec[k] = words[w + 1] as number;
      bNsec[k] = words[w + 2] as number;
      bDirection[k] = pkttype;
      bIfindex[k] = ifindex;
      bProtocol[k] = protocol;
      bVlan[k] = tagged ? 1 : 0;
      bTci[k] = tci;
      bTpid[k] = tpid;
      k++;
    }
    const next = words[w] as number;
    if (next === 0) break;
    off += next;
  }
  batch.n = k;
  return n;
}
