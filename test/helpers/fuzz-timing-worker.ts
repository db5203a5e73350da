// The worker test/fuzz/hostile-input.test.ts times inputs in: a thread the test can terminate when
// an input hangs, so the test names that input instead of hanging itself. One message per input:
// {id, kind, input, minMs} -> {id, ms (per run), outcome}.
import { parentPort } from 'node:worker_threads';
import { compileStages } from '../../src/compiler/index.js';
import { CbpfError } from '../../src/core/errors.js';
import { parseProgramText } from '../../src/core/text/index.js';
import { parseCapture } from '../../src/pcap/index.js';
import { createCaptureScanner } from '../../src/pcap/scanner.js';

export type FuzzKind = 'text' | 'expr' | 'expr-optimized' | 'capture';

export interface FuzzJob {
  id: number;
  kind: FuzzKind;
  input: string | Uint8Array;
  /** Runs the input again until this much time has passed (one run at least), for a stable mean. */
  minMs: number;
}

export interface FuzzResult {
  id: number;
  /** Mean wall time of one run. */
  ms: number;
  /** 'ok', 'refused' (a typed cbpf error), or 'threw <name>: <message>' for anything else. */
  outcome: string;
}

function once(kind: FuzzKind, input: string | Uint8Array): void {
  switch (kind) {
    case 'text':
      parseProgramText(input as string);
      return;
    case 'expr':
      compileStages(input as string, { optimize: false });
      return;
    case 'expr-optimized':
      compileStages(input as string);
      return;
    case 'capture': {
      const bytes = input as Uint8Array;
      parseCapture(bytes);
      const s = createCaptureScanner();
      try {
        let at = 0;
        for (let used = 1; used > 0; at += used) {
          used = s.scan(bytes, at, bytes.length);
          for (let i = 0; i < s.batch.n; i++) {
            s.record(bytes, i);
            s.timeval(bytes, i);
          }
          if (s.error) throw s.error;
        }
        s.end(bytes.length - at);
      } catch (e) {
        if (!(e instanceof CbpfError)) throw e;
      }
      return;
    }
  }
}

function run(job: FuzzJob): FuzzResult {
  let outcome = 'ok';
  let runs = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    try {
      once(job.kind, job.input);
    } catch (e) {
      outcome =
        e instanceof CbpfError
          ? 'refused'
          : `threw ${(e as Error)?.name}: ${(e as Error)?.message}`;
    }
    runs++;
    elapsed = performance.now() - t0;
  } while (elapsed < job.minMs && runs < 1000);
  return { id: job.id, ms: elapsed / runs, outcome };
}

parentPort?.on('message', (job: FuzzJob) => parentPort?.postMessage(run(job)));
// Loaded (with everything it imports): the test starts its clocks only now.
parentPort?.postMessage('ready');
