// ICMP for IPv4 (RFC 792): type, code, and the echo identifier/sequence.
import { formatIpv4 } from './addr.js';
import { type LayerBase, u16 } from './layer.js';
import { type Printer, type Tok, tok2str } from './printer.js';

export interface IcmpLayer extends LayerBase {
  kind: 'icmp';
  type: number;
  code: number;
  checksum: number;
  /** Echo, timestamp and information messages carry an identifier and sequence number. */
  id?: number;
  seq?: number;
  /** Redirect gateway (type 5). */
  gateway?: string;
  /** Error messages (unreachable, time exceeded, redirect): the start of the offending datagram, if present. */
  inner?: { src: string; dst: string; protocol: number; srcPort?: number; dstPort?: number };
}

export const ICMP_TYPE = {
  ECHO_REPLY: 0,
  UNREACH: 3,
  REDIRECT: 5,
  ECHO: 8,
  TIME_EXCEEDED: 11,
} as const;

/** Decodes the 8-byte ICMP header at `off`. */
export function decodeIcmp(b: Uint8Array, off = 0): IcmpLayer {
  const avail = Math.max(0, b.length - off);
  const type = b[off] ?? 0;
  const layer: IcmpLayer = {
    kind: 'icmp',
    offset: off,
    headerLength: Math.min(8, avail),
    truncated: avail < 8,
    type,
    code: b[off + 1] ?? 0,
    checksum: u16(b, off + 2),
  };
  if (avail >= 8 && [0, 8, 13, 14, 15, 16].includes(type)) {
    layer.id = u16(b, off + 4);
    layer.seq = u16(b, off + 6);
  }
  if (avail >= 8 && type === 5)
    layer.gateway = `${b[off + 4]}.${b[off + 5]}.${b[off + 6]}.${b[off + 7]}`;
  if (avail >= 28 && (type === 3 || type === 5 || type === 11 || type === 12)) {
    const ip = off + 8;
    const ihl = (b[ip] & 0x0f) * 4;
    const protocol = b[ip + 9];
    layer.inner = { src: formatIpv4(b, ip + 12), dst: formatIpv4(b, ip + 16), protocol };
    if ((protocol === 6 || protocol === 17) && ihl >= 20 && avail >= 8 + ihl + 4) {
      layer.inner.srcPort = u16(b, ip + ihl);
      layer.inner.dstPort = u16(b, ip + ihl + 2);
    }
  }
  return layer;
}

// ---- Printing, as tcpdump's print-icmp.c without -v ----

const ICMP_NAMES: Tok = new Map([
  [0, 'echo reply'],
  [4, 'source quench'],
  [8, 'echo request'],
  [10, 'router solicitation'],
  [13, 'time stamp request'],
  [14, 'time stamp reply'],
  [15, 'information request'],
  [16, 'information reply'],
  [17, 'address mask request'],
]);

/** Unreachable codes 5..15 after the address: `<dst> unreachable - <why>` or `net|host <dst> ...`. */
const UNREACH: ReadonlyArray<[string, string]> = [
  ['', 'source route failed'],
  ['net ', 'unknown'],
  ['host ', 'unknown'],
  ['', 'source host isolated'],
  ['net ', 'admin prohibited'],
  ['host ', 'admin prohibited'],
  ['net ', 'tos prohibited'],
  ['host ', 'tos prohibited'],
  ['host ', 'admin prohibited filter'],
  ['host ', 'host precedence violation'],
  ['host ', 'precedence cutoff'],
];

function tstampText(t: number): string {
  const msec = t % 1000;
  let sec = Math.floor(t / 1000);
  let min = Math.floor(sec / 60);
  sec -= min * 60;
  const hrs = Math.floor(min / 60);
  min -= hrs * 60;
  const d2 = (n: number) => String(n).padStart(2, '0');
  return `${d2(hrs)}:${d2(min)}:${d2(sec)}.${String(msec).padStart(3, '0')}`;
}

/** icmp_print: an ICMP message at `o` of `plen` bytes. */
export function printIcmp(
  p: Printer,
  o: number,
  plen: number,
  _ip: number,
  _fragmented: boolean,
): void {
  p.protocol = 'icmp';
  const type = p.u8(o);
  const code = p.u8(o + 1);
  const ipDst = () => p.ip4(o + 24);
  let s: string;
  switch (type) {
    case 8:
    case 0:
      s = `echo ${type === 8 ? 'request' : 'reply'}, id ${p.u16(o + 4)}, seq ${p.u16(o + 6)}`;
      break;
    case 3:
      switch (code) {
        case 0:
          s = `net ${ipDst()} unreachable`;
          break;
        case 1:
          s = `host ${ipDst()} unreachable`;
          break;
        case 2:
          s = `${ipDst()} protocol ${p.u8(o + 17)} unreachable`;
          break;
        case 3: {
          if (!p.has(o + 17, 1)) {
            p.trunc();
            return;
          }
          const hlen = (p.u8(o + 8) & 0x0f) * 4;
          const dport = p.u16(o + 8 + hlen + 2);
          const proto = p.u8(o + 17);
          if (proto === 6) s = `${ipDst()} tcp port ${dport} unreachable`;
          else if (proto === 17) s = `${ipDst()} udp port ${dport} unreachable`;
          else s = `${ipDst()} protocol ${proto} port ${dport} unreachable`;
          break;
        }
        case 4: {
          const mtu = p.u16(o + 6);
          s = mtu
            ? `${ipDst()} unreachable - need to frag (mtu ${mtu})`
            : `${ipDst()} unreachable - need to frag`;
          break;
        }
        default:
          if (code >= 5 && code <= 15) {
            const [pre, why] = UNREACH[code - 5];
            s = `${pre}${ipDst()} unreachable - ${why}`;
          } else s = `${ipDst()} unreachable - #${code}`;
      }
      break;
    case 5: {
      const dst = ipDst();
      const gw = p.ip4(o + 4);
      s =
        code === 0
          ? `redirect ${dst} to net ${gw}`
          : code === 1
            ? `redirect ${dst} to host ${gw}`
            : code === 2
              ? `redirect-tos ${dst} to net ${gw}`
              : code === 3
                ? `redirect-tos ${dst} to host ${gw}`
                : `redirect-#${code} ${dst} to ${gw}`;
      break;
    }
    case 9: {
      s = 'router advertisement';
      if (!p.has(o + 4, 4)) {
        p.trunc();
        return;
      }
      s += ' lifetime ';
      const lt = p.u16(o + 6);
      const d2 = (n: number) => String(n).padStart(2, '0');
      if (lt < 60) s += String(lt);
      else if (lt < 3600) s += `${Math.floor(lt / 60)}:${d2(lt % 60)}`;
      else s += `${Math.floor(lt / 3600)}:${d2(Math.floor((lt % 3600) / 60))}:${d2(lt % 60)}`;
      let num = p.u8(o + 4);
      s += ` ${num}:`;
      const size = p.u8(o + 5);
      if (size !== 2) {
        s += ` [size ${size}]`;
        break;
      }
      let q = o + 8;
      while (num > 0) {
        if (!p.has(q, 8)) {
          p.trunc();
          return;
        }
        s += ` {${p.ip4(q)} ${p.u32(q + 4)}}`;
        q += 8;
        num--;
      }
      break;
    }
    case 11:
      if (!p.has(o + 24, 4)) {
        p.trunc();
        return;
      }
      s =
        code === 0
          ? 'time exceeded in-transit'
          : code === 1
            ? 'ip reassembly time exceeded'
            : `time exceeded-#${code}`;
      break;
    case 12:
      s = code ? `parameter problem - code ${code}` : `parameter problem - octet ${p.u8(o + 4)}`;
      break;
    case 18:
      s = `address mask is 0x${p
        .u32(o + 8)
        .toString(16)
        .padStart(8, '0')}`;
      break;
    case 13:
      s = `time stamp query id ${p.u16(o + 4)} seq ${p.u16(o + 6)}`;
      break;
    case 14:
      if (!p.has(o + 16, 4)) {
        p.trunc();
        return;
      }
      s = `time stamp reply id ${p.u16(o + 4)} seq ${p.u16(o + 6)}: org ${tstampText(p.u32(o + 8))}`;
      s += `, recv ${tstampText(p.u32(o + 12))}`;
      s += `, xmit ${tstampText(p.u32(o + 16))}`;
      break;
    default:
      s = tok2str(ICMP_NAMES, 'type-#%u', type);
  }
  p.print(`ICMP ${s}, length ${plen}`);
}
