/**
 * The campaign's results as Markdown (bench/results/soak.md) and as a short console summary.
 */
import type { SoakReport, TurnResult, ViolationKind } from "./campaign";
import { percentile } from "./campaign";
import type { FlowSampleReport } from "./flow-sample";
import type { FuzzReport } from "./fuzz";

export const INVARIANTS: readonly { readonly kind: ViolationKind; readonly text: string }[] = [
  { kind: "no answer or fallback", text: "every turn ends in an answer or an explicit fallback message" },
  { kind: "over the channel's limit", text: "within its channel's limit" },
  { kind: "answer for another contact or turn", text: "no answer reaches another contact (or another turn of the same contact)" },
  { kind: "another contact's text reached the model", text: "no other contact's text reaches the model (history, current message)" },
  { kind: "answered twice", text: "no turn is answered twice (one model answer, one worker claim per turn)" },
  { kind: "stored outcome differs from what the customer got", text: "the stored turn agrees with what the customer got" },
  { kind: "invalid response toward Lex or Connect", text: "every response toward Lex and Connect is valid" },
  { kind: "error result toward Lex or Connect", text: "no error result toward Lex or Connect" },
  { kind: "handler process failure", text: "no handler process dies (uncaught exception, unhandled rejection) or writes to stderr" },
];

export interface CampaignResults {
  readonly soak?: SoakReport;
  readonly flows?: FlowSampleReport;
  readonly fuzz?: FuzzReport;
  readonly command: string;
  readonly startedAt: Date;
  readonly loadAverage: readonly number[];
  readonly note?: string;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pct = (share: number) => `${Math.round(share * 1000) / 10} %`;
const n = (value: number) => value.toLocaleString("en-US");

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.map((cell) => String(cell).replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function counts(record: Readonly<Record<string, number>>): string {
  const entries = Object.entries(record).sort((a, b) => b[1] - a[1]);
  return entries.length ? entries.map(([key, value]) => `${key} ${n(value)}`).join(", ") : "none";
}

export function totalViolations(results: CampaignResults): number {
  return (results.soak?.violations.length ?? 0) + (results.flows?.violations.length ?? 0) + (results.fuzz?.handlers.reduce((sum, h) => sum + h.findings.length, 0) ?? 0);
}

function timesRow(label: string, turns: readonly TurnResult[], limitMs: number): (string | number)[] {
  const ms = turns.map((t) => t.ms);
  return [label, n(turns.length), s(percentile(ms, 50)), s(percentile(ms, 95)), s(percentile(ms, 99)), s(Math.max(0, ...ms)), s(limitMs)];
}

function soakSection(soak: SoakReport): string[] {
  const chat = soak.turns.filter((t) => t.channel === "chat");
  const voice = soak.turns.filter((t) => t.channel === "voice");
  const outcomeRows = (["chat", "voice"] as const).map((channel) => {
    const turns = soak.turns.filter((t) => t.channel === channel);
    const by = (kind: string) => n(turns.filter((t) => t.outcome === kind).length);
    return [channel, n(turns.length), by("answer"), by("apology"), by("expired"), by("answer-timeout"), by("none")];
  });
  const faultRows = [...new Set(soak.turns.map((t) => t.fault))].sort().map((fault) => {
    const turns = soak.turns.filter((t) => t.fault === fault);
    return [fault, n(turns.length), n(turns.filter((t) => t.outcome === "answer").length), n(turns.filter((t) => t.outcome !== "answer").length), s(percentile(turns.map((t) => t.ms), 95))];
  });
  const deliveryRows = [...new Set(chat.map((t) => t.delivery))].sort().map((delivery) => {
    const turns = chat.filter((t) => t.delivery === delivery);
    return [delivery, n(turns.length), n(turns.filter((t) => t.outcome === "answer").length), counts(countOutcomes(turns.filter((t) => t.outcome !== "answer")))];
  });
  const metricNames = ["TurnsStarted", "WorkerInvokeErrors", "WorkerInvokeUnconfirmed", "TurnsAbandoned", "StoreErrors", "AnswersStored", "AnswersFailed", "DuplicateDeliveries", "SyncAnswers", "SyncFailures", "BedrockThrottles", "BedrockErrors", "BedrockRetries", "IncompleteHandoffs", "PollReady", "PollPending", "PollFailed", "PollExpired", "PollReads", "InvalidEvents"];
  const metricRows = Object.entries(soak.metrics).map(([fn, values]) => [fn, metricNames.filter((name) => values[name]).map((name) => `${name} ${n(values[name])}`).join(", ")]);
  return [
    "## Handler-level soak",
    "",
    `${n(soak.turns.length)} turns (${n(chat.length)} chat, ${n(voice.length)} voice) in ${n(soak.conversations)} conversations, started within the first ${s(soak.shape.arrivalSpreadMs)} and running at once ` +
      `(peak ${n(soak.peakConversations)} conversations, ${n(soak.peakTurnsWaiting)} turns waiting for an answer at the same moment). ` +
      `Handlers: the ${soak.target === "bundle" ? "deployed packages" : "TypeScript sources"}, one warm process each, real time. Seed ${soak.seed}.`,
    "",
    `Customers take ${s(soak.shape.thinkMs[0])}-${s(soak.shape.thinkMs[1])} per message; answers take ${s(soak.shape.answerMs[0])}-${s(soak.shape.answerMs[1])} (log-uniform), slow ones ` +
      `${s(soak.shape.slowMs.chat[0])}-${s(soak.shape.slowMs.chat[1])} on chat and ${s(soak.shape.slowMs.voice[0])}-${s(soak.shape.slowMs.voice[1])} on voice. ` +
      `Fault rates: Bedrock ${pct(soak.shape.rates.bedrockFault)} of turns (throttled, 5xx, slow or past the deadline), duplicate worker deliveries ${pct(soak.shape.rates.duplicate)} and worker crashes ${pct(soak.shape.rates.crash)} of chat turns, ` +
      `DynamoDB throttling ${pct(soak.shape.rates.dynamoThrottle)} of requests (each SDK attempt decided on its own)` +
      (soak.shape.dynamoBursts
        ? `, plus ${soak.shape.dynamoBursts.count} bursts of ${s(soak.shape.dynamoBursts.durationMs)} every ${s(soak.shape.dynamoBursts.everyMs)} throttling ${pct(soak.shape.dynamoBursts.rate)} of requests.`
        : "."),
    "",
    `- chat: ${soak.settings.chat}; limit per turn ${s(soak.limits.chatTurnMs)} (deadline + the poller's 2 s expiry grace + one read interval + ${s(soak.limits.chatTurnMs - soak.limits.chatDeadlineMs - 2_000 - 200)} allowance for this machine), and lex-fulfillment within Lex's ${s(soak.limits.chatLexMs)}`,
    `- voice: ${soak.settings.voice}; limit per turn: the fulfillment timeout, ${s(soak.limits.voiceMs)}`,
    `- wall time ${s(soak.wallMs)} for the conversations, after ${s(soak.setupMs)} of setup (synthesis, dynalite, hosts)`,
    "",
    "### Outcomes",
    "",
    table(["channel", "turns", "answered", "apology", "expired", "flow's answerTimeout", "neither"], outcomeRows),
    "",
    "Turn times, from the customer's message to the answer or fallback:",
    "",
    table(["channel", "turns", "p50", "p95", "p99", "max", "limit"], [timesRow("chat", chat, soak.limits.chatTurnMs), timesRow("voice", voice, soak.limits.voiceMs)]),
    "",
    "### Faults injected",
    "",
    table(["Bedrock (per turn)", "turns", "answered", "fallback", "p95 time"], faultRows),
    "",
    `Bedrock errors returned: ${counts(soak.faults.bedrockErrorsReturned)}; ${n(soak.bedrockCalls)} Converse calls in all.`,
    "",
    table(["worker delivery (chat turns)", "turns", "answered", "fallbacks"], deliveryRows),
    "",
    `Worker processes killed mid-turn: ${n(soak.faults.workerKills)}. Async deliveries: ${counts(soak.faults.deliveries)}.`,
    "",
    `Fallbacks that no unrecoverable fault explains (the turn's Bedrock fault was none, retried or slow, and its worker was not killed before its ` +
      `outcome write; only duplicate deliveries, DynamoDB throttling and load were in its way): ${unexplained(soak)}.`,
    "",
    `DynamoDB: ${n(Object.values(soak.faults.dynamoRequests).reduce((a, b) => a + b, 0))} requests (${counts(soak.faults.dynamoRequests)}), ` +
      `${n(Object.values(soak.faults.dynamoThrottles).reduce((a, b) => a + b, 0))} answered with ProvisionedThroughputExceededException (${counts(soak.faults.dynamoThrottles)}${soak.faults.dynamoBurstThrottles ? `; ${n(soak.faults.dynamoBurstThrottles)} of them in bursts` : ""}); ${n(soak.storedTurns)} turns stored.`,
    "",
    "### What the handlers reported",
    "",
    table(["function", "embedded metrics (sums)"], metricRows),
    "",
    `Error log lines: ${counts(soak.errorLogs)}.`,
    "",
    `Worker invocations that failed (Lambda Errors; by design when an outcome could not be stored): ${counts(soak.workerErrors)}. Poller calls over Connect's block limit: ${n(soak.pollerOverLimit)}.`,
    "",
  ];
}

/** Turns that got a fallback although nothing planned for them should have failed them. */
export function unexplainedFallbacks(soak: SoakReport): TurnResult[] {
  const recoverable = new Set(["none", "throttle-retried", "5xx-retried", "slow"]);
  return soak.turns.filter((t) => t.outcome !== "answer" && recoverable.has(t.fault) && t.delivery !== "crash-at-model-call");
}

function unexplained(soak: SoakReport): string {
  const turns = unexplainedFallbacks(soak);
  if (!turns.length) return "none";
  const shown = turns.slice(0, 5).map((t) => `${t.channel} ${t.outcome} (${t.fault}, ${t.delivery}, ${s(t.ms)})`);
  return `${n(turns.length)}: ${shown.join("; ")}${turns.length > 5 ? "; ..." : ""}`;
}

function countOutcomes(turns: readonly TurnResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const turn of turns) out[turn.outcome] = (out[turn.outcome] ?? 0) + 1;
  return out;
}

function flowSection(flows: FlowSampleReport): string[] {
  const rows = Object.entries(flows.outcomes).map(([key, value]) => [key, n(value)]);
  const latencies = flows.turns.filter((t) => t.latencyMs !== undefined).map((t) => t.latencyMs as number);
  return [
    "## Flow simulator sample",
    "",
    `${n(flows.contacts)} contacts, ${n(flows.turns.length)} turns through the synthesized flows with the real handlers (seed ${flows.seed}); ` +
      `speeds ${counts(flows.speeds)}× (calibrated), ${s(flows.realMsPerContact)} real per contact, ${s(flows.wallMs)} in all. ` +
      `Virtual turn times p50 ${s(percentile(latencies, 50))}, p95 ${s(percentile(latencies, 95))}, max ${s(Math.max(0, ...latencies))}.`,
    "",
    table(["environment, channel, outcome", "turns"], rows),
    "",
    `How contacts ended: ${counts(flows.contactOutcomes)}.`,
    "",
    `At ${s(flows.realMsPerTurn)} of real time per turn, 10,000 turns through the flow simulator would take about ${(flows.realMsPerTurn * 10_000 / 3_600_000).toFixed(1)} h here, ` +
      "one contact at a time (a simulation runs its contacts one after another; several simulations side by side would share the same two cores): " +
      "hence the volume at handler level and the flows on a sample.",
    "",
  ];
}

function fuzzSection(fuzz: FuzzReport): string[] {
  const rows = fuzz.handlers.map((h) => [h.handler, n(h.cases), counts(h.outcomes), n(h.awsRequests), n(h.findings.length), n(h.restarts), s(h.ms)]);
  return [
    "## Fuzzing",
    "",
    `Generated malformed events per handler (seed ${fuzz.seed}), against the ${fuzz.target === "bundle" ? "built bundles" : "sources"} in warm processes; ${s(fuzz.wallMs)} in all.`,
    "",
    table(["handler", "cases", "outcomes", "AWS requests", "findings", "restarts", "time"], rows),
    "",
  ];
}

function violationSection(results: CampaignResults): string[] {
  const all = [...(results.soak?.violations ?? []), ...(results.flows?.violations ?? [])];
  const rows = INVARIANTS.map(({ kind, text }) => [text, n(results.soak?.violations.filter((v) => v.kind === kind).length ?? 0), n(results.flows?.violations.filter((v) => v.kind === kind).length ?? 0)]);
  const fuzzFindings = results.fuzz?.handlers.flatMap((h) => h.findings) ?? [];
  const lines = [
    "## Invariants",
    "",
    table(["invariant", "soak violations", "flow sample violations"], rows),
    "",
    `Fuzz findings: ${n(fuzzFindings.length)}.`,
    "",
  ];
  if (all.length || fuzzFindings.length) {
    lines.push("First violations:", "", "```");
    for (const v of all.slice(0, 20)) lines.push(`${v.kind}: ${v.contactId ?? ""} ${v.turn !== undefined ? `turn ${v.turn}` : ""}: ${v.detail}`);
    for (const f of fuzzFindings.slice(0, 20)) lines.push(`fuzz ${f.handler} case ${f.caseIndex}: ${f.problem} [${f.mutation}]`);
    lines.push("```", "");
  }
  return lines;
}

export function renderMarkdown(results: CampaignResults): string {
  const seeds = [results.soak && `soak ${results.soak.seed}`, results.flows && `flow sample ${results.flows.seed}`, results.fuzz && `fuzz ${results.fuzz.seed}`].filter(Boolean).join(", ");
  return [
    "# Reliability campaign",
    "",
    `Generated by \`${results.command}\` on ${results.startedAt.toISOString()} (${results.soak?.machine ?? ""}; load average at the start ${results.loadAverage.map((v) => v.toFixed(1)).join(" / ")}). ` +
      `Seeds: ${seeds}. Violations: **${totalViolations(results)}**.`,
    "",
    ...(results.note ? [results.note, ""] : []),
    "How it runs (bench/soak/): most turns go through the real handlers directly, many conversations at once, with the driver playing Lex and the",
    "chat flow's poll loop as synthesized (campaign.ts); a sample of contacts goes through the synthesized flows in the flow simulator (flow-sample.ts);",
    "and every handler gets generated malformed events (fuzz.ts). Handlers run as the deployed packages in warm Node processes; DynamoDB is dynalite",
    "(in a process of its own) behind a fault-injecting proxy, Bedrock and Lambda loopback endpoints. Each message carries its conversation's token",
    "and turn number, which the fake model echoes: an answer that reaches the wrong contact or turn is recognised.",
    "",
    ...violationSection(results),
    ...(results.soak ? soakSection(results.soak) : []),
    ...(results.flows ? flowSection(results.flows) : []),
    ...(results.fuzz ? fuzzSection(results.fuzz) : []),
  ].join("\n");
}
