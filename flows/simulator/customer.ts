/**
 * The scripted customer: a list of steps, each sent after a think time.
 *
 * Think time counts from the moment the flow starts listening for the customer (a Lex block has sent its
 * prompt, a Wait with CustomerReturned starts) after the previous step was used. Once scheduled, a step
 * keeps its absolute time: if the listener gives up first (input time-out, Wait completed), the step is
 * delivered to the next listener, at that listener's start when it is already due. The customer is
 * observed only while the flow listens (Lex blocks, Wait with CustomerReturned); a message sent while the
 * flow runs other actions waits for the next listener (an assumption: Connect's handling of chat
 * messages sent between blocks is not documented in the reference).
 *
 * `silence` never sends anything: it is used up by the first time-out that fires (InputTimeLimitExceeded,
 * WaitCompleted, voice no-input), which makes time-out tests explicit.
 */
import type { TranscriptEntry } from "./trace";

export type CustomerStep =
  /** Shorthand for `{ say }`. */
  | string
  | { readonly say: string; readonly thinkMs?: number }
  | { readonly silence: true }
  | { readonly disconnect: true; readonly thinkMs?: number };

/** What a dynamic step sees: the conversation so far. */
export interface CustomerView {
  readonly nowMs: number;
  readonly transcript: readonly TranscriptEntry[];
  /** Messages the customer sent so far. */
  readonly messagesSent: number;
}

/** A step, or a function that picks the step from the conversation so far (undefined ends the script). */
export type CustomerScriptEntry = CustomerStep | ((view: CustomerView) => CustomerStep | undefined);

export interface CustomerScript {
  readonly steps: readonly CustomerScriptEntry[];
  /** Checked before each step: true makes the customer leave the chat (or hang up) instead. */
  readonly endWhen?: (view: CustomerView) => boolean;
  /** When the steps run out: leave (default) or stay silent for ever. */
  readonly whenScriptEnds?: "disconnect" | "stay-silent";
  /** Think time of steps that give none. Default 0. */
  readonly defaultThinkMs?: number;
}

export type CustomerEvent =
  /** The customer's message, sent at `sentAtMs`, seen by the listener at `atMs` (>= sentAtMs). */
  | { readonly kind: "message"; readonly text: string; readonly sentAtMs: number; readonly atMs: number }
  | { readonly kind: "disconnect"; readonly atMs: number }
  /** The listener's limit came first. */
  | { readonly kind: "timeout"; readonly atMs: number }
  /** Nothing will ever come and the listener has no limit. */
  | { readonly kind: "never" };

type Scheduled =
  | { readonly kind: "say"; readonly text: string; readonly dueAtMs: number }
  | { readonly kind: "disconnect"; readonly dueAtMs: number }
  | { readonly kind: "silence" };

export class ScriptedCustomer {
  private nextStep = 0;
  private scheduled: Scheduled | undefined;
  private sent = 0;

  constructor(private readonly script: CustomerScript) {}

  get messagesSent(): number {
    return this.sent;
  }

  private schedule(startMs: number, view: CustomerView): Scheduled {
    const thinkDefault = this.script.defaultThinkMs ?? 0;
    const ended = (): Scheduled =>
      this.script.whenScriptEnds === "stay-silent" ? { kind: "silence" } : { kind: "disconnect", dueAtMs: startMs };
    if (this.script.endWhen?.(view)) return { kind: "disconnect", dueAtMs: startMs };
    const entry = this.script.steps[this.nextStep];
    if (entry === undefined) return ended();
    this.nextStep += 1;
    const step = typeof entry === "function" ? entry(view) : entry;
    if (step === undefined) {
      this.nextStep = this.script.steps.length;
      return ended();
    }
    if (typeof step === "string") return { kind: "say", text: step, dueAtMs: startMs + thinkDefault };
    if ("say" in step) return { kind: "say", text: step.say, dueAtMs: startMs + (step.thinkMs ?? thinkDefault) };
    if ("disconnect" in step) return { kind: "disconnect", dueAtMs: startMs + (step.thinkMs ?? thinkDefault) };
    return { kind: "silence" };
  }

  /**
   * What happens first for a listener that starts at `startMs` and gives up at `limitMs` (absolute;
   * undefined: never gives up).
   */
  listen(startMs: number, limitMs: number | undefined, view: () => CustomerView): CustomerEvent {
    if (this.scheduled === undefined) this.scheduled = this.schedule(startMs, view());
    const step = this.scheduled;
    if (step.kind !== "silence" && (limitMs === undefined || step.dueAtMs <= limitMs)) {
      this.scheduled = undefined;
      const atMs = Math.max(startMs, step.dueAtMs);
      if (step.kind === "disconnect") return { kind: "disconnect", atMs };
      this.sent += 1;
      return { kind: "message", text: step.text, sentAtMs: step.dueAtMs, atMs };
    }
    if (limitMs === undefined) return { kind: "never" };
    if (step.kind === "silence") this.scheduled = undefined;
    return { kind: "timeout", atMs: limitMs };
  }
}

export function toCustomerScript(script: CustomerScript | readonly CustomerScriptEntry[] | undefined): CustomerScript {
  if (script === undefined) return { steps: [] };
  if (Array.isArray(script)) return { steps: script as readonly CustomerScriptEntry[] };
  return script as CustomerScript;
}
