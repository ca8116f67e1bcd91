/**
 * Pauses of the machine during a contact. A simulation multiplies real time by its speed (time-scale.ts),
 * so a process that is not scheduled for 300 ms (another test suite's terraform plan, a garbage
 * collection) makes a handler call count 6 s longer at speed 20: long enough to cross a block's time
 * limit and change the contact's outcome. A sentinel timer firing every `STALL_TICK_MS` in the simulator
 * and in every function host measures how late it fires; the largest lateness seen during a contact is
 * reported with it (`ContactRun.largestStallRealMs`), so a caller can tell an outcome of the kit from an
 * outcome of a busy machine (`isDisturbed`).
 */

/** Real milliseconds between the sentinel's ticks. */
export const STALL_TICK_MS = 10;

/**
 * JavaScript that starts the sentinel in a function host, before its clocks are warped: `__stallSentinel()`
 * returns the largest lateness (real ms) since its previous call and starts over.
 */
export const STALL_SENTINEL_SOURCE = `
(() => {
  const realSetInterval = globalThis.setInterval;
  const hrtime = process.hrtime.bigint;
  let last = hrtime();
  let largest = 0;
  realSetInterval(() => {
    const now = hrtime();
    largest = Math.max(largest, Number(now - last) / 1e6 - ${STALL_TICK_MS});
    last = now;
  }, ${STALL_TICK_MS}).unref();
  globalThis.__stallSentinel = () => {
    const seen = largest;
    largest = 0;
    return Math.round(seen);
  };
})();
`;

/** The simulator process's sentinel: started for a contact, read at its end. */
export class StallSentinel {
  private largest = 0;
  private last = process.hrtime.bigint();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => {
      const now = process.hrtime.bigint();
      this.observe(Number(now - this.last) / 1e6 - STALL_TICK_MS);
      this.last = now;
    }, STALL_TICK_MS);
    this.timer.unref();
  }

  /** Counts a pause measured elsewhere (a function host's sentinel), real ms. */
  observe(stallMs: number | undefined): void {
    if (stallMs !== undefined && Number.isFinite(stallMs)) this.largest = Math.max(this.largest, stallMs);
  }

  /** Stops the sentinel; returns the largest lateness seen, real ms. */
  stop(): number {
    clearInterval(this.timer);
    return Math.round(this.largest);
  }
}

/** The smallest margin of the kit's flows a pause could eat into: 1 s of contact time (virtual ms). */
export const DEFAULT_STALL_TOLERANCE_MS = 1_000;

/**
 * Whether a machine pause during the run counted for at least `toleranceMs` of contact time: long enough
 * to push a call past a block's limit, so the run's timings say more about the machine than the kit.
 */
export function isDisturbed(run: { readonly largestStallRealMs: number; readonly speed: number }, toleranceMs = DEFAULT_STALL_TOLERANCE_MS): boolean {
  return run.largestStallRealMs * run.speed >= toleranceMs;
}
