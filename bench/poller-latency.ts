/**
 * Added latency of answer delivery on chat: the time from "answer stored in DynamoDB" to "the flow has
 * it", for the long-poll answer-poller (at several read intervals) and for the seed design (flow Wait 1 s,
 * then one Lambda invocation doing one GetItem, repeated up to 20 times), measured in the same run
 * against dynalite.
 *
 *   npx tsx bench/poller-latency.ts [--turns=100] [--concurrency=10] [--hop=40] [--maxStoreMs=2500]
 *
 * Each turn: a PENDING turn is written, the flow loop starts (as right after the interim message), and
 * the answer is stored at a random moment in [100, maxStoreMs] ms. `hop` is the simulated Connect ->
 * Lambda -> Connect overhead of one Invoke block (half before, half after the function runs), applied
 * alike to both designs. Reads are counted from the poller's own PollReads metric and, for the seed
 * design, per GetItem.
 */
import { handler as pollerHandler } from "../functions/answer-poller";
import { resetAwsClients } from "../functions/shared/aws-clients";
import { setLogSink } from "../functions/shared/log";
import { setMetricsSink } from "../functions/shared/metrics";
import { sleep } from "../functions/shared/retry";
import { type NewTurn, type TurnKey, createTurn, getTurn, newTurnId, settleTurn } from "../functions/shared/turn-store";
import { installSettings, testSettings } from "../__tests__/support/bridge-settings-fixture";
import { startDynalite } from "../__tests__/support/dynalite";

interface Options {
  readonly turns: number;
  readonly concurrency: number;
  readonly hopMs: number;
  readonly maxStoreMs: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string, fallback: number) => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`));
    const parsed = arg ? Number(arg.split("=")[1]) : fallback;
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative number`);
    return parsed;
  };
  return { turns: Math.max(100, value("turns", 100)), concurrency: Math.max(1, value("concurrency", 10)), hopMs: value("hop", 40), maxStoreMs: Math.max(200, value("maxStoreMs", 2_500)) };
}

/** One delivered turn. */
interface Sample {
  /** flow has the answer - answer stored, in ms. */
  readonly addedMs: number;
  readonly reads: number;
  readonly invocations: number;
  readonly timedOut: boolean;
}

interface Design {
  readonly name: string;
  readonly intervalMs?: number;
  /** Runs the flow side until it has the answer; returns when it got it (epoch ms) and the counts. */
  run(key: TurnKey): Promise<{ gotAt: number; reads: number; invocations: number; timedOut: boolean }>;
}

const SEED_WAIT_MS = 1_000;
const SEED_MAX_LOOPS = 20;
const POLLER_BUDGET_MS = 6_500;

const readsByTurn = new Map<string, number>();

function longPoll(intervalMs: number, hopMs: number): Design {
  return {
    name: `long-poll ${intervalMs} ms`,
    intervalMs,
    async run(key) {
      let invocations = 0;
      // Loop block: Invoke answer-poller (sync) -> Check status -> repeat while PENDING.
      for (;;) {
        invocations += 1;
        await sleep(hopMs / 2);
        const started = Date.now();
        const result = await pollerHandler(
          { Details: { ContactData: { ContactId: key.contactId }, Parameters: { turnId: key.turnId } } },
          { awsRequestId: "bench", getRemainingTimeInMillis: () => 8_000 - (Date.now() - started) },
        );
        await sleep(hopMs / 2);
        if (result.status !== "PENDING") {
          return { gotAt: Date.now(), reads: readsByTurn.get(key.turnId) ?? 0, invocations, timedOut: result.status !== "READY" };
        }
      }
    },
  };
}

function seed(hopMs: number): Design {
  return {
    name: "seed: Wait 1 s + GetItem",
    async run(key) {
      let reads = 0;
      // Wait 1 s -> Invoke a Lambda that reads the answer once -> Check -> Loop (max 20).
      for (let loop = 1; loop <= SEED_MAX_LOOPS; loop += 1) {
        await sleep(SEED_WAIT_MS);
        await sleep(hopMs / 2);
        reads += 1;
        const turn = await getTurn(key, { consistent: true });
        await sleep(hopMs / 2);
        if (turn?.status === "DONE") return { gotAt: Date.now(), reads, invocations: loop, timedOut: false };
      }
      return { gotAt: Date.now(), reads, invocations: SEED_MAX_LOOPS, timedOut: true };
    },
  };
}

async function runTurn(design: Design, options: Options, index: number): Promise<Sample> {
  const now = Date.now();
  const turn: NewTurn = {
    contactId: `bench-${design.name.replace(/\W+/g, "-")}-${index}`,
    turnId: newTurnId(now),
    utterance: "bench",
    locale: "ja_JP",
    channel: "chat",
    createdAt: now,
    deadlineAt: now + 90_000,
    expiresAt: Math.floor(now / 1000) + 3600,
  };
  if (!(await createTurn(turn))) throw new Error("turn exists");
  const storeAfter = 100 + Math.random() * (options.maxStoreMs - 100);
  const stored = (async () => {
    await sleep(storeAfter);
    await settleTurn(turn, { status: "DONE", answer: "bench answer", tool: "ANSWER", modelId: "bench", attempts: 1 }, Date.now(), undefined);
    return Date.now();
  })();
  const flow = await design.run(turn);
  const storedAt = await stored;
  return { addedMs: flow.gotAt - storedAt, reads: flow.reads, invocations: flow.invocations, timedOut: flow.timedOut };
}

async function runDesign(design: Design, options: Options): Promise<Sample[]> {
  installSettings(testSettings({ budgets: { pollIntervalMs: design.intervalMs ?? 200, pollerBudgetMs: POLLER_BUDGET_MS, turnTimeoutMs: 90_000 } }));
  const samples: Sample[] = [];
  let next = 0;
  const worker = async () => {
    while (next < options.turns) samples.push(await runTurn(design, options, next++));
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return samples;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summarize(samples: readonly Sample[]) {
  const added = samples.map((s) => s.addedMs).sort((a, b) => a - b);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    median: percentile(added, 50),
    p95: percentile(added, 95),
    mean: mean(added),
    reads: mean(samples.map((s) => s.reads)),
    invocations: mean(samples.map((s) => s.invocations)),
    timeouts: samples.filter((s) => s.timedOut).length,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const dynamo = await startDynalite("bench-turns");
  Object.assign(process.env, {
    AWS_REGION: "ap-northeast-1",
    AWS_ACCESS_KEY_ID: "AKIDBENCH",
    AWS_SECRET_ACCESS_KEY: "bench",
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    TABLE_NAME: dynamo.tableName,
    ENVIRONMENT_NAME: "bench",
  });
  resetAwsClients();
  setLogSink(() => undefined);
  setMetricsSink((line) => {
    const parsed = JSON.parse(line) as { turnId?: string; PollReads?: number };
    if (parsed.turnId && typeof parsed.PollReads === "number") readsByTurn.set(parsed.turnId, (readsByTurn.get(parsed.turnId) ?? 0) + parsed.PollReads);
  });

  const designs = [seed(options.hopMs), longPoll(100, options.hopMs), longPoll(200, options.hopMs), longPoll(250, options.hopMs)];
  console.log(`poller latency bench: ${options.turns} turns per design, ${options.concurrency} at a time, answer stored ${100}-${options.maxStoreMs} ms after the interim message, flow hop ${options.hopMs} ms per Invoke`);
  const results: { design: Design; summary: ReturnType<typeof summarize> }[] = [];
  for (const design of designs) {
    const started = Date.now();
    const summary = summarize(await runDesign(design, options));
    results.push({ design, summary });
    console.log(`  measured ${design.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const baseline = results[0].summary;
  const pad = (text: string, width: number) => text.padEnd(width);
  const num = (value: number, digits = 0) => value.toFixed(digits).padStart(8);
  console.log("");
  console.log(`${pad("design", 28)}  median ms     p95 ms    mean ms  x median    x p95  reads/turn  invokes/turn  timeouts`);
  for (const { design, summary } of results) {
    console.log(
      `${pad(design.name, 28)}  ${num(summary.median)}   ${num(summary.p95)}   ${num(summary.mean)}   ${num(summary.median / baseline.median, 2)} ${num(summary.p95 / baseline.p95, 2)}   ${num(summary.reads, 1)}      ${num(summary.invocations, 2)}  ${num(summary.timeouts)}`,
    );
  }
  console.log("");
  console.log("x median / x p95: added latency relative to the seed design in this run (lower is better).");
  resetAwsClients();
  await dynamo.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
