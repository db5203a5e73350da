// The ARP scanner (seed 000): ask every address of a subnet who has it, collect replies that a kernel
// filter let through, report MAC → IP. The link is injected so the algorithm is tested without sockets.

import type { RawInsn } from '../../core/insn.js';
import { arpReply } from '../../filters/ready.js';
import {
  contains,
  formatIpv4,
  formatSubnet,
  hostCount,
  hosts,
  MAX_DEFAULT_HOSTS,
  parseIpv4,
  type Subnet,
} from './subnet.js';

/** What the scanner needs from an interface: its addresses, a way to send, and filtered frames. */
export interface ScanLink {
  /** Our MAC (`aa:bb:cc:dd:ee:ff`) and IPv4 address, used as the sender of the requests. */
  readonly mac: string;
  readonly ip: string;
  send(frame: Uint8Array): void | Promise<void>;
  /** Frames that passed the kernel filter, until `signal` aborts. */
  frames(signal: AbortSignal): AsyncIterable<Uint8Array>;
}

/** Frame codec used by the scanner (src/packets in production; plain functions keep the layering one-way). */
export interface ArpCodec {
  request(senderMac: string, senderIp: string, targetIp: string): Uint8Array;
  /** The reply's sender MAC and IP, or undefined if `frame` is not an ARP reply. */
  reply(frame: Uint8Array): { mac: string; ip: string } | undefined;
}

export interface ArpScanOptions {
  subnet: Subnet;
  /** Only report (and only let the kernel pass) replies from these MACs. Default: everyone. */
  macs?: readonly string[];
  /** Requests per second. Default 100: a /24 in under 3 s, gentle on busy segments. */
  rate?: number;
  /** How long to wait for replies after the last request of a round, ms. Default 1000. */
  timeout?: number;
  /** Extra rounds for addresses that did not answer. Default 1. */
  retries?: number;
  /** Scan more than 65,534 addresses. */
  force?: boolean;
  signal?: AbortSignal;
  /** Called after each request: sent so far, total for this round, round index. */
  onProgress?: (sent: number, total: number, round: number) => void;
}

/** One live host. */
export interface ArpHost {
  readonly ip: string;
  readonly mac: string;
}

/** The kernel filter the scanner attaches: ARP replies, only from `macs` when given. */
export function scanFilter(macs?: readonly string[]): RawInsn[] {
  return arpReply({ from: macs }).program;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Scans once. Replies are collected while requests go out, so the scan ends `timeout` ms after the last
 * request of the last round. Results are sorted by IP.
 * @example await arpScan(link, codec, { subnet: parseSubnet('192.168.122.0/24') })
 */
export async function arpScan(
  link: ScanLink,
  codec: ArpCodec,
  options: ArpScanOptions,
): Promise<ArpHost[]> {
  const { subnet } = options;
  if (!options.force && hostCount(subnet) > MAX_DEFAULT_HOSTS) {
    throw new RangeError(
      `${formatSubnet(subnet)} has ${hostCount(subnet)} addresses; pass force to scan it`,
    );
  }
  const rate = options.rate ?? 100;
  if (!(rate > 0))
    throw new RangeError(`rate must be a positive number of requests per second, got ${rate}`);
  const wanted = options.macs ? new Set(options.macs.map((m) => m.toLowerCase())) : undefined;
  const own = parseIpv4(link.ip);
  const found = new Map<string, ArpHost>(); // by ip

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const collector = (async () => {
    for await (const frame of link.frames(stop.signal)) {
      const r = codec.reply(frame);
      if (!r) continue;
      const ip = parseIpv4(r.ip);
      if (!contains(subnet, ip) || ip === own) continue;
      if (wanted && !wanted.has(r.mac.toLowerCase())) continue;
      found.set(r.ip, { ip: r.ip, mac: r.mac.toLowerCase() });
    }
  })();

  try {
    const interval = 1000 / rate;
    for (let round = 0; round <= (options.retries ?? 1) && !stop.signal.aborted; round++) {
      const targets = [...hosts(subnet)].filter((ip) => ip !== own && !found.has(formatIpv4(ip)));
      if (targets.length === 0 || (wanted && [...found.values()].length >= wanted.size)) break;
      const start = Date.now();
      for (let i = 0; i < targets.length && !stop.signal.aborted; i++) {
        await link.send(codec.request(link.mac, link.ip, formatIpv4(targets[i])));
        options.onProgress?.(i + 1, targets.length, round);
        // Pace against the clock, not per request, so timer granularity does not slow big scans.
        const due = start + (i + 1) * interval - Date.now();
        if (due > 4) await sleep(due, stop.signal);
      }
      await sleep(options.timeout ?? 1000, stop.signal);
    }
  } finally {
    stop.abort();
    options.signal?.removeEventListener('abort', onAbort);
    await collector;
  }
  return [...found.values()].sort((a, b) => parseIpv4(a.ip) - parseIpv4(b.ip));
}

/** A difference between two scans. */
export type ArpChange =
  | { readonly kind: 'new'; readonly host: ArpHost }
  | { readonly kind: 'moved'; readonly host: ArpHost; readonly previousIp: string }
  | { readonly kind: 'gone'; readonly host: ArpHost };

/** Changes from `before` to `after`, keyed by MAC (a VM that gets a new lease has `moved`). */
export function diffScans(before: readonly ArpHost[], after: readonly ArpHost[]): ArpChange[] {
  const prev = new Map(before.map((h) => [h.mac, h]));
  const next = new Map(after.map((h) => [h.mac, h]));
  const out: ArpChange[] = [];
  for (const h of after) {
    const p = prev.get(h.mac);
    if (!p) out.push({ kind: 'new', host: h });
    else if (p.ip !== h.ip) out.push({ kind: 'moved', host: h, previousIp: p.ip });
  }
  for (const h of before) if (!next.has(h.mac)) out.push({ kind: 'gone', host: h });
  return out;
}

/** Re-scans every `interval` ms and yields the changes of each scan (the first scan reports all as new). */
export async function* arpWatch(
  link: ScanLink,
  codec: ArpCodec,
  options: ArpScanOptions & { interval?: number },
): AsyncGenerator<ArpChange[]> {
  let last: ArpHost[] = [];
  while (!options.signal?.aborted) {
    const now = await arpScan(link, codec, options);
    if (options.signal?.aborted) return;
    const changes = diffScans(last, now);
    last = now;
    if (changes.length) yield changes;
    await sleep(options.interval ?? 30_000, options.signal);
  }
}

export { formatSubnet };
