/**
 * Scale and cost model of the chat poll strategy: the kit's long-poll (answer-poller holds one Lambda
 * execution per waiting chat, reading the turn every `intervalMs` for up to `pollerBudgetMs` per call)
 * against the seed design (flow Wait 1 s -> Invoke a function that reads the turn once -> Compare -> Loop,
 * 20 polls), per turn and per load. Pure functions: bench/scale-model.ts reads the stack's facts and
 * prints the tables; docs/scale-and-cost.md explains them. Times are in seconds.
 *
 * W, "answer time": from the start of the flow's poll loop (right after lex-fulfillment returned the
 * interim message) until the answer is stored; it includes the worker's async dispatch and the model call.
 */
import { type Prices } from "./prices";

/** What the model takes from the synthesized stack (never typed in): bench/scale-model.ts reads it. */
export interface StackFacts {
  readonly environment: string;
  /** Memory of each bridge function, MB. */
  readonly memoryMb: Readonly<Record<BridgeFunction, number>>;
  /** One poller call's budget (bridge.poll.pollerBudgetMs, from the poller package's settings.json). */
  readonly pollerBudgetSeconds: number;
  /** Pause between the poller's reads (bridge.poll.intervalMs). */
  readonly pollIntervalSeconds: number;
  /** The turn's deadline (bridge.poll.turnTimeoutSeconds). */
  readonly turnTimeoutSeconds: number;
  /** The chat flow's InvocationTimeLimitSeconds of each poller call. */
  readonly invokeTimeLimitSeconds: number;
  /** The chat flow's per-turn poll limit (the poll-limit Compare). */
  readonly maxPollsPerTurn: number;
  /** The chat flow's waits before each retry of a failed (throttled) poller call. */
  readonly retryWaitsSeconds: readonly number[];
  /** answer-poller's reserved concurrency, if any. */
  readonly pollerReservedConcurrency?: number;
}

export type BridgeFunction = "fulfillment" | "worker" | "poller";
export const BRIDGE_FUNCTIONS: readonly BridgeFunction[] = ["fulfillment", "worker", "poller"];

/** Everything the model assumes rather than reads; [est] marks an estimate. */
export interface Assumptions {
  /**
   * Connect -> Lambda -> Connect round trip of one Invoke block plus the blocks between two poller calls
   * (poll-count, poll-status, poll-limit): the gap between two long-poll windows. [est] 0.1-0.2 s in
   * runtime-facts §7; bench:poller simulates 40 ms.
   */
  readonly invokeOverheadSeconds: number;
  /** The seed design's Wait block. */
  readonly seedWaitSeconds: number;
  /** The seed design's poll cap (a Loop block of 20). */
  readonly seedMaxPolls: number;
  /** Billed duration of the seed design's one-read function (warm, one GetItem). [est] */
  readonly seedReadSeconds: number;
  /** Memory of the seed design's read function; default: the kit poller's (the same code path, read once). */
  readonly seedMemoryMb?: number;
  /** One strongly consistent GetItem inside the poller. [est] DynamoDB single-digit ms. */
  readonly readSeconds: number;
  /** Billed duration of lex-fulfillment on a chat poll turn (PutItem, async Invoke of the worker). [est] */
  readonly fulfillmentSeconds: number;
  /** Size of a settled turn item (utterance, answer, handoff fields), KB. [est] */
  readonly turnItemKb: number;
  /** The worker's history Query (eventually consistent, up to 2 x historyTurns items). [est] */
  readonly historyReadUnits: number;
  /** Share of turns whose worker fails into the SQS failure queue. [est] */
  readonly workerFailureShare: number;
  /** CloudWatch Logs bytes per invocation written by Lambda itself (START, END, REPORT lines, text format). [est] */
  readonly platformLogBytes: number;
  /**
   * What each function writes to its log group per invocation (its JSON lines and embedded metrics). The
   * poller's is measured (its "poll finished" line and its metrics line: 770-800 B per call, 2026-12-01);
   * the others are [est].
   */
  readonly functionLogBytes: Readonly<Record<BridgeFunction | "seedPoller", number>>;
  /** Customer's time between receiving an answer and sending the next message (for active -> waiting chats). [est] */
  readonly thinkSeconds: number;
  /** Bedrock tokens of one turn (system prompt, history, passages and question in; the answer out). [est] */
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  invokeOverheadSeconds: 0.12,
  seedWaitSeconds: 1,
  seedMaxPolls: 20,
  seedReadSeconds: 0.03,
  readSeconds: 0.01,
  fulfillmentSeconds: 0.15,
  turnItemKb: 2,
  historyReadUnits: 3,
  workerFailureShare: 0.005,
  platformLogBytes: 300,
  functionLogBytes: { fulfillment: 1_200, worker: 1_500, poller: 800, seedPoller: 150 },
  thinkSeconds: 30,
  inputTokens: 1_500,
  outputTokens: 300,
};

export type Design = "kit" | "seed";
export const DESIGNS: readonly Design[] = ["kit", "seed"];
export const DESIGN_NAMES: Record<Design, string> = {
  kit: "kit long-poll",
  seed: "seed short poll",
};

/** What one turn costs in each resource, for one answer time. */
export interface TurnProfile {
  /** False when the design gives up before the answer is stored (the seed's 20-poll cap, the kit's turn deadline). */
  readonly delivered: boolean;
  /** Poller (kit) or read-function (seed) invocations. */
  readonly pollCalls: number;
  /** From the start of the poll loop until the flow has the answer, or gives up; phase-averaged. */
  readonly waitSeconds: number;
  /** Mean delay between "answer stored" and "the flow has it" (0 when not delivered). */
  readonly addedSeconds: number;
  readonly requests: Readonly<Record<BridgeFunction, number>>;
  /** Billed (execution) seconds per function. */
  readonly seconds: Readonly<Record<BridgeFunction, number>>;
  /** DynamoDB read request units. */
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly sqsRequests: number;
  readonly logBytes: number;
}

/** Poller calls of one kit turn: one call covers `budget`, consecutive calls are `gap` apart. */
export function kitPollCalls(answerSeconds: number, budgetSeconds: number, gapSeconds: number): number {
  if (answerSeconds <= budgetSeconds) return 1;
  return 1 + Math.ceil((answerSeconds - budgetSeconds) / (budgetSeconds + gapSeconds));
}

/** One seed cycle: the Wait, then an Invoke (round trip plus the one read). */
export function seedCycleSeconds(a: Assumptions): number {
  return a.seedWaitSeconds + a.invokeOverheadSeconds + a.seedReadSeconds;
}

/**
 * Seed polls until the answer is seen: poll j reads at j waits plus j-1 invokes after the loop starts, so
 * the first j with j*Wait + (j-1)*(overhead + read) >= W. May exceed the cap (then the turn is not delivered).
 */
export function seedPollsNeeded(answerSeconds: number, a: Assumptions): number {
  const invoke = a.invokeOverheadSeconds + a.seedReadSeconds;
  return Math.max(1, Math.ceil((answerSeconds + invoke) / seedCycleSeconds(a) - 1e-9));
}

/** When the seed design gives up: its last poll, then the Loop is done. About 23 s with the defaults. */
export function seedGiveUpSeconds(a: Assumptions): number {
  return a.seedMaxPolls * seedCycleSeconds(a);
}

/** Time after which the kit's poller reports a PENDING turn EXPIRED (the deadline plus its 2 s grace). */
const POLLER_EXPIRY_GRACE_SECONDS = 2;

function common(answerSeconds: number, a: Assumptions) {
  return {
    readUnits: a.historyReadUnits,
    // PutItem PENDING, the worker's claim (items of about 1 KB), the settle with the answer.
    writeUnits: 1 + 1 + Math.ceil(a.turnItemKb),
    sqsRequests: a.workerFailureShare,
    fulfillment: a.fulfillmentSeconds,
    // The worker runs from its start to the answer stored: W less the async dispatch, plus its own reads
    // and writes; taken as W.
    worker: answerSeconds,
  };
}

/** One turn of the kit's long-poll with answer time W. */
export function kitTurn(answerSeconds: number, facts: StackFacts, a: Assumptions): TurnProfile {
  const B = facts.pollerBudgetSeconds;
  const i = facts.pollIntervalSeconds;
  const gap = a.invokeOverheadSeconds;
  const expiresAt = facts.turnTimeoutSeconds + POLLER_EXPIRY_GRACE_SECONDS;
  const delivered = answerSeconds <= expiresAt;
  const effective = Math.min(answerSeconds, expiresAt);
  const calls = Math.min(facts.maxPollsPerTurn, kitPollCalls(effective, B, gap));
  const last = Math.max(0, effective - (calls - 1) * (B + gap));
  const readsPerFullCall = 1 + Math.ceil(B / i - 1e-9);
  const reads = (calls - 1) * readsPerFullCall + 1 + Math.ceil(last / i - 1e-9);
  const c = common(answerSeconds, a);
  // The answer is seen at the next read (half an interval on average), then the result travels back.
  const addedSeconds = delivered ? i / 2 + gap / 2 : 0;
  return {
    delivered,
    pollCalls: calls,
    waitSeconds: effective + (delivered ? addedSeconds : gap / 2),
    addedSeconds,
    requests: { fulfillment: 1, worker: 1, poller: calls },
    seconds: { fulfillment: c.fulfillment, worker: c.worker, poller: (calls - 1) * B + last + a.readSeconds },
    readUnits: c.readUnits + reads,
    writeUnits: c.writeUnits,
    sqsRequests: c.sqsRequests,
    logBytes: logBytes(a, { fulfillment: 1, worker: 1 }, calls, a.functionLogBytes.poller),
  };
}

/** One turn of the seed design with answer time W. */
export function seedTurn(answerSeconds: number, _facts: StackFacts, a: Assumptions): TurnProfile {
  const cycle = seedCycleSeconds(a);
  const needed = seedPollsNeeded(answerSeconds, a);
  const delivered = needed <= a.seedMaxPolls;
  const polls = Math.min(needed, a.seedMaxPolls);
  const c = common(answerSeconds, a);
  // The read lands anywhere in a cycle after the answer (half a cycle on average), then the result travels back.
  const addedSeconds = delivered ? cycle / 2 + a.invokeOverheadSeconds / 2 : 0;
  return {
    delivered,
    pollCalls: polls,
    waitSeconds: delivered ? answerSeconds + addedSeconds : seedGiveUpSeconds(a),
    addedSeconds,
    requests: { fulfillment: 1, worker: 1, poller: polls },
    seconds: { fulfillment: c.fulfillment, worker: c.worker, poller: polls * a.seedReadSeconds },
    readUnits: c.readUnits + polls,
    writeUnits: c.writeUnits,
    sqsRequests: c.sqsRequests,
    logBytes: logBytes(a, { fulfillment: 1, worker: 1 }, polls, a.functionLogBytes.seedPoller),
  };
}

function logBytes(a: Assumptions, once: { fulfillment: number; worker: number }, pollCalls: number, perPollCall: number): number {
  const platform = a.platformLogBytes * (once.fulfillment + once.worker + pollCalls);
  return platform + a.functionLogBytes.fulfillment * once.fulfillment + a.functionLogBytes.worker * once.worker + perPollCall * pollCalls;
}

export function turn(design: Design, answerSeconds: number, facts: StackFacts, a: Assumptions): TurnProfile {
  return design === "kit" ? kitTurn(answerSeconds, facts, a) : seedTurn(answerSeconds, facts, a);
}

/** Expected values of a turn over an answer-time distribution; `delivered` becomes the delivered share. */
export interface ExpectedTurn extends Omit<TurnProfile, "delivered"> {
  readonly deliveredShare: number;
  readonly answerSeconds: number;
}

export function expectedTurn(design: Design, answers: AnswerTimes, facts: StackFacts, a: Assumptions): ExpectedTurn {
  const profiles = answers.samples.map((w) => ({ w, p: turn(design, w, facts, a) }));
  const mean = (pick: (p: TurnProfile, w: number) => number) => profiles.reduce((sum, { w, p }) => sum + pick(p, w), 0) / profiles.length;
  const perFunction = (pick: (p: TurnProfile) => Readonly<Record<BridgeFunction, number>>) =>
    Object.fromEntries(BRIDGE_FUNCTIONS.map((f) => [f, mean((p) => pick(p)[f])])) as Record<BridgeFunction, number>;
  return {
    deliveredShare: mean((p) => (p.delivered ? 1 : 0)),
    answerSeconds: mean((_, w) => w),
    pollCalls: mean((p) => p.pollCalls),
    waitSeconds: mean((p) => p.waitSeconds),
    addedSeconds: profiles.some(({ p }) => p.delivered) ? profiles.filter(({ p }) => p.delivered).reduce((s, { p }) => s + p.addedSeconds, 0) / profiles.filter(({ p }) => p.delivered).length : 0,
    requests: perFunction((p) => p.requests),
    seconds: perFunction((p) => p.seconds),
    readUnits: mean((p) => p.readUnits),
    writeUnits: mean((p) => p.writeUnits),
    sqsRequests: mean((p) => p.sqsRequests),
    logBytes: mean((p) => p.logBytes),
  };
}

/** An answer-time distribution as equally likely samples (quantile midpoints: deterministic). */
export interface AnswerTimes {
  readonly name: string;
  readonly samples: readonly number[];
}

export function fixedAnswerTime(seconds: number): AnswerTimes {
  return { name: `${seconds} s`, samples: [seconds] };
}

/**
 * A log-normal answer time with the given median and 90th percentile, as `count` quantile midpoints.
 * The model's "realistic" distribution (median 5 s, p90 12 s: p99 ~ 25 s, mean ~ 6.3 s) is an assumption:
 * calibrate it with your own AnswerLatencyMs / PollWaitMs metrics.
 */
export function logNormalAnswerTimes(median: number, p90: number, count = 2_000): AnswerTimes {
  const sigma = Math.log(p90 / median) / inverseNormal(0.9);
  const samples = Array.from({ length: count }, (_, k) => median * Math.exp(sigma * inverseNormal((k + 0.5) / count)));
  return { name: `log-normal, median ${median} s, p90 ${p90} s`, samples };
}

export const REALISTIC_ANSWERS = logNormalAnswerTimes(5, 12);

/** Quantile of the standard normal distribution (Acklam's rational approximation, |error| < 1.2e-9). */
export function inverseNormal(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`probability must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Cost of one turn, by line item, in US dollars. */
export interface TurnCost {
  readonly lambdaRequests: number;
  readonly lambdaDuration: Readonly<Record<BridgeFunction, number>>;
  readonly dynamoReads: number;
  readonly dynamoWrites: number;
  readonly sqs: number;
  readonly logs: number;
  readonly total: number;
}

export function turnCost(design: Design, profile: Omit<TurnProfile, "delivered">, facts: StackFacts, a: Assumptions, prices: Prices): TurnCost {
  const memoryGb = (f: BridgeFunction) => (f === "poller" && design === "seed" ? (a.seedMemoryMb ?? facts.memoryMb.poller) : facts.memoryMb[f]) / 1024;
  const lambdaRequests = BRIDGE_FUNCTIONS.reduce((s, f) => s + profile.requests[f], 0) * prices.lambdaRequest.usd;
  const lambdaDuration = Object.fromEntries(BRIDGE_FUNCTIONS.map((f) => [f, profile.seconds[f] * memoryGb(f) * prices.lambdaArmGbSecond.usd])) as Record<BridgeFunction, number>;
  const dynamoReads = profile.readUnits * prices.dynamoReadUnit.usd;
  const dynamoWrites = profile.writeUnits * prices.dynamoWriteUnit.usd;
  const sqs = profile.sqsRequests * prices.sqsRequest.usd;
  const logs = (profile.logBytes / 1e9) * prices.logsIngestedGb.usd;
  const total = lambdaRequests + BRIDGE_FUNCTIONS.reduce((s, f) => s + lambdaDuration[f], 0) + dynamoReads + dynamoWrites + sqs + logs;
  return { lambdaRequests, lambdaDuration, dynamoReads, dynamoWrites, sqs, logs, total };
}

/** GB-seconds of one turn. */
export function gbSeconds(design: Design, profile: Omit<TurnProfile, "delivered">, facts: StackFacts, a: Assumptions): Record<BridgeFunction, number> {
  const mb = (f: BridgeFunction) => (f === "poller" && design === "seed" ? (a.seedMemoryMb ?? facts.memoryMb.poller) : facts.memoryMb[f]);
  return Object.fromEntries(BRIDGE_FUNCTIONS.map((f) => [f, (profile.seconds[f] * mb(f)) / 1024])) as Record<BridgeFunction, number>;
}

/**
 * Concurrency at a load, by Little's law: executions of a function = turns per second x its billed
 * seconds per turn. The load is given as chats waiting for an answer at the same moment under the kit's
 * long-poll (turns per second = waiting / the kit's mean wait from the customer's message); the seed
 * design serves the same turns per second.
 */
export interface LoadResult {
  readonly waitingChats: number;
  readonly turnsPerSecond: number;
  readonly concurrency: Readonly<Record<Design, Readonly<Record<BridgeFunction, number>>>>;
  /** DynamoDB read request units per second on the turn table (the on-demand table quota is per second). */
  readonly readUnitsPerSecond: Readonly<Record<Design, number>>;
  readonly bedrockRequestsPerMinute: number;
  readonly bedrockTokensPerMinute: number;
}

export function loadFromWaitingChats(waitingChats: number, answers: AnswerTimes, facts: StackFacts, a: Assumptions): LoadResult {
  const kit = expectedTurn("kit", answers, facts, a);
  const turnsPerSecond = waitingChats / (a.fulfillmentSeconds + kit.waitSeconds);
  return loadAt(waitingChats, turnsPerSecond, answers, facts, a);
}

/** The same, from chats in the bot (Connect's concurrent active chats): each alternates waiting and thinking. */
export function loadFromActiveChats(activeChats: number, answers: AnswerTimes, facts: StackFacts, a: Assumptions): LoadResult {
  const kit = expectedTurn("kit", answers, facts, a);
  const cycle = a.fulfillmentSeconds + kit.waitSeconds + a.thinkSeconds;
  const turnsPerSecond = activeChats / cycle;
  return loadAt(turnsPerSecond * (a.fulfillmentSeconds + kit.waitSeconds), turnsPerSecond, answers, facts, a);
}

function loadAt(waitingChats: number, turnsPerSecond: number, answers: AnswerTimes, facts: StackFacts, a: Assumptions): LoadResult {
  const expected = Object.fromEntries(DESIGNS.map((design) => [design, expectedTurn(design, answers, facts, a)])) as Record<Design, ExpectedTurn>;
  const concurrency = Object.fromEntries(
    DESIGNS.map((design) => [design, Object.fromEntries(BRIDGE_FUNCTIONS.map((f) => [f, turnsPerSecond * expected[design].seconds[f]]))]),
  ) as LoadResult["concurrency"];
  return {
    waitingChats,
    turnsPerSecond,
    concurrency,
    readUnitsPerSecond: { kit: turnsPerSecond * expected.kit.readUnits, seed: turnsPerSecond * expected.seed.readUnits },
    bedrockRequestsPerMinute: turnsPerSecond * 60,
    bedrockTokensPerMinute: turnsPerSecond * 60 * (a.inputTokens + a.outputTokens),
  };
}
