// DHCP lease events from captured frames: who asked, what was offered or acknowledged.
import { decodeFrame } from '../../packets/decode.js';
import { DHCP_MESSAGE_TYPE } from '../../packets/dhcp.js';

export type DhcpEventType =
  | 'DISCOVER'
  | 'OFFER'
  | 'REQUEST'
  | 'DECLINE'
  | 'ACK'
  | 'NAK'
  | 'RELEASE'
  | 'INFORM'
  | 'BOOTP';

/** One DHCP message seen on the wire, reduced to what an operator reads. */
export interface DhcpEvent {
  readonly family: 4;
  /** Capture time in ms since the epoch. */
  readonly time: number;
  readonly type: DhcpEventType;
  readonly xid: number;
  /** chaddr: the client the message is about. */
  readonly clientMac: string;
  /** Option 50 (REQUEST/DISCOVER), else ciaddr when set. */
  readonly requestedIp?: string;
  /** yiaddr of OFFER/ACK. */
  readonly assignedIp?: string;
  readonly hostname?: string;
  /** Option 54. */
  readonly serverId?: string;
  readonly leaseTime?: number;
  /** IP source of the message. */
  readonly from: string;
}

const TYPE_NAMES = new Map<number, DhcpEventType>(
  Object.entries(DHCP_MESSAGE_TYPE).map(([name, n]) => [n, name as DhcpEventType]),
);

/** The DHCP event in `frame` (link type `linktype`), or undefined if it holds no complete DHCP message. */
export function dhcpEvent(frame: Uint8Array, linktype: number, time = 0): DhcpEvent | undefined {
  const { layers } = decodeFrame(frame, linktype);
  const dhcp = layers.find((l) => l.kind === 'dhcp');
  if (dhcp?.kind !== 'dhcp' || dhcp.truncated) return undefined;
  const ip = layers.find((l) => l.kind === 'ipv4');
  const type =
    dhcp.messageType === undefined ? 'BOOTP' : (TYPE_NAMES.get(dhcp.messageType) ?? 'BOOTP');
  const some = (s: string | undefined) => (s && s !== '0.0.0.0' ? s : undefined);
  return {
    family: 4,
    time,
    type,
    xid: dhcp.xid,
    clientMac: dhcp.chaddr,
    requestedIp: dhcp.requestedIp ?? some(dhcp.ciaddr),
    assignedIp: type === 'OFFER' || type === 'ACK' ? some(dhcp.yiaddr) : undefined,
    hostname: dhcp.hostname,
    serverId: dhcp.serverId,
    leaseTime: dhcp.leaseTime,
    from: ip && ip.kind === 'ipv4' ? ip.src : '',
  };
}

/** One line per event, like a log: `12:00:01.234 ACK 52:54:00:12:34:56 10.0.0.50 (vm1) from 10.0.0.1 lease 3600s`. */
export function formatDhcpEvent(e: DhcpEvent): string {
  const t = new Date(e.time).toISOString().slice(11, 23);
  const ip = e.assignedIp ?? e.requestedIp;
  const parts = [t, e.type.padEnd(8), e.clientMac];
  if (ip) parts.push(e.assignedIp ? ip : `wants ${ip}`);
  if (e.hostname) parts.push(`(${e.hostname})`);
  if (e.from && e.from !== '0.0.0.0') parts.push(`from ${e.from}`);
  if (e.leaseTime !== undefined) parts.push(`lease ${e.leaseTime}s`);
  return parts.join(' ');
}
