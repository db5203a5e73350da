// Which addresses each host (VM) on a link has, IPv4 and IPv6, with no agent inside it: ARP requests to
// the subnet, neighbour solicitations and an all-nodes echo for IPv6, and whatever the link says on its
// own (DHCP and DHCPv6 leases, gratuitous ARP, duplicate-address probes, advertisements). A kernel
// filter passes only frames from the MACs asked about, so a busy link costs the process nothing.
import { networkInterfaces } from 'node:os';
import { formatIpv4, hosts, parseSubnet, type Subnet, subnetOf } from '../arp-scan/subnet.js';
import { interfaceInfo, type LiveCapture, openLive } from '../live.js';
import { discoveryFilter } from './filter.js';
import { type Observation, observe } from './observe.js';
import { arpRequest, ipv6Probes, type Self } from './probes.js';
import { type Change, type Neighbor, NeighborTable } from './table.js';

export { discoveryFilter } from './filter.js';
export { type Learned, type Observation, observe } from './observe.js';
export { eui64, eui64Address, ipv6Probes, type Self, solicitedNode } from './probes.js';
export { type AddressEntry, type Change, type Neighbor, NeighborTable } from './table.js';

export interface DiscoverOptions {
  interface: string;
  /** Only these hosts; the kernel drops everyone else's frames. Default: every host on the link. */
  macs?: readonly string[];
  /** IPv4 subnet to ARP; default the interface's own. No IPv4 address and no subnet: IPv6 only. */
  subnet?: Subnet | string;
  /** Probe rounds for the first discovery; later rounds ARP only addresses nobody answered. Default 2. */
  rounds?: number;
  /** ARP requests a second; default 1000. */
  rate?: number;
  /**
   * How long to listen after a round's last probe, ms; default 1500: a host that must resolve our
   * address to answer and lost the first exchange asks again after a second (ND's retransmit time).
   */
  timeout?: number;
  /** Keep going: probe again every `interval` ms and report changes. Default false. */
  watch?: boolean;
  /** With watch: ms between probe rounds; default 30,000. */
  interval?: number;
  /** With watch: an address not heard from for this long is gone; default 3 intervals and a timeout. */
  maxAge?: number;
  /** Also scan subnets larger than 65,534 addresses. */
  force?: boolean;
  signal?: AbortSignal;
}

export interface DiscoveryStats {
  /** Frames the kernel filter passed and the process read. */
  frames: number;
  /** Of them, frames from a MAC not asked about and not a DHCP server's reply: 0 unless the filter leaks. */
  foreign: number;
  /** Probes sent. */
  sent: number;
  /** Our own probes, seen going out (only when our MAC passes the filter). */
  own: number;
  /**
   * The kernel's count of frames its filter passed, and of those it dropped for lack of room, read as
   * the capture closes: passed = frames + own + dropped shows nothing else reached the process.
   */
  kernel?: { passed: number; dropped: number };
}

/** A discovery under way: iterate it for changes; `neighbors()` is the table now. */
export interface Discovery extends AsyncIterable<Change> {
  neighbors(): Neighbor[];
  stats(): DiscoveryStats;
}

const MAX_HOSTS = 65_534;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Our addresses on `name`: MAC, IPv4, link-local and global IPv6. */
function selfOf(name: string): Self & { prefix?: number } {
  // interfaceInfo() throws for a name no interface has (one an object inherits, too).
  const info = interfaceInfo(name);
  const v6 = (networkInterfaces()[name] ?? []).filter((a) => a.family === 'IPv6');
  return {
    mac: info.mac,
    ipv4: info.ipv4?.address,
    prefix: info.ipv4?.prefix,
    linkLocal: v6.find((a) => a.address.toLowerCase().startsWith('fe80'))?.address,
    global6: v6
      .filter((a) => !a.address.toLowerCase().startsWith('fe80') && a.address !== '::1')
      .map((a) => a.address),
  };
}

/**
 * Starts discovering on `options.interface`. Without `watch` the iteration ends after the first
 * discovery (every address found is a 'new' change); with it, it goes on until the signal, reporting
 * new, moved and gone addresses.
 * @example for await (const c of discover({ interface: 'virbr0', macs })) console.log(c.kind, c.mac, c.ip)
 */
export function discover(options: DiscoverOptions): Discovery {
  const macs = (options.macs ?? []).map((m) => m.toLowerCase());
  const table = new NeighborTable(macs);
  const stats: DiscoveryStats = { frames: 0, foreign: 0, sent: 0, own: 0 };
  const wanted = new Set(macs);
  const rate = options.rate ?? 1000;
  if (!(rate > 0))
    throw new RangeError(`rate must be a positive number of requests per second, got ${rate}`);
  const self = selfOf(options.interface);
  const ownMac = self.mac.toLowerCase();
  let subnet: Subnet | undefined;
  if (typeof options.subnet === 'string') subnet = parseSubnet(options.subnet);
  else if (options.subnet) subnet = options.subnet;
  else if (self.ipv4 && self.prefix !== undefined) subnet = subnetOf(self.ipv4, self.prefix);
  const subnetHosts = subnet ? [...hosts(subnet)].filter((h) => formatIpv4(h) !== self.ipv4) : [];
  if (subnetHosts.length > MAX_HOSTS && !options.force)
    throw new RangeError(`the subnet has ${subnetHosts.length} addresses; pass force to scan it`);
  if (subnetHosts.length === 0 && !self.linkLocal)
    throw new RangeError(
      `interface ${options.interface} has no IPv4 subnet and no IPv6 address to probe from`,
    );

  async function* run(): AsyncGenerator<Change> {
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const capture: LiveCapture = await openLive({
      interface: options.interface,
      filter: discoveryFilter(macs),
      promiscuous: true,
      signal: stop.signal,
    });
    const pending: Change[] = [];
    let wake: (() => void) | undefined;
    const push = (cs: Change[]) => {
      if (cs.length === 0) return;
      pending.push(...cs);
      wake?.();
    };
    const learn = (obs: Observation[], time: number) => {
      for (const o of obs) push(table.observe(o, time));
    };
    const reader = (async () => {
      for await (const f of capture) {
        const src = Array.from(f.data.subarray(6, 12), (b) => b.toString(16).padStart(2, '0')).join(
          ':',
        );
        // Our own probes, seen going out, say only what we already know.
        if (src === ownMac) {
          stats.own++;
          continue;
        }
        stats.frames++;
        const obs = observe(f.data);
        if (
          wanted.size &&
          !wanted.has(src) &&
          !obs.some((o) => o.how === 'dhcp' || o.how === 'dhcpv6')
        )
          stats.foreign++;
        learn(obs, Date.now());
      }
    })();
    const send = async (frames: Uint8Array[]) => {
      const start = Date.now();
      for (let i = 0; i < frames.length && !stop.signal.aborted; i++) {
        capture.send(frames[i]);
        stats.sent++;
        // Paced against the clock, so timer granularity does not slow a big sweep.
        const due = start + ((i + 1) * 1000) / rate - Date.now();
        if (due > 4) await sleep(due, stop.signal);
      }
    };
    let seq = 0;
    const probeRound = async (targets: number[]) => {
      await send(targets.map((h) => arpRequest(self, formatIpv4(h))));
      await send(ipv6Probes(self, macs, seq++));
      await sleep(options.timeout ?? 1500, stop.signal);
    };
    const prober = (async () => {
      const rounds = options.rounds ?? 2;
      for (let r = 0; r < rounds && !stop.signal.aborted; r++) {
        const targets =
          r === 0 ? subnetHosts : subnetHosts.filter((h) => !table.ownerOf(formatIpv4(h)));
        await probeRound(targets);
      }
      if (!options.watch) return;
      const interval = options.interval ?? 30_000;
      const maxAge = options.maxAge ?? 3 * interval + (options.timeout ?? 1500);
      while (!stop.signal.aborted) {
        await sleep(interval, stop.signal);
        if (stop.signal.aborted) break;
        await probeRound(subnetHosts);
        push(table.expire(Date.now(), maxAge));
      }
    })();
    let done = false;
    void prober.then(
      () => {
        if (!options.watch) {
          done = true;
          wake?.();
        }
      },
      () => {
        done = true;
        wake?.();
      },
    );
    try {
      while (!stop.signal.aborted) {
        while (pending.length) yield pending.shift()!;
        if (done) break;
        // The consumer may have stopped us while we yielded: an aborted signal fires no more events.
        if (stop.signal.aborted) break;
        await new Promise<void>((resolve) => {
          const done = () => {
            stop.signal.removeEventListener('abort', done);
            wake = undefined;
            resolve();
          };
          wake = done;
          stop.signal.addEventListener('abort', done, { once: true });
        });
      }
      // The frames read before the stop.
      while (pending.length) yield pending.shift()!;
    } finally {
      stop.abort();
      options.signal?.removeEventListener('abort', onAbort);
      const k = capture.stats() as { received?: number; dropped?: number };
      if (typeof k.received === 'number')
        stats.kernel = { passed: k.received, dropped: k.dropped ?? 0 };
      capture.close();
      await prober.catch(() => {});
      await reader.catch(() => {});
    }
    await prober; // surfaces a send error (ENETDOWN, say) to the caller
  }

  return {
    [Symbol.asyncIterator]: () => run(),
    neighbors: () => table.neighbors(),
    stats: () => ({ ...stats }),
  };
}

/** One discovery, then the table. */
export async function discoverNeighbors(
  options: Omit<DiscoverOptions, 'watch'>,
): Promise<Neighbor[]> {
  const d = discover({ ...options, watch: false });
  for await (const _ of d);
  return d.neighbors();
}
