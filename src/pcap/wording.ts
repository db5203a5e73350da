// What is wrong with a capture, said as libpcap says it (sf-pcap.c, sf-pcapng.c), so a message
// from cbpf reads like tcpdump's for the same file. Shared by the parser and the scanner.

/** pcapng's section header block type (pcapng.ts BT_SHB; not imported, pcapng.ts imports this file). */
const BT_SHB = 0x0a0d0d0a;

export const LENGTH_MISMATCH = "block total length in header and trailer don't match";
export const NO_INTERFACES = 'the capture file has no Interface Description Blocks';

/** A block length below the block's minimum (12 bytes; a section header 28). */
export function blockTooShort(type: number, len: number): string {
  return type === BT_SHB
    ? `Section Header Block in pcapng dump file has invalid length ${len} < 28`
    : `block in pcapng dump file has a length of ${len} < 12`;
}

export function lengthNotMultipleOf4(len: number): string {
  return `block in pcapng dump file has a length of ${len} that is not a multiple of 4`;
}

/** A packet block whose fixed part or captured bytes do not fit in it. */
export function typeTooShort(type: number): string {
  return `block of type ${type} in pcapng dump file is too short`;
}

/** A record longer than the file's snap length and the reader's limit. */
export function caplenTooLarge(caplen: number, snaplen: number, limit: number): string {
  return snaplen > 0 && snaplen < caplen
    ? `invalid packet capture length ${caplen}, bigger than snaplen of ${snaplen}`
    : `invalid packet capture length ${caplen}, bigger than maximum of ${limit}`;
}

/**
 * The end of the stream inside something: `rest` bytes of it were there, `need` the bytes the
 * next header, record or block needs in all (the readers' `need`). `headerSeen`: the pcap file
 * header, or a pcapng's first section header, was read. libpcap reports a short pcap file header
 * without its magic's 4 bytes, takes a pcapng shorter than 12 bytes for another format, reads a
 * first section header's 16-byte fixed part, then its options, and any later block as an 8-byte
 * head and the rest.
 */
export function truncation(
  format: 'pcap' | 'pcapng' | undefined,
  headerSeen: boolean,
  recordHeaderLength: number,
  rest: number,
  need: number,
): string {
  const pcap = (what: string, wanted: number, got: number) =>
    `truncated dump file; tried to read ${wanted} ${what}, only got ${got}`;
  const ng = (wanted: number, got: number) =>
    `truncated pcapng dump file; tried to read ${wanted} bytes, only got ${got}`;
  if (!format || (format === 'pcap' && rest < 4 && !headerSeen))
    return pcap('file header bytes', 4, rest);
  if (format === 'pcap') {
    if (!headerSeen) return pcap('file header bytes', 24, rest - 4);
    if (rest < recordHeaderLength) return pcap('header bytes', recordHeaderLength, rest);
    return pcap('captured bytes', need - recordHeaderLength, rest - recordHeaderLength);
  }
  if (!headerSeen) {
    if (rest < 12) return 'unknown file format';
    if (rest < 28) return ng(16, rest - 12);
    return ng(need - 28, rest - 28);
  }
  if (rest < 8) return ng(8, rest);
  return ng(need - 8, rest - 8);
}
