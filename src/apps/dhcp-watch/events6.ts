// DHCPv6 (RFC 8415) events from captured frames: the message type, the client's DUID (and its MAC when
// the DUID carries one), the server's DUID and the IA addresses with their lifetimes. Relayed messages
// are read through their RELAY_MSG option.
import { DLT } from '../../core/opcodes.js';
import { formatIpv6, formatMac } from '../../packets/addr.js';
import { decodeFrame } from '../../packets/decode.js';

export const DHCP6_TYPES = [
  '',
  'SOLICIT',
  'ADVERTISE',
  'REQUEST',
  'CONFIRM',
  'RENEW',
  'REBIND',
  'REPLY',
  'RELEASE',
  'DECLINE',
  'RECONFIGURE',
  'INFORMATION-REQUEST',
  'RELAY-FORW',
  'RELAY-REPL',
] as const;
export type Dhcp6Type = Exclude<(typeof DHCP6_TYPES)[number], ''>;

export interface Dhcp6Address {
  readonly ip: string;
  /** Seconds; 0xffffffff is infinite. */
  readonly preferred: number;
  readonly valid: number;
}

/** One DHCPv6 message, reduced to what a lease table needs. */
export interface Dhcp6Message {
  readonly type: Dhcp6Type;
  readonly xid: number;
  readonly clientDuid?: string;
  /** From a DUID-LLT or DUID-LL of hardware type 1 (Ethernet). */
  readonly clientMac?: string;
  readonly serverDuid?: string;
  readonly addresses: Dhcp6Address[];
}

export interface Dhcp6Event extends Dhcp6Message {
  readonly family: 6;
  /** Capture time, ms since the epoch. */
  readonly time: number;
  /** IPv6 source of the frame (the relay's address for relayed messages). */
  readonly from: string;
}

const OPTION = { CLIENTID: 1, SERVERID: 2, IA_NA: 3, IA_TA: 4, IAADDR: 5, RELAY_MSG: 9 } as const;
const RELAY_FORW = 12;
const RELAY_REPL = 13;
/** Relays nest at most 32 deep (RFC 8415 HOP_COUNT_LIMIT); deeper is malformed. */
const MAX_RELAY_DEPTH = 32;

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** The MAC in a DUID: DUID-LLT (type 1) or DUID-LL (type 3) with hardware type 1. */
function duidMac(duid: Uint8Array): string | undefined {
  if (duid.length < 4 || duid[2] !== 0 || duid[3] !== 1) return undefined;
  const at = duid[1] === 1 && duid[0] === 0 ? 8 : duid[1] === 3 && duid[0] === 0 ? 4 : -1;
  return at >= 0 && at + 6 <= duid.length ? formatMac(duid, at) : undefined;
}

/**
 * Decodes a DHCPv6 message (the UDP payload), following relay wrappers to the client's message.
 * Returns undefined for anything too short or of an unknown type; never throws.
 */
export function decodeDhcp6(msg: Uint8Array, depth = 0): Dhcp6Message | undefined {
  const type = msg[0];
  if (type === RELAY_FORW || type === RELAY_REPL) {
    if (depth >= MAX_RELAY_DEPTH || msg.length < 34) return undefined;
    let inner: Dhcp6Message | undefined;
    walk(msg, 34, msg.length, (code, body) => {
      if (code === OPTION.RELAY_MSG) inner ??= decodeDhcp6(body, depth + 1);
    });
    return inner;
  }
  if (!(type >= 1 && type <= 11) || msg.length < 4) return undefined;
  let clientDuid: Uint8Array | undefined;
  let serverDuid: Uint8Array | undefined;
  const addresses: Dhcp6Address[] = [];
  const dv = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  walk(msg, 4, msg.length, (code, body, at) => {
    if (code === OPTION.CLIENTID) clientDuid ??= body;
    else if (code === OPTION.SERVERID) serverDuid ??= body;
    else if (code === OPTION.IA_NA || code === OPTION.IA_TA) {
      const skip = code === OPTION.IA_NA ? 12 : 4; // IAID, T1, T2 / IAID
      walk(msg, at + skip, at + body.length, (c, b, bAt) => {
        if (c === OPTION.IAADDR && b.length >= 24)
          addresses.push({
            ip: formatIpv6(msg, bAt),
            preferred: dv.getUint32(bAt + 16),
            valid: dv.getUint32(bAt + 20),
          });
      });
    }
  });
  return {
    type: DHCP6_TYPES[type] as Dhcp6Type,
    xid: (msg[1] << 16) | (msg[2] << 8) | msg[3],
    clientDuid: clientDuid && hex(clientDuid),
    clientMac: clientDuid && duidMac(clientDuid),
    serverDuid: serverDuid && hex(serverDuid),
    addresses,
  };
}

/** Calls `each(code, body, bodyOffset)` for the options in msg[from, to); stops at a bad length. */
function walk(
  msg: Uint8Array,
  from: number,
  to: number,
  each: (code: number, body: Uint8Array, at: number) => void,
): void {
  for (let o = from; o + 4 <= to; ) {
    const code = (msg[o] << 8) | msg[o + 1];
    const len = (msg[o + 2] << 8) | msg[o + 3];
    if (o + 4 + len > to) return;
    each(code, msg.subarray(o + 4, o + 4 + len), o + 4);
    o += 4 + len;
  }
}

/** The DHCPv6 event in an Ethernet `frame` (UDP 546/547), or undefined. */
export function dhcp6Event(frame: Uint8Array, time = 0): Dhcp6Event | undefined {
  const { layers } = decodeFrame(frame, DLT.EN10MB);
  const ip6 = layers.find((l) => l.kind === 'ipv6');
  const udp = layers.find((l) => l.kind === 'udp');
  if (ip6?.kind !== 'ipv6' || udp?.kind !== 'udp') return undefined;
  const ports = [udp.srcPort, udp.dstPort];
  if (!ports.includes(546) && !ports.includes(547)) return undefined;
  const m = decodeDhcp6(frame.subarray(udp.offset + 8));
  return m && { ...m, family: 6, time, from: ip6.src };
}

/** One log line: `12:00:01.234 REPLY 52:54:00:12:34:56 fd00::50 (valid 7200s) from fe80::1`. */
export function formatDhcp6Event(e: Dhcp6Event): string {
  const parts = [
    new Date(e.time).toISOString().slice(11, 23),
    e.type.padEnd(8),
    e.clientMac ?? `duid ${e.clientDuid ?? '?'}`,
  ];
  for (const a of e.addresses)
    parts.push(`${a.ip} (valid ${a.valid === 0xffffffff ? 'forever' : `${a.valid}s`})`);
  parts.push(`from ${e.from}`);
  return parts.join(' ');
}
