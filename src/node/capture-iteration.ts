// The two ways to read a capture, over one source of batches (a ring block, a run of recvs, a
// /dev/bpf read): frame by frame, or a batch at a time with one await per batch.
import type { CapturedFrame } from './capture-types.js';

export interface CaptureIterations {
  frames(): AsyncGenerator<CapturedFrame>;
  batches(): AsyncGenerator<readonly CapturedFrame[]>;
}

/**
 * Both iterations over `source` (which ends when the capture closes). Each counts what it hands out
 * through `count` and closes the capture when the consumer stops (break, throw, end).
 */
export function captureIterations(
  source: () => AsyncGenerator<CapturedFrame[]>,
  count: (n: number) => void,
  isClosed: () => boolean,
  close: () => void,
): CaptureIterations {
  return {
    async *frames() {
      try {
        for await (const batch of source())
          for (const f of batch) {
            if (isClosed()) return;
            count(1);
            yield f;
          }
      } finally {
        close();
      }
    },
    async *batches() {
      try {
        for await (const batch of source()) {
          if (isClosed()) return;
          count(batch.length);
          yield batch;
        }
      } finally {
        close();
      }
    },
  };
}
