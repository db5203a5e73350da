// The optimizer's work budget: block visits, threading steps and chain steps, counted as they happen. Every
// pass leaves a correct graph after each change it makes, so running out only means stopping early: the
// passes then change nothing more, and the program is emitted as far as it got (less optimized, never
// wrong). The count is of work, not of time, so a filter compiles to the same program on every machine.

/**
 * Work units per optimize() call. No expression of the differential sets needs more than ~35,000; a
 * 100-host list needs 0.4 million, a 500-host list 3 million (it still reaches libpcap's program); a
 * 1,000-host list needs far more and stops here, after about 2 seconds.
 */
export const WORK_BUDGET = 4_000_000;

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
