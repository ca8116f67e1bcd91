import { AssociatePhoneNumberContactFlowCommand, ConnectClient, DisassociatePhoneNumberContactFlowCommand } from "@aws-sdk/client-connect";
import { createLogger, errorFields, type Logger } from "../shared/log";
import { type FailureKind, retryWithinDeadline, type RetryPolicy } from "../shared/retry";
import { parseCustomResourceInput, readLifecycle, type LifecycleAction, type TerraformKey } from "../shared/terraform-lifecycle";
import { isRecord, UUID_RE } from "../shared/values";

/**
 * Custom resource (Terraform aws_lambda_invocation, lifecycle_scope = "CRUD") that points a phone number
 * claimed by a Connect instance at a contact flow. hashicorp/aws 5.x can claim a number but not set its
 * flow, and CloudFormation has no type for it, so Terraform calls this on create, update and delete:
 *
 * - create: AssociatePhoneNumberContactFlow;
 * - update: when the number (or instance) changed, the previous number is disassociated first; then the
 *   current number is associated with the (possibly new) flow;
 * - delete: DisassociatePhoneNumberContactFlow; a number or association that is already gone is fine.
 *
 * Throttled and transient failures are retried with backoff within the invocation's time; anything
 * else throws, so `terraform apply` stops with the message.
 */

export interface PhoneNumberFlowEvent {
  instanceId: string;
  phoneNumberId: string;
  contactFlowId: string;
  tf: TerraformKey;
}

/** What happened to one number. */
export type AssociationOutcome = "associated" | "disassociated" | "absent";

export interface PhoneNumberFlowResult {
  status: "OK";
  action: LifecycleAction;
  instanceId: string;
  phoneNumberId: string;
  contactFlowId: string;
  association: AssociationOutcome;
  /** Update only, when the number or instance changed: what happened to the previous number. */
  previous?: { instanceId: string; phoneNumberId: string; association: AssociationOutcome };
}

/** The Lambda context, as far as this handler reads it. */
export interface InvocationContext {
  getRemainingTimeInMillis?: () => number;
}

interface Target {
  instanceId: string;
  phoneNumberId: string;
}

interface Input extends Target {
  action: LifecycleAction;
  contactFlowId: string;
  /** The previous number, on update. */
  previous?: Target;
  /** Why tf.prev_input could not be read (it only drives cleanup, so it does not fail the call). */
  previousIgnored?: string;
}

/** Time kept back from the Lambda timeout to log and return. */
const RETURN_MARGIN_MS = 1_000;
/** Budget when the context does not say (tests, local runs). */
const DEFAULT_BUDGET_MS = 120_000;
/** Connect's phone number APIs have low request rates: back off generously. */
const RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 8_000, minAttemptMs: 1_000 };

let client: ConnectClient | undefined;

/** Built on first use so that endpoint settings made before the first call (tests) apply. No SDK retries: ours are bounded by the budget. */
function connect(): ConnectClient {
  client ??= new ConnectClient({
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 15000, throwOnRequestTimeout: true },
  });
  return client;
}

function readTarget(source: Record<string, unknown>, where: string): Target {
  const { instanceId, phoneNumberId } = source;
  if (typeof instanceId !== "string" || !UUID_RE.test(instanceId)) {
    throw new Error(`${where}instanceId must be the Connect instance UUID, got ${JSON.stringify(instanceId)}`);
  }
  if (typeof phoneNumberId !== "string" || !UUID_RE.test(phoneNumberId)) {
    throw new Error(`${where}phoneNumberId must be the phone number's id (a UUID), got ${JSON.stringify(phoneNumberId)}`);
  }
  return { instanceId, phoneNumberId };
}

/** Checks the whole input before any call; throws an Error naming the bad field. */
export function parseInput(event: unknown): Input {
  if (!isRecord(event)) throw new Error("input must be a JSON object");
  const target = readTarget(event, "");
  const { contactFlowId } = event;
  if (typeof contactFlowId !== "string" || !UUID_RE.test(contactFlowId)) {
    throw new Error(`contactFlowId must be the contact flow's id (a UUID, not its ARN), got ${JSON.stringify(contactFlowId)}`);
  }
  const lifecycle = readLifecycle(event);
  const input: Input = { ...target, contactFlowId, action: lifecycle.action, previousIgnored: lifecycle.previousIgnored };
  if (lifecycle.previous) {
    try {
      input.previous = readTarget(lifecycle.previous, "tf.prev_input.");
    } catch (error) {
      input.previousIgnored = (error as Error).message;
    }
  }
  return input;
}

// ---- calls ---------------------------------------------------------------------------------------

function describeError(error: unknown): string {
  const fields = errorFields(error);
  return `${String(fields.errorName)}: ${String(fields.errorMessage)}`;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === "ResourceNotFoundException";
}

/** Runs one API call, retrying throttling and transient faults with backoff until `deadlineMs`. */
async function call(what: string, deadlineMs: number, log: Logger, operation: (signal: AbortSignal) => Promise<unknown>) {
  return retryWithinDeadline(operation, {
    deadlineMs,
    policy: RETRY_POLICY,
    onFailure: (kind: FailureKind, error: unknown, attempt: number) => {
      if (kind === "throttled" || kind === "transient") log.warn(`${what} failed; retrying while time allows`, { kind, attempt, ...errorFields(error) });
    },
  });
}

function failure(what: string, result: { kind: FailureKind; error: unknown; attempts: number }): Error {
  const retried = result.attempts > 1 ? ` after ${result.attempts} attempts` : "";
  const gaveUp = result.kind === "throttled" || result.kind === "transient" || result.kind === "timeout" ? ` (${result.kind}, out of retries or time)` : "";
  return new Error(`${what} failed${retried}${gaveUp}: ${describeError(result.error)}`);
}

async function associate(input: Input, deadlineMs: number, log: Logger): Promise<AssociationOutcome> {
  const what = `AssociatePhoneNumberContactFlow (phone number ${input.phoneNumberId} -> flow ${input.contactFlowId}, instance ${input.instanceId})`;
  const request = { InstanceId: input.instanceId, PhoneNumberId: input.phoneNumberId, ContactFlowId: input.contactFlowId };
  // A fresh command per attempt: commands carry per-send middleware state.
  const result = await call(what, deadlineMs, log, (abortSignal) => connect().send(new AssociatePhoneNumberContactFlowCommand(request), { abortSignal }));
  if (!result.ok) throw failure(what, result);
  return "associated";
}

async function disassociate(target: Target, deadlineMs: number, log: Logger): Promise<AssociationOutcome> {
  const what = `DisassociatePhoneNumberContactFlow (phone number ${target.phoneNumberId}, instance ${target.instanceId})`;
  const request = { InstanceId: target.instanceId, PhoneNumberId: target.phoneNumberId };
  const result = await call(what, deadlineMs, log, (abortSignal) => connect().send(new DisassociatePhoneNumberContactFlowCommand(request), { abortSignal }));
  if (result.ok) return "disassociated";
  if (isNotFound(result.error)) {
    log.info("phone number or its flow association is already gone", { target, ...errorFields(result.error) });
    return "absent";
  }
  throw failure(what, result);
}

// ---- handler -------------------------------------------------------------------------------------

const baseLog = createLogger("phone-number-flow");

function deadlineFor(context: InvocationContext | undefined, started: number): number {
  const remaining = context?.getRemainingTimeInMillis?.();
  const budget = typeof remaining === "number" && Number.isFinite(remaining) ? remaining - RETURN_MARGIN_MS : DEFAULT_BUDGET_MS;
  return started + Math.max(0, budget);
}

function samePlace(a: Target, b: Target): boolean {
  return a.instanceId === b.instanceId && a.phoneNumberId === b.phoneNumberId;
}

async function apply(input: Input, deadlineMs: number, log: Logger): Promise<PhoneNumberFlowResult> {
  const base = { status: "OK" as const, action: input.action, instanceId: input.instanceId, phoneNumberId: input.phoneNumberId, contactFlowId: input.contactFlowId };
  if (input.action === "delete") return { ...base, association: await disassociate(input, deadlineMs, log) };
  let previous: PhoneNumberFlowResult["previous"];
  if (input.previous && !samePlace(input.previous, input)) {
    // The old number stops reaching the flow before the new one starts.
    previous = { ...input.previous, association: await disassociate(input.previous, deadlineMs, log) };
  }
  const association = await associate(input, deadlineMs, log);
  return { ...base, association, ...(previous ? { previous } : {}) };
}

export async function handler(event: unknown, context?: InvocationContext): Promise<PhoneNumberFlowResult> {
  const started = Date.now();
  const log = baseLog.child({ environment: process.env.ENVIRONMENT_NAME ?? "" });
  const input = parseCustomResourceInput("phone-number-flow", event, parseInput, log);
  const runLog = log.child({ action: input.action, instanceId: input.instanceId, phoneNumberId: input.phoneNumberId, contactFlowId: input.contactFlowId });
  if (input.previousIgnored) runLog.warn("previous input not usable; the previous number is not disassociated", { detail: input.previousIgnored });
  try {
    const result = await apply(input, deadlineFor(context, started), runLog);
    runLog.info("phone number flow applied", { outcome: "OK", association: result.association, previous: result.previous, durationMs: Date.now() - started });
    return result;
  } catch (error) {
    const message = `phone-number-flow (${input.action}, phone number ${input.phoneNumberId}): ${(error as Error).message}`;
    runLog.error("phone number flow failed", { outcome: "ERROR", detail: message, durationMs: Date.now() - started });
    throw new Error(message);
  }
}
