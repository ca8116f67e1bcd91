/**
 * Runs every benchmark (`npm run bench`), one after another so that none disturbs another's timings,
 * each in its own process exactly as its own npm script runs it (`npm run bench:<name>`), then prints a
 * summary: exit status, wall time, the result files it wrote and the lines it printed as `summary: ...`.
 *
 *   npx tsx bench/run-all.ts [--quick] [--only=poller,chat] [--skip=synth]
 *
 * `--quick` runs each with fewer repetitions and without writing its results (bench/results keeps the last
 * full run's). The exit code is 1 when a benchmark failed to run; a missed target is a result, not a failure.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

const ROOT = path.join(__dirname, "..");
const RESULTS = path.join(ROOT, "bench", "results");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

export interface Benchmark {
  /** As in `npm run bench:<name>`. */
  readonly name: string;
  readonly script: string;
  readonly description: string;
  /** Arguments of a quick run. */
  readonly quick: readonly string[];
}

export const BENCHMARKS: readonly Benchmark[] = [
  { name: "poller", script: "bench/poller-latency.ts", description: "answer stored -> flow has it: long-poll vs the seed's short poll, over dynalite", quick: [] },
  { name: "synth", script: "bench/synth-time.ts", description: "synth time: tsx vs ts-node (the CDKTF template's runner), cold and warm", quick: ["--runs=1", "--no-write"] },
  { name: "functions", script: "bench/functions.ts", description: "bundle size and cold module load vs an unminified CommonJS-first bundle", quick: ["--runs=3", "--no-write"] },
  { name: "scale", script: "bench/scale-model.ts", description: "scale and cost model: kit long-poll vs seed design per turn and per load", quick: ["--no-write"] },
  { name: "chat", script: "bench/chat-delivery.ts", description: "chat answer delivery in the simulator: poll, seed design, streaming", quick: ["--quick", "--no-write"] },
];

interface Outcome {
  readonly benchmark: Benchmark;
  readonly code: number | null;
  readonly seconds: number;
  readonly wrote: readonly string[];
  readonly summary: readonly string[];
}

function resultTimes(): Map<string, number> {
  const times = new Map<string, number>();
  if (!fs.existsSync(RESULTS)) return times;
  for (const file of fs.readdirSync(RESULTS)) times.set(file, fs.statSync(path.join(RESULTS, file)).mtimeMs);
  return times;
}

/** Runs one benchmark with its output streamed through; keeps its `summary:` lines. */
function run(benchmark: Benchmark, args: readonly string[]): Promise<Outcome> {
  const before = resultTimes();
  const started = performance.now();
  const summary: string[] = [];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, benchmark.script, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let pending = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.startsWith("summary:")) summary.push(line.slice("summary:".length).trim());
    });
    child.on("close", (code) => {
      if (pending.startsWith("summary:")) summary.push(pending.slice("summary:".length).trim());
      const after = resultTimes();
      const wrote = [...after].filter(([file, mtime]) => before.get(file) !== mtime).map(([file]) => path.join("bench", "results", file));
      resolve({ benchmark, code, seconds: (performance.now() - started) / 1000, wrote, summary });
    });
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const list = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3).split(",").filter(Boolean);
  const only = list("only");
  const skip = list("skip") ?? [];
  const quick = argv.includes("--quick");
  for (const name of [...(only ?? []), ...skip]) {
    if (!BENCHMARKS.some((b) => b.name === name)) throw new Error(`no benchmark "${name}"; known: ${BENCHMARKS.map((b) => b.name).join(", ")}`);
  }
  const chosen = BENCHMARKS.filter((b) => (!only || only.includes(b.name)) && !skip.includes(b.name));
  const outcomes: Outcome[] = [];
  for (const benchmark of chosen) {
    const args = quick ? benchmark.quick : [];
    console.log(`\n=== bench:${benchmark.name}: ${benchmark.description} (${["npx tsx", benchmark.script, ...args].join(" ")})\n`);
    outcomes.push(await run(benchmark, args));
  }
  console.log(`\n=== summary (${quick ? "--quick: fewer runs, results not written" : "full runs"})\n`);
  const width = Math.max(...outcomes.map((o) => o.benchmark.name.length)) + 6;
  for (const outcome of outcomes) {
    const status = outcome.code === 0 ? "ok" : `FAILED (exit ${outcome.code ?? "signal"})`;
    console.log(`${`bench:${outcome.benchmark.name}`.padEnd(width)} ${status.padEnd(8)} ${`${outcome.seconds.toFixed(0)} s`.padStart(6)}  ${outcome.wrote.length ? `wrote ${outcome.wrote.join(", ")}` : "wrote nothing"}`);
    for (const line of outcome.summary) console.log(`${" ".repeat(width + 1)}${line}`);
  }
  if (outcomes.some((o) => o.code !== 0)) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
