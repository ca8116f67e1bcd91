/**
 * Runs chat turns through the offline simulator (flows/simulator/integration) with the kit's real
 * handlers, for three designs, and measures each turn: when the answer was stored, when the customer saw
 * it, and what the turn cost in Lambda invocations and DynamoDB requests.
 *
 * Every simulation runs at speed 1 without calibration: virtual time is real time, so the real overhead of
 * the handlers, dynalite and the simulator counts once, not `speed` times (flows/simulator/integration,
 * "Time"). Idle time (the customer's think time, a Wait block with no handler running) is still jumped
 * over. Several simulations ("lanes") run at once in this process to fit the turns into a few minutes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { type ContactScenario, defaultAnswer, environmentFor, type Simulation, type StackFunction, startSimulation } from "../../flows/simulator/integration";
import { QUESTION } from "../../flows/simulator/integration/scenarios";
import type { BridgeFunction } from "../scale/model";
import { buildSeedFlow, seedTargetsFrom } from "./seed-flow";

export type DesignId = "poll" | "seed" | "streaming";
export const DESIGN_IDS: readonly DesignId[] = ["poll", "seed", "streaming"];

export const DESIGN_LABELS: Record<DesignId, string> = {
  poll: "kit poll (long-poll)",
  seed: "seed (Wait 1 s, one read, 20 loops)",
  streaming: "kit streaming (synchronous)",
};

/** The seed design's read: the real answer-poller package with a budget of 1 ms, i.e. exactly one read per call. */
export const SEED_POLLER_BUDGET_MS = 1;

/** One turn to run: a single question per contact, answered by the model after `answerMs`. */
export interface Job {
  readonly design: DesignId;
  /** "1 s", "3 s", ... or "realistic". */
  readonly caseId: string;
  /** The model's answer time (the scripted Converse latency), ms. */
  readonly answerMs: number;
}

/** What one measured turn gives. Times are virtual contact ms (= real ms at speed 1). */
export interface TurnSample extends Job {
  readonly delivered: boolean;
  /** What the customer saw as the turn's answer (the seed's give-up message when it gave up). */
  readonly seenText?: string;
  /** The customer's message. */
  readonly sentAtMs: number;
  /** Arrival at dynalite of the write that settled the turn DONE (the turn's last UpdateItem). */
  readonly storedAtMs?: number;
  /** When the customer saw the answer. */
  readonly seenAtMs?: number;
  /** seenAtMs - storedAtMs, for delivered turns. */
  readonly addedMs?: number;
  /** Invocations per function (the flow's poller calls, the code hook, the async worker). */
  readonly invocations: Readonly<Record<BridgeFunction, number>>;
  /** Billed milliseconds per function: each invocation's duration rounded up to the ms, summed. */
  readonly billedMs: Readonly<Record<BridgeFunction, number>>;
  /** DynamoDB requests of the turn by operation (GetItem, Query, PutItem, UpdateItem). */
  readonly dynamo: Readonly<Record<string, number>>;
  /** Reads the pollers reported (their PollReads metric). */
  readonly pollReads: number;
  /** Arrival at dynalite of the last GetItem before the customer saw the answer: the read that found it (poll designs). */
  readonly foundAtMs?: number;
  /** The simulation's speed (virtual ms per real ms): 1. */
  readonly speed: number;
}

export interface LaneOptions {
  /** Prints one line per turn to stderr. */
  readonly verbose?: boolean;
  readonly onTurn?: (sample: TurnSample) => void;
}

const roleOf = (fn: StackFunction): BridgeFunction | undefined => {
  const parts = fn.constructPath.split("/");
  if (parts.includes("poller")) return "poller";
  if (parts.includes("worker")) return "worker";
  if (parts.includes("fulfillment")) return "fulfillment";
  return undefined;
};

const zero = (): Record<BridgeFunction, number> => ({ fulfillment: 0, worker: 0, poller: 0 });

/** A started simulation for one design, running its turns one after another. */
export class Lane {
  /** Memory of each bridge function in this design's stack (aws_lambda_function.memory_size), MB. */
  readonly memoryMb: Readonly<Record<BridgeFunction, number>>;

  private constructor(
    readonly design: DesignId,
    readonly name: string,
    private readonly simulation: Simulation,
    private readonly cleanup: () => void,
    private readonly flow?: ContactScenario["flow"],
  ) {
    const memory = zero();
    for (const fn of simulation.stack.functions) {
      const role = roleOf(fn);
      if (role) memory[role] = Number(simulation.stack.model.block(fn.address).memory_size);
    }
    this.memoryMb = memory;
  }

  /** The simulator's probe when the lane started: real ms of a host round trip plus a DynamoDB read (75th percentile of 8). */
  get probeRealMs(): number | undefined {
    return this.simulation.probeRealMs;
  }

  static async start(design: DesignId, name: string): Promise<Lane> {
    const dev = environmentFor("dev");
    // Calibration at a maximum speed of 1 keeps speed 1; it is run for its probe of the machine's overhead.
    const common = { speed: 1, calibrate: true, channels: ["chat"] as const };
    if (design === "poll") return new Lane(design, name, await startSimulation({ ...common, environment: dev }), () => undefined);
    if (design === "streaming") {
      const overrides = { channels: { ...dev.channels, chat: { engine: "bedrock-bridge" as const, strategy: "streaming" as const } } };
      return new Lane(design, name, await startSimulation({ ...common, environment: dev, overrides }), () => undefined);
    }
    // The seed: the same stack; answer-poller's host reads its settings from a copy with a one-read budget.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-bench-chat-seed-"));
    try {
      const simulation = await startSimulation({
        ...common,
        environment: dev,
        hostEnvironment: (fn, stack) => {
          if (roleOf(fn) !== "poller") return undefined;
          const packaged = stack.packagedFile(fn, "settings.json");
          if (!packaged) throw new Error(`${fn.functionName} has no settings.json`);
          const settings = JSON.parse(packaged) as { budgets: { pollerBudgetMs: number } };
          settings.budgets.pollerBudgetMs = SEED_POLLER_BUDGET_MS;
          const file = path.join(dir, "settings.json");
          fs.writeFileSync(file, JSON.stringify(settings));
          return { BRIDGE_SETTINGS_PATH: file };
        },
      });
      const document = buildSeedFlow(seedTargetsFrom(simulation.stack.flows.chat.document));
      return new Lane(design, name, simulation, () => fs.rmSync(dir, { recursive: true, force: true }), { name: "seed-design-chat", document });
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Runs one single-question contact and measures its turn. */
  async run(job: Job, options: LaneOptions = {}): Promise<TurnSample> {
    const started = performance.now();
    const run = await this.simulation.runContact({
      channel: "chat",
      // The customer stays until the model would have answered, so a turn the design gave up on still
      // has its worker's invocation in the contact's records (idle time is jumped over, not waited).
      customer: [
        { say: QUESTION, thinkMs: 1_000 },
        { disconnect: true, thinkMs: job.answerMs + 5_000 },
      ],
      bedrock: () => ({ latencyMs: job.answerMs }),
      ...(this.flow ? { flow: this.flow } : {}),
    });
    const turn = run.turns[1];
    if (!turn?.customer) throw new Error(`${this.name}: the contact has no customer turn (${run.trace.outcome.kind})`);
    const expected = defaultAnswer(QUESTION);
    const delivered = turn.answer?.text === expected;
    const seenAtMs = turn.answer?.atMs;
    const turnId = run.dynamo.find((request) => request.operation === "PutItem")?.sortKey;
    const settles = run.dynamo.filter((request) => request.operation === "UpdateItem" && request.sortKey === turnId && (seenAtMs === undefined || request.atMs <= seenAtMs));
    const storedAtMs = delivered ? settles[settles.length - 1]?.atMs : undefined;
    const reads = run.dynamo.filter((request) => request.operation === "GetItem" && request.sortKey === turnId && seenAtMs !== undefined && request.atMs <= seenAtMs);
    const foundAtMs = delivered && reads.length ? reads[reads.length - 1].atMs : undefined;
    if (delivered && storedAtMs === undefined) throw new Error(`${this.name}: a delivered turn without its settling write`);
    const roles = new Map(this.simulation.stack.functions.map((fn) => [fn.functionName, roleOf(fn)]));
    const invocations = zero();
    const billedMs = zero();
    for (const record of turn.invocations) {
      const role = roles.get(record.functionName);
      if (!role || record.status === "not-delivered" || record.status === "throttled") continue;
      invocations[role] += 1;
      billedMs[role] += Math.ceil(record.durationMs ?? 0);
    }
    const sample: TurnSample = {
      ...job,
      delivered,
      ...(turn.answer ? { seenText: turn.answer.text, seenAtMs } : {}),
      sentAtMs: turn.customer.atMs,
      ...(storedAtMs !== undefined ? { storedAtMs } : {}),
      ...(foundAtMs !== undefined ? { foundAtMs } : {}),
      ...(delivered && storedAtMs !== undefined && seenAtMs !== undefined ? { addedMs: seenAtMs - storedAtMs } : {}),
      invocations,
      billedMs,
      dynamo: turn.dynamo.byOperation,
      pollReads: turn.polls.reads,
      speed: run.speed,
    };
    if (options.verbose) {
      const added = sample.addedMs === undefined ? "not delivered" : `added ${sample.addedMs} ms`;
      process.stderr.write(`  ${this.name} ${job.caseId} (${(job.answerMs / 1000).toFixed(1)} s): ${added}, polls ${invocations.poller}, ${Math.round(performance.now() - started)} ms real\n`);
    }
    options.onTurn?.(sample);
    return sample;
  }

  async stop(): Promise<void> {
    try {
      await this.simulation.stop();
    } finally {
      this.cleanup();
    }
  }
}

/**
 * Assigns each design's jobs to `lanes` lanes, longest first to the least loaded lane (so lanes end
 * together), then interleaves each lane's cases so machine load is spread over them.
 */
export function assignLanes(jobs: readonly Job[], lanes: number): Job[][] {
  const out: Job[][] = [];
  for (const design of DESIGN_IDS) {
    const mine = jobs.filter((job) => job.design === design).sort((a, b) => b.answerMs - a.answerMs);
    const buckets: { load: number; jobs: Job[] }[] = Array.from({ length: Math.max(1, lanes) }, () => ({ load: 0, jobs: [] }));
    for (const job of mine) {
      const lightest = buckets.reduce((best, bucket) => (bucket.load < best.load ? bucket : best));
      lightest.jobs.push(job);
      lightest.load += job.answerMs + 500;
    }
    for (const bucket of buckets) if (bucket.jobs.length) out.push(interleave(bucket.jobs));
  }
  return out;
}

/** Round-robin over cases: 1 s, 3 s, ..., realistic, 1 s, ... (deterministic). */
function interleave(jobs: readonly Job[]): Job[] {
  const byCase = new Map<string, Job[]>();
  for (const job of jobs) byCase.set(job.caseId, [...(byCase.get(job.caseId) ?? []), job]);
  const queues = [...byCase.values()];
  const out: Job[] = [];
  while (out.length < jobs.length) for (const queue of queues) if (queue.length) out.push(queue.shift() as Job);
  return out;
}

/** Starts one lane per job list (one after another: each synthesizes and warms up), runs them all at once. */
export async function runLanes(
  plan: readonly Job[][],
  options: LaneOptions & { readonly log?: (line: string) => void; readonly onLane?: (lane: Lane) => void } = {},
): Promise<TurnSample[]> {
  const lanes: Lane[] = [];
  const counters = new Map<DesignId, number>();
  try {
    for (const jobs of plan) {
      const design = jobs[0].design;
      const index = (counters.get(design) ?? 0) + 1;
      counters.set(design, index);
      const started = performance.now();
      const lane = await Lane.start(design, `${design}#${index}`);
      lanes.push(lane);
      options.onLane?.(lane);
      options.log?.(`started ${design}#${index} in ${((performance.now() - started) / 1000).toFixed(1)} s (${jobs.length} turns)`);
    }
    const results = await Promise.all(
      lanes.map(async (lane, i) => {
        const samples: TurnSample[] = [];
        for (const job of plan[i]) samples.push(await lane.run(job, options));
        return samples;
      }),
    );
    return results.flat();
  } finally {
    await Promise.all(lanes.map((lane) => lane.stop().catch(() => undefined)));
  }
}
