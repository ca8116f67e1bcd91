/**
 * Aggregates measured chat turns (measure.ts) per design and answer time, checks the targets of issue 8 §3
 * and renders the Markdown table and the SVG chart. Pure functions of the samples (and the run's
 * circumstances), so their structure is the same in every run.
 */
import { type Assumptions, BRIDGE_FUNCTIONS, type BridgeFunction, type StackFacts, type TurnCost, type TurnProfile, turnCost } from "../scale/model";
import { PRICE_REGION, type Prices } from "../scale/prices";
import { DESIGN_IDS, DESIGN_LABELS, type DesignId, type TurnSample } from "./measure";
import { renderLineChart } from "./svg";

/** Added latency the kit's poll strategy must stay within at the 95th percentile, ms. */
export const ADDED_P95_TARGET_MS = 250;
/** The kit's poller calls, as a share of the seed design's, for answers over `POLL_SHARE_OVER_MS`. */
export const POLL_SHARE_TARGET = 0.25;
export const POLL_SHARE_OVER_MS = 6_000;
/** No failed turn for answers below this (the kit's designs). */
export const NO_FAILURE_BELOW_MS = 60_000;
export const REALISTIC = "realistic";

/** Nearest-rank percentile (p in (0, 100]) of unsorted values; undefined for none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

const mean = (values: readonly number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0);
const sum = (record: Readonly<Record<BridgeFunction, number>>) => BRIDGE_FUNCTIONS.reduce((s, f) => s + record[f], 0);

export interface CaseStats {
  readonly design: DesignId;
  readonly caseId: string;
  readonly turns: number;
  readonly failed: number;
  /** Added latency of the delivered turns, ms. */
  readonly added?: { readonly p50: number; readonly p95: number; readonly max: number; readonly mean: number };
  /** Median of store -> the read that found the answer, and of that read -> the customer (poll designs), ms. */
  readonly split?: { readonly waitForRead: number; readonly readToCustomer: number };
  readonly pollCalls: number;
  readonly lambdaInvocations: number;
  /** DynamoDB reads (GetItem, Query) and writes per turn. */
  readonly reads: number;
  readonly writes: number;
  readonly cost: TurnCost;
}

/** Everything the cost needs besides the samples: the stack's memory sizes per design, assumptions, prices. */
export interface CostBasis {
  readonly facts: StackFacts;
  readonly memoryMb: Readonly<Record<DesignId, Readonly<Record<BridgeFunction, number>>>>;
  readonly assumptions: Assumptions;
  readonly prices: Prices;
}

/**
 * The mean measured turn as the scale model's TurnProfile: requests, billed seconds and DynamoDB requests
 * are measured; RRU of the worker's history Query, WRU of the settling write (item size), the failure
 * queue's share and the log bytes per invocation are the scale model's assumptions.
 */
export function measuredProfile(samples: readonly TurnSample[], a: Assumptions): Omit<TurnProfile, "delivered"> {
  const per = (pick: (s: TurnSample) => number) => mean(samples.map(pick));
  const perFunction = (pick: (s: TurnSample) => Readonly<Record<BridgeFunction, number>>) =>
    Object.fromEntries(BRIDGE_FUNCTIONS.map((fn) => [fn, per((s) => pick(s)[fn])])) as Record<BridgeFunction, number>;
  const requests = perFunction((s) => s.invocations);
  const async = samples.some((s) => s.invocations.worker > 0);
  return {
    pollCalls: requests.poller,
    waitSeconds: per((s) => ((s.seenAtMs ?? s.sentAtMs) - s.sentAtMs) / 1000),
    addedSeconds: mean(samples.flatMap((s) => (s.addedMs === undefined ? [] : [s.addedMs / 1000]))),
    requests,
    seconds: perFunction((s) => Object.fromEntries(BRIDGE_FUNCTIONS.map((fn) => [fn, s.billedMs[fn] / 1000])) as Record<BridgeFunction, number>),
    readUnits: per((s) => (s.dynamo.GetItem ?? 0) + (s.dynamo.Query ?? 0) * a.historyReadUnits),
    // Each write 1 WRU, the settling write (with the answer) ceil(item KB).
    writeUnits: per((s) => (s.dynamo.PutItem ?? 0) + (s.dynamo.UpdateItem ?? 0) + (s.dynamo.UpdateItem ? Math.ceil(a.turnItemKb) - 1 : 0)),
    sqsRequests: async ? a.workerFailureShare : 0,
    logBytes: per((s) => BRIDGE_FUNCTIONS.reduce((total, fn) => total + s.invocations[fn] * (a.platformLogBytes + a.functionLogBytes[fn]), 0)),
  };
}

export function caseStats(design: DesignId, caseId: string, samples: readonly TurnSample[], basis: CostBasis): CaseStats {
  const delivered = samples.filter((s) => s.delivered && s.addedMs !== undefined);
  const added = delivered.map((s) => s.addedMs as number);
  const found = delivered.filter((s) => s.foundAtMs !== undefined && s.storedAtMs !== undefined && s.seenAtMs !== undefined);
  const profile = measuredProfile(samples, basis.assumptions);
  return {
    design,
    caseId,
    turns: samples.length,
    failed: samples.length - delivered.length,
    ...(added.length
      ? { added: { p50: percentile(added, 50) as number, p95: percentile(added, 95) as number, max: Math.max(...added), mean: mean(added) } }
      : {}),
    ...(found.length && design !== "streaming"
      ? {
          split: {
            waitForRead: percentile(found.map((s) => (s.foundAtMs as number) - (s.storedAtMs as number)), 50) as number,
            readToCustomer: percentile(found.map((s) => (s.seenAtMs as number) - (s.foundAtMs as number)), 50) as number,
          },
        }
      : {}),
    pollCalls: profile.pollCalls,
    lambdaInvocations: sum(profile.requests),
    reads: mean(samples.map((s) => (s.dynamo.GetItem ?? 0) + (s.dynamo.Query ?? 0))),
    writes: mean(samples.map((s) => (s.dynamo.PutItem ?? 0) + (s.dynamo.UpdateItem ?? 0))),
    cost: turnCost(design === "seed" ? "seed" : "kit", profile, { ...basis.facts, memoryMb: basis.memoryMb[design] }, basis.assumptions, basis.prices),
  };
}

/** Case ids in table order: the fixed answer times ascending, then the realistic distribution. */
export function caseOrder(samples: readonly TurnSample[]): string[] {
  const fixed = [...new Set(samples.filter((s) => s.caseId !== REALISTIC).map((s) => s.caseId))].sort((a, b) => secondsOf(a) - secondsOf(b));
  return [...fixed, ...(samples.some((s) => s.caseId === REALISTIC) ? [REALISTIC] : [])];
}

/** The case of a fixed answer time ("11 s"); its turns may be spread around it. */
export const caseIdFor = (answerMs: number) => `${answerMs / 1000} s`;
const secondsOf = (caseId: string) => Number(caseId.replace(/ s$/, ""));

export function allStats(samples: readonly TurnSample[], basis: CostBasis): CaseStats[] {
  const out: CaseStats[] = [];
  for (const caseId of caseOrder(samples)) {
    for (const design of DESIGN_IDS) {
      const mine = samples.filter((s) => s.design === design && s.caseId === caseId);
      if (mine.length) out.push(caseStats(design, caseId, mine, basis));
    }
  }
  return out;
}

export interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

const seconds = (ms: number | undefined, digits = 2) => (ms === undefined ? "-" : `${(ms / 1000).toFixed(digits)} s`);
const ratio = (x: number) => x.toFixed(2);

/** The three targets, judged on the samples as measured. */
export function verdicts(samples: readonly TurnSample[]): Verdict[] {
  const out: Verdict[] = [];
  const poll = samples.filter((s) => s.design === "poll");
  const added = poll.flatMap((s) => (s.addedMs === undefined ? [] : [s.addedMs]));
  const p95 = percentile(added, 95);
  const above = added.filter((ms) => ms > ADDED_P95_TARGET_MS).length;
  out.push({
    target: `kit poll: added latency p95 <= ${seconds(ADDED_P95_TARGET_MS)} (all its delivered turns, every answer time)`,
    measured: `${seconds(p95, 3)} over ${added.length} turns; ${above} above ${seconds(ADDED_P95_TARGET_MS)}`,
    pass: p95 !== undefined && p95 <= ADDED_P95_TARGET_MS,
  });

  // Poll calls: per fixed answer time over the threshold, and the realistic turns over it (the same answer
  // times in both designs).
  const parts: string[] = [];
  let pollPass = true;
  let compared = 0;
  // Fixed answer times by their nominal value; realistic turns by their own answer time.
  const groups = [
    ...caseOrder(samples)
      .filter((c) => c !== REALISTIC && secondsOf(c) * 1000 > POLL_SHARE_OVER_MS)
      .map((caseId) => ({ label: caseId, pick: (s: TurnSample) => s.caseId === caseId })),
    { label: `realistic > ${POLL_SHARE_OVER_MS / 1000} s`, pick: (s: TurnSample) => s.caseId === REALISTIC && s.answerMs > POLL_SHARE_OVER_MS },
  ];
  for (const group of groups) {
    const kit = samples.filter((s) => s.design === "poll" && group.pick(s));
    const seed = samples.filter((s) => s.design === "seed" && group.pick(s));
    if (!kit.length || !seed.length) continue;
    compared += 1;
    const kitCalls = mean(kit.map((s) => s.invocations.poller));
    const seedCalls = mean(seed.map((s) => s.invocations.poller));
    const share = kitCalls / seedCalls;
    const seedFailed = seed.filter((s) => !s.delivered).length;
    pollPass &&= share <= POLL_SHARE_TARGET;
    parts.push(
      `${group.label}: ${kitCalls.toFixed(1)} vs ${seedCalls.toFixed(1)} = ${ratio(share)}${share <= POLL_SHARE_TARGET ? "" : " (**over**)"}${seedFailed ? ` (seed gave up on ${seedFailed}/${seed.length})` : ""}`,
    );
  }
  out.push({
    target: `kit poll: poller invocations <= ${POLL_SHARE_TARGET} x the seed design's, answers over ${POLL_SHARE_OVER_MS / 1000} s`,
    measured: compared ? parts.join("; ") : "no answer time over the threshold was run",
    pass: compared > 0 && pollPass,
  });

  for (const design of ["poll", "streaming"] as const) {
    const mine = samples.filter((s) => s.design === design && s.answerMs < NO_FAILURE_BELOW_MS);
    const failed = mine.filter((s) => !s.delivered);
    out.push({
      target: `${DESIGN_LABELS[design]}: no failed turn below ${NO_FAILURE_BELOW_MS / 1000} s of answer time`,
      measured: `${failed.length} failed of ${mine.length}${failed.length ? ` (${[...new Set(failed.map((s) => s.caseId))].join(", ")})` : ""}`,
      pass: mine.length > 0 && failed.length === 0,
    });
  }
  return out;
}

/** Circumstances of the run, printed with the tables. */
export interface RunInfo {
  readonly date: string;
  readonly mode: string;
  readonly lanes: number;
  readonly wallSeconds: number;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  /** 1-minute load averages sampled during the run. */
  readonly load: { readonly before: number; readonly min: number; readonly mean: number; readonly max: number; readonly after: number };
  /** The simulator's probe per lane at its start (host round trip + DynamoDB read, ms). */
  readonly probesMs: readonly number[];
  readonly realisticName: string;
  readonly seedPollerBudgetMs: number;
  /** Width of the spread of a fixed answer time's turns, ms. */
  readonly spreadMs: number;
}

const md = (header: readonly string[], rows: readonly (readonly string[])[], align: readonly ("l" | "r")[]) =>
  [`| ${header.join(" | ")} |`, `|${align.map((a) => (a === "r" ? "--:" : "---")).join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
const usd = (x: number) => `$${x < 0.01 ? x.toFixed(4) : x.toFixed(3)}`;

export function renderMarkdown(samples: readonly TurnSample[], basis: CostBasis, info: RunInfo): string {
  const stats = allStats(samples, basis);
  const checks = verdicts(samples);
  const seedP95 = (caseId: string) => stats.find((s) => s.design === "seed" && s.caseId === caseId)?.added?.p95;
  const seedPolls = (caseId: string) => stats.find((s) => s.design === "seed" && s.caseId === caseId)?.pollCalls;
  const out: string[] = [];
  out.push("# Chat answer delivery (npm run bench:chat)", "");
  const probes = [...info.probesMs].sort((a, b) => a - b);
  out.push(
    `Generated on ${info.date} (${info.mode}): ${samples.length} turns, ${info.lanes} simulations at a time, ${Math.round(info.wallSeconds)} s. ` +
      `Machine: ${info.cpus} × ${info.cpuModel}, Node ${info.node}; 1-minute load average ${info.load.before.toFixed(1)} before, ` +
      `${info.load.min.toFixed(1)}-${info.load.max.toFixed(1)} (mean ${info.load.mean.toFixed(1)}) during, ${info.load.after.toFixed(1)} after; ` +
      `the simulator's probe (host round trip + DynamoDB read) ${probes.length ? `${probes[0]}-${probes[probes.length - 1]} ms` : "not taken"} at the lanes' start.`,
    "",
  );
  out.push(
    "Each turn is one chat contact with one question, run in the offline simulator at speed 1 (real time, no calibration) with the real handler packages " +
      "(lex-fulfillment, bedrock-worker, answer-poller) over dynalite; Bedrock answers after the model time. Designs: " +
      `**${DESIGN_LABELS.poll}**: dev's synthesized chat flow; **${DESIGN_LABELS.seed}**: a flow built with the kit's FlowBuilder (bench/chat-delivery/seed-flow.ts) ` +
      `calling the real answer-poller with a ${info.seedPollerBudgetMs} ms budget (one read per call); **${DESIGN_LABELS.streaming}**: dev with chat strategy streaming (60 s Lex limit). ` +
      `Answer times: 1, 3, 6, 11, 20 and 40 s, each one's turns spread evenly over ±${info.spreadMs / 2000} s so that they land at every phase of the seed's 1 s cycle and the poller's read interval ` +
      `(with exact whole seconds every turn would land at the same phase: nothing else in the simulation varies), and ${info.realisticName} (bench/scale/model.ts), as deterministic quantile samples. ` +
      "Added latency: from the arrival at dynalite of the write that settles the turn DONE to the moment the customer sees the answer.",
    "",
  );

  out.push("## Targets", "");
  out.push(
    md(
      ["target", "measured", "verdict"],
      checks.map((c) => [c.target, c.measured, c.pass ? "pass" : "**miss**"]),
      ["l", "l", "l"],
    ),
  );
  const seedFailures = stats.filter((s) => s.design === "seed" && s.failed > 0).map((s) => `${s.caseId}: ${s.failed}/${s.turns}`);
  out.push("", `The seed design gave up (its 20-loop cap) on: ${seedFailures.length ? seedFailures.join(", ") : "none"}.`, "");

  out.push("## Per design and answer time", "");
  out.push(
    "Added latency in seconds (nearest-rank percentiles of the delivered turns). \"Wait for read\" and \"read → customer\" split the median for the poll designs: " +
      "from the stored answer to the GetItem that found it (the design's poll interval), and from that read to the customer (the read, the function's return, " +
      "the flow's blocks, the Lex prompt). \"× seed\": the kit's figure over the seed design's in this run. Cost: infrastructure per 1,000 turns at " +
      `${PRICE_REGION} list prices (bench/scale/prices.ts), from the measured requests, billed durations and DynamoDB requests.`,
    "",
  );
  const rows = stats.map((s) => {
    const split = s.split ? `${seconds(s.split.waitForRead)} / ${seconds(s.split.readToCustomer)}` : "-";
    const vsSeedP95 = s.design !== "seed" && s.added && seedP95(s.caseId) ? ratio(s.added.p95 / (seedP95(s.caseId) as number)) : "-";
    const vsSeedPolls = s.design === "poll" && seedPolls(s.caseId) ? ratio(s.pollCalls / (seedPolls(s.caseId) as number)) : "-";
    return [
      s.caseId,
      DESIGN_LABELS[s.design],
      String(s.turns),
      s.failed ? `**${s.failed}**` : "0",
      seconds(s.added?.p50),
      seconds(s.added?.p95),
      seconds(s.added?.max),
      split,
      vsSeedP95,
      s.pollCalls.toFixed(1),
      vsSeedPolls,
      s.lambdaInvocations.toFixed(1),
      s.reads.toFixed(1),
      usd(s.cost.total * 1000),
    ];
  });
  out.push(
    md(
      ["answer time", "design", "turns", "failed", "p50", "p95", "max", "wait for read / read → customer (p50)", "p95 × seed", "poll calls", "polls × seed", "Lambda invocations", "DynamoDB reads", "$ / 1,000 turns"],
      rows,
      ["l", "l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
    ),
  );

  const realistic = DESIGN_IDS.map((d) => stats.find((s) => s.design === d && s.caseId === REALISTIC));
  if (realistic.every(Boolean)) {
    const [p, s, st] = realistic as CaseStats[];
    const line = (label: string, pick: (c: CaseStats) => number) => [label, usd(pick(p) * 1000), usd(pick(s) * 1000), usd(pick(st) * 1000)];
    out.push("", `### Cost per 1,000 turns, ${info.realisticName}`, "");
    out.push(
      md(
        ["item", DESIGN_LABELS.poll, DESIGN_LABELS.seed, DESIGN_LABELS.streaming],
        [
          line("Lambda requests", (c) => c.cost.lambdaRequests),
          line("Lambda duration: answer-poller", (c) => c.cost.lambdaDuration.poller),
          line("Lambda duration: bedrock-worker", (c) => c.cost.lambdaDuration.worker),
          line("Lambda duration: lex-fulfillment", (c) => c.cost.lambdaDuration.fulfillment),
          line("DynamoDB reads", (c) => c.cost.dynamoReads),
          line("DynamoDB writes", (c) => c.cost.dynamoWrites),
          line("SQS (worker failures, assumed share)", (c) => c.cost.sqs),
          line("CloudWatch Logs (assumed bytes per invocation)", (c) => c.cost.logs),
          line("**infrastructure total**", (c) => c.cost.total),
        ],
        ["l", "r", "r", "r"],
      ),
    );
    out.push(
      "",
      "Streaming holds lex-fulfillment for the whole answer (billed like the worker), and with no async worker it needs no poller at all; " +
        "the poll designs bill the worker for the answer plus their polling. The seed's read function is the real answer-poller reading once, " +
        "so its billed time per call and its log lines are the kit poller's (a minimal read function would be a little cheaper). Model tokens are not included.",
    );
  }

  const pollP95 = percentile(
    samples.flatMap((s) => (s.design === "poll" && s.addedMs !== undefined ? [s.addedMs] : [])),
    95,
  );
  const hopMs = (basis.assumptions.invokeOverheadSeconds / 2) * 1000;
  out.push("", "## What the measurement leaves out", "");
  out.push(
    [
      "- Speed 1: the handlers, dynalite and the simulator run in real time, so their overhead counts once (at the simulator's default speed 20 it would count 20 times: " +
        "0.1 s of real work between the store and the customer would read as 2 s). Idle time with no handler running (a Wait block after the worker finished, the customer's think time) is jumped over, which does not change virtual times.",
      "- The store instant is the settling UpdateItem's arrival at dynalite; the write is applied a millisecond or so later, so the added latency is overstated by that much.",
      `- Not simulated: Lambda's invoke and return path and Connect's own block processing (the simulator's hosts answer over local IPC in about a millisecond). ` +
        `The scale model assumes ${basis.assumptions.invokeOverheadSeconds.toFixed(2)} s per Invoke round trip; about half of it falls after the read that finds the answer, ` +
        `which would put the kit's p95 at about ${seconds(pollP95 === undefined ? undefined : pollP95 + hopMs)} in production (the seed design pays the same hop). ` +
        "Streaming's added latency is Lex and Connect returning the message, which the simulator models as immediate.",
      "- Machine load: the other processes on the machine (load average above) delay timers and I/O; at speed 1 every such delay is in the figures, as it would be on a busy Lambda host. " +
        "Several simulations run at once (one Node process, one host process per function each), and the simulator's clock checks whether it may jump by polling with setImmediate " +
        "while a handler runs, which keeps the main process busy (about 60 % of a core per simulation measured alone).",
      "- Percentiles are nearest-rank over few turns per answer time (see \"turns\"); the p95 target is judged on all the kit's turns together. " +
        "dynalite is not DynamoDB: its reads take a few ms here; DynamoDB's single-digit-ms reads would be similar.",
    ].join("\n"),
  );
  return `${out.join("\n")}\n`;
}

const COLORS: Record<DesignId, string> = { poll: "#1f77b4", seed: "#d62728", streaming: "#2ca02c" };

/** Added latency p50 (dashed) and p95 (solid) per design against the fixed answer times. */
export function renderChart(samples: readonly TurnSample[], basis: CostBasis, info: Pick<RunInfo, "date" | "mode">): string {
  const stats = allStats(samples, basis);
  const fixed = caseOrder(samples).filter((c) => c !== REALISTIC);
  const ticks = fixed.map(secondsOf);
  const series = DESIGN_IDS.flatMap((design) =>
    (["p95", "p50"] as const).map((p) => ({
      name: `${DESIGN_LABELS[design]}, ${p}`,
      color: COLORS[design],
      dashed: p === "p50",
      values: fixed.map((caseId) => {
        const added = stats.find((s) => s.design === design && s.caseId === caseId)?.added;
        return added ? added[p] / 1000 : undefined;
      }),
    })),
  );
  return renderLineChart({
    title: "Chat answer delivery: added latency after the answer is stored",
    subtitle: `offline simulator at speed 1, real handlers; ${info.mode}, ${info.date}; a missing point: no turn delivered`,
    x: { label: "model answer time (s, log scale)", ticks, tickLabel: (x) => `${x} s`, log: true },
    y: { label: "added latency (s)", tickLabel: (y) => y.toFixed(2) },
    series,
    lines: [{ y: ADDED_P95_TARGET_MS / 1000, label: `kit target: p95 <= ${(ADDED_P95_TARGET_MS / 1000).toFixed(2)} s`, color: "#7f7f7f" }],
    height: 500,
  });
}
