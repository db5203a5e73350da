// The DHCP watcher: a kernel filter passes DHCP and DHCPv6 only; each message becomes a lease event.
import { compile } from '../../compiler/index.js';
import { DLT } from '../../core/opcodes.js';
import { openLive } from '../live.js';
import { type DhcpEvent, dhcpEvent } from './events.js';
import { type Dhcp6Event, dhcp6Event } from './events6.js';

export * from './events.js';
export * from './events6.js';
export * from './leases.js';

/** UDP to a DHCP or DHCPv6 server or client port (first fragments, real IP header length). */
export const DHCP_WATCH_FILTER =
  'udp dst port 67 or udp dst port 68 or udp dst port 546 or udp dst port 547';

export interface DhcpWatchOptions {
  interface: string;
  /** See DHCP not addressed to this host (default true: a watcher wants every client's broadcast and the server's replies). */
  promiscuous?: boolean;
  signal?: AbortSignal;
}

/** Yields DHCP and DHCPv6 events seen on the interface until `signal` aborts. */
export async function* watchDhcp(
  options: DhcpWatchOptions,
): AsyncGenerator<DhcpEvent | Dhcp6Event> {
  const capture = await openLive({
    interface: options.interface,
    filter: compile(DHCP_WATCH_FILTER, { linktype: DLT.EN10MB }),
    promiscuous: options.promiscuous ?? true,
    signal: options.signal,
  });
  try {
    for await (const f of capture) {
      const ms = Number(f.timestampNs / 1_000_000n);
      const e = dhcpEvent(f.data, DLT.EN10MB, ms) ?? dhcp6Event(f.data, ms);
      if (e) yield e;
    }
  } finally {
    await capture.close();
  }
}
