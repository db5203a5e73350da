// Linux vsock monitor frames (DLT_VSOCK), as tcpdump's print-vsock.c without -v.
import type { Printer } from './printer.js';

const TRANSPORTS = ['UNKNOWN', 'NO_INFO', 'VIRTIO'];
const OPS = ['UNKNOWN', 'CONNECT', 'DISCONNECT', 'CONTROL', 'PAYLOAD'];

function le64(p: Printer, o: number): bigint {
  return (BigInt(p.le32(o + 4)) << 32n) | BigInt(p.le32(o));
}

/** vsock_if_print. */
export function printVsock(p: Printer, _length: number, caplen: number): void {
  p.protocol = 'vsock';
  if (caplen < 32) {
    p.trunc();
    p.llHdrLen += caplen;
    return;
  }
  p.llHdrLen += 32;
  const t = p.le16(26);
  p.print(TRANSPORTS[t] ?? `Invalid transport (${t})`);
  p.print(' ');
  const op = p.le16(24);
  p.print(
    `${le64(p, 0)}.${p.le32(16)} > ${le64(p, 8)}.${p.le32(20)} ${OPS[op] ?? ` invalid op (${op})`}, length ${caplen}`,
  );
}
