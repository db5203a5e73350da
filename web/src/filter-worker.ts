// The worker's entry: builds programs and lays out their graphs, or opens a capture and runs the
// JIT-compiled filter over it, off the page's thread (web/src/handler.ts).
import { createHandler } from './handler.js';
import type { Reply, Request } from './protocol.js';

interface WorkerScope {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<Request>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const handle = createHandler((r, t) => scope.postMessage(r, t ?? []));
scope.onmessage = (e) => handle(e.data);
