import type { Locale } from "../../config/schema/common";
import { type ChatFlowProps, chatPollSettings } from "../../flows/chat";
import { flowMessages } from "../../flows/default-messages";
import type { FlowAction, FlowDocument } from "../../flows/language";
import type { SelfServiceFlowProps } from "../../flows/self-service";

/** Literal ARNs standing in for the Terraform references a stack passes to the flow modules. */
export const ARNS = {
  bot: "arn:aws:lex:ap-northeast-1:123456789012:bot-alias/BOTID12345/ALIAS12345",
  agentUiFlow: "arn:aws:connect:ap-northeast-1:123456789012:instance/0f1e2d3c-4b5a-4697-8a8b-000000000007/contact-flow/0f1e2d3c-4b5a-4697-8a8b-000000000009",
  queue: "arn:aws:connect:ap-northeast-1:123456789012:instance/0f1e2d3c-4b5a-4697-8a8b-000000000007/queue/0f1e2d3c-4b5a-4697-8a8b-000000000010",
  poller: "arn:aws:lambda:ap-northeast-1:123456789012:function:cc-dev-answer-poller",
  session: "arn:aws:lambda:ap-northeast-1:123456789012:function:cc-dev-qconnect-session",
  assistant: "arn:aws:wisdom:ap-northeast-1:123456789012:assistant/0f1e2d3c-4b5a-4697-8a8b-000000000001",
} as const;

/** Props every flow module needs, for an engine and locale. */
export function selfServiceProps(engine: SelfServiceFlowProps["engine"], locale: Locale = "ja_JP"): SelfServiceFlowProps {
  return {
    engine,
    locale,
    messages: flowMessages(locale, {}),
    botAliasArn: ARNS.bot,
    handoff: { agentUiFlowArn: ARNS.agentUiFlow, queueArn: ARNS.queue },
    logging: true,
    qInConnect: engine === "q-in-connect" ? { assistantArn: ARNS.assistant, sessionFunctionArn: ARNS.session, sessionTimeoutSeconds: 4 } : undefined,
  };
}

/** The chat flow props of the bridge's poll strategy with the kit's default poll settings. */
export function pollChatProps(locale: Locale = "ja_JP"): ChatFlowProps {
  return {
    ...selfServiceProps("bedrock-bridge", locale),
    strategy: "poll",
    inputTimeoutSeconds: 600,
    poll: chatPollSettings({ pollerArn: ARNS.poller, pollerBudgetMs: 6500, turnTimeoutSeconds: 90 }),
  };
}

export function actionById(doc: FlowDocument, id: string): FlowAction {
  const action = doc.Actions.find((a) => a.Identifier === id);
  if (!action) throw new Error(`flow has no action "${id}"`);
  return action;
}

/** Every target an action can go to, with the branch that leads there. */
export function branches(action: FlowAction): { readonly branch: string; readonly target: string }[] {
  const t = action.Transitions ?? {};
  return [
    ...(t.NextAction ? [{ branch: "next", target: t.NextAction }] : []),
    ...(t.Conditions ?? []).map((c) => ({ branch: `${c.Condition.Operator} ${c.Condition.Operands.join(",")}`, target: c.NextAction })),
    ...(t.Errors ?? []).map((e) => ({ branch: e.ErrorType, target: e.NextAction })),
  ];
}

/** Actions that put something in front of the customer (or an agent): a flow reaching them is not silent. */
const SPEAKING_TYPES = new Set(["MessageParticipant", "ConnectParticipantWithLexBot", "TransferContactToQueue"]);

/**
 * Actions from which the contact can end (Disconnect) without anything being said on the way: the flow
 * is "silent" there. A test asserts no error branch leads into this set.
 */
export function silentlyEnding(doc: FlowDocument): Set<string> {
  const predecessors = new Map<string, string[]>();
  for (const action of doc.Actions) {
    for (const { target } of branches(action)) predecessors.set(target, [...(predecessors.get(target) ?? []), action.Identifier]);
  }
  const silent = new Set(doc.Actions.filter((a) => a.Type === "DisconnectParticipant").map((a) => a.Identifier));
  const queue = [...silent];
  while (queue.length) {
    const id = queue.shift() as string;
    for (const previous of predecessors.get(id) ?? []) {
      if (silent.has(previous) || SPEAKING_TYPES.has(actionById(doc, previous).Type)) continue;
      silent.add(previous);
      queue.push(previous);
    }
  }
  return silent;
}
