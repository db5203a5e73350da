// The one worker thread that drains every TPACKET_V3 ring of the process (see ring-worker-source.ts).
// Shared rather than one per capture: koffi keeps ~3 MiB mapped for each thread it was loaded in and
// never unmaps it, and starting a worker costs tens of milliseconds.
import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import * as libc from '../ffi/libc.js';
import {
  RING_WORKER_SOURCE,
  type RingCommand,
  type RingEvent,
  type RingThreadData,
} from './ring-worker-source.js';
import { BLOCK } from './tpacket-v3.js';

/** What a ring's owner receives from the thread. */
export interface RingListener {
  block(block: Uint8Array): void;
  /** The ring failed (mmap, poll error); the thread has already dropped it. */
  error(syscall: string, errno: number): void;
}

interface Pending {
  resolve(): void;
  reject(e: unknown): void;
}

/** The shared reader thread: add/remove rings, ref while someone waits on it. */
export class RingThread {
  readonly #worker: Worker;
  readonly #commands: MessagePort;
  readonly #wakeFd: number;
  readonly #listeners = new Map<number, RingListener>();
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #refs = 0;
  #dead: Error | undefined;

  private constructor() {
    this.#wakeFd = libc.eventfd();
    const { port1, port2 } = new MessageChannel();
    this.#commands = port1;
    const data: RingThreadData = {
      koffiPath: createRequire(import.meta.url).resolve('koffi'),
      wakeFd: this.#wakeFd,
      commands: port2,
      blockStatusOffset: BLOCK.blockStatus,
      blkLenOffset: BLOCK.blkLen,
    };
    this.#worker = new Worker(RING_WORKER_SOURCE, {
      eval: true,
      workerData: data,
      transferList: [port2],
    });
    this.#worker.unref();
    this.#worker.on('message', (e: RingEvent) => this.#event(e));
    const die = (e: Error) => {
      this.#dead ??= e;
      if (shared === this) shared = undefined;
      for (const [id, p] of this.#pending) {
        this.#pending.delete(id);
        p.reject(e);
      }
      for (const [id, l] of this.#listeners) {
        this.#listeners.delete(id);
        l.error('worker', 0);
      }
    };
    this.#worker.on('error', die);
    this.#worker.on('exit', () => die(new Error('the ring reader thread exited')));
    // Process exit joins this thread: have it leave its loop now rather than at its next poll()
    // timeout (100 ms), so a capture stopped by a signal exits at once.
    process.once('exit', () => {
      this.#commands.postMessage({ kind: 'quit' } satisfies RingCommand);
      this.wake();
    });
  }

  /** The process's ring thread, started on first use. */
  static get(): RingThread {
    shared ??= new RingThread();
    return shared;
  }

  #event(e: RingEvent): void {
    switch (e.kind) {
      case 'block':
        this.#listeners.get(e.id)?.block(e.block);
        return;
      case 'ready':
      case 'removed':
        this.#settle(e.id)?.resolve();
        return;
      case 'error': {
        const p = this.#settle(e.id);
        if (p) p.reject(new libc.SysError(e.syscall, e.errno));
        else this.#listeners.get(e.id)?.error(e.syscall, e.errno);
        this.#listeners.delete(e.id);
        return;
      }
    }
  }

  #settle(id: number): Pending | undefined {
    const p = this.#pending.get(id);
    if (p) {
      this.#pending.delete(id);
      this.unref();
    }
    return p;
  }

  #send(c: Exclude<RingCommand, { kind: 'quit' }>): Promise<void> {
    if (this.#dead) return Promise.reject(this.#dead);
    this.ref();
    const done = new Promise<void>((resolve, reject) =>
      this.#pending.set(c.id, { resolve, reject }),
    );
    this.#commands.postMessage(c);
    this.wake();
    return done;
  }

  /** Maps the ring of `fd` in the thread and starts draining it; resolves once mapped. */
  add(
    fd: number,
    geometry: { blockSize: number; blockNr: number },
    maxInFlight: number,
    inFlight: SharedArrayBuffer,
    listener: RingListener,
  ): { id: number; ready: Promise<void> } {
    const id = this.#nextId++;
    this.#listeners.set(id, listener);
    const ready = this.#send({ kind: 'add', id, fd, ...geometry, maxInFlight, inFlight });
    ready.catch(() => this.#listeners.delete(id));
    return { id, ready };
  }

  /** Unmaps ring `id`; resolves once the thread no longer touches it (then its socket may close). */
  remove(id: number): Promise<void> {
    this.#listeners.delete(id);
    return this.#send({ kind: 'remove', id }).catch(() => {
      // A dead thread has nothing mapped any more.
    });
  }

  /** Wakes the thread from poll(), e.g. when a throttled ring has room again. */
  wake(): void {
    libc.signalEventfd(this.#wakeFd);
  }

  /** Keeps the process alive while someone waits on the thread (it is unref'd otherwise). */
  ref(): void {
    if (this.#refs++ === 0) this.#worker.ref();
  }
  unref(): void {
    if (--this.#refs === 0) this.#worker.unref();
  }
}

// The process-wide instance (see the file comment for why there is one).
let shared: RingThread | undefined;
