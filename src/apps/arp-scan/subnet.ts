// IPv4 subnets for the scanner: parse `a.b.c.d/len`, list the host addresses to ask for.

/** An IPv4 network: `network` and `mask` as u32. */
export interface Subnet {
  readonly network: number;
  readonly prefix: number;
}

/** Largest subnet scanned without `force`: a /16 is 65,534 requests, minutes at a polite rate. */
export const MAX_DEFAULT_HOSTS = 65534;

export function parseIpv4(text: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m || m.slice(1).some((p) => Number(p) > 255))
    throw new RangeError(`expected an IPv4 address like 10.0.0.1, got '${text}'`);
  return ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
}

export function formatIpv4(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

export const maskOf = (prefix: number): number =>
  prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;

/** Parses `10.0.0.0/24` (host bits are cleared). */
export function parseSubnet(text: string): Subnet {
  const [addr, len, ...rest] = text.split('/');
  const prefix = len === undefined ? 32 : Number(len);
  if (
    rest.length ||
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > 32 ||
    (len !== undefined && !/^\d+$/.test(len))
  ) {
    throw new RangeError(`expected a subnet like 192.168.1.0/24, got '${text}'`);
  }
  return { network: (parseIpv4(addr) & maskOf(prefix)) >>> 0, prefix };
}

/** The subnet an interface address with a prefix length belongs to. */
export function subnetOf(address: string, prefix: number): Subnet {
  return { network: (parseIpv4(address) & maskOf(prefix)) >>> 0, prefix };
}

export const formatSubnet = (s: Subnet): string => `${formatIpv4(s.network)}/${s.prefix}`;

export function contains(s: Subnet, ip: number): boolean {
  return (ip & maskOf(s.prefix)) >>> 0 === s.network;
}

/** Number of host addresses (no network/broadcast address below /31). */
export function hostCount(s: Subnet): number {
  const size = 2 ** (32 - s.prefix);
  return s.prefix >= 31 ? size : size - 2;
}

/** The host addresses of `s`, in order, lazily. */
export function* hosts(s: Subnet): Generator<number> {
  const size = 2 ** (32 - s.prefix);
  const [first, last] = s.prefix >= 31 ? [0, size - 1] : [1, size - 2];
  for (let i = first; i <= last; i++) yield (s.network + i) >>> 0;
}
