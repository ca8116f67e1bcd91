/** Small flows built with the builder, shared by the builder, Mermaid and validator tests. */
import { FlowBuilder } from "../../../../flows/language";

export const LAMBDA_ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:answer-poller";
export const BOT_ALIAS_ARN = "arn:aws:lex:ap-northeast-1:123456789012:bot-alias/BOTID12345/ALIAS12345";

/**
 * A chat flow in the shape the kit uses: logging, a Lex turn with intents, an answer poller with a
 * retry loop and wait, a Compare on the result, and a disconnect. Uses a forward reference for the
 * cycle back to the bot.
 */
export function chatPollingFlow(botAliasArn = BOT_ALIAS_ARN, functionArn = LAMBDA_ARN): FlowBuilder {
  const flow = new FlowBuilder();
  const askBot = flow.ref("ask-bot");
  const poll = flow.ref("poll-answer");
  const sorry = flow.ref("say-sorry");
  const end = flow.ref("end");
  flow.updateFlowLoggingBehavior("enable-logs", { enabled: true, next: askBot });
  flow.connectParticipantWithLexBot("ask-bot", {
    prompt: { text: "How can I help?" },
    botAliasArn,
    sessionAttributes: { contactId: "$.ContactId", channel: "$.Channel" },
    intents: [{ intent: "FallbackIntent", next: poll }],
    onNoMatch: flow.ref("check-tool"),
    onError: sorry,
    timeout: { seconds: 300, next: end },
  });
  flow.invokeLambdaFunction("poll-answer", {
    functionArn,
    timeoutSeconds: 8,
    parameters: { turnId: "$.Lex.SessionAttributes.bridgeTurnId" },
    next: flow.ref("check-answer"),
    onError: sorry,
  });
  flow.compare("check-answer", {
    value: "$.External.status",
    branches: [
      { operand: "READY", next: flow.ref("send-answer") },
      { operand: "PENDING", next: flow.ref("retry") },
    ],
    onNoMatch: sorry,
  });
  flow.loop("retry", { count: 3, onContinue: flow.ref("pause"), onDone: sorry });
  flow.wait("pause", { seconds: 2, onTimeout: poll, onError: sorry });
  flow.messageParticipant("send-answer", { text: "$.External.answer", next: askBot, onError: sorry });
  flow.compare("check-tool", { value: "$.Lex.SessionAttributes.Tool", branches: [{ operand: "HANDOFF", next: end }], onNoMatch: askBot });
  flow.messageParticipant("say-sorry", { text: "Sorry, something went wrong.", next: end, onError: end });
  flow.disconnectParticipant("end");
  return flow;
}

/** The smallest useful flow: one message, then disconnect. */
export function greetingFlow(): FlowBuilder {
  const flow = new FlowBuilder();
  const end = flow.ref("end");
  flow.messageParticipant("greet", { text: "Hello", next: end, onError: end });
  flow.disconnectParticipant("end");
  return flow;
}
