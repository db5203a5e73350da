// A private network namespace with one veth pair (cba <-> cbb), entered by this process's main thread via setns(2).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { enterPrivateNetns } from '../../src/node/netns.js';

export interface Netns {
  readonly name: string;
  /** Leaves the namespace and deletes it (and its veth pair). */
  dispose(): void;
}

/** Fails (never skips) naming what is missing. */
export function requireRootAndIp(): void {
  if (process.getuid?.() !== 0)
    throw new Error('integration tests need root (CI runs them as root)');
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    throw new Error("'ip' is missing: apt-get install iproute2");
  }
}

/** Creates namespace `name` with veth cba/cbb up (IPv6 off) and enters it: src/node/netns.ts, after the prerequisite check. */
export function enterNetns(name: string): Netns {
  requireRootAndIp();
  return enterPrivateNetns(name);
}

/** An Ethernet frame b -> a with the local-experimental ethertype 0x88b5 and `payload`. */
export function testFrame(payload: Uint8Array | number[]): Uint8Array {
  const f = new Uint8Array(14 + Math.max(payload.length, 46));
  f.set([0x02, 0, 0, 0, 0, 0xaa, 0x02, 0, 0, 0, 0, 0xbb, 0x88, 0xb5]);
  f.set(payload, 14);
  return f;
}

/** The filter for testFrame([1, ...]): ethertype 0x88b5 and first payload byte 1; `keep` bytes of it. */
export function onlyMarked(keep = 0xffff) {
  return [
    { code: 0x28, jt: 0, jf: 0, k: 12 }, // ldh [12]
    { code: 0x15, jt: 0, jf: 3, k: 0x88b5 }, // jeq #0x88b5
    { code: 0x30, jt: 0, jf: 0, k: 14 }, // ldb [14]
    { code: 0x15, jt: 0, jf: 1, k: 1 }, // jeq #1
    { code: 0x06, jt: 0, jf: 0, k: keep }, // ret #keep
    { code: 0x06, jt: 0, jf: 0, k: 0 }, // ret #0
  ];
}

/**
 * Waits until this namespace has at least `n` packet sockets (/proc/net/packet): a capture opened
 * elsewhere has its socket, filter and ring set up in one synchronous step, so once the socket is
 * visible, frames sent are seen. Better than a fixed sleep when the suite runs under load.
 */
export async function waitForPacketSockets(n = 1, timeoutMs = 5000): Promise<void> {
  const count = () => readFileSync('/proc/net/packet', 'utf8').trim().split('\n').length - 1;
  const t0 = Date.now();
  while (count() < n) {
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`no ${n} packet socket(s) after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
