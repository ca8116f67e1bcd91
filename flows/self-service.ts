import type { Engine, Locale } from "../config/schema/common";
import { BotIntent, BridgeStatus, HANDOFF_TOOLS, QConnectSession, SessionAttribute, Tool } from "../functions/shared/flow-contract";
import type { FlowMessageSet } from "./default-messages";
import { addHandoffPath, type HandoffEntries, type HandoffTargets } from "./handoff";
import { type ActionRef, FlowBuilder, type FlowChannel, type FlowDocument } from "./language";

/** What the Q in Connect engine's flows call. */
export interface QInConnectFlowTargets {
  readonly assistantArn: string;
  /** qconnect-session, which selects the channel's AI agent for the session. */
  readonly sessionFunctionArn: string;
  /** Seconds the flow gives qconnect-session (its own budget is 2.5 s). */
  readonly sessionTimeoutSeconds: number;
}

/** What every self-service flow needs, whatever the channel. */
export interface SelfServiceFlowProps {
  readonly engine: Engine;
  readonly locale: Locale;
  readonly messages: FlowMessageSet;
  /** The `live` alias of the bot that serves this channel. */
  readonly botAliasArn: string;
  readonly handoff: HandoffTargets;
  /** Contact flow logs for the contact. */
  readonly logging: boolean;
  /** Required with the q-in-connect engine. */
  readonly qInConnect?: QInConnectFlowTargets;
}

/** The pieces a channel module plugs into the shared skeleton. */
export interface ChannelParts {
  readonly channel: FlowChannel;
  /** Actions before the greeting (voice, recording); given where to continue, returns its first action. */
  readonly setup?: (flow: FlowBuilder, next: ActionRef) => ActionRef;
  /** Chat only: seconds the Lex block waits for the customer's next message, and what then. */
  readonly inputTimeout?: { readonly seconds: number; readonly next: (flow: FlowBuilder, end: ActionRef) => ActionRef };
  /**
   * Bridge only: where a PENDING turn goes (the chat poll loop), given the shared skeleton.
   * @default the follow-up prompt (no turn should be pending on this channel)
   */
  readonly onPending?: (skeleton: SelfServiceSkeleton) => ActionRef;
}

/** Shared parts a channel module can route to. */
export interface SelfServiceSkeleton {
  readonly flow: FlowBuilder;
  readonly messages: FlowMessageSet;
  readonly handoff: HandoffEntries;
  /** The Lex block that waits for the next message after an answer. */
  readonly followUp: ActionRef;
  /** Disconnect. */
  readonly end: ActionRef;
  /** Adds another Lex block with its own prompt and the same branches as every other. */
  lexBlock(id: string, prompt: string): ActionRef;
}

const LANGUAGE_CODES: Readonly<Record<Locale, string>> = { ja_JP: "ja-JP", en_US: "en-US" };

/**
 * The skeleton both channel modules share: logging, language, (Q in Connect session and agent
 * selection), a greeting Lex block, and after every bot turn a branch on what the engine decided:
 * answered (wait for the next message under a follow-up prompt, so the greeting is never repeated),
 * HANDOFF (the handoff path), COMPLETE (disconnect; the engine said goodbye), or an error (a message,
 * then a person). Every Lex block carries the session attributes the bridge needs (`contactId`,
 * `channel`) and the same branches.
 */
export function buildSelfServiceFlow(props: SelfServiceFlowProps, parts: ChannelParts): FlowDocument {
  const flow = new FlowBuilder();
  const { engine, messages } = props;
  if (engine === "q-in-connect" && !props.qInConnect) throw new Error("a q-in-connect flow needs the assistant and the qconnect-session function");

  const greet = flow.ref("lex-greeting");
  const followUp = flow.ref("lex-follow-up");
  const afterBot = flow.ref(engine === "bedrock-bridge" ? "check-bridge-status" : "check-tool");
  const end = flow.ref("end");
  const handoff = addHandoffPath(flow, { channel: parts.channel, locale: props.locale, messages, targets: props.handoff, end });
  const inputTimeout = parts.inputTimeout ? { seconds: parts.inputTimeout.seconds, next: parts.inputTimeout.next(flow, end) } : undefined;

  const lexBlock = (id: string, prompt: string): ActionRef =>
    flow.connectParticipantWithLexBot(id, {
      prompt: { text: prompt },
      botAliasArn: props.botAliasArn,
      sessionAttributes: { [SessionAttribute.contactId]: "$.ContactId", [SessionAttribute.channel]: "$.Channel" },
      intents: engine === "bedrock-bridge" ? [{ intent: BotIntent.talkToAgent, next: handoff.customerRequest }] : [],
      onNoMatch: afterBot,
      // Q in Connect's escalation may leave through the error branch (its legacy self-service docs): read the tool first.
      onError: engine === "q-in-connect" ? flow.ref("check-tool-after-error") : handoff.afterError,
      timeout: inputTimeout,
    });
  const skeleton: SelfServiceSkeleton = { flow, messages, handoff, followUp, end, lexBlock };

  // Start: logging, channel setup, language (Lex picks the bot locale from it), Q in Connect session.
  const language = flow.ref("set-language");
  const afterLanguage = engine === "q-in-connect" ? flow.ref("create-q-session") : greet;
  const setup = parts.setup ? parts.setup(flow, language) : language;
  if (props.logging) flow.updateFlowLoggingBehavior("set-logging", { enabled: true, next: setup });
  flow.startAt(props.logging ? flow.ref("set-logging") : setup);
  flow.updateContactData("set-language", { languageCode: LANGUAGE_CODES[props.locale], next: afterLanguage, onError: afterLanguage });
  if (engine === "q-in-connect" && props.qInConnect) addQInConnectSession(flow, props.qInConnect, greet, handoff.afterError);

  lexBlock("lex-greeting", messages.greeting);
  lexBlock("lex-follow-up", messages.followUp);

  const checkTool = (id: string, onNoMatch: ActionRef, options: { readonly complete: boolean }): ActionRef =>
    flow.compare(id, {
      value: `$.Lex.SessionAttributes.${SessionAttribute.tool}`,
      branches: [
        ...HANDOFF_TOOLS.map((tool) => ({ operand: tool, next: handoff.fromLex })),
        ...(options.complete ? [{ operand: Tool.complete, next: end }] : []),
      ],
      onNoMatch,
    });
  if (engine === "bedrock-bridge") {
    const tool = checkTool("check-tool", followUp, { complete: true });
    flow.compare("check-bridge-status", {
      value: `$.Lex.SessionAttributes.${SessionAttribute.bridgeStatus}`,
      branches: [
        { operand: BridgeStatus.pending, next: parts.onPending ? parts.onPending(skeleton) : followUp },
        { operand: BridgeStatus.ready, next: tool },
        // Lex already said an apology that offers an agent.
        { operand: BridgeStatus.failed, next: followUp },
      ],
      onNoMatch: followUp,
    });
  } else {
    checkTool("check-tool", followUp, { complete: true });
    // After an error only a handoff tool counts; anything else is the error itself (a message, then a person).
    checkTool("check-tool-after-error", handoff.afterError, { complete: false });
  }
  flow.disconnectParticipant("end");
  return flow.toDocument();
}

/** Q in Connect: create the session, attach it to the contact, select the channel's AI agent. */
function addQInConnectSession(flow: FlowBuilder, targets: QInConnectFlowTargets, next: ActionRef, onError: ActionRef): void {
  const attach = flow.ref("attach-q-session");
  const selectAgent = flow.ref("select-ai-agent");
  flow.createWisdomSession("create-q-session", { assistantArn: targets.assistantArn, next: attach, onError });
  flow.updateContactData("attach-q-session", { wisdomSessionArn: "$.Wisdom.SessionArn", next: selectAgent, onError });
  // A failed selection leaves the assistant's default agent in charge: better than no self-service.
  flow.invokeLambdaFunction("select-ai-agent", {
    functionArn: targets.sessionFunctionArn,
    timeoutSeconds: targets.sessionTimeoutSeconds,
    parameters: { [QConnectSession.parameters.sessionArn]: "$.Wisdom.SessionArn", [QConnectSession.parameters.channel]: "$.Channel" },
    next,
    onError: next,
  });
}
