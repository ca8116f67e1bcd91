/**
 * The reliability campaign (issue 8 §5): a handler-level soak of 10,000 chat and voice turns in 500
 * concurrent conversations with faults injected, a sample of contacts through the full flow simulator, and
 * 1,000 fuzzed events per handler; invariants checked and printed, results in bench/results/soak.md.
 *
 *   npx tsx bench/soak.ts [--quick] [--seed=N] [--only=soak,flows,fuzz] [--target=source] [--conversations=N]
 *                         [--turns=N] [--fuzz-cases=N] [--flow-contacts=N] [--dynamo-bursts] [--no-write] [--out=path]
 *                         [--json=path]
 *
 * --quick runs the size `npm test` runs (and writes nothing unless --out is given). --dynamo-bursts adds
 * DynamoDB throttling bursts to the steady 1 % (see SoakSetup.dynamoBursts). Exit code 1 when an
 * invariant was violated. See bench/soak/*.ts for what runs and how.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { HostTarget } from "../flows/simulator/integration/function-host";
import { runSoak } from "./soak/campaign";
import { fullCampaign, quickCampaign } from "./soak/config";
import { runFlowSample } from "./soak/flow-sample";
import { runFuzz } from "./soak/fuzz";
import { type CampaignResults, INVARIANTS, renderMarkdown, totalViolations } from "./soak/report";

const RESULTS = path.join(__dirname, "results", "soak.md");
/** The default seed: runs compare unless asked otherwise (--seed=N, or --seed=random). */
const DEFAULT_SEED = 1;
/** --dynamo-bursts: 60 % of DynamoDB requests throttled for a few seconds, now and then. */
const FULL_BURSTS = { firstAtMs: 20_000, everyMs: 40_000, count: 6, durationMs: 3_000, rate: 0.6 };
const QUICK_BURSTS = { firstAtMs: 3_000, everyMs: 6_000, count: 4, durationMs: 2_500, rate: 0.6 };

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}
const flag = (name: string) => process.argv.includes(`--${name}`);

function numberOption(name: string): number | undefined {
  const value = option(name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a whole number, got ${value}`);
  return parsed;
}

async function main(): Promise<void> {
  const quick = flag("quick");
  const config = quick ? quickCampaign() : fullCampaign();
  const seedText = option("seed");
  const seed = seedText === "random" ? Math.floor(Math.random() * 0x7fffffff) + 1 : seedText ? Number(seedText) : DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer or "random", got ${seedText}`);
  const only = new Set((option("only") ?? "soak,flows,fuzz").split(","));
  const target = (option("target") ?? "bundle") as HostTarget;
  if (target !== "bundle" && target !== "source") throw new Error(`--target must be bundle or source, got ${target}`);
  const log = (line: string) => console.log(line);
  const startedAt = new Date();
  const loadAverage = os.loadavg();
  log(`reliability campaign (${quick ? "quick" : "full"}), seed ${seed}, ${target}; load average ${loadAverage.map((v) => v.toFixed(1)).join(" / ")}`);

  const results: { -readonly [K in keyof CampaignResults]: CampaignResults[K] } = {
    command: `npm run soak${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
    startedAt,
    loadAverage,
  };
  if (only.has("soak")) {
    results.soak = await runSoak({
      ...config.soak,
      conversations: numberOption("conversations") ?? config.soak.conversations,
      turnsPerConversation: numberOption("turns") ?? config.soak.turnsPerConversation,
      seed,
      target,
      ...(flag("dynamo-bursts") ? { dynamoBursts: quick ? QUICK_BURSTS : FULL_BURSTS } : {}),
      progress: log,
    });
    log(`soak: ${results.soak.turns.length} turns in ${(results.soak.wallMs / 1000).toFixed(1)} s, ${results.soak.violations.length} violations`);
  }
  if (only.has("flows")) {
    results.flows = await runFlowSample({ ...config.flows, contactsPerChannel: numberOption("flow-contacts") ?? config.flows.contactsPerChannel, seed, progress: log });
    log(`flow sample: ${results.flows.contacts} contacts, ${results.flows.turns.length} turns in ${(results.flows.wallMs / 1000).toFixed(1)} s, ${results.flows.violations.length} violations`);
  }
  if (only.has("fuzz")) {
    results.fuzz = await runFuzz({ seed, casesPerHandler: numberOption("fuzz-cases") ?? config.fuzzCasesPerHandler, target, progress: log });
    log(`fuzz: ${results.fuzz.handlers.reduce((n, h) => n + h.cases, 0)} cases in ${(results.fuzz.wallMs / 1000).toFixed(1)} s, ${results.fuzz.handlers.reduce((n, h) => n + h.findings.length, 0)} findings`);
  }

  const markdown = renderMarkdown(results);
  const out = option("out") ?? (quick || flag("no-write") ? undefined : RESULTS);
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${markdown}\n`);
    log(`wrote ${path.relative(process.cwd(), out)}`);
  }
  const json = option("json");
  if (json) {
    fs.writeFileSync(json, JSON.stringify(results, null, 1));
    log(`wrote ${json} (every turn, every finding)`);
  }
  const violations = totalViolations(results);
  log("");
  for (const { kind, text } of INVARIANTS) {
    const count = (results.soak?.violations.filter((v) => v.kind === kind).length ?? 0) + (results.flows?.violations.filter((v) => v.kind === kind).length ?? 0);
    log(`${count === 0 ? "ok  " : "FAIL"} ${text}: ${count} violations`);
  }
  const findings = results.fuzz?.handlers.reduce((n, h) => n + h.findings.length, 0) ?? 0;
  log(`${findings === 0 ? "ok  " : "FAIL"} fuzz: ${findings} findings`);
  log(`seed ${seed}: ${violations} violations in all`);
  if (violations) {
    for (const v of [...(results.soak?.violations ?? []), ...(results.flows?.violations ?? [])].slice(0, 20)) log(`  ${v.kind}: ${v.contactId ?? ""} turn ${v.turn ?? "-"}: ${v.detail}`);
    for (const f of (results.fuzz?.handlers ?? []).flatMap((h) => h.findings).slice(0, 20)) log(`  fuzz ${f.handler} #${f.caseIndex}: ${f.problem} [${f.mutation}]`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
