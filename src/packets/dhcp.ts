// BOOTP (RFC 951) / DHCP (RFC 2131, options RFC 2132): fixed header and the options the apps read.
import { formatIpv4, formatMac } from './addr.js';
import { type LayerBase, u16, u32 } from './layer.js';
import type { Printer } from './printer.js';

export const DHCP_MAGIC = 0x63825363;

/** DHCP message types (option 53). */
export const DHCP_MESSAGE_TYPE = {
  DISCOVER: 1,
  OFFER: 2,
  REQUEST: 3,
  DECLINE: 4,
  ACK: 5,
  NAK: 6,
  RELEASE: 7,
  INFORM: 8,
} as const;
export type DhcpMessageTypeName = Lowercase<keyof typeof DHCP_MESSAGE_TYPE>;

/** Option codes cbpf decodes into named fields. */
export const DHCP_OPT = {
  PAD: 0,
  SUBNET_MASK: 1,
  ROUTER: 3,
  DNS: 6,
  HOSTNAME: 12,
  REQUESTED_IP: 50,
  LEASE_TIME: 51,
  MESSAGE_TYPE: 53,
  SERVER_ID: 54,
  PARAM_LIST: 55,
  CLIENT_ID: 61,
  END: 255,
} as const;

export interface DhcpOption {
  code: number;
  /** Option value bytes (a copy). */
  data: Uint8Array;
}

export interface DhcpLayer extends LayerBase {
  kind: 'dhcp';
  /** 1 BOOTREQUEST, 2 BOOTREPLY. */
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** Client hardware address (hlen bytes, at most 16). */
  chaddr: string;
  /** True if the options area starts with the DHCP magic cookie. */
  magic: boolean;
  options: DhcpOption[];
  /** Option 53. */
  messageType?: number;
  /** Option 61 as colon hex (type byte first). */
  clientId?: string;
  /** Option 50. */
  requestedIp?: string;
  /** Option 12 (latin-1). */
  hostname?: string;
  /** Option 54. */
  serverId?: string;
  /** Option 51, seconds. */
  leaseTime?: number;
}

/** Decodes a BOOTP/DHCP message at `off` (the UDP payload). */
export function decodeDhcp(b: Uint8Array, off = 0): DhcpLayer {
  const avail = Math.max(0, b.length - off);
  const hlen = b[off + 2] ?? 0;
  const layer: DhcpLayer = {
    kind: 'dhcp',
    offset: off,
    headerLength: Math.min(avail, 236),
    truncated: avail < 236,
    op: b[off] ?? 0,
    htype: b[off + 1] ?? 0,
    hlen,
    hops: b[off + 3] ?? 0,
    xid: u32(b, off + 4),
    secs: u16(b, off + 8),
    flags: u16(b, off + 10),
    ciaddr: formatIpv4(b, off + 12),
    yiaddr: formatIpv4(b, off + 16),
    siaddr: formatIpv4(b, off + 20),
    giaddr: formatIpv4(b, off + 24),
    chaddr: formatMac(b, off + 28, Math.min(hlen, 16, Math.max(0, avail - 28))),
    magic: avail >= 240 && u32(b, off + 236) === DHCP_MAGIC,
    options: [],
  };
  if (!layer.magic) return layer;
  let i = off + 240;
  while (i < b.length) {
    const code = b[i];
    if (code === 0) {
      i++;
      continue;
    }
    if (code === 255) {
      i++;
      break;
    }
    if (i + 2 > b.length || i + 2 + b[i + 1] > b.length) {
      layer.truncated = true;
      i = b.length;
      break;
    }
    const len = b[i + 1];
    const data = b.slice(i + 2, i + 2 + len);
    layer.options.push({ code, data });
    if (code === 53 && len >= 1) layer.messageType = data[0];
    else if (code === 61 && len >= 1) layer.clientId = formatMac(data, 0, len);
    else if (code === 50 && len === 4) layer.requestedIp = formatIpv4(data);
    else if (code === 54 && len === 4) layer.serverId = formatIpv4(data);
    else if (code === 51 && len === 4) layer.leaseTime = u32(data, 0);
    else if (code === 12) layer.hostname = String.fromCharCode(...data);
    i += 2 + len;
  }
  // A missing END option is tolerated, as tcpdump's bootp printer does.
  layer.headerLength = i - off;
  return layer;
}

// ---- Printing, as tcpdump's print-bootp.c without -v ----

/** bootp_print: `BOOTP/DHCP, Request from <mac>, length N`. */
export function printBootp(p: Printer, o: number, length: number): void {
  p.protocol = 'bootp';
  const op = p.u8(o);
  p.print(
    `BOOTP/DHCP, ${op === 1 ? 'Request' : op === 2 ? 'Reply' : `unknown (0x${op.toString(16).padStart(2, '0')})`}`,
  );
  const htype = p.u8(o + 1);
  const hlen = p.u8(o + 2);
  if (htype === 1 && hlen === 6 && op === 1) p.print(` from ${p.mac(o + 28)}`);
  p.print(`, length ${length}`);
}
