import { AssociatePhoneNumberContactFlowCommand, DisassociatePhoneNumberContactFlowCommand } from "@aws-sdk/client-connect";
import { connectClient } from "../shared/aws-clients";
import { type CustomResourceInput, type CustomResourceRun, callAws, callAwsOrThrow, callFailure, customResourceHandler, readPrevious } from "../shared/custom-resource";
import { errorFields } from "../shared/log";
import { isNotFound } from "../shared/retry";
import { readLifecycle, type LifecycleAction, type TerraformKey } from "../shared/terraform-lifecycle";
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

interface Target {
  instanceId: string;
  phoneNumberId: string;
}

interface Input extends Target, CustomResourceInput {
  contactFlowId: string;
  /** The previous number, on update. */
  previous?: Target;
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
  return { ...target, contactFlowId, action: lifecycle.action, ...readPrevious(lifecycle, readTarget) };
}

// ---- calls ---------------------------------------------------------------------------------------

async function associate(input: Input, run: CustomResourceRun): Promise<AssociationOutcome> {
  const what = `AssociatePhoneNumberContactFlow (phone number ${input.phoneNumberId} -> flow ${input.contactFlowId}, instance ${input.instanceId})`;
  const request = { InstanceId: input.instanceId, PhoneNumberId: input.phoneNumberId, ContactFlowId: input.contactFlowId };
  await callAwsOrThrow(run, what, (abortSignal) => connectClient().send(new AssociatePhoneNumberContactFlowCommand(request), { abortSignal }));
  return "associated";
}

async function disassociate(target: Target, run: CustomResourceRun): Promise<AssociationOutcome> {
  const what = `DisassociatePhoneNumberContactFlow (phone number ${target.phoneNumberId}, instance ${target.instanceId})`;
  const request = { InstanceId: target.instanceId, PhoneNumberId: target.phoneNumberId };
  const result = await callAws(run, what, (abortSignal) => connectClient().send(new DisassociatePhoneNumberContactFlowCommand(request), { abortSignal }));
  if (result.ok) return "disassociated";
  if (isNotFound(result.error)) {
    run.log.info("phone number or its flow association is already gone", { target, ...errorFields(result.error) });
    return "absent";
  }
  throw callFailure(what, result);
}

// ---- handler -------------------------------------------------------------------------------------

function samePlace(a: Target, b: Target): boolean {
  return a.instanceId === b.instanceId && a.phoneNumberId === b.phoneNumberId;
}

async function apply(input: Input, run: CustomResourceRun): Promise<PhoneNumberFlowResult> {
  const base = { status: "OK" as const, action: input.action, instanceId: input.instanceId, phoneNumberId: input.phoneNumberId, contactFlowId: input.contactFlowId };
  if (input.action === "delete") return { ...base, association: await disassociate(input, run) };
  let previous: PhoneNumberFlowResult["previous"];
  if (input.previous && !samePlace(input.previous, input)) {
    // The old number stops reaching the flow before the new one starts.
    previous = { ...input.previous, association: await disassociate(input.previous, run) };
  }
  const association = await associate(input, run);
  return { ...base, association, ...(previous ? { previous } : {}) };
}

export const handler = customResourceHandler<Input, PhoneNumberFlowResult>({
  name: "phone-number-flow",
  parse: parseInput,
  fields: (input) => ({ instanceId: input.instanceId, phoneNumberId: input.phoneNumberId, contactFlowId: input.contactFlowId }),
  subject: (input) => `phone number ${input.phoneNumberId}`,
  previousIgnored: "previous input not usable; the previous number is not disassociated",
  apply,
  applied: { message: "phone number flow applied", fields: (result) => ({ association: result.association, previous: result.previous }) },
  failed: "phone number flow failed",
});
