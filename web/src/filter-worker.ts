// The worker: opens a capture and runs the JIT-compiled filter over it off the page's thread.
import { filterCapture, indexCapture } from './capture.js';
import { createHandler, type Reply, type Request } from './protocol.js';

interface WorkerScope {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<Request>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const handle = createHandler((r, t) => scope.postMessage(r, t ?? []), {
  indexCapture,
  filterCapture,
});
scope.onmessage = (e) => handle(e.data);
