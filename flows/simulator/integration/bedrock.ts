/**
 * Bedrock as the bridge's handlers reach it: the loopback Converse endpoint (FakeBedrock, HTTP/2, the real
 * SDK client on the other side), answering each call after a virtual latency by a per-call script: an
 * ANSWER, HANDOFF or COMPLETE tool call, a throttle (429), a 5xx, or no answer at all.
 */
import { HANDOFF_FIELDS, type HandoffField, Tool } from "../../../functions/shared/flow-contract";
import { type FakeBedrock, type FakeReply, type RecordedCall, serverErrorReply, throttleReply, toolReply } from "./loopback";
import type { TimeScale } from "./time-scale";

/** One Converse call as the script sees it. */
export interface BedrockCall {
  /** 0-based, across the simulation. */
  readonly index: number;
  readonly modelId: string;
  /** The customer's message of the turn (the last text of the last user message). */
  readonly utterance: string;
}

/** What one Converse call does. Latencies are virtual milliseconds from the request to the reply. */
export type BedrockOutcome =
  | { readonly kind?: "answer"; readonly message?: string; readonly latencyMs?: number }
  | { readonly kind: "handoff"; readonly message?: string; readonly fields?: Partial<Record<HandoffField, string>>; readonly latencyMs?: number }
  | { readonly kind: "complete"; readonly message?: string; readonly latencyMs?: number }
  /** 429 ThrottlingException. */
  | { readonly kind: "throttle"; readonly latencyMs?: number }
  /** 500 InternalServerException. */
  | { readonly kind: "server-error"; readonly latencyMs?: number }
  /** Never answers: the caller gives up at its own deadline. */
  | { readonly kind: "hang" };

export type BedrockScript = (call: BedrockCall) => BedrockOutcome;

export interface BedrockCallRecord extends BedrockCall {
  readonly outcome: BedrockOutcome["kind"] & string;
  readonly latencyMs?: number;
  /** Real time (performance.now) the call arrived. */
  readonly realMs: number;
}

/** The default answer text for an utterance. */
export function defaultAnswer(utterance: string): string {
  return `answer: ${utterance}`;
}

function utteranceOf(call: RecordedCall): string {
  const messages = Array.isArray(call.body?.messages) ? (call.body.messages as { role?: string; content?: { text?: string }[] }[]) : [];
  const last = messages[messages.length - 1];
  const texts = (last?.content ?? []).map((block) => block.text).filter((text): text is string => typeof text === "string");
  return texts[texts.length - 1] ?? "";
}

/**
 * Drives `fake` from a script. `defaultLatencyMs` gives a model's latency when the script does not (the
 * catalogue's expected answer time).
 */
export class ScriptedBedrock {
  readonly calls: BedrockCallRecord[] = [];
  private script: BedrockScript = () => ({});

  constructor(
    fake: FakeBedrock,
    private readonly scale: TimeScale,
    private readonly defaultLatencyMs: (modelId: string) => number,
    private readonly now: () => number,
  ) {
    fake.onConverse = (call) => this.reply(call);
  }

  use(script: BedrockScript | undefined): void {
    this.script = script ?? (() => ({}));
  }

  private reply(recorded: RecordedCall): FakeReply {
    const call: BedrockCall = { index: this.calls.length, modelId: recorded.target, utterance: utteranceOf(recorded) };
    const outcome = this.script(call);
    const kind = outcome.kind ?? "answer";
    const latencyMs = outcome.kind === "hang" ? undefined : (outcome.latencyMs ?? (kind === "answer" || kind === "handoff" || kind === "complete" ? this.defaultLatencyMs(call.modelId) : 50));
    this.calls.push({ ...call, outcome: kind, ...(latencyMs !== undefined ? { latencyMs } : {}), realMs: this.now() });
    const delayMs = latencyMs === undefined ? undefined : Math.max(1, Math.round(this.scale.toReal(latencyMs)));
    switch (outcome.kind) {
      case "hang":
        return { kind: "hang" };
      case "throttle":
        return throttleReply(delayMs);
      case "server-error": {
        const reply = serverErrorReply();
        return reply.kind === "error" ? { ...reply, delayMs } : reply;
      }
      case "handoff": {
        const fields = Object.fromEntries(HANDOFF_FIELDS.map((field) => [field, outcome.fields?.[field] ?? `${field} (${call.utterance})`]));
        return toolReply(Tool.handoff, { message: outcome.message ?? `handoff: ${call.utterance}`, ...fields }, { delayMs });
      }
      case "complete":
        return toolReply(Tool.complete, { message: outcome.message ?? `goodbye: ${call.utterance}` }, { delayMs });
      default:
        return toolReply(Tool.answer, { message: outcome.message ?? defaultAnswer(call.utterance) }, { delayMs });
    }
  }
}
