// Starts the workers from their bundled source (a blob URL, so the static build needs no second file
// and works from file://), or, where no worker can start, runs the same code in the page.
import workerSource from 'virtual:filter-worker';
import type { ProfileName, RawInsn } from '../../src/index.js';
import type { BuildParams, Built, GraphOutcome } from './build.js';
import type { CaptureIndex, FilterOutcome } from './capture.js';
import type { Reply, Request } from './protocol.js';

export type Where = 'worker' | 'page';

interface Channel {
  send(req: Request): void;
  /** Ends the work in progress (a worker is ended and replaced; the page cannot stop its own). */
  restart(): void;
  readonly where: Where;
}

let blobUrl: string | undefined;

/**
 * A channel to a fresh worker. `onLost` runs when a worker that had started dies (the requests it
 * held get no reply); a worker that never starts (a page policy forbidding blob: workers) is
 * replaced by the page itself, and what was sent to it is sent again.
 */
function openChannel(deliver: (r: Reply) => void, onLost: () => void): Channel {
  let where: Where = 'worker';
  let worker: Worker | undefined;
  let started = false;
  const sent: Request[] = [];
  let inPage: ((req: Request) => void) | undefined;

  const toPage = () => {
    where = 'page';
    worker?.terminate();
    worker = undefined;
    // The worker's bundle is an IIFE that talks to `self`: hand it a stand-in.
    const scope = {
      postMessage: (r: Reply) => setTimeout(() => deliver(r), 0),
      onmessage: null as ((e: { data: Request }) => void) | null,
    };
    new Function('self', workerSource)(scope);
    inPage = (req) => setTimeout(() => scope.onmessage?.({ data: structuredClone(req) }), 0);
    for (const req of sent.splice(0)) inPage(req);
  };
  const start = () => {
    started = false;
    try {
      blobUrl ??= URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
      const w = new Worker(blobUrl);
      w.onmessage = (e: MessageEvent<Reply>) => {
        started = true;
        sent.length = 0;
        deliver(e.data);
      };
      w.onerror = (e) => {
        e.preventDefault();
        if (!started) toPage();
        else {
          w.terminate();
          start();
          onLost();
        }
      };
      worker = w;
    } catch {
      toPage();
    }
  };
  start();
  return {
    get where() {
      return where;
    },
    send(req) {
      if (inPage) inPage(req);
      else {
        if (!started) sent.push(req);
        worker?.postMessage(req);
      }
    },
    restart() {
      if (!worker) return;
      worker.terminate();
      start();
    },
  };
}

export type ProgressListener = (
  phase: 'reading' | 'filtering',
  done: number,
  total: number,
) => void;

/** The capture worker: holds the open file and filters it. */
export interface FilterService {
  readonly where: Where;
  open(file: ArrayBuffer, onProgress: ProgressListener): Promise<CaptureIndex>;
  filter(
    program: RawInsn[],
    profile: ProfileName,
    onProgress: ProgressListener,
  ): Promise<FilterOutcome>;
}

type Pending = { resolve: (r: Reply) => void; onProgress: ProgressListener };

export function createFilterService(): FilterService {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  const channel = openChannel(
    (r) => {
      const p = pending.get(r.id);
      if (!p) return;
      if (r.kind === 'progress') p.onProgress(r.phase, r.done, r.total);
      else {
        pending.delete(r.id);
        p.resolve(r);
      }
    },
    () => {
      for (const [id, p] of pending)
        p.resolve({ kind: 'error', id, message: 'the worker stopped' });
      pending.clear();
    },
  );
  const request = (req: Request, onProgress: ProgressListener) =>
    new Promise<Reply>((resolve) => {
      pending.set(req.id, { resolve, onProgress });
      channel.send(req);
    });
  return {
    get where() {
      return channel.where;
    },
    async open(file, onProgress) {
      const r = await request({ kind: 'open', id: nextId++, file }, onProgress);
      if (r.kind === 'error') throw new Error(r.message);
      if (r.kind !== 'opened') throw new Error(`unexpected reply ${r.kind}`);
      return r;
    },
    async filter(program, profile, onProgress) {
      const r = await request({ kind: 'filter', id: nextId++, program, profile }, onProgress);
      if (r.kind === 'error') throw new Error(r.message);
      if (r.kind !== 'filtered') throw new Error(`unexpected reply ${r.kind}`);
      return r;
    },
  };
}

export interface BuildListener {
  /** A program of the build: `optimized` is undefined for program text. */
  program(optimized: boolean | undefined, built: Built, ms: number): void;
  /** The last reply: the graph of the program the options select. */
  graph(graph: GraphOutcome, ms: number): void;
  failed(message: string): void;
}

/** The build worker: each build replaces the one before, ending its worker if it is still busy. */
export interface BuildService {
  readonly where: Where;
  build(params: BuildParams, listener: BuildListener): void;
  /** Lays out the selected program however long it is. */
  layout(params: BuildParams, listener: BuildListener): void;
}

export function createBuildService(): BuildService {
  let current: { id: number; listener: BuildListener } | undefined;
  let busy = false;
  let nextId = 1;
  const channel = openChannel(
    (r) => {
      if (!current || r.id !== current.id) return;
      const l = current.listener;
      if (r.kind === 'program') l.program(r.optimized, r.built, r.ms);
      else if (r.kind === 'graph') {
        busy = false;
        l.graph(r.graph, r.ms);
      } else if (r.kind === 'error') {
        busy = false;
        l.failed(r.message);
      }
    },
    () => {
      busy = false;
      current?.listener.failed('the build worker stopped');
    },
  );
  const send = (req: Request, listener: BuildListener) => {
    if (busy) channel.restart();
    current = { id: req.id, listener };
    busy = true;
    channel.send(req);
  };
  return {
    get where() {
      return channel.where;
    },
    build(params, listener) {
      send({ kind: 'build', id: nextId++, ...params }, listener);
    },
    layout(params, listener) {
      send({ kind: 'layout', id: nextId++, params }, listener);
    },
  };
}
