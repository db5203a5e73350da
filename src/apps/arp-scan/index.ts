// The ARP scanner on a real interface: a kernel-filtered capture as the scanner's link.

import { InterfaceError } from '../errors.js';
import { type InterfaceInfo, interfaceInfo, type LiveCapture, openLive } from '../live.js';
import { ethernetArpCodec } from './codec.js';
import {
  type ArpChange,
  type ArpHost,
  type ArpScanOptions,
  arpScan,
  arpWatch,
  type ScanLink,
  scanFilter,
} from './scan.js';
import { parseSubnet, type Subnet, subnetOf } from './subnet.js';

export { ethernetArpCodec } from './codec.js';
export * from './scan.js';
export * from './subnet.js';
export { macVendor } from './vendor.js';

export interface LiveScanOptions extends Omit<ArpScanOptions, 'subnet'> {
  /** The interface to scan from. */
  interface: string;
  /** Default: the interface's own IPv4 subnet. */
  subnet?: Subnet | string;
}

/** A ScanLink over a capture whose kernel filter passes only ARP replies (from `macs` when given). */
async function openScanLink(
  info: InterfaceInfo,
  macs: readonly string[] | undefined,
  signal?: AbortSignal,
): Promise<{ link: ScanLink; capture: LiveCapture }> {
  if (!info.ipv4)
    throw new InterfaceError(
      'NO_IPV4_ADDRESS',
      `interface ${info.name} has no IPv4 address to send ARP requests from`,
    );
  const capture = await openLive({ interface: info.name, filter: scanFilter(macs), signal });
  const frames: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  // One reader for the capture's lifetime; scans take frames from the queue it fills.
  const pump = (async () => {
    for await (const f of capture) {
      frames.push(f.data);
      wake?.();
    }
    wake?.();
  })();
  pump.catch(() => wake?.());
  const link: ScanLink = {
    mac: info.mac,
    ip: info.ipv4.address,
    send: async (frame) => {
      await capture.send(frame);
    },
    async *frames(stop: AbortSignal) {
      frames.length = 0;
      while (!stop.aborted) {
        while (frames.length) yield frames.shift()!;
        await new Promise<void>((resolve) => {
          wake = resolve;
          stop.addEventListener('abort', () => resolve(), { once: true });
        });
      }
    },
  };
  return { link, capture };
}

function resolveSubnet(info: InterfaceInfo, subnet: Subnet | string | undefined): Subnet {
  if (typeof subnet === 'string') return parseSubnet(subnet);
  if (subnet) return subnet;
  if (!info.ipv4)
    throw new InterfaceError(
      'NO_IPV4_ADDRESS',
      `interface ${info.name} has no IPv4 address; give a subnet`,
    );
  return subnetOf(info.ipv4.address, info.ipv4.prefix);
}

/**
 * Scans the interface's subnet once and returns the hosts that answered.
 * @example await scanInterface({ interface: 'virbr0', macs: ['52:54:00:12:34:56'] })
 */
export async function scanInterface(options: LiveScanOptions): Promise<ArpHost[]> {
  const info = interfaceInfo(options.interface);
  const { link, capture } = await openScanLink(info, options.macs, options.signal);
  try {
    return await arpScan(link, ethernetArpCodec, {
      ...options,
      subnet: resolveSubnet(info, options.subnet),
    });
  } finally {
    await capture.close();
  }
}

/** Re-scans every `interval` ms, yielding the changes (new, moved, gone) of each scan. */
export async function* watchInterface(
  options: LiveScanOptions & { interval?: number },
): AsyncGenerator<ArpChange[]> {
  const info = interfaceInfo(options.interface);
  const { link, capture } = await openScanLink(info, options.macs, options.signal);
  try {
    yield* arpWatch(link, ethernetArpCodec, {
      ...options,
      subnet: resolveSubnet(info, options.subnet),
    });
  } finally {
    await capture.close();
  }
}
