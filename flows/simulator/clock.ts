/**
 * The simulator's virtual clock: milliseconds since the start of the customer contact. Nothing in the
 * simulator reads the wall clock; time moves only when the simulator advances it. `progress` counts
 * advances that mean the flow waited on time or a side effect (not Connect's own per-action latency),
 * which the runaway-loop detector uses.
 */
export class VirtualClock {
  private now: number;
  private progressMarks = 0;

  constructor(startMs = 0) {
    this.now = startMs;
  }

  get nowMs(): number {
    return this.now;
  }

  /** Advances by `ms` (negative or non-finite values count as 0). */
  advanceBy(ms: number, progress = true): void {
    if (!Number.isFinite(ms) || ms <= 0) return;
    this.now += ms;
    if (progress) this.progressMarks += 1;
  }

  /** Advances to `atMs`; never goes back. */
  advanceTo(atMs: number, progress = true): void {
    this.advanceBy(atMs - this.now, progress);
  }

  /** Changes whenever the clock advanced with progress, or `markProgress` was called. */
  get progress(): number {
    return this.progressMarks;
  }

  /** Something other than time moved the contact forward (the customer sent a message). */
  markProgress(): void {
    this.progressMarks += 1;
  }
}
