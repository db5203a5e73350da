// The record every reader yields and every writer accepts, and the limits that keep reading bounded.

/** Nanoseconds since the epoch from whole seconds and nanoseconds (a capture's sec/nsec pair). */
export function nanoseconds(sec: number, nsec: number): bigint {
  return BigInt(sec) * 1_000_000_000n + BigInt(nsec);
}

/** One captured packet. */
export interface PcapRecord {
  /** Capture time in nanoseconds since the Unix epoch (pcapng if_tsoffset already applied). */
  timestampNs: bigint;
  /**
   * The captured bytes. When the record lies inside one pushed chunk this is a view of that chunk
   * (no copy); when it straddles chunks it is a fresh array. Pass `copy: true` to the parser for
   * always-fresh arrays (needed if the caller reuses its chunk buffers).
   */
  data: Uint8Array;
  /** Captured length (= data.length). */
  caplen: number;
  /** Length of the packet on the wire (may exceed caplen). */
  wirelen: number;
  /** LINKTYPE_* of the interface (the low 16 bits of the pcap header's link field). */
  linktype: number;
  /** pcapng interface index within its section; 0 for classic pcap. */
  interfaceId: number;
  /** Snapshot length of the file (pcap) or interface (pcapng); 0 means "not given". */
  snaplen: number;
  /** opt_comment of the packet block, if any (several are joined with "\n"). */
  comment?: string;
}

/** What a record needs to be written; the writers fill the rest with defaults. */
export interface PcapRecordInput {
  timestampNs: bigint;
  data: Uint8Array;
  /** Defaults to data.length. */
  wirelen?: number;
  /** pcapng only; defaults to 0. */
  interfaceId?: number;
  /** pcapng only. */
  comment?: string;
}

/**
 * Reading limits. libpcap refuses a record whose captured length exceeds the link type's maximum
 * snapshot length (262144 for nearly all link types); we refuse caplen > max(snaplen, minCaplenLimit),
 * and any record or block longer than maxBlockLength, so a corrupt length field can never make the
 * parser wait for (and buffer) gigabytes.
 */
export interface CaptureLimits {
  /** Caplen beyond max(snaplen, this) is an error. Default 262144 (libpcap's MAXIMUM_SNAPLEN). */
  minCaplenLimit?: number;
  /** Any single record or block longer than this is an error. Default 64 MiB. */
  maxBlockLength?: number;
}

export const DEFAULT_CAPLEN_LIMIT = 262144;

/** libpcap's largest snap length for a link type (pcap-common.c max_snaplen_for_dlt). */
export function largestSnaplen(linktype: number): number {
  // D-Bus 128 MiB, EBHSCR 8 MiB, USBPcap 1 MiB; every other link type 262144.
  return linktype === 231
    ? 2 ** 27
    : linktype === 279
      ? 2 ** 23
      : linktype === 249
        ? 2 ** 20
        : DEFAULT_CAPLEN_LIMIT;
}
export const DEFAULT_MAX_BLOCK_LENGTH = 64 * 1024 * 1024;
