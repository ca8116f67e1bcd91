import {
  AIAgentType,
  QConnectClient,
  RemoveAssistantAIAgentCommand,
  UpdateAssistantAIAgentCommand,
} from "@aws-sdk/client-qconnect";
import { createLogger, errorFields, type Logger } from "../shared/log";
import { parseCustomResourceInput, readLifecycle, type LifecycleAction, type TerraformKey } from "../shared/terraform-lifecycle";
import { AGENT_VERSION_RE, isRecord, UUID_RE } from "../shared/values";

/**
 * Custom resource (Terraform aws_lambda_invocation, lifecycle_scope = "CRUD") that makes an AI agent
 * version the assistant's default for one AI agent type. No CloudFormation/Cloud Control type covers
 * UpdateAssistantAIAgent, so Terraform calls this on create, update and delete.
 *
 * Unlike the flow handlers it fails loudly: any problem throws, so `terraform apply` stops with the
 * message.
 */

/** The invocation input: the stack's JSON plus the `tf` key aws_lambda_invocation adds in CRUD scope. */
export interface DefaultAgentEvent {
  assistantId: string;
  aiAgentType: string;
  aiAgentId: string;
  tf: TerraformKey;
}

export interface DefaultAgentResult {
  status: "OK";
  action: LifecycleAction;
  assistantId: string;
  aiAgentType: string;
  /** The agent version now set; empty after delete. */
  aiAgentId: string;
  /** What happened to the previous assistant/type pair on update, when it changed. */
  previous?: string;
}

interface Target {
  assistantId: string;
  aiAgentType: AIAgentType;
}

interface Input extends Target {
  aiAgentId: string;
  action: LifecycleAction;
  previous?: Target;
  /** Why tf.prev_input could not be read (it only drives cleanup, so it does not fail the call). */
  previousIgnored?: string;
}

/** Taken from the installed SDK so the check follows the API model this code is built with. */
const AGENT_TYPES = Object.values(AIAgentType) as string[];

let client: QConnectClient | undefined;

/** Built on first use so that endpoint settings made before the first call (tests) take effect. */
function qconnect(): QConnectClient {
  client ??= new QConnectClient({
    maxAttempts: 5,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 15000, throwOnRequestTimeout: true },
  });
  return client;
}

function readTarget(source: Record<string, unknown>, where: string): Target {
  const { assistantId, aiAgentType } = source;
  if (typeof assistantId !== "string" || !UUID_RE.test(assistantId)) {
    throw new Error(`${where}assistantId must be the assistant's UUID, got ${JSON.stringify(assistantId)}`);
  }
  if (typeof aiAgentType !== "string" || !AGENT_TYPES.includes(aiAgentType)) {
    throw new Error(`${where}aiAgentType must be one of ${AGENT_TYPES.join(", ")}, got ${JSON.stringify(aiAgentType)}`);
  }
  return { assistantId, aiAgentType: aiAgentType as AIAgentType };
}

/** Checks the whole input before any call; throws an Error naming the bad field. */
export function parseInput(event: unknown): Input {
  if (!isRecord(event)) throw new Error("input must be a JSON object");
  const target = readTarget(event, "");
  const { aiAgentId } = event;
  if (typeof aiAgentId !== "string" || !AGENT_VERSION_RE.test(aiAgentId)) {
    throw new Error(`aiAgentId must be an AI agent version id (<uuid>:<version>), got ${JSON.stringify(aiAgentId)}`);
  }
  const lifecycle = readLifecycle(event);
  const input: Input = { ...target, aiAgentId, action: lifecycle.action, previousIgnored: lifecycle.previousIgnored };
  if (lifecycle.previous) {
    try {
      input.previous = readTarget(lifecycle.previous, "tf.prev_input.");
    } catch (error) {
      input.previousIgnored = (error as Error).message;
    }
  }
  return input;
}

function describeError(error: unknown): string {
  const fields = errorFields(error);
  return `${String(fields.errorName)}: ${String(fields.errorMessage)}`;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === "ResourceNotFoundException";
}

/** Removes the default agent of a type; "not found" means there is nothing to remove. */
async function remove(target: Target, log: Logger): Promise<"removed" | "absent"> {
  try {
    await qconnect().send(new RemoveAssistantAIAgentCommand({ assistantId: target.assistantId, aiAgentType: target.aiAgentType }));
    return "removed";
  } catch (error) {
    if (isNotFound(error)) {
      log.info("default AI agent already absent", { ...target, ...errorFields(error) });
      return "absent";
    }
    throw error;
  }
}

/** Replaced assistant or type: clearing the old default is cleanup, so a failure only warns. */
async function removePrevious(previous: Target, log: Logger): Promise<string> {
  try {
    const outcome = await remove(previous, log);
    return `${outcome} on assistant ${previous.assistantId} (${previous.aiAgentType})`;
  } catch (error) {
    log.warn("could not remove the previous default AI agent; continuing", { previous, ...errorFields(error) });
    return `left on assistant ${previous.assistantId} (${previous.aiAgentType}): ${describeError(error)}`;
  }
}

const baseLog = createLogger("assistant-default-agent");

export async function handler(event: unknown): Promise<DefaultAgentResult> {
  const log = baseLog.child({ environment: process.env.ENVIRONMENT_NAME ?? "" });
  const input = parseCustomResourceInput("assistant-default-agent", event, parseInput, log);
  const { action, assistantId, aiAgentType, aiAgentId } = input;
  const runLog = log.child({ action, assistantId, aiAgentType, aiAgentId });

  if (action === "delete") {
    try {
      const outcome = await remove(input, runLog);
      runLog.info("default AI agent removed", { outcome: "OK", result: outcome });
      return { status: "OK", action, assistantId, aiAgentType, aiAgentId: "" };
    } catch (error) {
      const message = `RemoveAssistantAIAgent (${aiAgentType}) failed on assistant ${assistantId}: ${describeError(error)}`;
      runLog.error("RemoveAssistantAIAgent failed", { outcome: "ERROR", ...errorFields(error) });
      throw new Error(message);
    }
  }

  if (input.previousIgnored) runLog.warn("previous input not usable; skipping cleanup", { detail: input.previousIgnored });
  const previous = input.previous;
  const moved = previous && (previous.assistantId !== assistantId || previous.aiAgentType !== aiAgentType);
  const previousOutcome = moved ? await removePrevious(previous, runLog) : undefined;
  try {
    await qconnect().send(
      new UpdateAssistantAIAgentCommand({ assistantId, aiAgentType, configuration: { aiAgentId } }),
    );
  } catch (error) {
    const message = `UpdateAssistantAIAgent (${aiAgentType} -> ${aiAgentId}) failed on assistant ${assistantId}: ${describeError(error)}`;
    runLog.error("UpdateAssistantAIAgent failed", { outcome: "ERROR", ...errorFields(error) });
    throw new Error(message);
  }
  runLog.info("default AI agent set", { outcome: "OK", ...(previousOutcome ? { previous: previousOutcome } : {}) });
  return { status: "OK", action, assistantId, aiAgentType, aiAgentId, ...(previousOutcome ? { previous: previousOutcome } : {}) };
}
