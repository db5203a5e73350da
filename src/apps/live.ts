// The apps' view of a live capture: what they need from src/node/capture.ts, and the interface's addresses.
import { networkInterfaces } from 'node:os';
import type { RawInsn } from '../core/insn.js';
import type { Capture } from '../node/capture-types.js';
import { InterfaceError } from './errors.js';

/** The part of a capture (src/node/capture-types.ts) the apps use: its frames, send, stats, close. */
export type LiveCapture = Pick<Capture, typeof Symbol.asyncIterator | 'send' | 'stats' | 'close'>;

export interface LiveOptions {
  interface: string;
  filter: RawInsn[];
  promiscuous?: boolean;
  signal?: AbortSignal;
}

/** Opens a filtered capture on `options.interface` (Linux AF_PACKET; BSD /dev/bpf where available). */
export async function openLive(options: LiveOptions): Promise<LiveCapture> {
  // Loaded lazily: the socket layer needs koffi and root, the rest of the apps do not. A literal
  // specifier, so the CLI bundle carries the module.
  const { openCapture } = await import('../node/capture.js');
  return openCapture(options);
}

/** An interface's MAC and first IPv4 address with its prefix length. */
export interface InterfaceInfo {
  readonly name: string;
  readonly mac: string;
  readonly ipv4?: { readonly address: string; readonly prefix: number };
}

export function interfaceInfo(name: string): InterfaceInfo {
  const all = networkInterfaces();
  const addrs = Object.hasOwn(all, name) ? all[name] : undefined;
  if (!addrs)
    throw new InterfaceError(
      'NO_INTERFACE',
      `no interface named '${name}' (have: ${Object.keys(all).join(', ')})`,
    );
  const v4 = addrs.find((a) => a.family === 'IPv4');
  const prefix = v4?.cidr ? Number(v4.cidr.split('/')[1]) : undefined;
  return {
    name,
    mac: addrs[0].mac,
    ipv4: v4 && prefix !== undefined ? { address: v4.address, prefix } : undefined,
  };
}
