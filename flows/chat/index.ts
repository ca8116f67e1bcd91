import type { ChatStrategy } from "../../config/schema/environment";
import type { FlowDocument } from "../language";
import { buildSelfServiceFlow, type SelfServiceFlowProps } from "../self-service";
import { addChatPollLoop, type ChatPollSettings } from "./poll";

export { chatPollSettings, type ChatPollSettings } from "./poll";

export interface ChatFlowProps extends SelfServiceFlowProps {
  /** How chat meets Connect's Lex timeout (see config `channels.chat.strategy`). */
  readonly strategy: ChatStrategy;
  /** Seconds the chat waits for the customer's next message before saying goodbye. */
  readonly inputTimeoutSeconds: number;
  /** Required with the bedrock-bridge engine and the poll strategy. */
  readonly poll?: ChatPollSettings;
}

/**
 * The chat flow. Every engine and strategy shares the skeleton (flows/self-service.ts); chat adds the
 * customer's inactivity timeout (a goodbye, then disconnect) and, for the bridge's poll strategy, the
 * loop that fetches the answer lex-fulfillment started asynchronously. With the streaming and standard
 * strategies, and with Q in Connect, answers come from Lex itself.
 */
export function buildChatFlow(props: ChatFlowProps): FlowDocument {
  const polls = props.engine === "bedrock-bridge" && props.strategy === "poll";
  if (polls && !props.poll) throw new Error("the chat flow of the bridge's poll strategy needs the answer-poller settings");
  const poll = polls ? props.poll : undefined;
  return buildSelfServiceFlow(props, {
    channel: "CHAT",
    inputTimeout: {
      seconds: props.inputTimeoutSeconds,
      next: (flow, end) => flow.messageParticipant("say-input-timeout", { text: props.messages.inputTimeout, next: end, onError: end }),
    },
    onPending: poll ? (skeleton) => addChatPollLoop(skeleton, poll) : undefined,
  });
}
