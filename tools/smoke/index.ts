/**
 * Post-deploy smoke test, run with the deployer's own AWS credentials after `terraform apply`:
 *
 *   npx tsx tools/smoke/index.ts <env> [--read-only | --full] [--outputs <file>] [--answer-timeout <s>] [--poll-interval <ms>]
 *
 * Full (the default, unless the environment's `pipeline.smokeMode` is "read-only"): starts a chat on the
 * chat flow, asks the environment's smoke questions (config `smoke`), checks each answer arrives within
 * the chat path's limit and is not the apology, asks for an agent and checks the handoff, disconnects.
 * Read-only: starts nothing; checks that the flows, the handoff queue and the bots resolve.
 *
 * Stack outputs come from `terraform output -json` in cdktf.out/stacks/contact-center-<env> (or
 * `--outputs <file>` holding that JSON). AWS_ENDPOINT_URL_CONNECT and AWS_ENDPOINT_URL_CONNECTPARTICIPANT
 * point the clients elsewhere, as for any AWS SDK v3 client. Exit code: 0 pass, 1 fail or error.
 */
import { ConnectClient } from "@aws-sdk/client-connect";
import { ConnectParticipantClient } from "@aws-sdk/client-connectparticipant";
import { ConfigError, loadEnvironments } from "../../config/load";
import type { Engine } from "../../config/schema/common";
import { stackDirOf } from "../terraform";
import { renderChatReport, runChatSmoke, type SmokeClients, SmokeApiError } from "./chat";
import { smokePlan, type SmokeOverrides } from "./expectations";
import { OUTPUT_NAMES, OutputsError, readOutputsFile, readTerraformOutputs, requireOutput, resourceId, type StackOutputs } from "./outputs";
import { renderReadOnlyReport, runReadOnlySmoke } from "./read-only";

export const USAGE = `usage: npx tsx tools/smoke/index.ts <env> [--read-only | --full] [--outputs <file>] [--answer-timeout <seconds>] [--poll-interval <ms>]

  --read-only            start no contact; only check that the flows, queue and bots resolve
  --full                 start a chat even when the environment's pipeline.smokeMode is "read-only"
  --outputs <file>       stack outputs from a saved "terraform output -json" (default: run it in the stack directory)
  --answer-timeout <s>   a tighter answer limit than the chat path's (never a looser one)
  --poll-interval <ms>   pause between transcript reads
`;

export interface SmokeArgs {
  readonly env: string;
  readonly mode?: "full" | "read-only";
  readonly outputsFile?: string;
  readonly overrides: SmokeOverrides;
}

class UsageError extends Error {}

export function parseSmokeArgs(argv: readonly string[]): SmokeArgs {
  const positional: string[] = [];
  let mode: SmokeArgs["mode"];
  let outputsFile: string | undefined;
  const overrides: { answerTimeoutSeconds?: number; pollIntervalMs?: number; graceSeconds?: number; greetingWaitSeconds?: number } = {};
  const number = (flag: string, raw: string | undefined, min: number) => {
    const value = Number(raw);
    if (raw === undefined || !Number.isFinite(value) || value < min) throw new UsageError(`${flag} needs a number >= ${min}`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--read-only" || arg === "--full") {
      const wanted = arg === "--full" ? "full" : "read-only";
      if (mode && mode !== wanted) throw new UsageError("--read-only and --full exclude each other");
      mode = wanted;
    } else if (arg === "--outputs") {
      outputsFile = argv[++i];
      if (!outputsFile) throw new UsageError("--outputs needs a file name");
    } else if (arg === "--answer-timeout") overrides.answerTimeoutSeconds = number(arg, argv[++i], 0.1);
    else if (arg === "--poll-interval") overrides.pollIntervalMs = number(arg, argv[++i], 10);
    else if (arg === "--grace") overrides.graceSeconds = number(arg, argv[++i], 0);
    else if (arg === "--greeting-wait") overrides.greetingWaitSeconds = number(arg, argv[++i], 0);
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? `unexpected argument(s): ${positional.slice(1).join(" ")}` : "no environment given");
  return { env: positional[0], mode, outputsFile, overrides };
}

/** Clients for the environment's region; endpoints follow AWS_ENDPOINT_URL_CONNECT / _CONNECTPARTICIPANT. */
export function defaultClients(region: string): SmokeClients {
  return { connect: new ConnectClient({ region, maxAttempts: 3 }), participant: new ConnectParticipantClient({ region, maxAttempts: 3 }) };
}

export interface SmokeDependencies {
  readonly clients?: (region: string) => SmokeClients;
  readonly log?: (line: string) => void;
  readonly error?: (line: string) => void;
}

/** Runs the smoke test; returns the exit code. */
export async function runSmoke(argv: readonly string[], deps: SmokeDependencies = {}): Promise<number> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const error = deps.error ?? ((line: string) => console.error(line));
  let args: SmokeArgs;
  try {
    args = parseSmokeArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    error(`${e.message}\n\n${USAGE}`);
    return 1;
  }
  try {
    const [env] = loadEnvironments({ dir: process.env.CONTACT_CENTER_CONFIG_DIR || undefined, only: args.env });
    const mode = args.mode ?? env.pipeline?.smokeMode ?? "full";
    const outputs: StackOutputs = args.outputsFile ? readOutputsFile(args.outputsFile) : readTerraformOutputs(stackDirOf(env.name));
    const clients = (deps.clients ?? defaultClients)(env.region);
    if (mode === "read-only") {
      const engines = [...new Set([env.channels.chat.engine, env.channels.voice.engine])] as Engine[];
      const report = await runReadOnlySmoke(clients.connect, outputs, engines);
      log(renderReadOnlyReport(report, env.name));
      return report.passed ? 0 : 1;
    }
    const plan = smokePlan(env, args.overrides);
    const targets = {
      instanceId: requireOutput(outputs, OUTPUT_NAMES.instanceId),
      chatFlowId: resourceId(requireOutput(outputs, OUTPUT_NAMES.chatFlowId)),
      handoffQueueId: resourceId(requireOutput(outputs, OUTPUT_NAMES.handoffQueueId)),
    };
    const report = await runChatSmoke(clients, plan, targets);
    log(renderChatReport(report, plan));
    return report.passed ? 0 : 1;
  } catch (e) {
    if (e instanceof SmokeApiError || e instanceof OutputsError || e instanceof ConfigError) {
      error(`smoke test failed: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) {
  runSmoke(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
