/**
 * Synth time of all environments, as `npm run synth` runs it (a fresh Node process each time), with the
 * bundle cache cold (the baseline: every function bundled by esbuild) and warm (unchanged function code).
 *
 *   npx tsx bench/synth-time.ts [--runs=5]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "contact-center-kit");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const runs = Number(process.argv.find((a) => a.startsWith("--runs="))?.split("=")[1] ?? 5);

function synthOnce(): { wallMs: number; reportedMs: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-bench-"));
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [TSX, "main.ts"], { cwd: ROOT, env: { ...process.env, CONTACT_CENTER_OUTDIR: outdir }, encoding: "utf8" });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`synth failed:\n${result.stderr}`);
  const reported = /in (\d+) ms/.exec(result.stdout);
  fs.rmSync(outdir, { recursive: true, force: true });
  return { wallMs, reportedMs: reported ? Number(reported[1]) : NaN };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cold: { wallMs: number; reportedMs: number }[] = [];
const warm: { wallMs: number; reportedMs: number }[] = [];
for (let i = 0; i < runs; i++) {
  fs.rmSync(CACHE, { recursive: true, force: true });
  cold.push(synthOnce());
  warm.push(synthOnce());
}
const row = (name: string, samples: { wallMs: number; reportedMs: number }[], baseline: number) => {
  const wall = median(samples.map((s) => s.wallMs));
  console.log(`${name.padEnd(34)} ${wall.toFixed(0).padStart(8)} ${median(samples.map((s) => s.reportedMs)).toFixed(0).padStart(10)} ${(wall / baseline).toFixed(2).padStart(8)}`);
};
console.log(`synth of every environment, ${runs} runs each, median (process wall time includes Node and tsx start-up)`);
console.log(`${"".padEnd(34)} ${"wall ms".padStart(8)} ${"in-app ms".padStart(10)} ${"x cold".padStart(8)}`);
const baseline = median(cold.map((s) => s.wallMs));
row("cold bundle cache (baseline)", cold, baseline);
row("warm bundle cache", warm, baseline);
