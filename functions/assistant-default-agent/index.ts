import { AIAgentType, RemoveAssistantAIAgentCommand, UpdateAssistantAIAgentCommand } from "@aws-sdk/client-qconnect";
import { qconnectClient } from "../shared/aws-clients";
import { type CustomResourceInput, type CustomResourceRun, callAws, customResourceHandler, readPrevious } from "../shared/custom-resource";
import { describeError, errorFields } from "../shared/log";
import { isNotFound } from "../shared/retry";
import { readLifecycle, type LifecycleAction, type TerraformKey } from "../shared/terraform-lifecycle";
import { AGENT_VERSION_RE, isRecord, UUID_RE } from "../shared/values";

/**
 * Custom resource (Terraform aws_lambda_invocation, lifecycle_scope = "CRUD") that makes an AI agent
 * version the assistant's default for one AI agent type. No CloudFormation/Cloud Control type covers
 * UpdateAssistantAIAgent, so Terraform calls this on create, update and delete.
 *
 * Unlike the flow handlers it fails loudly: any problem throws, so `terraform apply` stops with the
 * message. Throttled and transient failures are retried with backoff within the invocation's time.
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

interface Input extends Target, CustomResourceInput {
  aiAgentId: string;
  previous?: Target;
}

/** Taken from the installed SDK so the check follows the API model this code is built with. */
const AGENT_TYPES = Object.values(AIAgentType) as string[];

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
  return { ...target, aiAgentId, action: lifecycle.action, ...readPrevious(lifecycle, readTarget) };
}

/** Removes the default agent of a type; "not found" means there is nothing to remove. */
async function remove(target: Target, run: CustomResourceRun): Promise<"removed" | "absent"> {
  const what = `RemoveAssistantAIAgent (${target.aiAgentType})`;
  const request = { assistantId: target.assistantId, aiAgentType: target.aiAgentType };
  const result = await callAws(run, what, (abortSignal) => qconnectClient().send(new RemoveAssistantAIAgentCommand(request), { abortSignal }));
  if (result.ok) return "removed";
  if (isNotFound(result.error)) {
    run.log.info("default AI agent already absent", { ...target, ...errorFields(result.error) });
    return "absent";
  }
  throw new Error(`${what} failed on assistant ${target.assistantId}: ${describeError(result.error)}`, { cause: result.error });
}

/** Replaced assistant or type: clearing the old default is cleanup, so a failure only warns. */
async function removePrevious(previous: Target, run: CustomResourceRun): Promise<string> {
  try {
    const outcome = await remove(previous, run);
    return `${outcome} on assistant ${previous.assistantId} (${previous.aiAgentType})`;
  } catch (error) {
    const cause = (error as Error).cause ?? error;
    run.log.warn("could not remove the previous default AI agent; continuing", { previous, ...errorFields(cause) });
    return `left on assistant ${previous.assistantId} (${previous.aiAgentType}): ${describeError(cause)}`;
  }
}

async function apply(input: Input, run: CustomResourceRun): Promise<DefaultAgentResult> {
  const { action, assistantId, aiAgentType, aiAgentId } = input;
  if (action === "delete") {
    await remove(input, run);
    return { status: "OK", action, assistantId, aiAgentType, aiAgentId: "" };
  }
  const previous = input.previous;
  const moved = previous && (previous.assistantId !== assistantId || previous.aiAgentType !== aiAgentType);
  const previousOutcome = moved ? await removePrevious(previous, run) : undefined;
  const what = `UpdateAssistantAIAgent (${aiAgentType} -> ${aiAgentId})`;
  const request = { assistantId, aiAgentType, configuration: { aiAgentId } };
  const result = await callAws(run, what, (abortSignal) => qconnectClient().send(new UpdateAssistantAIAgentCommand(request), { abortSignal }));
  if (!result.ok) throw new Error(`${what} failed on assistant ${assistantId}: ${describeError(result.error)}`, { cause: result.error });
  return { status: "OK", action, assistantId, aiAgentType, aiAgentId, ...(previousOutcome ? { previous: previousOutcome } : {}) };
}

export const handler = customResourceHandler<Input, DefaultAgentResult>({
  name: "assistant-default-agent",
  parse: parseInput,
  fields: (input) => ({ assistantId: input.assistantId, aiAgentType: input.aiAgentType, aiAgentId: input.aiAgentId }),
  subject: (input) => `${input.aiAgentType} on assistant ${input.assistantId}`,
  previousIgnored: "previous input not usable; skipping cleanup",
  apply,
  applied: { message: "default AI agent applied", fields: (result) => (result.previous ? { previous: result.previous } : {}) },
  failed: "default AI agent failed",
});
