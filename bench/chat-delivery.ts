/**
 * Chat answer delivery (issue 8 §3): how long after the answer is stored the customer sees it, and what a
 * turn costs, for the kit's `poll` strategy (dev's synthesized chat flow), the seed design (Wait 1 s ->
 * Invoke a one-read poller -> Compare -> Loop, 20 loops, built with the same flow builder) as the baseline,
 * and the `streaming` strategy (dev with chat strategy streaming: the bridge answers synchronously, 60 s
 * Lex limit), all in the same offline simulator with the real handler packages, in the same run.
 *
 *   npx tsx bench/chat-delivery.ts [--quick] [--lanes=2] [--turns=<factor>] [--no-write] [--out=<dir>] [--verbose]
 *
 * Model answer times 1, 3, 6, 11, 20 and 40 s, and the scale model's realistic log-normal distribution
 * (bench/scale/model.ts, median 5 s, p90 12 s) as deterministic quantile samples. The turns of a fixed
 * answer time W are spread evenly over W ± 0.5 s (one seed cycle): with exactly W every turn's answer would
 * land at the same phase of the seed's 1 s cycle and of the poller's 0.2 s interval (everything else in the
 * simulation is deterministic), and the percentiles would describe that one phase. Every simulation runs at
 * speed 1 (real time): the store -> customer window is a few hundred ms of mostly real work, which any
 * speed-up would multiply (see the results' last section). To fit in a few minutes, `lanes` simulations
 * per design run at once. `--turns` multiplies the number of turns per answer time (full run: 12 for 1-11 s,
 * 6 for 20 s, 4 for 40 s, 40 realistic; --quick: 3, 1, 1 and 8).
 *
 * Prints the targets' verdicts and the table; writes bench/results/chat-delivery.md and
 * bench/results/chat-delivery.svg (`--no-write` to skip, `--out=<dir>` to write them elsewhere). Exit code 0 whether or not a target is missed
 * (the verdicts are in the output); 1 when the run itself fails.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { readStackFacts } from "./scale-model";
import { DEFAULT_ASSUMPTIONS, logNormalAnswerTimes } from "./scale/model";
import { PRICES } from "./scale/prices";
import { DESIGN_IDS, type DesignId, type Job, type Lane, SEED_POLLER_BUDGET_MS, assignLanes, runLanes } from "./chat-delivery/measure";
import { type CostBasis, REALISTIC, caseIdFor, renderChart, renderMarkdown, verdicts } from "./chat-delivery/report";

const ROOT = path.join(__dirname, "..");
const RESULTS_DIR = path.join(ROOT, "bench", "results");

export const ANSWER_SECONDS = [1, 3, 6, 11, 20, 40] as const;
/** Turns of a fixed answer time W are spread evenly over W ± SPREAD_MS / 2. */
export const SPREAD_MS = 1_000;
const REALISTIC_MEDIAN = 5;
const REALISTIC_P90 = 12;

/** Turns per answer time (before --turns). */
const PLAN = {
  full: { perAnswer: { 1: 12, 3: 12, 6: 12, 11: 12, 20: 6, 40: 4 }, realistic: 40 },
  quick: { perAnswer: { 1: 3, 3: 3, 6: 3, 11: 3, 20: 1, 40: 1 }, realistic: 8 },
} as const;

interface Options {
  readonly quick: boolean;
  readonly lanes: number;
  readonly factor: number;
  readonly write: boolean;
  readonly outDir: string;
  readonly verbose: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const number = (name: string, fallback: number) => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`));
    const value = arg ? Number(arg.slice(name.length + 3)) : fallback;
    if (!(value > 0) || !Number.isFinite(value)) throw new Error(`--${name} must be a positive number`);
    return value;
  };
  return {
    quick: argv.includes("--quick"),
    lanes: Math.round(number("lanes", 2)),
    factor: number("turns", 1),
    write: !argv.includes("--no-write"),
    outDir: path.resolve(argv.find((a) => a.startsWith("--out="))?.slice("--out=".length) ?? RESULTS_DIR),
    verbose: argv.includes("--verbose"),
  };
}

/** Every design gets the same answer times. */
export function jobsFor(options: Pick<Options, "quick" | "factor">): { jobs: Job[]; realisticName: string } {
  const plan = options.quick ? PLAN.quick : PLAN.full;
  const realistic = logNormalAnswerTimes(REALISTIC_MEDIAN, REALISTIC_P90, Math.max(1, Math.round(plan.realistic * options.factor)));
  const jobs: Job[] = [];
  for (const design of DESIGN_IDS) {
    for (const seconds of ANSWER_SECONDS) {
      const count = Math.max(1, Math.round(plan.perAnswer[seconds] * options.factor));
      for (let i = 0; i < count; i += 1) {
        const offset = count === 1 ? 0 : Math.round(((i + 0.5) / count - 0.5) * SPREAD_MS);
        jobs.push({ design, caseId: caseIdFor(seconds * 1000), answerMs: seconds * 1000 + offset });
      }
    }
    for (const answer of realistic.samples) jobs.push({ design, caseId: REALISTIC, answerMs: Math.round(answer * 1000) });
  }
  return { jobs, realisticName: `log-normal answer times, median ${REALISTIC_MEDIAN} s, p90 ${REALISTIC_P90} s` };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const loadBefore = os.loadavg()[0];
  const { jobs, realisticName } = jobsFor(options);
  const plan = assignLanes(jobs, options.lanes);
  const mode = options.quick ? "--quick" : "full run";
  console.log(`chat delivery bench (${mode}): ${jobs.length} turns, ${plan.length} simulations at a time (${options.lanes} per design), speed 1`);

  const facts = readStackFacts("dev");
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(os.loadavg()[0]), 5_000);
  const probes: number[] = [];
  const memory: Partial<Record<DesignId, Lane["memoryMb"]>> = {};
  let done = 0;
  let samples;
  try {
    samples = await runLanes(plan, {
      verbose: options.verbose,
      log: (line) => console.error(`  ${line}`),
      onLane: (lane) => {
        if (lane.probeRealMs !== undefined) probes.push(lane.probeRealMs);
        memory[lane.design] = lane.memoryMb;
      },
      onTurn: () => {
        done += 1;
        if (!options.verbose && done % 20 === 0) console.error(`  ${done}/${jobs.length} turns, ${Math.round((performance.now() - started) / 1000)} s`);
      },
    });
  } finally {
    clearInterval(sampler);
  }
  const loadAfter = os.loadavg()[0];
  const during = loads.length ? loads : [loadAfter];
  const basis: CostBasis = {
    facts,
    memoryMb: { poll: memory.poll ?? facts.memoryMb, seed: memory.seed ?? facts.memoryMb, streaming: memory.streaming ?? facts.memoryMb },
    assumptions: DEFAULT_ASSUMPTIONS,
    prices: PRICES,
  };
  const cpus = os.cpus();
  const info = {
    date: new Date().toISOString().slice(0, 10),
    mode,
    lanes: plan.length,
    wallSeconds: (performance.now() - started) / 1000,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown CPU",
    node: process.version,
    load: { before: loadBefore, min: Math.min(...during), mean: during.reduce((s, x) => s + x, 0) / during.length, max: Math.max(...during), after: loadAfter },
    probesMs: probes,
    realisticName,
    seedPollerBudgetMs: SEED_POLLER_BUDGET_MS,
    spreadMs: SPREAD_MS,
  };
  const markdown = renderMarkdown(samples, basis, info);
  console.log("");
  console.log(markdown);
  const checks = verdicts(samples);
  console.log(`summary: chat delivery: ${checks.map((c) => `${c.pass ? "pass" : "MISS"}: ${c.target}`).join(" | ")}`);
  if (options.write) {
    const md = path.join(options.outDir, "chat-delivery.md");
    const svg = path.join(options.outDir, "chat-delivery.svg");
    fs.mkdirSync(options.outDir, { recursive: true });
    fs.writeFileSync(md, markdown);
    fs.writeFileSync(svg, renderChart(samples, basis, info));
    console.error(`wrote ${path.relative(process.cwd(), md)} and ${path.relative(process.cwd(), svg)}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
