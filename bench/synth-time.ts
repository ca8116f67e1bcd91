/**
 * Synth time of every environment (a fresh Node process per run, as `npm run synth` or the cdktf CLI
 * starts it), with the project's runner against the CDKTF template's default, on the same app:
 *
 * - `tsx main.ts` (`npm run synth`): esbuild transforms, no type-check; tsx caches transforms under
 *   $TMPDIR/tsx-<uid>.
 * - `ts-node main.ts` (the baseline): what `cdktf init --template=typescript` writes into cdktf.json
 *   (`"app": "npx ts-node main.ts"`), run with its defaults and this project's tsconfig.json, i.e. with
 *   type-checking. It needs no flag with this tsconfig (module commonjs). It keeps no cache between runs.
 * - `ts-node --transpileOnly main.ts` (reference, `--no-transpile-only` drops it): how much of ts-node's
 *   time is the type-check.
 *
 * Each runner is measured cold and warm. Cold: a new TMPDIR (so tsx's transform cache and the function
 * packages are new) and a new, empty bundle cache (CONTACT_CENTER_BUNDLE_CACHE, so every function is bundled
 * by esbuild): a first synth on a fresh checkout. Warm: the same folders again (unchanged function code).
 * The shared cache in node_modules/.cache is never touched. Runners and states are interleaved in every
 * round, so machine load affects them alike. Prints median, min and max and the ratios, and writes the
 * table to bench/results/synth.md (`--no-write` to skip).
 *
 * `--app=<dir>` synthesizes the app in another checkout of this repository, e.g.
 * `git worktree add --detach <dir> HEAD && cp -al node_modules <dir>/` (hard links: a symlinked
 * node_modules would put package paths outside the project into the source maps, which synth refuses),
 * so that edits in progress in this tree cannot change the code under measurement (or break ts-node's
 * type-check half-way through the run).
 *
 *   npx tsx bench/synth-time.ts [--runs=5] [--no-transpile-only] [--no-write] [--app=<dir>]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");
const RESULTS = path.join(ROOT, "bench", "results", "synth.md");

const argv = process.argv.slice(2);
/** The checkout whose main.ts is synthesized (and whose node_modules provide the runners). */
const APP = path.resolve(argv.find((a) => a.startsWith("--app="))?.slice("--app=".length) ?? ROOT);
const TSX = path.join(APP, "node_modules", "tsx", "dist", "cli.mjs");
const TS_NODE = path.join(APP, "node_modules", "ts-node", "dist", "bin.js");
const runs = Math.max(1, Number(argv.find((a) => a.startsWith("--runs="))?.split("=")[1] ?? 5));
const write = !argv.includes("--no-write");

interface Runner {
  readonly key: string;
  readonly label: string;
  /** Arguments to `node`. */
  readonly args: readonly string[];
}

const RUNNERS: readonly Runner[] = [
  { key: "tsx", label: "tsx main.ts (npm run synth)", args: [TSX, "main.ts"] },
  { key: "ts-node", label: "ts-node main.ts (CDKTF template default, type-checks)", args: [TS_NODE, "main.ts"] },
  ...(argv.includes("--no-transpile-only") ? [] : [{ key: "ts-node-t", label: "ts-node --transpileOnly main.ts (reference)", args: [TS_NODE, "--transpileOnly", "main.ts"] }]),
];

interface Sample {
  /** Process wall time: Node start-up, the runner, compiling and synthesizing. */
  readonly wallMs: number;
  /** What main.ts reports: from its first statement to the end of synth (bundling included). */
  readonly appMs: number;
}

function synthOnce(runner: Runner, scratch: string): Sample {
  const outdir = fs.mkdtempSync(path.join(scratch, "out-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: path.join(scratch, "tmp"),
    CONTACT_CENTER_BUNDLE_CACHE: path.join(scratch, "bundles"),
    CONTACT_CENTER_OUTDIR: outdir,
  };
  delete env.TSX_DISABLE_CACHE;
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, runner.args, { cwd: APP, env, encoding: "utf8" });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${runner.label} failed (exit ${result.status}):\n${result.stderr}`);
  const reported = /in (\d+) ms/.exec(result.stdout);
  if (!reported) throw new Error(`${runner.label} printed no synth time:\n${result.stdout}`);
  fs.rmSync(outdir, { recursive: true, force: true });
  return { wallMs, appMs: Number(reported[1]) };
}

/** `npx` itself (resolving the local bin), as cdktf.json starts either runner: measured on `--version`. */
function launcherOverheadMs(): number {
  const time = (command: string, args: readonly string[]) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: APP, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const viaNpx: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < runs; i++) {
    viaNpx.push(time("npx", ["--no-install", "ts-node", "--version"]));
    direct.push(time(process.execPath, [TS_NODE, "--version"]));
  }
  return stats(viaNpx).median - stats(direct).median;
}

interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

function stats(xs: readonly number[]): Stats {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

const samples = new Map<string, Record<"cold" | "warm", Sample[]>>(RUNNERS.map((r) => [r.key, { cold: [], warm: [] }]));
const loadBefore = os.loadavg();
const started = Date.now();
for (let round = 0; round < runs; round++) {
  // A different runner goes first in each round, so no runner always meets the disk cache cold.
  for (const runner of RUNNERS.map((_, i) => RUNNERS[(i + round) % RUNNERS.length])) {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cc-bench-synth-"));
    try {
      fs.mkdirSync(path.join(scratch, "tmp"));
      const entry = samples.get(runner.key)!;
      entry.cold.push(synthOnce(runner, scratch));
      entry.warm.push(synthOnce(runner, scratch));
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  process.stderr.write(`round ${round + 1}/${runs} done\n`);
}
const launcher = launcherOverheadMs();
const loadAfter = os.loadavg();

const secs = (ms: number) => (ms / 1000).toFixed(2);
const spread = (s: Stats) => `${secs(s.median)} (${secs(s.min)}-${secs(s.max)})`;
const medianWall = (key: string, state: "cold" | "warm") => stats(samples.get(key)![state].map((s) => s.wallMs)).median;

const header = ["runner", "caches", "wall s, median (min-max)", "in-app s, median (min-max)", "wall x tsx", "wall x own cold"];
const rows: string[][] = [];
for (const runner of RUNNERS) {
  for (const state of ["cold", "warm"] as const) {
    const entry = samples.get(runner.key)![state];
    const wall = stats(entry.map((s) => s.wallMs));
    const app = stats(entry.map((s) => s.appMs));
    rows.push([runner.label, state, spread(wall), spread(app), (wall.median / medianWall("tsx", state)).toFixed(2), (wall.median / medianWall(runner.key, "cold")).toFixed(2)]);
  }
}

const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: APP, encoding: "utf8" }).stdout?.trim();
const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: APP, encoding: "utf8" }).stdout?.trim();
const app = `${APP === ROOT ? "this tree" : APP} at ${commit || "an unknown commit"}${dirty ? " with uncommitted changes" : ""}`;
const cpus = os.cpus();
const machine = `${cpus.length} x ${cpus[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}, ${os.platform()}/${os.arch()}`;
const load = `load average ${loadBefore.map((l) => l.toFixed(1)).join(" / ")} before, ${loadAfter.map((l) => l.toFixed(1)).join(" / ")} after (1/5/15 min)`;
const table = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

console.log(`synth of every environment (dev, prod, stg), ${runs} runs per cell, ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
console.log(`app: ${app}; ${machine}; ${load}`);
console.log("");
for (const r of [header, ...rows]) console.log(`${r[0].padEnd(54)} ${r[1].padEnd(6)} ${r[2].padStart(26)} ${r[3].padStart(26)} ${r[4].padStart(10)} ${r[5].padStart(15)}`);
console.log("");
console.log(`npx adds ${(launcher / 1000).toFixed(2)} s to either runner when started as cdktf.json does (npx ts-node / npx tsx).`);

if (write) {
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(
    RESULTS,
    [
      "# Synth time: tsx (this project) against ts-node (the CDKTF template's default)",
      "",
      `\`npm run bench:synth\` on ${new Date().toISOString().slice(0, 10)}: every environment, a fresh Node process per run, ${runs} runs per cell, runners interleaved.`,
      `App: ${app}. Machine: ${machine}; ${load}. Other work ran on the machine at the same time: compare ratios rather than absolute seconds.`,
      "",
      table,
      "",
      "- wall x tsx: against tsx in the same cache state; wall x own cold: warm against cold, the bundle cache's effect.",
      "- cold: new TMPDIR (tsx transform cache, function packages) and an empty bundle cache, as a first synth on a fresh checkout; warm: the same folders again, function code unchanged.",
      "- wall: process wall time (Node start-up, the runner's compiling, synth); in-app: what main.ts reports, from its first statement to the end of synth.",
      "- ts-node runs with its defaults and tsconfig.json (module commonjs): it type-checks every file it loads and needs no flag; it keeps no cache, so its cold and warm runs differ only by the bundle cache.",
      `- \`npx\`, which cdktf.json uses to start either runner, adds ${(launcher / 1000).toFixed(2)} s to both (measured on \`--version\`).`,
      "",
    ].join("\n"),
  );
  console.log(`wrote ${path.relative(ROOT, RESULTS)}`);
}
