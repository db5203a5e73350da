// openCapture: one live-capture API over Linux AF_PACKET (a TPACKET_V3 ring or recv) and BSD /dev/bpf.
import { openBpfCapture } from './bsd/bpf-capture.js';
import type { Capture, CaptureBackend, CaptureOptions, FilterResolver } from './capture-types.js';
import { openPacketCapture } from './linux/packet-capture.js';
import { CaptureError, resolveFilter } from './resolve-filter.js';

export type {
  Capture,
  CaptureBackend,
  CapturedFrame,
  CaptureOptions,
  CaptureStats,
  FilterResolver,
} from './capture-types.js';
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
 * for await (const f of cap) console.log(f.timestamp, f.wireLength);
 */
export async function openCapture(options: CaptureOptions): Promise<Capture> {
  const backend = selectCaptureBackend(process.platform, options);
  const resolve: FilterResolver = (f, linktype) => resolveFilter(f, options.linktype ?? linktype);
  return backend === 'bpf'
    ? openBpfCapture(options, resolve)
    : openPacketCapture(options, resolve, backend === 'packet-ring');
}
