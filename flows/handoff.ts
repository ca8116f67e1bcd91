import type { Locale } from "../config/schema/common";
import { ContactAttribute, HANDOFF_FIELDS, type HandoffField, HandoffSource } from "../functions/shared/flow-contract";
import type { FlowMessageSet } from "./default-messages";
import type { ActionRef, FlowBuilder, FlowChannel } from "./language";

/** Where handed-off contacts go and what the agent sees. */
export interface HandoffTargets {
  /** The agent-UI flow (Show view of the handoff summary), set as the contact's `DefaultAgentUI` hook. */
  readonly agentUiFlowArn: string;
  /** The queue the contact is transferred to. */
  readonly queueArn: string;
}

/** Entry points of the handoff path, one per source of the summary; each is added to the flow when first used. */
export interface HandoffEntries {
  /** The engine chose HANDOFF and the summary is in the Lex session attributes (Q in Connect, synchronous bridge). */
  readonly fromLex: ActionRef;
  /** The bridge's answer-poller returned HANDOFF: the summary is in `$.External`. */
  readonly fromPoller: ActionRef;
  /** The customer asked for a person (the bridge bot's TalkToAgent intent): no summary. */
  readonly customerRequest: ActionRef;
  /** Self-service failed: tell the customer, then hand over with the reason. */
  readonly afterError: ActionRef;
}

/** The escalation reason written when the contact arrives without a model-written summary. */
const FIXED_REASONS: Readonly<Record<Locale, Record<"customerRequest" | "error", string>>> = {
  ja_JP: { customerRequest: "お客様が担当者との会話を希望されました。", error: "自動応答でエラーが発生したため、担当者に引き継ぎました。" },
  en_US: { customerRequest: "The customer asked to talk to a person.", error: "Self-service failed, so the contact was handed over." },
};

/** The customer's number on voice; on chat, the display name a chat client passes as a contact attribute. */
function customerEndpoint(channel: FlowChannel): string {
  return channel === "VOICE" ? "$.CustomerEndpoint.Address" : `$.Attributes.${ContactAttribute.customerName}`;
}

/**
 * Adds the handoff path shared by every customer flow: copy the summary into contact attributes (what
 * the agent view shows), set the `DefaultAgentUI` event hook to the agent-UI flow, set the working
 * queue and transfer. A failed copy or hook still hands over (a customer who asked for a person reaches
 * one, with what is there); a full queue or a failed transfer ends in a message, never in silence.
 */
export function addHandoffPath(
  flow: FlowBuilder,
  options: { readonly channel: FlowChannel; readonly locale: Locale; readonly messages: FlowMessageSet; readonly targets: HandoffTargets; readonly end: ActionRef },
): HandoffEntries {
  const { channel, locale, messages, targets, end } = options;
  const hook = flow.ref("handoff-set-agent-view");
  const queue = flow.ref("handoff-set-queue");
  const transfer = flow.ref("handoff-transfer");
  const unavailable = flow.ref("handoff-agents-unavailable");
  const endpoint = customerEndpoint(channel);

  const copy = (id: string, source: string, fields: Readonly<Record<string, string>>): ActionRef =>
    flow.updateContactAttributes(id, {
      attributes: { [ContactAttribute.handoffSource]: source, [ContactAttribute.customerEndpoint]: endpoint, ...fields },
      next: hook,
      onError: hook,
    });
  const summaryFrom = (root: string) => Object.fromEntries(HANDOFF_FIELDS.map((field) => [field, `${root}.${field}`]));
  const reason = (text: string): Partial<Record<HandoffField, string>> => ({ escalation_reason: text });

  const once = (build: () => ActionRef): (() => ActionRef) => {
    let ref: ActionRef | undefined;
    return () => (ref ??= build());
  };
  const entries = {
    fromLex: once(() => copy("handoff-copy-summary-lex", HandoffSource.tool, summaryFrom("$.Lex.SessionAttributes"))),
    fromPoller: once(() => copy("handoff-copy-summary-answer", HandoffSource.tool, summaryFrom("$.External"))),
    customerRequest: once(() => copy("handoff-copy-request", HandoffSource.talkToAgent, reason(FIXED_REASONS[locale].customerRequest))),
    afterError: once(() => {
      const copyError = copy("handoff-copy-error", HandoffSource.error, reason(FIXED_REASONS[locale].error));
      return flow.messageParticipant("handoff-say-error", { text: messages.error, next: copyError, onError: copyError });
    }),
  };

  flow.updateContactEventHooks("handoff-set-agent-view", { hook: "DefaultAgentUI", flowArn: targets.agentUiFlowArn, next: queue, onError: queue });
  flow.updateContactTargetQueue("handoff-set-queue", { queueId: targets.queueArn, next: transfer, onError: unavailable });
  flow.transferContactToQueue("handoff-transfer", { onAtCapacity: unavailable, onError: unavailable });
  flow.messageParticipant("handoff-agents-unavailable", { text: messages.agentsUnavailable, next: end, onError: end });
  return {
    get fromLex() {
      return entries.fromLex();
    },
    get fromPoller() {
      return entries.fromPoller();
    },
    get customerRequest() {
      return entries.customerRequest();
    },
    get afterError() {
      return entries.afterError();
    },
  };
}
