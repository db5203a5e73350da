// The TPACKET_V3 reader thread's source. It is plain CommonJS run with `eval: true` so the same text
// works from the TypeScript sources (tsx) and from dist/ without a loader in the worker.
//
// One thread serves every ring of the process. It waits in poll() on the rings' sockets and a wake-up
// eventfd, copies each block the kernel retires (its first blk_len bytes) into a fresh ArrayBuffer,
// gives the block back (block_status = TP_STATUS_KERNEL) and transfers the copy to the main thread.
// Commands (add/remove a ring) arrive on a MessagePort read synchronously after a wake-up. Each ring
// has an Int32 counter of blocks posted but not yet taken by the main thread: at maxInFlight the
// thread leaves that ring alone (until the main thread takes one and wakes it), so a slow consumer
// makes the kernel drop (and count) frames instead of memory growing.

import type { MessagePort } from 'node:worker_threads';

/** What the reader thread is started with. */
export interface RingThreadData {
  koffiPath: string;
  wakeFd: number;
  commands: MessagePort;
  blockStatusOffset: number;
  blkLenOffset: number;
}

/** Main thread -> reader thread, on the commands port. */
export type RingCommand =
  | {
      kind: 'add';
      id: number;
      fd: number;
      blockSize: number;
      blockNr: number;
      maxInFlight: number;
      inFlight: SharedArrayBuffer;
    }
  | { kind: 'remove'; id: number }
  /** The process is exiting: leave the loop, so exit need not wait out a poll() timeout. */
  | { kind: 'quit' };

/** Reader thread -> main thread. */
export type RingEvent =
  | { kind: 'ready'; id: number }
  | { kind: 'removed'; id: number }
  | { kind: 'error'; id: number; syscall: string; errno: number }
  | { kind: 'block'; id: number; block: Uint8Array };

export const RING_WORKER_SOURCE = `
'use strict';
const { workerData: w, parentPort, receiveMessageOnPort } = require('node:worker_threads');
const koffi = require(w.koffiPath);
const libc = koffi.load('libc.so.6');
const poll = libc.func('int poll(void *fds, unsigned long n, int timeout)');
const read = libc.func('intptr_t read(int fd, void *buf, size_t len)');
const mmap = libc.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, intptr_t off)');
const munmap = libc.func('int munmap(void *addr, size_t len)');
const PROT_READ_WRITE = 3, MAP_SHARED = 1, POLLIN = 1, POLLERR = 8, POLLNVAL = 32;
const rings = new Map();
const scratch = new Uint8Array(8);

function add(c) {
  const size = c.blockSize * c.blockNr;
  const ptr = mmap(null, size, PROT_READ_WRITE, MAP_SHARED, c.fd, 0);
  if (ptr === null || koffi.address(ptr) === 0xffffffffffffffffn) {
    parentPort.postMessage({ kind: 'error', id: c.id, syscall: 'mmap', errno: koffi.errno() });
    return;
  }
  const ring = new Uint8Array(koffi.view(ptr, size));
  rings.set(c.id, { ...c, ptr, size, ring, words: new Int32Array(ring.buffer), inFlight: new Int32Array(c.inFlight), cur: 0 });
  parentPort.postMessage({ kind: 'ready', id: c.id });
}

function remove(id, event) {
  const r = rings.get(id);
  if (r) {
    rings.delete(id);
    munmap(r.ptr, r.size);
  }
  if (event) parentPort.postMessage(event);
}

// Hands over every retired block of a ring; true when it stopped because of flow control.
function drain(r) {
  for (;;) {
    const off = r.cur * r.blockSize;
    const status = (off + w.blockStatusOffset) >> 2;
    // Atomics.load orders the block's reads after its status (pairs with the kernel's smp_wmb).
    if ((Atomics.load(r.words, status) & 1) === 0) return false;
    if (Atomics.load(r.inFlight, 0) >= r.maxInFlight) return true;
    let len = r.words[(off + w.blkLenOffset) >> 2] >>> 0;
    if (len > r.blockSize) len = r.blockSize;
    const block = r.ring.slice(off, off + len);
    Atomics.store(r.words, status, 0);
    Atomics.add(r.inFlight, 0, 1);
    parentPort.postMessage({ kind: 'block', id: r.id, block }, [block.buffer]);
    r.cur = r.cur + 1 === r.blockNr ? 0 : r.cur + 1;
  }
}

let pfd = new Uint8Array(16 * 8);
let pv = new DataView(pfd.buffer);
let quit = false;
while (!quit) {
  let m;
  while ((m = receiveMessageOnPort(w.commands)) !== undefined) {
    const c = m.message;
    if (c.kind === 'add') add(c);
    else if (c.kind === 'quit') quit = true;
    else remove(c.id, { kind: 'removed', id: c.id });
  }
  if (quit) break;
  const polled = [];
  for (const r of rings.values()) if (!drain(r)) polled.push(r);
  if (pfd.length < 8 * (polled.length + 1)) {
    pfd = new Uint8Array(16 * (polled.length + 1));
    pv = new DataView(pfd.buffer);
  }
  pv.setInt32(0, w.wakeFd, true);
  pv.setInt32(4, POLLIN, true); // events = POLLIN, revents = 0
  polled.forEach((r, i) => {
    pv.setInt32(8 * (i + 1), r.fd, true);
    pv.setInt32(8 * (i + 1) + 4, POLLIN, true);
  });
  // A throttled ring is not polled: the main thread wakes us when it takes a block. The timeout
  // bounds how long process exit waits for this thread to notice it is being terminated.
  poll(pfd, polled.length + 1, 100);
  if (pv.getInt16(6, true) & POLLIN) read(w.wakeFd, scratch, 8);
  polled.forEach((r, i) => {
    if (pv.getInt16(8 * (i + 1) + 6, true) & (POLLERR | POLLNVAL))
      remove(r.id, { kind: 'error', id: r.id, syscall: 'poll', errno: 0 });
  });
}
`;
