// Starts the filter worker from its bundled source (a blob URL, so the static build needs no
// second file request and works from file://), or, where workers cannot start, runs the same
// handler in the page.
import workerSource from 'virtual:filter-worker';
import type { ProfileName, RawInsn } from '../../src/index.js';
import { type CaptureIndex, type FilterOutcome, filterCapture, indexCapture } from './capture.js';
import { createHandler, type Reply, type Request } from './protocol.js';

export type ProgressListener = (
  phase: 'reading' | 'filtering',
  done: number,
  total: number,
) => void;

export interface FilterService {
  /** Where the work runs: 'worker', or 'page' when no worker could start. */
  readonly where: 'worker' | 'page';
  open(file: ArrayBuffer, onProgress: ProgressListener): Promise<CaptureIndex>;
  filter(
    program: RawInsn[],
    profile: ProfileName,
    onProgress: ProgressListener,
  ): Promise<FilterOutcome>;
}

type Pending = { req: Request; resolve: (r: Reply) => void; onProgress: ProgressListener };

export function createFilterService(): FilterService {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  const deliver = (r: Reply) => {
    const p = pending.get(r.id);
    if (!p) return;
    if (r.kind === 'progress') p.onProgress(r.phase, r.done, r.total);
    else {
      pending.delete(r.id);
      p.resolve(r);
    }
  };
  let where: 'worker' | 'page' = 'worker';
  let send: (req: Request) => void;
  const inPage = () => {
    where = 'page';
    // Replies arrive after the handler returns, as they would from a worker.
    const handle = createHandler((r) => queueMicrotask(() => deliver(r)), {
      indexCapture,
      filterCapture,
    });
    send = (req) => setTimeout(() => handle(req), 0);
  };
  try {
    const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    const worker = new Worker(url);
    worker.onmessage = (e: MessageEvent<Reply>) => deliver(e.data);
    // A worker that cannot load (a page policy forbidding blob: workers): redo its requests here.
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      inPage();
      for (const p of pending.values()) send(p.req);
    };
    send = (req) => worker.postMessage(req);
  } catch {
    inPage();
  }
  const request = (req: Request, onProgress: ProgressListener) =>
    new Promise<Reply>((resolve) => {
      pending.set(req.id, { req, resolve, onProgress });
      send(req);
    });
  return {
    get where() {
      return where;
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
