// The workers' logic: a handler for requests that posts replies. The page starts it twice, one
// worker for builds (stateless, so a build that a newer one replaces can be stopped by ending the
// worker) and one for the open capture.
import { buildVariant, graphFor } from './build.js';
import { type CaptureIndex, filterCapture, indexCapture } from './capture.js';
import type { Reply, Request } from './protocol.js';

export function createHandler(
  post: (r: Reply, transfer?: Transferable[]) => void,
): (req: Request) => void {
  let file: Uint8Array | undefined;
  let index: CaptureIndex | undefined;
  return (req) => {
    const progress = (phase: 'reading' | 'filtering', done: number, total: number) =>
      post({ kind: 'progress', id: req.id, phase, done, total });
    try {
      switch (req.kind) {
        case 'open':
          // A file that fails to open leaves none open, never the one before.
          file = undefined;
          index = undefined;
          {
            const bytes = new Uint8Array(req.file);
            index = indexCapture(bytes, progress);
            file = bytes;
          }
          post({ kind: 'opened', id: req.id, ...index });
          return;
        case 'filter': {
          if (!file || !index) throw new Error('no capture is open');
          post({
            kind: 'filtered',
            id: req.id,
            ...filterCapture(file, index, req.program, req.profile, progress),
          });
          return;
        }
        case 'build': {
          // The unoptimized variant first: it takes milliseconds where the optimizer may take seconds.
          let t = performance.now();
          const plain = buildVariant(req, false);
          let main = plain;
          if (plain.kind !== 'expression') {
            // Program text (or nothing): one program, run as written.
            post({
              kind: 'program',
              id: req.id,
              optimized: undefined,
              built: plain,
              ms: performance.now() - t,
            });
          } else {
            post({
              kind: 'program',
              id: req.id,
              optimized: false,
              built: plain,
              ms: performance.now() - t,
            });
            t = performance.now();
            const optimized = buildVariant(req, true);
            post({
              kind: 'program',
              id: req.id,
              optimized: true,
              built: optimized,
              ms: performance.now() - t,
            });
            if (req.optimize) main = optimized;
          }
          t = performance.now();
          post({ kind: 'graph', id: req.id, graph: graphFor(main), ms: performance.now() - t });
          return;
        }
        case 'layout': {
          const t = performance.now();
          const graph = graphFor(buildVariant(req.params, req.params.optimize), true);
          post({ kind: 'graph', id: req.id, graph, ms: performance.now() - t });
          return;
        }
      }
    } catch (err) {
      post({ kind: 'error', id: req.id, message: (err as Error).message });
    }
  };
}
