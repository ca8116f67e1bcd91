/**
 * Time for simulations that run the kit's real handlers (see index.ts, "Time").
 *
 * A `TimeScale` ties the simulator's virtual clock to real time at `speed` virtual ms per real ms:
 *
 * - The simulator side: a contact's virtual time t corresponds to the real instant
 *   `contactStart + t / speed` (a `ContactClock`). The simulator's waits are timers on that clock, and a
 *   side effect reports as its duration the real time from its virtual start's instant to its end, times
 *   `speed`, so the virtual clock follows scaled real time and the simulator's own processing time is
 *   counted (into the next side effect) instead of drifting. While no handler runs, the clock jumps to its
 *   next timer (and every host's clock with it).
 * - The handler side: every function host runs with its clocks warped by the same factor
 *   (`TIME_WARP_SOURCE`): `Date`, `setTimeout`, `setInterval`, `AbortSignal.timeout` and
 *   `performance.now` run `speed` times faster, so the handlers' own constants keep their values and take
 *   1/speed of real time. The warp starts as real time (warming up cannot time out) and is changed for
 *   the calibrated speed and for each jump.
 * - The loopback services take a scripted virtual latency and wait latency / speed of real time.
 *
 * The error: real work that is not modelled time (dynalite and HTTP round trips, JSON, process IPC, the
 * simulator's own steps) is multiplied by `speed`: at speed 20 a 5 ms DynamoDB read counts as 100 ms, a
 * 50 ms pause of a busy machine as 1 s. Speed 1 is an exact real-time run.
 */

/** Real ms between checks for an idle moment while a handler runs. */
const BUSY_RECHECK_MS = 1;
import { performance } from "node:perf_hooks";

/** Names of the environment variables a function host reads its initial warp from. */
export const TIME_WARP_ENV = { speed: "SIM_TIME_SPEED", origin: "SIM_TIME_ORIGIN_MS" } as const;

/** A warp: virtual epoch time = virtualBase + (real epoch time - realBase) * speed. */
export interface Warp {
  readonly realBase: number;
  readonly virtualBase: number;
  readonly speed: number;
}

/**
 * JavaScript run first in every function host: warps the process's clocks (Date, setTimeout, setInterval,
 * AbortSignal.timeout, performance.now). It starts at SIM_TIME_SPEED around SIM_TIME_ORIGIN_MS (real time
 * when unset); `globalThis.__simulatorWarp(warp)` changes the warp later (between contacts, when nothing
 * waits on a timer: timers already set keep the real delay they were given). Every host and the simulator
 * use the same warp, so epoch times written by one function and read by another agree.
 */
export const TIME_WARP_SOURCE = `
(() => {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  const initialSpeed = Number(process.env.${TIME_WARP_ENV.speed} || "1");
  const origin = Number(process.env.${TIME_WARP_ENV.origin} || "0") || realNow();
  const warp = { realBase: origin, virtualBase: origin, speed: initialSpeed > 0 ? initialSpeed : 1 };
  const warpedNow = () => Math.floor(warp.virtualBase + (realNow() - warp.realBase) * warp.speed);
  class WarpedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(warpedNow());
      else super(...args);
    }
    static now() {
      return warpedNow();
    }
  }
  globalThis.Date = new Proxy(WarpedDate, { apply: () => new WarpedDate().toString() });
  const scaled = (ms) => Math.max(0, (Number(ms) || 0) / warp.speed);
  const realSetTimeout = globalThis.setTimeout;
  const realSetInterval = globalThis.setInterval;
  globalThis.setTimeout = Object.assign((fn, ms, ...args) => realSetTimeout(fn, scaled(ms), ...args), realSetTimeout);
  globalThis.setInterval = Object.assign((fn, ms, ...args) => realSetInterval(fn, scaled(ms), ...args), realSetInterval);
  AbortSignal.timeout = (ms) => {
    const controller = new AbortController();
    const timer = realSetTimeout(() => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), scaled(ms));
    if (timer && typeof timer.unref === "function") timer.unref();
    return controller.signal;
  };
  const perf = globalThis.performance;
  const realPerfNow = perf.now.bind(perf);
  const perfWarp = { real: realPerfNow(), virtual: realPerfNow() };
  perf.now = () => perfWarp.virtual + (realPerfNow() - perfWarp.real) * warp.speed;
  globalThis.__simulatorWarp = (next) => {
    perfWarp.virtual = perf.now();
    perfWarp.real = realPerfNow();
    warp.realBase = next.realBase;
    warp.virtualBase = next.virtualBase;
    warp.speed = next.speed;
  };
})();
`;

/** The simulation's time scale (see the module comment). */
export class TimeScale {
  private current: number;
  private warpState: Warp;

  /** @param speed virtual milliseconds per real millisecond (1: real time) */
  constructor(speed: number) {
    TimeScale.check(speed);
    this.current = speed;
    const now = Date.now();
    this.warpState = { realBase: now, virtualBase: now, speed };
  }

  private static check(speed: number): void {
    if (!(speed >= 1) || !Number.isFinite(speed)) throw new Error(`time scale speed must be a finite number >= 1, got ${speed}`);
  }

  /** Virtual milliseconds per real millisecond. */
  get speed(): number {
    return this.current;
  }

  /** The hosts' warp (epoch times). */
  get warp(): Warp {
    return this.warpState;
  }

  /**
   * Changes the speed from now on (between contacts) and returns the warp the hosts must take: continuous
   * with the previous one at this instant.
   */
  setSpeed(speed: number): Warp {
    TimeScale.check(speed);
    const now = Date.now();
    const previous = this.warpState;
    this.warpState = { realBase: now, virtualBase: Math.floor(previous.virtualBase + (now - previous.realBase) * previous.speed), speed };
    this.current = speed;
    return this.warpState;
  }

  /** Real milliseconds (monotonic, since process start). */
  realNow(): number {
    return performance.now();
  }

  toReal(virtualMs: number): number {
    return virtualMs / this.speed;
  }

  toVirtual(realMs: number): number {
    return realMs * this.speed;
  }

  /** Environment variables that start a function host with this scale's warp (set while the speed is unchanged). */
  hostEnvironment(): Record<string, string> {
    if (this.warpState.realBase !== this.warpState.virtualBase) throw new Error("start hosts before changing the speed");
    return { [TIME_WARP_ENV.speed]: String(this.current), [TIME_WARP_ENV.origin]: String(this.warpState.realBase) };
  }

  /** A clock for one contact: virtual 0 is now. */
  startContact(jumper?: ClockJumper): ContactClock {
    return new ContactClock(this, this.realNow(), jumper);
  }

  /** Moves the hosts' clocks forward by `virtualMs` at once (an idle jump); returns the warp they must take. */
  shift(virtualMs: number): Warp {
    const now = Date.now();
    const previous = this.warpState;
    this.warpState = { realBase: now, virtualBase: Math.floor(previous.virtualBase + (now - previous.realBase) * previous.speed + virtualMs), speed: previous.speed };
    return this.warpState;
  }
}

/**
 * What lets a contact's clock jump over time in which nothing real runs: `idle` says whether any handler
 * invocation is running, `shift` moves every host's clock forward by the same virtual amount.
 */
export interface ClockJumper {
  idle(): Promise<boolean>;
  shift(virtualMs: number): Promise<void>;
}

interface PendingTimer {
  readonly dueMs: number;
  readonly fire: () => void;
  real?: NodeJS.Timeout;
}

/**
 * One contact's mapping between virtual contact time and real time. Waits the simulator side makes (the
 * flow's waits, the Q in Connect fake's latency, Connect's and Lex's time limits) are timers on this
 * clock. While a handler runs they pass in scaled real time; when no handler invocation runs, the clock
 * jumps straight to the earliest of them (and every host's clock with it), so idle time costs no real time.
 */
export class ContactClock {
  /** How far real time ran ahead of a virtual instant when it was reached (the largest seen), in virtual ms. */
  private maxLagMs = 0;
  /** Real start of virtual 0, per segment between jumps: virtual = (real - realStart) * speed. */
  private readonly segments: { readonly realFrom: number; readonly realStart: number }[];
  private readonly timers = new Set<PendingTimer>();
  private jumpScheduled = false;
  private jumping = false;
  private jumpedMs = 0;
  private closed = false;

  constructor(
    readonly scale: TimeScale,
    realStartMs: number,
    private readonly jumper?: ClockJumper,
  ) {
    this.segments = [{ realFrom: Number.NEGATIVE_INFINITY, realStart: realStartMs }];
  }

  /** The real instant the contact started. */
  get realBeginMs(): number {
    return this.segments[0].realStart;
  }

  /** Real start of virtual 0 in the current segment. */
  get realStartMs(): number {
    return this.segments[this.segments.length - 1].realStart;
  }

  /** The real instant of virtual contact time `virtualMs` (in the current segment). */
  realAt(virtualMs: number): number {
    return this.realStartMs + this.scale.toReal(virtualMs);
  }

  /** The virtual contact time of the real instant `realMs` (default: now), across jumps. */
  virtualAt(realMs = this.scale.realNow()): number {
    let segment = this.segments[0];
    for (const candidate of this.segments) if (candidate.realFrom <= realMs) segment = candidate;
    return this.scale.toVirtual(realMs - segment.realStart);
  }

  /** Virtual time skipped by jumps so far. */
  get jumpedOverMs(): number {
    return Math.round(this.jumpedMs);
  }

  /** Sleeps until virtual contact time `virtualMs` (at once when real time is past it already). */
  sleepUntil(virtualMs: number): Promise<void> {
    const lag = this.scale.realNow() - this.realAt(virtualMs);
    if (lag >= 0) {
      this.maxLagMs = Math.max(this.maxLagMs, this.scale.toVirtual(lag));
      return Promise.resolve();
    }
    return this.timer(virtualMs).reached;
  }

  /**
   * A race timer: resolves at virtual contact time `virtualMs` unless cancelled first (so a time limit
   * that did not fire keeps nothing alive).
   */
  deadline(virtualMs: number): { readonly reached: Promise<void>; cancel(): void } {
    return this.timer(virtualMs);
  }

  private timer(virtualMs: number): { readonly reached: Promise<void>; cancel(): void } {
    let entry: PendingTimer | undefined;
    const reached = new Promise<void>((resolve) => {
      const pending: PendingTimer = {
        dueMs: virtualMs,
        fire: () => {
          if (pending.real) clearTimeout(pending.real);
          this.timers.delete(pending);
          resolve();
        },
      };
      entry = pending;
      this.timers.add(pending);
      this.arm(pending);
    });
    this.poke();
    return {
      reached,
      cancel: () => {
        if (!entry) return;
        if (entry.real) clearTimeout(entry.real);
        this.timers.delete(entry);
      },
    };
  }

  private arm(timer: PendingTimer): void {
    if (timer.real) clearTimeout(timer.real);
    timer.real = setTimeout(timer.fire, Math.max(0, this.realAt(timer.dueMs) - this.scale.realNow()));
  }

  /** Something may have become idle: check (soon) whether the clock can jump. */
  poke(): void {
    if (!this.jumper || this.jumpScheduled || this.closed) return;
    this.jumpScheduled = true;
    setImmediate(() => {
      this.jumpScheduled = false;
      void this.tryJump();
    });
  }

  private async tryJump(): Promise<void> {
    if (!this.jumper || this.jumping || this.closed || this.timers.size === 0) return;
    this.jumping = true;
    let idle = false;
    // Nothing of the simulator's may move while the clock jumps: its timers are disarmed until the end.
    for (const timer of this.timers) if (timer.real) clearTimeout(timer.real);
    try {
      idle = await this.jumper.idle();
      if (idle) {
        const gap = Math.min(...[...this.timers].map((timer) => timer.dueMs)) - this.virtualAt();
        if (gap > 1) {
          await this.jumper.shift(gap);
          const realNow = this.scale.realNow();
          this.segments.push({ realFrom: realNow, realStart: this.realStartMs - this.scale.toReal(gap) });
          this.jumpedMs += gap;
        }
      }
    } finally {
      const now = this.virtualAt();
      for (const timer of [...this.timers]) {
        if (timer.dueMs <= now) timer.fire();
        else this.arm(timer);
      }
      this.jumping = false;
    }
    // While a handler runs, look again a millisecond later rather than at once: an immediate re-check
    // spun a core per simulation without making the jump any sooner.
    if (idle) this.poke();
    else if (!this.closed) setTimeout(() => this.poke(), BUSY_RECHECK_MS).unref();
  }

  /** Stops jumping and drops the contact's pending timers (the contact ended). */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) if (timer.real) clearTimeout(timer.real);
    this.timers.clear();
  }

  /**
   * The duration to report for a side effect that started at virtual `startVirtualMs` and ends now: the
   * scaled real time since that instant, jumps included (never less than 0).
   */
  elapsedSince(startVirtualMs: number): number {
    return Math.max(0, Math.round(this.virtualAt() - startVirtualMs));
  }

  /** The largest lag of real time behind a planned virtual instant seen by `sleepUntil`, in virtual ms. */
  get largestLagMs(): number {
    return Math.round(this.maxLagMs);
  }
}
