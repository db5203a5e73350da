// The optimizer's work budget: block visits, threading steps and chain steps, counted as they happen. Every
// pass leaves a correct graph after each change it makes, so running out only means stopping early: the
// passes then change nothing more, and the program is emitted as far as it got (less optimized, never
// wrong). The count is of work, not of time, so a filter compiles to the same program on every machine.
import { keep } from '../resident.js';

/**
 * Work units per optimize() call. No expression of the differential sets needs more than ~9,000; a
 * 100-host list needs 0.12 million, a 500-host list 1.7 million, a 1,000-host list 6.2 million and a
 * 1,000-port list 6.5 million (all three reach libpcap's programs; at 6 million the 1,000-long lists do
 * already, in 1-2 s here). 2,000 hosts and more stop here, after at most about 3 seconds (5,000 nets or
 * ports; 8 million made 5,000 nets take half as long again and no program shorter).
 */
export const WORK_BUDGET = 6_000_000;

export class Budget {
  constructor(private left = WORK_BUDGET) {}

  /** Takes `n` units; false once the budget is spent. */
  spend(n: number): boolean {
    this.left -= n;
    return this.left > 0;
  }

  get spent(): boolean {
    return this.left <= 0;
  }
}

// One kept alive, for V8 (resident.ts).
keep(new Budget());
