// Replaying captured frames onto an interface at a chosen pace: as fast as the socket takes them, at a
// fixed rate, or at the capture's own timing. Due times are absolute (start + i / rate), so a timer
// that fires late delays one frame, never the rest: the average rate holds within the clock's error.
import { CbpfError } from '../../core/errors.js';
import type { PcapRecord } from '../../pcap/index.js';
import type { ReplayErrorCode } from '../errors.js';

/** Where frames go: resolves once the frame is handed to the kernel (waits while its queue is full). */
export interface FrameSink {
  send(frame: Uint8Array): void | Promise<void>;
}

export interface ReplayOptions {
  /** Frames per second; without it and without `realtime`, as fast as the sink takes them. */
  rate?: number;
  /** Keep the capture's own gaps between frames. */
  realtime?: boolean;
  /** Times through the input; default 1. */
  loop?: number;
  /** Sends only the records this accepts (a compiled filter); the rest are counted as skipped. */
  accept?: (record: PcapRecord) => boolean;
  signal?: AbortSignal;
  /** Milliseconds on a monotonic clock; default performance.now. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called after each frame sent, for progress. */
  onSent?: (stats: ReplayStats) => void;
}

export interface ReplayStats {
  sent: number;
  bytes: number;
  /** Records the filter did not accept. */
  skipped: number;
  /** Records captured shorter than they were on the wire: sent as captured. */
  cut: number;
  /** Frames the interface refused (EMSGSIZE and the like), with the first reason. */
  failed: number;
  firstFailure?: string;
  /** From the first frame sent to the last, seconds. */
  seconds: number;
  /** Whether a signal stopped the replay early. */
  stopped: boolean;
}

/** A sink's word that this one frame cannot go out (too long, say); the replay counts it and goes on. */
export class FrameRefusedError extends CbpfError<ReplayErrorCode> {
  constructor(message: string) {
    super('FRAME_REFUSED', message);
  }
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Sends each record of `source()` (called once per loop) to `sink`, paced as `options` say.
 * A FrameRefusedError from the sink is counted and the replay goes on; any other error ends it.
 */
export async function replay(
  source: () => AsyncIterable<PcapRecord>,
  sink: FrameSink,
  options: ReplayOptions = {},
): Promise<ReplayStats> {
  const { rate, realtime, signal } = options;
  if (rate !== undefined && !(rate > 0 && Number.isFinite(rate)))
    throw new RangeError(`rate must be a positive number of frames per second, got ${rate}`);
  if (rate !== undefined && realtime) throw new RangeError('rate and realtime exclude each other');
  const loops = options.loop ?? 1;
  if (!(Number.isInteger(loops) && loops >= 1))
    throw new RangeError(`loop must be a whole number of times, 1 or more, got ${loops}`);
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? defaultSleep;
  const stats: ReplayStats = {
    sent: 0,
    bytes: 0,
    skipped: 0,
    cut: 0,
    failed: 0,
    seconds: 0,
    stopped: false,
  };
  let start: number | undefined;
  let last = 0;
  // realtime: the capture's first timestamp of this loop, and when this loop's first frame was due.
  let loopBase: { ts: bigint; at: number } | undefined;
  let sinceYield = 0;
  const stoppedNow = () => {
    if (signal?.aborted) stats.stopped = true;
    return stats.stopped;
  };
  // Listening (not only polling) tells the CLI's signal handler there is a report to finish, and
  // cuts a paced wait short.
  let wake: (() => void) | undefined;
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    await run();
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (start !== undefined) stats.seconds = (last - start) / 1000;
  return stats;

  async function run(): Promise<void> {
    for (let l = 0; l < loops && !stoppedNow(); l++) {
      loopBase = undefined;
      for await (const rec of source()) {
        if (stoppedNow()) break;
        if (options.accept && !options.accept(rec)) {
          stats.skipped++;
          continue;
        }
        const t = now();
        start ??= t;
        let due: number | undefined;
        if (rate !== undefined) due = start + (stats.sent + stats.failed) * (1000 / rate);
        else if (realtime) {
          loopBase ??= { ts: rec.timestampNs, at: Math.max(t, last) };
          // A timestamp before the loop's first (a file out of order) is due at once.
          const gap = Number(rec.timestampNs - loopBase.ts) / 1e6;
          due = loopBase.at + Math.max(0, gap);
        }
        if (due !== undefined && due - t >= 1) {
          await Promise.race([sleep(due - t), new Promise<void>((r) => (wake = r))]);
          wake = undefined;
          if (stoppedNow()) break;
        } else if (++sinceYield >= 256) {
          // Unpaced: let timers and signals in now and then.
          sinceYield = 0;
          await new Promise<void>((r) => setImmediate(r));
          if (stoppedNow()) break;
        }
        try {
          await sink.send(rec.data);
          stats.sent++;
          stats.bytes += rec.data.length;
          if (rec.caplen < rec.wirelen) stats.cut++;
        } catch (err) {
          if (!(err instanceof FrameRefusedError)) throw err;
          stats.failed++;
          stats.firstFailure ??= err.message;
        }
        last = now();
        options.onSent?.(stats);
      }
    }
  }
}
