import { AnswerPoller, ContactAttribute, FlowLimits, HANDOFF_TOOLS, SessionAttribute, Tool } from "../../functions/shared/flow-contract";
import type { ActionRef } from "../language";
import type { SelfServiceSkeleton } from "../self-service";

/** How the chat flow waits for an answer the bridge prepares asynchronously. */
export interface ChatPollSettings {
  /** The answer-poller function. */
  readonly pollerArn: string;
  /** InvocationTimeLimitSeconds of one poller call (Connect allows 1-8 s synchronously). */
  readonly invokeTimeoutSeconds: number;
  /** Poller calls per turn before the flow stops waiting; the turn's own deadline normally comes first. */
  readonly maxPollsPerTurn: number;
  /** Seconds to wait before each retry of a failed poller call (throttled, timed out); one Wait per entry. */
  readonly retryWaitsSeconds: readonly number[];
}

/** Time the poller may still report PENDING after a turn's deadline before it calls the turn EXPIRED. */
const POLLER_EXPIRY_GRACE_SECONDS = 2;
/** Longest pause between retries of a failed poller call. */
const MAX_RETRY_WAIT_SECONDS = 15;
/** Most retries in a row; each is a Wait and an Invoke action in the flow. */
const MAX_RETRIES = 8;

/**
 * Poll settings from the bridge's: enough poller calls to outlast the turn's deadline (plus two), and
 * retry waits that double up to 15 s and together cover the turn timeout, so a throttled or slow
 * poller degrades to short waits instead of failing the turn.
 */
export function chatPollSettings(options: {
  readonly pollerArn: string;
  readonly pollerBudgetMs: number;
  readonly turnTimeoutSeconds: number;
}): ChatPollSettings {
  const perCallSeconds = options.pollerBudgetMs / 1000;
  const invokeTimeoutSeconds = Math.min(FlowLimits.syncLambdaMaxSeconds, Math.ceil(perCallSeconds) + 1);
  const maxPollsPerTurn = Math.min(FlowLimits.loopMax, Math.ceil((options.turnTimeoutSeconds + POLLER_EXPIRY_GRACE_SECONDS) / perCallSeconds) + 2);
  const retryWaitsSeconds: number[] = [];
  for (let wait = 1, total = 0; total < options.turnTimeoutSeconds && retryWaitsSeconds.length < MAX_RETRIES; wait = Math.min(MAX_RETRY_WAIT_SECONDS, wait * 2)) {
    retryWaitsSeconds.push(wait);
    total += wait;
  }
  return { pollerArn: options.pollerArn, invokeTimeoutSeconds, maxPollsPerTurn, retryWaitsSeconds };
}

/**
 * The chat poll loop, entered when lex-fulfillment answered PENDING (the interim message is already on
 * screen). The poll count lives in a contact attribute reset at every turn, so turn 30 of a long chat
 * waits as long as turn 1 (a Loop block's counter would carry over between turns: reference §4.6).
 * Each call long-polls the turn; READY delivers the answer through the next Lex block's prompt, PENDING
 * polls again until the per-turn limit, FAILED/EXPIRED say the poller's message (it offers an agent).
 * A failed call (throttled, timed out) waits and retries through a chain of Wait+Invoke pairs, so the
 * chain's position is the retry count and a new turn always starts at its head.
 */
export function addChatPollLoop(skeleton: SelfServiceSkeleton, settings: ChatPollSettings): ActionRef {
  const { flow, messages, handoff, end } = skeleton;
  const poll = flow.ref("poll-answer");
  const count = flow.ref("poll-count");
  const status = flow.ref("poll-status");
  const giveUp = flow.ref("lex-answer-timeout");
  const invoke = (id: string, onError: ActionRef): ActionRef =>
    flow.invokeLambdaFunction(id, {
      functionArn: settings.pollerArn,
      timeoutSeconds: settings.invokeTimeoutSeconds,
      invocationType: "SYNCHRONOUS",
      responseType: "STRING_MAP",
      parameters: {
        [AnswerPoller.parameters.turnId]: `$.Lex.SessionAttributes.${SessionAttribute.bridgeTurnId}`,
        [AnswerPoller.parameters.pollCount]: `$.Attributes.${ContactAttribute.pollCount}`,
      },
      next: count,
      onError,
    });

  const start = flow.updateContactAttributes("poll-start", { attributes: { [ContactAttribute.pollCount]: "0" }, next: poll, onError: poll });
  const retries = settings.retryWaitsSeconds.map((_, index) => ({ wait: flow.ref(`poll-retry-wait-${index + 1}`), retry: flow.ref(`poll-retry-${index + 1}`) }));
  invoke("poll-answer", retries[0]?.wait ?? giveUp);
  retries.forEach(({ wait, retry }, index) => {
    flow.wait(wait.id, { seconds: settings.retryWaitsSeconds[index], onTimeout: retry, onError: retry });
    invoke(retry.id, retries[index + 1]?.wait ?? giveUp);
  });

  const result = (key: string) => `$.External.${key}`;
  flow.updateContactAttributes("poll-count", {
    attributes: { [ContactAttribute.pollCount]: result(AnswerPoller.result.pollCount) },
    next: status,
    onError: status,
  });
  const message = skeleton.lexBlock("lex-poll-message", result(AnswerPoller.result.message));
  flow.compare("poll-status", {
    value: result(AnswerPoller.result.status),
    branches: [
      { operand: AnswerPoller.status.ready, next: flow.ref("answer-tool") },
      { operand: AnswerPoller.status.pending, next: flow.ref("poll-limit") },
      { operand: AnswerPoller.status.failed, next: message },
      { operand: AnswerPoller.status.expired, next: message },
    ],
    onNoMatch: giveUp,
  });
  flow.compare("poll-limit", {
    value: `$.Attributes.${ContactAttribute.pollCount}`,
    branches: [{ operator: "NumberGreaterOrEqualTo", operand: String(settings.maxPollsPerTurn), next: giveUp }],
    onNoMatch: poll,
  });

  const answer = result(AnswerPoller.result.answer);
  const sayHandoff = flow.messageParticipant("say-handoff-answer", { text: answer, next: handoff.fromPoller, onError: handoff.fromPoller });
  const sayLast = flow.messageParticipant("say-last-answer", { text: answer, next: end, onError: end });
  flow.compare("answer-tool", {
    value: result(AnswerPoller.result.tool),
    branches: [...HANDOFF_TOOLS.map((tool) => ({ operand: tool, next: sayHandoff })), { operand: Tool.complete, next: sayLast }],
    // The answer reaches the customer as the prompt of the block that waits for the next message.
    onNoMatch: skeleton.lexBlock("lex-answer", answer),
  });
  skeleton.lexBlock("lex-answer-timeout", messages.answerTimeout);
  return start;
}
