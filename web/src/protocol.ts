// Messages between the page and the filter worker. Every request carries an id; replies and
// progress echo it, so the page can ignore answers to requests it has since replaced.
import type { ProfileName, RawInsn } from '../../src/index.js';
import type { CaptureIndex, FilterOutcome } from './capture.js';

export type Request =
  | { kind: 'open'; id: number; file: ArrayBuffer }
  | { kind: 'filter'; id: number; program: RawInsn[]; profile: ProfileName };

export type Reply =
  | { kind: 'progress'; id: number; phase: 'reading' | 'filtering'; done: number; total: number }
  | ({ kind: 'opened'; id: number } & CaptureIndex)
  | ({ kind: 'filtered'; id: number } & FilterOutcome)
  | { kind: 'error'; id: number; message: string };

/** The worker's logic, independent of where it runs: a handler for requests that posts replies. */
export function createHandler(
  post: (r: Reply, transfer?: Transferable[]) => void,
  deps: {
    indexCapture: typeof import('./capture.js').indexCapture;
    filterCapture: typeof import('./capture.js').filterCapture;
  },
): (req: Request) => void {
  let file: Uint8Array | undefined;
  let index: CaptureIndex | undefined;
  return (req) => {
    const progress = (phase: 'reading' | 'filtering', done: number, total: number) =>
      post({ kind: 'progress', id: req.id, phase, done, total });
    try {
      if (req.kind === 'open') {
        file = new Uint8Array(req.file);
        index = undefined;
        index = deps.indexCapture(file, progress);
        post({ kind: 'opened', id: req.id, ...index });
      } else {
        if (!file || !index) throw new Error('no capture is open');
        const out = deps.filterCapture(file, index, req.program, req.profile, progress);
        post({ kind: 'filtered', id: req.id, ...out });
      }
    } catch (err) {
      post({ kind: 'error', id: req.id, message: (err as Error).message });
    }
  };
}
