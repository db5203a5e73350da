// The DHCP watcher: a kernel filter passes DHCP only; each message becomes a lease event.
import { DLT } from '../../core/opcodes.js';
import { dhcp } from '../../filters/ready.js';
import { openLive } from '../live.js';
import { type DhcpEvent, dhcpEvent } from './events.js';

export * from './events.js';

export interface DhcpWatchOptions {
  interface: string;
  /** See DHCP not addressed to this host (default true: a watcher wants every client's broadcast and the server's replies). */
  promiscuous?: boolean;
  signal?: AbortSignal;
}

/** Yields DHCP events seen on the interface until `signal` aborts. */
export async function* watchDhcp(options: DhcpWatchOptions): AsyncGenerator<DhcpEvent> {
  const capture = await openLive({
    interface: options.interface,
    filter: dhcp().program,
    promiscuous: options.promiscuous ?? true,
    signal: options.signal,
  });
  try {
    for await (const f of capture) {
      const ms = typeof f.timestamp === 'bigint' ? Number(f.timestamp / 1_000_000n) : f.timestamp;
      const e = dhcpEvent(f.data, DLT.EN10MB, ms);
      if (e) yield e;
    }
  } finally {
    await capture.close();
  }
}
