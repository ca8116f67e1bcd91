/**
 * Runs a named scenario through an environment's synthesized flows with the kit's real handlers, offline
 * (flows/simulator/integration), and prints a per-turn table for each channel it applies to.
 *
 *   npx tsx flows/cli/simulate.ts <environment> <scenario> [--channel chat|voice] [--speed N [--fixed]] [--source]
 *   npx tsx flows/cli/simulate.ts --list
 *
 * --speed: the most virtual milliseconds per real millisecond (default 20); the simulation lowers it on a
 *   busy machine (calibration) unless --fixed is given. --speed 1 runs in real time, exactly.
 * --source: run the handlers' TypeScript sources instead of the packages the stack deploys.
 * Exit code: 0 the contacts ran, 1 a contact failed in the simulator, 2 bad usage.
 */
import { SCENARIOS, runScenario } from "../simulator/integration/scenarios";
import { latencyPaths } from "../../stacks/latency/budget";

const USAGE = "usage: npx tsx flows/cli/simulate.ts <environment> <scenario> [--channel chat|voice] [--speed N [--fixed]] [--source] | --list";

class UsageError extends Error {}

interface CliOptions {
  readonly environment: string;
  readonly scenario: string;
  readonly channel?: "chat" | "voice";
  readonly speed?: number;
  readonly fixed: boolean;
  readonly source: boolean;
}

function parseArgs(argv: readonly string[]): CliOptions | "list" {
  const positional: string[] = [];
  let channel: "chat" | "voice" | undefined;
  let speed: number | undefined;
  let source = false;
  let fixed = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === "--list") return "list";
    if (arg === "--channel") {
      const given = value();
      if (given !== "chat" && given !== "voice") throw new UsageError(`--channel is "${given}"; allowed: chat, voice`);
      channel = given;
    } else if (arg === "--speed") {
      speed = Number(value());
      if (!Number.isFinite(speed) || speed < 1) throw new UsageError("--speed must be a number >= 1");
    } else if (arg === "--source") {
      source = true;
    } else if (arg === "--fixed") {
      fixed = true;
    } else if (arg.startsWith("--")) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 2) throw new UsageError("give an environment and a scenario");
  return { environment: positional[0], scenario: positional[1], channel, speed, fixed, source };
}

async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions | "list";
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (options === "list") {
    for (const scenario of SCENARIOS) console.log(`${scenario.name.padEnd(22)} ${scenario.description}`);
    return 0;
  }
  if (!SCENARIOS.some((s) => s.name === options.scenario)) {
    console.error(`no scenario "${options.scenario}"; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
    return 2;
  }
  const result = await runScenario(options.environment, options.scenario, {
    ...(options.channel ? { channel: options.channel } : {}),
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
    calibrate: !options.fixed,
    target: options.source ? "source" : "bundle",
  });
  console.log(`${result.environment.name} · ${result.scenario.name}: ${result.scenario.description}`);
  const refused = latencyPaths(result.environment).filter((path) => !path.fits);
  for (const path of refused) {
    console.log(`latency budget (synth would refuse this): ${path.channel} (${path.engine}) expected ${path.expectedSeconds} s, limit ${path.limitSeconds} s (${path.limitName})`);
  }
  for (const channel of result.skipped) console.log(`(${channel}: the scenario does not apply to this environment's ${channel} channel)`);
  let failed = false;
  for (const run of result.runs) {
    console.log("");
    console.log(run.table());
    failed ||= run.trace.outcome.kind === "failed";
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
