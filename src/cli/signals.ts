// SIGINT, SIGTERM and SIGHUP for the cbpf process: a command that has something to finish (a capture
// file to close, statistics to print) listens on an AbortSignal and stops within a few ms; any other
// command ends at once, as the default action ends tcpdump before it installs its handlers.
import { getEventListeners } from 'node:events';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Their numbers, the same on Linux, macOS and the BSDs (os.constants.signals has them; loading node:os costs a start 0.3 ms). */
export const SIGNAL_NUMBER: Readonly<Record<StopSignal, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGTERM: 15,
};

/**
 * How long a command that listens on the stop signal may take to finish after one arrives before
 * the signal's default action ends the process anyway (a stalled reader, a hung file system).
 */
export const STOP_GRACE_MS = 2000;

export interface StopSignals {
  /** Aborted (with the signal's name as reason) when a stop signal arrives and a command listens. */
  readonly signal: AbortSignal;
  /** The stop signal that arrived, if one did. */
  readonly received: StopSignal | undefined;
  /**
   * Runs `work` with the signals' default actions in place, so a signal ends the process at once
   * even while `work` keeps the thread busy (a compile of minutes): JavaScript handlers only run
   * between tasks. Use it only for work that leaves nothing half-done when the process dies there.
   * A promise keeps the default actions until it settles.
   */
  uninterruptible<T>(work: () => T): T;
  /** Restores the default actions for good. */
  dispose(): void;
}

/**
 * Ends the process with `sig`'s default action, so the parent sees it killed by that signal (what a
 * shell reports as 128 + n), as tcpdump ends on a signal before its handlers are installed.
 */
export function dieBy(sig: StopSignal): never {
  for (const s of STOP_SIGNALS) process.removeAllListeners(s);
  process.kill(process.pid, sig);
  // The signal is delivered before kill() returns to a single-threaded caller; this is a fallback.
  process.exit(128 + SIGNAL_NUMBER[sig]);
}

/** Installs the handlers; one set per process (the CLI entry point). */
export function installStopSignals(): StopSignals {
  const ac = new AbortController();
  let received: StopSignal | undefined;
  let suspended = 0;
  const onSignal = (sig: StopSignal) => {
    // A second signal, or nobody to finish anything: end now.
    if (received !== undefined || getEventListeners(ac.signal, 'abort').length === 0) dieBy(sig);
    received = sig;
    ac.abort(sig);
    setTimeout(() => dieBy(sig), STOP_GRACE_MS).unref();
  };
  const listen = () => {
    for (const s of STOP_SIGNALS) process.on(s, onSignal);
  };
  // Removing the last listener makes libuv restore SIG_DFL.
  const unlisten = () => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  };
  listen();
  return {
    signal: ac.signal,
    get received() {
      return received;
    },
    uninterruptible<T>(work: () => T): T {
      if (suspended++ === 0) unlisten();
      const resume = () => {
        if (--suspended === 0) listen();
      };
      let result: T;
      try {
        result = work();
      } catch (e) {
        resume();
        throw e;
      }
      if (result instanceof Promise) return result.finally(resume) as T;
      resume();
      return result;
    },
    dispose: unlisten,
  };
}
