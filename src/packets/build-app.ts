// Builders for application messages: DHCP (discover/offer/request/ack/nak) and DNS queries, bare or in a frame.
import { parseIpv4, parseMac } from './addr.js';
import { buildIpFrame } from './build-ip.js';
import { put16, put32, type VlanTag } from './build-link.js';
import {
  DHCP_MAGIC,
  DHCP_MESSAGE_TYPE,
  type DhcpMessageTypeName,
  type DhcpOption,
} from './dhcp.js';

export interface DhcpOptions {
  /** Message type (option 53). The BOOTP op is 1 for discover/request/decline/release/inform, 2 otherwise. */
  type: DhcpMessageTypeName;
  /** Transaction id; default 0. */
  xid?: number;
  /** Client MAC (chaddr). */
  chaddr: string;
  /** Default 0.0.0.0. */
  ciaddr?: string;
  /** 'your' address (offer/ack); default 0.0.0.0. */
  yiaddr?: string;
  /** Default 0.0.0.0. */
  siaddr?: string;
  /** Default 0.0.0.0. */
  giaddr?: string;
  /** Set the broadcast flag (0x8000); default false. */
  broadcast?: boolean;
  /** Seconds elapsed; default 0. */
  secs?: number;
  /** Option 61; default omitted. Give true for type 1 + chaddr (what ISC dhclient sends), or raw bytes. */
  clientId?: true | Uint8Array;
  /** Option 50. */
  requestedIp?: string;
  /** Option 12. */
  hostname?: string;
  /** Option 54. */
  serverId?: string;
  /** Option 51, seconds. */
  leaseTime?: number;
  /** Option 1. */
  subnetMask?: string;
  /** Option 3. */
  router?: string;
  /** Option 6. */
  dnsServers?: readonly string[];
  /** More options, written after the named ones. */
  extraOptions?: readonly DhcpOption[];
  /** Pad the message to this length; default 300 (the BOOTP minimum most clients send). */
  minLength?: number;
}

/** A BOOTP/DHCP message (the UDP payload). */
export function buildDhcp(o: DhcpOptions): Uint8Array {
  const mt = DHCP_MESSAGE_TYPE[o.type.toUpperCase() as keyof typeof DHCP_MESSAGE_TYPE];
  const opts: number[] = [];
  const add = (code: number, data: ArrayLike<number>) => {
    opts.push(code, data.length, ...Array.from(data));
  };
  add(53, [mt]);
  if (o.clientId) add(61, o.clientId === true ? [1, ...parseMac(o.chaddr)] : o.clientId);
  if (o.requestedIp) add(50, parseIpv4(o.requestedIp));
  if (o.serverId) add(54, parseIpv4(o.serverId));
  if (o.leaseTime !== undefined)
    add(51, [
      (o.leaseTime >>> 24) & 255,
      (o.leaseTime >>> 16) & 255,
      (o.leaseTime >>> 8) & 255,
      o.leaseTime & 255,
    ]);
  if (o.subnetMask) add(1, parseIpv4(o.subnetMask));
  if (o.router) add(3, parseIpv4(o.router));
  if (o.dnsServers?.length)
    add(
      6,
      o.dnsServers.flatMap((s) => Array.from(parseIpv4(s))),
    );
  if (o.hostname !== undefined)
    add(
      12,
      Array.from(o.hostname, (c) => c.charCodeAt(0) & 0xff),
    );
  for (const x of o.extraOptions ?? []) add(x.code, x.data);
  opts.push(255);
  const out = new Uint8Array(Math.max(240 + opts.length, o.minLength ?? 300));
  const isRequest = ['discover', 'request', 'decline', 'release', 'inform'].includes(o.type);
  out[0] = isRequest ? 1 : 2;
  out[1] = 1;
  out[2] = 6;
  put32(out, 4, o.xid ?? 0);
  put16(out, 8, o.secs ?? 0);
  put16(out, 10, o.broadcast ? 0x8000 : 0);
  out.set(parseIpv4(o.ciaddr ?? '0.0.0.0'), 12);
  out.set(parseIpv4(o.yiaddr ?? '0.0.0.0'), 16);
  out.set(parseIpv4(o.siaddr ?? '0.0.0.0'), 20);
  out.set(parseIpv4(o.giaddr ?? '0.0.0.0'), 24);
  out.set(parseMac(o.chaddr), 28);
  put32(out, 236, DHCP_MAGIC);
  out.set(opts, 240);
  return out;
}

export interface DhcpFrameOptions extends DhcpOptions {
  /** Server MAC for offer/ack/nak frames; default 02:00:00:00:00:fe. */
  serverMac?: string;
  /** IP source of server messages; default serverId, else 192.168.1.1. */
  serverIp?: string;
  vlans?: readonly VlanTag[];
}

/**
 * A DHCP message in Ethernet/IPv4/UDP as on a LAN: client messages from 0.0.0.0:68 (or ciaddr) to
 * 255.255.255.255:67 from chaddr; server messages from serverIp:67 to 255.255.255.255:68 broadcast.
 * @example buildDhcpFrame({ type: 'discover', chaddr: '52:54:00:12:34:56', xid: 0x1234, hostname: 'vm1' })
 */
export function buildDhcpFrame(o: DhcpFrameOptions): Uint8Array {
  const msg = buildDhcp(o);
  const fromClient = msg[0] === 1;
  const serverIp = o.serverIp ?? o.serverId ?? '192.168.1.1';
  return buildIpFrame(
    {
      src: fromClient ? o.chaddr : (o.serverMac ?? '02:00:00:00:00:fe'),
      dst: 'ff:ff:ff:ff:ff:ff',
      vlans: o.vlans,
    },
    { src: fromClient ? (o.ciaddr ?? '0.0.0.0') : serverIp, dst: '255.255.255.255', ttl: 64 },
    { kind: 'udp', srcPort: fromClient ? 68 : 67, dstPort: fromClient ? 67 : 68, payload: msg },
  );
}

export interface DnsQueryOptions {
  /** Default 0. */
  id?: number;
  /** Recursion desired; default true. */
  rd?: boolean;
  questions: ReadonlyArray<{
    name: string /** Default 1 (A). */;
    type?: number /** Default 1 (IN). */;
    class?: number;
  }>;
}

/** A DNS query message (no compression; labels longer than 63 bytes throw RangeError). */
export function buildDnsQuery(o: DnsQueryOptions): Uint8Array {
  const bytes: number[] = [];
  const id = o.id ?? 0;
  bytes.push(
    id >> 8,
    id & 255,
    (o.rd ?? true) ? 1 : 0,
    0,
    o.questions.length >> 8,
    o.questions.length & 255,
    0,
    0,
    0,
    0,
    0,
    0,
  );
  for (const q of o.questions) {
    for (const label of q.name.split('.').filter((l) => l.length > 0)) {
      if (label.length > 63) throw new RangeError(`DNS label longer than 63 bytes: ${label}`);
      bytes.push(label.length, ...Array.from(label, (c) => c.charCodeAt(0) & 0xff));
    }
    const type = q.type ?? 1;
    const cls = q.class ?? 1;
    bytes.push(0, type >> 8, type & 255, cls >> 8, cls & 255);
  }
  return Uint8Array.from(bytes);
}
