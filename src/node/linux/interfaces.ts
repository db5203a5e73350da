// The interfaces of this process's network namespace as tcpdump -D and -L show them: index, ARPHRD type,
// flags, link state and link types (libpcap's pcap_findalldevs and its figure-of-merit order).
import { existsSync, readFileSync } from 'node:fs';
import * as libc from '../ffi/libc.js';
import { ANY_LINK_TYPES, type InterfaceLinkTypes, linkTypesOf } from './link-types.js';

const AF_INET = 2;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const SIOCGIFFLAGS = 0x8913;
const SIOCGIFHWADDR = 0x8927;
const SIOCETHTOOL = 0x8946;
const ETHTOOL_GLINK = 0x0a;
const EINVAL = 22;
const EOPNOTSUPP = 95;
const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;
const IFF_RUNNING = 0x40;

/** Whether a carrier is there: ethtool's link state; not applicable to loopback and `any`. */
export type LinkState = 'connected' | 'disconnected' | 'unknown' | 'not applicable';

export interface InterfaceInfo extends InterfaceLinkTypes {
  readonly name: string;
  /** 0 for `any`. */
  readonly index: number;
  /** ARPHRD_* (-1 for `any`). */
  readonly arphrd: number;
  readonly up: boolean;
  readonly running: boolean;
  readonly loopback: boolean;
  readonly wireless: boolean;
  readonly link: LinkState;
  /** tcpdump -D's description, for `any` only. */
  readonly description?: string;
}

/** struct ifreq: the name in 16 bytes, then a 24-byte union. */
function ifreq(name: string): Uint8Array {
  const b = new Uint8Array(40);
  const n = new TextEncoder().encode(name);
  if (n.length > 15) throw new libc.SysError(`ifreq(${name})`, 19, 'name longer than 15 bytes');
  b.set(n);
  return b;
}

function withSocket<T>(f: (fd: number) => T): T {
  const fd = libc.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  try {
    return f(fd);
  } finally {
    libc.close(fd);
  }
}

function linkState(fd: number, name: string, loopback: boolean): LinkState {
  if (loopback) return 'not applicable';
  const value = new Uint8Array(8); // struct ethtool_value { u32 cmd; u32 data; }
  new DataView(value.buffer).setUint32(0, ETHTOOL_GLINK, true);
  const r = ifreq(name);
  new DataView(r.buffer).setBigUint64(16, libc.addressOf(value), true);
  try {
    libc.ioctl(fd, SIOCETHTOOL, r, 'ioctl(SIOCETHTOOL)');
  } catch (e) {
    // libpcap: a device without ethtool's link state (ifb, tun without a reader...) is "not applicable".
    const errno = (e as libc.SysError).errno;
    return errno === EOPNOTSUPP || errno === EINVAL ? 'not applicable' : 'unknown';
  }
  return new DataView(value.buffer).getUint32(4, true) ? 'connected' : 'disconnected';
}

/** One interface by name; throws SysError ENODEV when there is none. `any` is the pseudo-device. */
export function interfaceInfo(name: string): InterfaceInfo {
  if (name === 'any')
    return {
      ...ANY_LINK_TYPES,
      name,
      index: 0,
      arphrd: -1,
      up: true,
      running: true,
      loopback: false,
      wireless: false,
      link: 'not applicable',
      description: 'Pseudo-device that captures on all interfaces',
    };
  const index = libc.ifNameToIndex(name);
  return withSocket((fd) => {
    const r = ifreq(name);
    libc.ioctl(fd, SIOCGIFHWADDR, r, `ioctl(SIOCGIFHWADDR, ${name})`);
    const arphrd = new DataView(r.buffer).getUint16(16, true);
    const f = ifreq(name);
    libc.ioctl(fd, SIOCGIFFLAGS, f, `ioctl(SIOCGIFFLAGS, ${name})`);
    const flags = new DataView(f.buffer).getUint16(16, true);
    const loopback = (flags & IFF_LOOPBACK) !== 0;
    // libpcap's is_wifi (a phy80211 entry in sysfs, which shows the namespace it was mounted in), or
    // a wireless device type.
    const wireless =
      existsSync(`/sys/class/net/${name}/phy80211`) || [783, 801, 802, 803, 804].includes(arphrd); // IRDA, IEEE80211, PRISM, RADIOTAP, IEEE802154
    return {
      ...linkTypesOf(arphrd, name, wireless),
      name,
      index,
      arphrd,
      up: (flags & IFF_UP) !== 0,
      running: (flags & IFF_RUNNING) !== 0,
      loopback,
      wireless,
      link: linkState(fd, name, loopback),
    };
  });
}

/** Names of this namespace's interfaces in ifindex order (/proc/net/dev follows the calling process's namespace). */
function interfaceNames(): string[] {
  return readFileSync('/proc/self/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0]?.trim() ?? '')
    .filter((n) => n !== '');
}

/** libpcap 1.10's get_figure_of_merit: lower sorts first; devices keep their order within a value. */
function figureOfMerit(i: InterfaceInfo): number {
  let n = i.name === 'any' ? 0x08000000 : 0;
  if (!i.running) n |= 0x80000000;
  if (!i.up) n |= 0x40000000;
  if (!i.wireless && i.link === 'disconnected') n |= 0x20000000;
  if (i.loopback) n |= 0x10000000;
  return n >>> 0;
}

/** Every interface of this namespace and `any`, in the order tcpdump -D lists them. */
export function listInterfaces(): InterfaceInfo[] {
  const all: InterfaceInfo[] = [];
  for (const name of interfaceNames()) {
    try {
      all.push(interfaceInfo(name));
    } catch {
      // Gone between the listing and the query.
    }
  }
  all.sort((a, b) => a.index - b.index);
  all.push(interfaceInfo('any'));
  return all
    .map((info, at) => ({ info, at, merit: figureOfMerit(info) }))
    .sort((a, b) => a.merit - b.merit || a.at - b.at)
    .map((x) => x.info);
}

/** tcpdump -D's line for an interface, without the number: `eth0 [Up, Running, Connected]`. */
export function describeInterface(i: InterfaceInfo): string {
  const flags = [
    ...(i.up ? ['Up'] : []),
    ...(i.running ? ['Running'] : []),
    ...(i.loopback ? ['Loopback'] : []),
    ...(i.wireless ? ['Wireless'] : []),
  ];
  const name = `${i.name}${i.description ? ` (${i.description})` : ''}`;
  // libpcap's "unknown" connection status is no bit at all: with no flag either, tcpdump prints no brackets.
  if (flags.length === 0 && i.link === 'unknown') return name;
  const status: Record<LinkState, string> = i.wireless
    ? {
        unknown: ', Association status unknown',
        connected: ', Associated',
        disconnected: ', Not associated',
        'not applicable': '',
      }
    : {
        unknown: ', Connection status unknown',
        connected: ', Connected',
        disconnected: ', Disconnected',
        'not applicable': '',
      };
  return `${name} [${flags.length ? flags.join(', ') : 'none'}${status[i.link]}]`;
}
