// TCP header (RFC 9293): flags and options (MSS, window scale, SACK, timestamps, others kept raw).

import { printBeep } from './beep.js';
import { printDomain } from './dns.js';
import { type LayerBase, u16, u32 } from './layer.js';
import { printLdp } from './ldp.js';
import { printMsdp } from './msdp.js';
import { printOpenflow } from './openflow.js';
import { printPptp } from './pptp.js';
import { bittok2str, type Printer, type Tok } from './printer.js';
import { printResp } from './resp.js';
import { printSsh } from './ssh.js';
import { printTcpOptions } from './tcp-options.js';
import { tcpSeqLookup } from './tcp-seq.js';
import { printTelnet } from './telnet.js';
import { printFtp, printHttp, printRtsp, printSmtp, printWhois } from './txtproto.js';

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

// ---- Printing, as tcpdump's print-tcp.c without -v ----

const FLAG_CHARS: Tok = new Map([
  [0x01, 'F'],
  [0x02, 'S'],
  [0x04, 'R'],
  [0x08, 'P'],
  [0x10, '.'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
]);

/** tcp_print: a TCP segment at `o`, `length` bytes, in the IP datagram whose header is at `ip`. */
export function printTcp(
  p: Printer,
  o: number,
  length: number,
  ip: number,
  _fragmented: boolean,
): void {
  p.protocol = 'tcp';
  const v6 = p.u8(ip) >> 4 === 6;
  const srcAddr = () => (v6 ? p.ip6(ip + 8) : p.ip4(ip + 12));
  const dstAddr = () => (v6 ? p.ip6(ip + 24) : p.ip4(ip + 16));
  if (!p.has(o + 2, 2)) {
    p.print(`${srcAddr()} > ${dstAddr()}:`);
    p.trunc();
    return;
  }
  const sport = p.u16(o);
  const dport = p.u16(o + 2);
  const direct = v6 ? p.u8(ip + 6) === 6 : p.u8(ip + 9) === 6;
  if (direct) p.print(`${srcAddr()}.${sport} > ${dstAddr()}.${dport}: `);
  else p.print(`${sport} > ${dport}: `);
  if (!p.has(o, 20)) {
    p.trunc();
    return;
  }
  const hlen = (p.u8(o + 12) >> 4) * 4;
  if (hlen < 20) {
    p.print(` tcp ${(length - hlen) >>> 0} [bad hdr length ${hlen} - too short, < 20]`);
    return;
  }
  let seq = p.u32(o + 4);
  let ack = p.u32(o + 8);
  const win = p.u16(o + 14);
  const urp = p.u16(o + 18);
  const flags = p.u8(o + 13);
  if (p.qflag) {
    p.print(`tcp ${(length - hlen) >>> 0}`);
    if (hlen > length) p.print(` [bad hdr length ${hlen} - too long, > ${length}]`);
    return;
  }
  p.print(`Flags [${bittok2str(FLAG_CHARS, 'none', flags, '')}]`);
  let base = { rev: false, thseq: 0, thack: 0 };
  if (p.tcpSeq && flags & 0x10) {
    const addrLen = v6 ? 16 : 4;
    const sa = ip + (v6 ? 8 : 12);
    const da = ip + (v6 ? 24 : 16);
    p.need(sa, addrLen);
    p.need(da, addrLen);
    const r = tcpSeqLookup(
      p.tcpSeq,
      p.b.subarray(sa, sa + addrLen),
      p.b.subarray(da, da + addrLen),
      sport,
      dport,
      (flags & 0x02) !== 0,
      seq,
      ack,
    );
    seq = r.seq;
    ack = r.ack;
    base = r;
  }
  if (hlen > length) {
    p.print(` [bad hdr length ${hlen} - too long, > ${length}]`);
    return;
  }
  length -= hlen;
  if (length > 0 || flags & 0x07) {
    p.print(`, seq ${seq}`);
    if (length > 0) p.print(`:${(seq + length) >>> 0}`);
  }
  if (flags & 0x10) p.print(`, ack ${ack}`);
  p.print(`, win ${win}`);
  if (flags & 0x20) p.print(`, urg ${urp}`);
  if (hlen > 20) {
    const r = printTcpOptions(p, o + 20, hlen - 20, flags, base, o + hlen + length);
    if (r.end === 'bad') {
      p.print('[bad opt]');
      if (r.sep) p.print(']');
      return;
    }
    if (r.end === 'trunc') {
      p.trunc();
      if (r.sep) p.print('>');
      return;
    }
  }
  p.print(`, length ${length}`);
  if (length === 0) return;
  const headerLen = (p.u8(o + 12) >> 4) * 4;
  if (!p.has(o, headerLen)) {
    p.print(` [remaining caplen(${p.avail(o)}) < header length(${headerLen})]`);
    p.stop();
  }
  printTcpApp(p, o + headerLen, length, sport, dport, ip);
}

/** The application printers tcp_print hands a segment's payload to, by port, in its order. */
function printTcpApp(
  p: Printer,
  o: number,
  length: number,
  sport: number,
  dport: number,
  _ip: number,
): void {
  const is = (port: number) => sport === port || dport === port;
  if (is(23)) printTelnet(p, o, length);
  else if (is(25)) {
    p.print(': ');
    printSmtp(p, o, length);
  } else if (is(43)) {
    p.print(': ');
    printWhois(p, o, length);
  } else if (is(179)) {
    p.protocol = 'bgp';
    p.print(': BGP');
  } else if (is(1723)) printPptp(p, o);
  else if (is(6379)) printResp(p, o, length);
  else if (is(22)) printSsh(p, o, length);
  else if (is(10288)) printBeep(p, o, length);
  else if (is(6633) || is(6653)) printOpenflow(p, o, length);
  else if (is(21)) {
    p.print(': ');
    printFtp(p, o, length);
  } else if (is(80) || is(8080)) {
    p.print(': ');
    printHttp(p, o, length);
  } else if (is(554) || is(8554)) {
    p.print(': ');
    printRtsp(p, o, length);
  } else if (is(53)) printDomain(p, o, length, true, false);
  else if (is(639)) printMsdp(p, o, length);
  else if (is(323)) {
    // rpki_rtr_print decodes the PDUs only with -v.
    p.protocol = 'rpki_rtr';
    p.print(', RPKI-RTR');
  } else if (is(646)) printLdp(p, o, length);
}
