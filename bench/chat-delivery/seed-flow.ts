/**
 * The seed design as a contact flow, built with the kit's FlowBuilder so that it runs in the same offline
 * simulator as the kit's synthesized chat flow, against the same bot and the same functions:
 *
 *   Lex (the bridge bot: interim message, PENDING turn) -> Loop 20 -> Wait 1 s -> Invoke the poller (one
 *   read) -> Compare $.External.status READY ? say the answer : back to the Loop; DoneLooping: give up.
 *
 * The cycle is Wait -> Invoke -> Compare -> Loop, entered at the Loop so that the 20 rounds are 20 polls
 * (bench/scale/model.ts's seedMaxPolls; a Wait-first layout would make 21). The Loop block's counter is
 * kept per contact across turns (the reason the kit's flow has none, see README "The chat poll loop"), so
 * a benchmark runs one turn per contact to measure the design, not that defect.
 */
import { FlowBuilder, type FlowDocument } from "../../flows/language";

/** The simulated resource ids the seed flow needs, taken from the kit's synthesized chat flow. */
export interface SeedFlowTargets {
  /** The bridge bot's alias ARN (the kit flow's lex-greeting). */
  readonly botAliasArn: string;
  /** answer-poller's ARN (the kit flow's poll-answer). */
  readonly pollerArn: string;
  /** The greeting text (a filler, not an answer, for the simulator's reports). */
  readonly greeting: string;
  /** Session attributes the kit's Lex blocks hand to the bot (contactId, channel). */
  readonly sessionAttributes: Readonly<Record<string, string>>;
}

export const SEED_WAIT_SECONDS = 1;
export const SEED_LOOPS = 20;
/** What the seed flow says when its 20 polls did not find the answer. */
export const SEED_GAVE_UP_TEXT = "申し訳ありません。回答を取得できませんでした。";

type Json = Record<string, unknown>;

function actionOf(document: { readonly Actions: readonly unknown[] }, id: string): Json {
  const found = document.Actions.find((action) => (action as Json).Identifier === id) as Json | undefined;
  if (!found) throw new Error(`the kit's chat flow has no action "${id}" (expected the bridge's poll strategy)`);
  return found;
}

/** Reads the seed flow's targets from the kit's chat flow (poll strategy), as the simulator resolved it. */
export function seedTargetsFrom(kitChatFlow: { readonly Actions: readonly unknown[] }): SeedFlowTargets {
  const greeting = actionOf(kitChatFlow, "lex-greeting").Parameters as Json;
  const poll = actionOf(kitChatFlow, "poll-answer").Parameters as Json;
  const alias = (greeting.LexV2Bot as Json | undefined)?.AliasArn;
  const pollerArn = poll.LambdaFunctionARN;
  if (typeof alias !== "string" || typeof pollerArn !== "string" || typeof greeting.Text !== "string") {
    throw new Error("the kit's chat flow lacks the bot alias, the poller ARN or the greeting text");
  }
  return {
    botAliasArn: alias,
    pollerArn,
    greeting: greeting.Text,
    sessionAttributes: (greeting.LexSessionAttributes as Record<string, string> | undefined) ?? {},
  };
}

/** The seed design's chat flow. */
export function buildSeedFlow(targets: SeedFlowTargets): FlowDocument {
  const flow = new FlowBuilder();
  const loop = flow.ref("seed-loop");
  const end = flow.ref("end");
  const lex = { botAliasArn: targets.botAliasArn, sessionAttributes: targets.sessionAttributes };
  // Named like the kit's greeting block so the simulator's reports treat its text as a filler.
  flow.connectParticipantWithLexBot("lex-greeting", { ...lex, prompt: { text: targets.greeting }, onNoMatch: loop, onError: end });
  flow.loop("seed-loop", { count: SEED_LOOPS, onContinue: flow.ref("seed-wait"), onDone: flow.ref("seed-gave-up") });
  flow.wait("seed-wait", { seconds: SEED_WAIT_SECONDS, onTimeout: flow.ref("seed-poll"), onError: end });
  flow.invokeLambdaFunction("seed-poll", {
    functionArn: targets.pollerArn,
    timeoutSeconds: 8,
    parameters: { turnId: "$.Lex.SessionAttributes.bridgeTurnId" },
    next: flow.ref("seed-status"),
    onError: loop,
  });
  flow.compare("seed-status", { value: "$.External.status", branches: [{ operand: "READY", next: flow.ref("seed-answer") }], onNoMatch: loop });
  flow.connectParticipantWithLexBot("seed-answer", { ...lex, prompt: { text: "$.External.answer" }, onNoMatch: end, onError: end });
  flow.connectParticipantWithLexBot("seed-gave-up", { ...lex, prompt: { text: SEED_GAVE_UP_TEXT }, onNoMatch: end, onError: end });
  flow.disconnectParticipant("end");
  return flow.toDocument();
}
