import { jobsFor, SPREAD_MS } from "../../bench/chat-delivery";
import { assignLanes, type DesignId, type TurnSample } from "../../bench/chat-delivery/measure";
import { type CostBasis, percentile, renderChart, renderMarkdown, verdicts } from "../../bench/chat-delivery/report";
import { buildSeedFlow, SEED_GAVE_UP_TEXT, seedTargetsFrom } from "../../bench/chat-delivery/seed-flow";
import { renderLineChart } from "../../bench/chat-delivery/svg";
import { DEFAULT_ASSUMPTIONS, logNormalAnswerTimes, type StackFacts } from "../../bench/scale/model";
import { PRICES } from "../../bench/scale/prices";
import { buildChatFlow } from "../../flows/chat";
import { validateFlow } from "../../flows/language";
import { assertCompleted, simulateContact } from "../../flows/simulator";
import { pollChatProps } from "../support/flow-fixtures";
import { fakeBridge, INTERIM } from "../support/fake-bridge-runtime";

/**
 * The chat delivery benchmark's pure parts: the seed design's flow, the plan of turns, the statistics, the
 * targets' verdicts and the rendering. No timing is asserted here (the benchmark measures, tests do not).
 */

const kitFlow = buildChatFlow(pollChatProps());

describe("the seed design's flow", () => {
  const flow = buildSeedFlow(seedTargetsFrom(kitFlow));

  test("takes the bot and the poller from the kit's chat flow and passes the flow validator", () => {
    const targets = seedTargetsFrom(kitFlow);
    expect(targets.sessionAttributes).toEqual({ contactId: "$.ContactId", channel: "$.Channel" });
    expect(JSON.stringify(flow)).toContain(targets.pollerArn);
    expect(validateFlow(flow, { channels: ["CHAT"], flowType: "CONTACT_FLOW", strict: true }).filter((f) => f.severity === "error")).toEqual([]);
  });

  async function oneTurn(answerSeconds: number) {
    // The seed's function reads once: a poller budget of 0 answers PENDING at once.
    const bridge = fakeBridge({ answerMs: () => answerSeconds * 1000, pollerBudgetMs: 0 });
    const trace = assertCompleted(
      await simulateContact({
        flow,
        contact: { contactId: "0f1e2d3c-4b5a-4697-8a8b-00000000c0de", channel: "CHAT" },
        customer: [{ say: "質問", thinkMs: 1_000 }, { disconnect: true, thinkMs: 1_000 }],
        runtime: { lex: bridge.lex, lambda: bridge.lambda },
        options: { isAnswer: (entry) => entry.text !== INTERIM },
      }),
    );
    return { answer: trace.turns[0].answerText, polls: bridge.pollerCalls(), waits: trace.steps.filter((s) => s.type === "Wait").map((s) => s.durationMs) };
  }

  test("polls once a second (Wait 1 s) and says the answer when it is READY", async () => {
    const { answer, polls, waits } = await oneTurn(5);
    expect(answer).toBe("answer 1");
    expect(polls).toBe(5);
    expect(new Set(waits)).toEqual(new Set([1_000]));
  });

  test("gives up after 20 polls (the Loop block's 20 rounds)", async () => {
    const { answer, polls } = await oneTurn(40);
    expect(polls).toBe(20);
    expect(answer).toBe(SEED_GAVE_UP_TEXT);
  });
});

describe("the plan", () => {
  test("every design gets the same answer times; a fixed time's turns are spread over one seed cycle around it", () => {
    const { jobs } = jobsFor({ quick: false, factor: 1 });
    const times = (design: DesignId) => jobs.filter((j) => j.design === design).map((j) => `${j.caseId}:${j.answerMs}`);
    expect(times("seed")).toEqual(times("poll"));
    expect(times("streaming")).toEqual(times("poll"));
    const elevens = jobs.filter((j) => j.design === "poll" && j.caseId === "11 s").map((j) => j.answerMs);
    expect(elevens).toHaveLength(12);
    expect(Math.min(...elevens)).toBeGreaterThanOrEqual(11_000 - SPREAD_MS / 2);
    expect(Math.max(...elevens)).toBeLessThan(11_000 + SPREAD_MS / 2);
    expect(elevens.reduce((s, x) => s + x, 0) / elevens.length).toBeCloseTo(11_000, -1);
    const realistic = jobs.filter((j) => j.design === "poll" && j.caseId === "realistic").map((j) => j.answerMs);
    expect(realistic).toEqual(logNormalAnswerTimes(5, 12, 40).samples.map((s) => Math.round(s * 1000)));
  });

  test("lanes: each job once, one design per lane, loads balanced", () => {
    const { jobs } = jobsFor({ quick: false, factor: 1 });
    const lanes = assignLanes(jobs, 2);
    expect(lanes).toHaveLength(6);
    expect(lanes.flat()).toHaveLength(jobs.length);
    for (const lane of lanes) expect(new Set(lane.map((j) => j.design)).size).toBe(1);
    const load = (lane: readonly { answerMs: number }[]) => lane.reduce((s, j) => s + j.answerMs, 0);
    expect(Math.abs(load(lanes[0]) - load(lanes[1]))).toBeLessThan(41_000);
  });
});

function sample(design: DesignId, caseId: string, answerMs: number, addedMs: number | undefined, polls: number): TurnSample {
  const delivered = addedMs !== undefined;
  return {
    design,
    caseId,
    answerMs,
    delivered,
    sentAtMs: 1_000,
    ...(delivered ? { storedAtMs: 1_000 + answerMs, seenAtMs: 1_000 + answerMs + addedMs, foundAtMs: 1_000 + answerMs + addedMs - 5, addedMs } : {}),
    invocations: { fulfillment: 1, worker: design === "streaming" ? 0 : 1, poller: polls },
    billedMs: { fulfillment: design === "streaming" ? answerMs : 50, worker: design === "streaming" ? 0 : answerMs, poller: design === "poll" ? answerMs : polls * 20 },
    dynamo: { PutItem: 1, UpdateItem: design === "streaming" ? 1 : 2, Query: 1, GetItem: design === "poll" ? answerMs / 200 : polls },
    pollReads: design === "poll" ? answerMs / 200 : polls,
    speed: 1,
  };
}

const basis: CostBasis = {
  facts: { memoryMb: { fulfillment: 512, worker: 512, poller: 256 } } as StackFacts,
  memoryMb: { poll: { fulfillment: 512, worker: 512, poller: 256 }, seed: { fulfillment: 512, worker: 512, poller: 256 }, streaming: { fulfillment: 512, worker: 512, poller: 256 } },
  assumptions: DEFAULT_ASSUMPTIONS,
  prices: PRICES,
};

describe("statistics and targets", () => {
  test("nearest-rank percentiles", () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(10);
    expect(percentile(values, 95)).toBe(19);
    expect(percentile(values, 100)).toBe(20);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 95)).toBeUndefined();
  });

  const samples: TurnSample[] = [
    ...Array.from({ length: 20 }, (_, i) => sample("poll", "11 s", 11_000, 10 * i, 2)),
    ...Array.from({ length: 20 }, (_, i) => sample("seed", "11 s", 11_000, 50 * i, 11)),
    ...Array.from({ length: 20 }, () => sample("streaming", "11 s", 11_000, 10, 0)),
    sample("poll", "40 s", 40_000, 100, 7),
    sample("seed", "40 s", 40_000, undefined, 20),
    sample("streaming", "40 s", 40_000, 10, 0),
  ];

  test("the verdicts: p95 over all kit turns, the poll share per answer time over 6 s (the seed's give-up counts as measured), failures below 60 s", () => {
    const [p95, polls, pollFailures, streamingFailures] = verdicts(samples);
    expect(p95).toMatchObject({ pass: true, measured: "0.180 s over 21 turns; 0 above 0.25 s" });
    expect(polls.pass).toBe(false);
    expect(polls.measured).toContain("11 s: 2.0 vs 11.0 = 0.18");
    expect(polls.measured).toContain("40 s: 7.0 vs 20.0 = 0.35 (**over**) (seed gave up on 1/1)");
    expect(pollFailures).toMatchObject({ pass: true, measured: "0 failed of 21" });
    expect(streamingFailures.pass).toBe(true);
    const slow = samples.map((s) => (s.design === "poll" && s.addedMs !== undefined ? { ...s, addedMs: s.addedMs + 100 } : s));
    expect(verdicts(slow)[0]).toMatchObject({ pass: false });
    const failing = samples.map((s, i) => (i === 0 ? { ...s, delivered: false, addedMs: undefined } : s));
    expect(verdicts(failing)[2]).toMatchObject({ pass: false, measured: "1 failed of 21 (11 s)" });
  });

  const info = {
    date: "2026-12-01",
    mode: "test",
    lanes: 6,
    wallSeconds: 1,
    cpus: 2,
    cpuModel: "CPU",
    node: "v20",
    load: { before: 1, min: 1, mean: 1, max: 1, after: 1 },
    probesMs: [3],
    realisticName: "log-normal",
    seedPollerBudgetMs: 1,
    spreadMs: 1_000,
  };

  test("the Markdown has the targets, a row per answer time and design, and the same structure for the same shape of data", () => {
    const text = renderMarkdown(samples, basis, info);
    expect(text).toMatch(/^# Chat answer delivery/);
    expect(text).toContain("## Targets");
    expect(text.split("\n").filter((line) => /^\| (11|40) s \|/.test(line))).toHaveLength(6);
    const shifted = samples.map((s) => (s.addedMs === undefined ? s : { ...s, addedMs: s.addedMs + 1 }));
    const structure = (md: string) => md.replace(/[0-9.$]+/g, "#");
    expect(structure(renderMarkdown(shifted, basis, info))).toBe(structure(text));
  });

  test("the chart: one polyline per design and percentile, a gap where nothing was delivered, the legend and the target line", () => {
    const svg = renderChart(samples, basis, info);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("kit poll (long-poll), p95");
    expect(svg).toContain("kit target: p95 &lt;= 0.25 s");
    // seed: only 11 s delivered, so no polyline for it (a single point).
    expect(svg.match(/<polyline/g)).toHaveLength(4);
    expect(renderChart(samples, basis, info)).toBe(svg);
  });

  test("the SVG writer breaks a series at a missing value", () => {
    const svg = renderLineChart({
      title: "t",
      x: { label: "x", ticks: [1, 2, 3, 4], tickLabel: String },
      y: { label: "y", tickLabel: (y) => y.toFixed(1) },
      series: [{ name: "a", color: "#000000", values: [1, 2, undefined, 4] }],
    });
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg.match(/<circle/g)).toHaveLength(3);
  });
});
