// Builder for DHCPv6 (RFC 8415) messages and the frames that carry them on a LAN: clients send from
// their link-local address, port 546, to All_DHCP_Relay_Agents_and_Servers (ff02::1:2) port 547; servers
// answer link-local to link-local. The client's DUID is a DUID-LL of its MAC unless given.
import { parseIpv6, parseMac } from './addr.js';
import { buildIpFrame } from './build-ip.js';

export type Dhcp6MessageType =
  | 'solicit'
  | 'advertise'
  | 'request'
  | 'confirm'
  | 'renew'
  | 'rebind'
  | 'reply'
  | 'release'
  | 'decline'
  | 'information-request';

const TYPE_NUMBER: Record<Dhcp6MessageType, number> = {
  solicit: 1,
  advertise: 2,
  request: 3,
  confirm: 4,
  renew: 5,
  rebind: 6,
  reply: 7,
  release: 8,
  decline: 9,
  'information-request': 11,
};
const FROM_SERVER = new Set<Dhcp6MessageType>(['advertise', 'reply']);

export interface Dhcp6Options {
  type: Dhcp6MessageType;
  /** 24-bit transaction id; default 0. */
  xid?: number;
  /** The client's MAC: its DUID-LL (unless `clientDuid`) and, in frames, its link-local address. */
  clientMac: string;
  /** The client DUID's bytes; default a DUID-LL of clientMac. */
  clientDuid?: Uint8Array;
  /** The server DUID's bytes; default a DUID-LL of 02:00:00:00:00:fe for server messages. */
  serverDuid?: Uint8Array;
  /** IA_NA identifier; default 1. */
  iaid?: number;
  /** IA_NA addresses with lifetimes in seconds; default none (an empty IA_NA in solicit/request). */
  addresses?: ReadonlyArray<{ ip: string; preferred?: number; valid?: number }>;
}

/** A DUID-LL (type 3) for an Ethernet MAC. */
export function duidLl(mac: string): Uint8Array {
  return Uint8Array.of(0, 3, 0, 1, ...parseMac(mac));
}

function option(code: number, body: Uint8Array | number[]): number[] {
  return [code >> 8, code & 0xff, body.length >> 8, body.length & 0xff, ...body];
}

const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

/** A DHCPv6 message: CLIENTID, SERVERID (server messages or when given), ELAPSED_TIME (client), IA_NA. */
export function buildDhcp6(o: Dhcp6Options): Uint8Array {
  const xid = o.xid ?? 0;
  if (!Number.isInteger(xid) || xid < 0 || xid > 0xffffff)
    throw new RangeError(`xid ${xid} is not a 24-bit number`);
  const fromServer = FROM_SERVER.has(o.type);
  const bytes = [TYPE_NUMBER[o.type], (xid >> 16) & 0xff, (xid >> 8) & 0xff, xid & 0xff];
  bytes.push(...option(1, o.clientDuid ?? duidLl(o.clientMac)));
  const server = o.serverDuid ?? (fromServer ? duidLl('02:00:00:00:00:fe') : undefined);
  if (server) bytes.push(...option(2, server));
  if (!fromServer) bytes.push(...option(8, [0, 0])); // ELAPSED_TIME, required from clients
  if (o.type !== 'information-request') {
    const ia = [...u32(o.iaid ?? 1), ...u32(0), ...u32(0)];
    for (const a of o.addresses ?? [])
      ia.push(
        ...option(5, [...parseIpv6(a.ip), ...u32(a.preferred ?? 3600), ...u32(a.valid ?? 7200)]),
      );
    bytes.push(...option(3, ia));
  }
  return Uint8Array.from(bytes);
}

export interface Dhcp6FrameOptions extends Dhcp6Options {
  /** Server MAC and link-local address for server messages; default 02:00:00:00:00:fe, fe80::fe. */
  serverMac?: string;
  serverIp?: string;
}

/** The client's link-local address from its MAC (EUI-64). */
function linkLocal(mac: string): string {
  const m = parseMac(mac);
  const h = (a: number, b: number) => ((a << 8) | b).toString(16);
  return `fe80::${h(m[0] ^ 2, m[1])}:${h(m[2], 0xff)}:${h(0xfe, m[3])}:${h(m[4], m[5])}`;
}

/**
 * A DHCPv6 message in Ethernet/IPv6/UDP as on a LAN.
 * @example buildDhcp6Frame({ type: 'solicit', clientMac: '52:54:00:12:34:56', xid: 0x1234 })
 */
export function buildDhcp6Frame(o: Dhcp6FrameOptions): Uint8Array {
  const msg = buildDhcp6(o);
  const client = { mac: o.clientMac, ip: linkLocal(o.clientMac) };
  const server = { mac: o.serverMac ?? '02:00:00:00:00:fe', ip: o.serverIp ?? 'fe80::fe' };
  const fromServer = FROM_SERVER.has(o.type);
  return buildIpFrame(
    fromServer
      ? { src: server.mac, dst: client.mac }
      : { src: client.mac, dst: '33:33:00:01:00:02' },
    {
      version: 6,
      src: fromServer ? server.ip : client.ip,
      dst: fromServer ? client.ip : 'ff02::1:2',
      hopLimit: fromServer ? 64 : 1,
    },
    { kind: 'udp', srcPort: fromServer ? 547 : 546, dstPort: fromServer ? 546 : 547, payload: msg },
  );
}
