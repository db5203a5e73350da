// openCapture: one live-capture API over Linux AF_PACKET (a TPACKET_V3 ring or recv) and BSD /dev/bpf.
import { openBpfCapture } from './bsd/bpf-capture.js';
import type { Capture, CaptureBackend, CaptureOptions } from './capture-types.js';
import { CaptureError, resolveFilter } from './resolve-filter.js';

export type { CaptureBatch } from './capture-batch.js';
export type {
  Capture,
  CaptureBackend,
  CapturedFrame,
  CaptureOptions,
  CaptureStats,
  FilterResolver,
} from './capture-types.js';
export {
  ETH_P_8021AD,
  ETH_P_8021Q,
  ETH_P_ALL,
  ETH_P_ARP,
  ETH_P_IP,
  ETH_P_IPV6,
  PACKET_BROADCAST,
  PACKET_HOST,
  PACKET_MULTICAST,
  PACKET_OTHERHOST,
  PACKET_OUTGOING,
  type PacketDirection,
} from './linux/link-types.js';
export { CaptureError, resolveFilter } from './resolve-filter.js';

/** Which backend openCapture uses on `platform` (process.platform) for these options. */
export function selectCaptureBackend(
  platform: string,
  options: Pick<CaptureOptions, 'ring'> = {},
): CaptureBackend {
  switch (platform) {
    case 'linux':
      return options.ring === false ? 'packet-recv' : 'packet-ring';
    case 'darwin':
    case 'freebsd':
      if (options.ring === true)
        throw new CaptureError(
          'RING_UNSUPPORTED',
          `ring: true needs Linux; ${platform} reads /dev/bpf`,
        );
      return 'bpf';
    default:
      throw new CaptureError(
        'UNSUPPORTED_PLATFORM',
        `live capture needs Linux, macOS or FreeBSD, not ${platform}`,
      );
  }
}

/**
 * Opens a live capture with the filter attached in the kernel. Iterate it for frames; `break`, an
 * aborted `signal` or close() end the iteration within ~100 ms and release the descriptor.
 * @example
 * const cap = await openCapture({ interface: 'eth0', filter: 'arp' });
 * for await (const f of cap) console.log(f.timestampNs, f.wirelen);
 */
export async function openCapture(options: CaptureOptions): Promise<Capture> {
  const backend = selectCaptureBackend(process.platform, options);
  if (backend === 'bpf') {
    if (!options.interface)
      throw new CaptureError('NO_INTERFACE', '/dev/bpf needs an interface (there is no `any`)');
    return openBpfCapture(options, (f, linktype) => resolveFilter(f, options.linktype ?? linktype));
  }
  // A literal specifier, so the CLI bundle carries the module.
  const { openPacketCapture } = await import('./linux/packet-capture.js');
  return openPacketCapture(options, backend === 'packet-ring');
}
