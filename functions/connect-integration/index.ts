import {
  CreateIntegrationAssociationCommand,
  DeleteIntegrationAssociationCommand,
  type IntegrationAssociationSummary,
  ListIntegrationAssociationsCommand,
} from "@aws-sdk/client-connect";
import { connectClient } from "../shared/aws-clients";
import { type CustomResourceInput, type CustomResourceRun, callAws, callFailure, customResourceHandler, readPrevious } from "../shared/custom-resource";
import { errorFields } from "../shared/log";
import { errorName, isNotFound } from "../shared/retry";
import { readLifecycle, type LifecycleAction, type TerraformKey } from "../shared/terraform-lifecycle";
import { isRecord } from "../shared/values";

/**
 * Custom resource (Terraform aws_lambda_invocation, lifecycle_scope = "CRUD") that associates an Amazon
 * Q in Connect resource with an Amazon Connect instance through the Connect API, for environments that
 * set `connect.integrations: "custom-resource"` instead of the Cloud Control type
 * AWS::Connect::IntegrationAssociation:
 *
 * - create: ListIntegrationAssociations for an association of the same type and ARN first (a re-run, or
 *   an association made by hand or by the Cloud Control resource, is adopted), else
 *   CreateIntegrationAssociation;
 * - update: when the instance, type or ARN changed, the previous association is deleted first (an
 *   instance takes one assistant), then the current one is made as on create; otherwise it is checked;
 * - delete: DeleteIntegrationAssociation of the association found by type and ARN; one that is already
 *   gone (or an instance that is gone) is fine.
 *
 * Throttled and transient failures are retried with backoff within the invocation's time; anything
 * else throws, so `terraform apply` stops with the message.
 */

/** The integration types this handler makes: the ones the Connect API takes (LEX_BOT is not among them). */
export const INTEGRATION_TYPES = ["WISDOM_ASSISTANT", "WISDOM_KNOWLEDGE_BASE"] as const;
export type ConnectIntegrationType = (typeof INTEGRATION_TYPES)[number];

export interface ConnectIntegrationEvent {
  instanceArn: string;
  integrationType: ConnectIntegrationType;
  integrationArn: string;
  /** Tags of a new association (an existing one keeps its own). */
  tags?: Record<string, string>;
  tf: TerraformKey;
}

/** What happened to one association. */
export type AssociationOutcome = "created" | "existing" | "deleted" | "absent";

export interface ConnectIntegrationResult {
  status: "OK";
  action: LifecycleAction;
  instanceId: string;
  integrationType: ConnectIntegrationType;
  integrationArn: string;
  association: AssociationOutcome;
  /** The association's id and ARN (create and update). */
  integrationAssociationId?: string;
  integrationAssociationArn?: string;
  /** Update only, when the instance, type or ARN changed: what happened to the previous association. */
  previous?: { instanceId: string; integrationType: ConnectIntegrationType; integrationArn: string; association: AssociationOutcome };
}

interface Target {
  instanceArn: string;
  instanceId: string;
  integrationType: ConnectIntegrationType;
  integrationArn: string;
}

interface Input extends Target, CustomResourceInput {
  tags: Record<string, string>;
  previous?: Target;
}

/** Pages read at most when looking for an association (100 per page). */
const MAX_PAGES = 20;

const INSTANCE_ARN_RE = /^arn:(aws[a-z-]*):connect:([a-z0-9-]+):([0-9]{12}):instance\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
/** The resource path each type's ARN must have (arn:<partition>:wisdom:<region>:<account>:<path>/<uuid>). */
const WISDOM_RESOURCE: Record<ConnectIntegrationType, string> = { WISDOM_ASSISTANT: "assistant", WISDOM_KNOWLEDGE_BASE: "knowledge-base" };
const WISDOM_ARN_RE = /^arn:(aws[a-z-]*):wisdom:([a-z0-9-]+):([0-9]{12}):([a-z-]+)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TAG_KEY_RE = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

function readTarget(source: Record<string, unknown>, where: string): Target {
  const { instanceArn, integrationType, integrationArn } = source;
  const instance = typeof instanceArn === "string" ? INSTANCE_ARN_RE.exec(instanceArn) : null;
  if (!instance) {
    throw new Error(`${where}instanceArn must be a Connect instance ARN (arn:aws:connect:<region>:<account>:instance/<uuid>), got ${JSON.stringify(instanceArn)}`);
  }
  if (typeof integrationType !== "string" || !(INTEGRATION_TYPES as readonly string[]).includes(integrationType)) {
    throw new Error(`${where}integrationType must be one of ${INTEGRATION_TYPES.join(", ")} (Lex bots are associated through Cloud Control), got ${JSON.stringify(integrationType)}`);
  }
  const type = integrationType as ConnectIntegrationType;
  const wisdom = typeof integrationArn === "string" ? WISDOM_ARN_RE.exec(integrationArn) : null;
  if (!wisdom || wisdom[4] !== WISDOM_RESOURCE[type]) {
    throw new Error(
      `${where}integrationArn must be a Q in Connect ${WISDOM_RESOURCE[type]} ARN (arn:aws:wisdom:<region>:<account>:${WISDOM_RESOURCE[type]}/<uuid>) for ${type}, got ${JSON.stringify(integrationArn)}`,
    );
  }
  const [, partition, region, account] = instance;
  if (wisdom[1] !== partition || wisdom[2] !== region || wisdom[3] !== account) {
    throw new Error(
      `${where}integrationArn is in ${wisdom[1]}/${wisdom[2]}/${wisdom[3]}, but the instance is in ${partition}/${region}/${account}: Connect associates Q in Connect resources of its own account and region`,
    );
  }
  return { instanceArn: instanceArn as string, instanceId: instance[4], integrationType: type, integrationArn: integrationArn as string };
}

function readTags(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new Error(`tags must be an object of strings, got ${JSON.stringify(value)}`);
  const entries = Object.entries(value);
  if (entries.length > 50) throw new Error(`tags may hold at most 50 entries, got ${entries.length}`);
  for (const [key, tag] of entries) {
    if (!TAG_KEY_RE.test(key)) throw new Error(`tags: ${JSON.stringify(key)} is not a valid tag key`);
    if (typeof tag !== "string" || tag.length > 256) throw new Error(`tags.${key} must be a string of at most 256 characters, got ${JSON.stringify(tag)}`);
  }
  return value as Record<string, string>;
}

/** Checks the whole input before any call; throws an Error naming the bad field. */
export function parseInput(event: unknown): Input {
  if (!isRecord(event)) throw new Error("input must be a JSON object");
  const target = readTarget(event, "");
  const tags = readTags(event.tags);
  const lifecycle = readLifecycle(event);
  return { ...target, tags, action: lifecycle.action, ...readPrevious(lifecycle, readTarget) };
}

// ---- calls ---------------------------------------------------------------------------------------

function describeTarget(target: Target): string {
  return `${target.integrationType} ${target.integrationArn}, instance ${target.instanceId}`;
}

/** The association of the target's type and ARN, undefined when there is none (or no such instance, when `instanceGoneIsAbsent`). */
async function find(target: Target, run: CustomResourceRun, instanceGoneIsAbsent: boolean): Promise<IntegrationAssociationSummary | undefined> {
  const what = `ListIntegrationAssociations (${describeTarget(target)})`;
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const request = {
      InstanceId: target.instanceId,
      IntegrationType: target.integrationType,
      IntegrationArn: target.integrationArn,
      MaxResults: 100,
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
    // A fresh command per attempt: commands carry per-send middleware state.
    const result = await callAws(run, what, (abortSignal) => connectClient().send(new ListIntegrationAssociationsCommand(request), { abortSignal }));
    if (!result.ok) {
      if (instanceGoneIsAbsent && isNotFound(result.error)) {
        run.log.info("the instance is gone, so is the association", { target, ...errorFields(result.error) });
        return undefined;
      }
      throw callFailure(what, result);
    }
    // The filters narrow the list; the match is checked here as well, whatever the service applied.
    const match = (result.value.IntegrationAssociationSummaryList ?? []).find(
      (s) => s.IntegrationType === target.integrationType && s.IntegrationArn === target.integrationArn,
    );
    if (match) return match;
    nextToken = result.value.NextToken;
    if (!nextToken) return undefined;
  }
  throw new Error(`${what} returned more than ${MAX_PAGES} pages; gave up looking for the association`);
}

interface Ensured {
  association: "created" | "existing";
  id?: string;
  arn?: string;
}

/** Makes sure the association exists: adopts one of the same type and ARN, else creates it. */
async function ensure(input: Input, run: CustomResourceRun): Promise<Ensured> {
  const existing = await find(input, run, false);
  if (existing) {
    run.log.info("association exists already; adopting it", { integrationAssociationId: existing.IntegrationAssociationId });
    return { association: "existing", id: existing.IntegrationAssociationId, arn: existing.IntegrationAssociationArn };
  }
  const what = `CreateIntegrationAssociation (${describeTarget(input)})`;
  const request = {
    InstanceId: input.instanceId,
    IntegrationType: input.integrationType,
    IntegrationArn: input.integrationArn,
    ...(Object.keys(input.tags).length ? { Tags: input.tags } : {}),
  };
  const result = await callAws(run, what, (abortSignal) => connectClient().send(new CreateIntegrationAssociationCommand(request), { abortSignal }));
  if (result.ok) return { association: "created", id: result.value.IntegrationAssociationId, arn: result.value.IntegrationAssociationArn };
  // Made meanwhile (a retried call that did succeed, another writer): the association is there, adopt it.
  if (["DuplicateResourceException", "ResourceConflictException"].includes(errorName(result.error))) {
    const made = await find(input, run, false);
    if (made) {
      run.log.info("association appeared while creating it; adopting it", { integrationAssociationId: made.IntegrationAssociationId, ...errorFields(result.error) });
      return { association: "existing", id: made.IntegrationAssociationId, arn: made.IntegrationAssociationArn };
    }
  }
  throw callFailure(what, result);
}

/** Deletes the target's association; one that is already gone is fine. */
async function remove(target: Target, run: CustomResourceRun): Promise<"deleted" | "absent"> {
  const existing = await find(target, run, true);
  if (!existing?.IntegrationAssociationId) {
    run.log.info("no association of this type and ARN; nothing to delete", { target });
    return "absent";
  }
  const what = `DeleteIntegrationAssociation (${existing.IntegrationAssociationId}: ${describeTarget(target)})`;
  const request = { InstanceId: target.instanceId, IntegrationAssociationId: existing.IntegrationAssociationId };
  const result = await callAws(run, what, (abortSignal) => connectClient().send(new DeleteIntegrationAssociationCommand(request), { abortSignal }));
  if (result.ok) return "deleted";
  if (isNotFound(result.error)) {
    run.log.info("association is already gone", { target, ...errorFields(result.error) });
    return "absent";
  }
  throw callFailure(what, result);
}

// ---- handler -------------------------------------------------------------------------------------

function sameTarget(a: Target, b: Target): boolean {
  return a.instanceArn === b.instanceArn && a.integrationType === b.integrationType && a.integrationArn === b.integrationArn;
}

async function apply(input: Input, run: CustomResourceRun): Promise<ConnectIntegrationResult> {
  const base = {
    status: "OK" as const,
    action: input.action,
    instanceId: input.instanceId,
    integrationType: input.integrationType,
    integrationArn: input.integrationArn,
  };
  if (input.action === "delete") return { ...base, association: await remove(input, run) };
  let previous: ConnectIntegrationResult["previous"];
  if (input.previous && !sameTarget(input.previous, input)) {
    // Replace: the old association goes first (an instance takes one Q in Connect assistant).
    const { instanceId, integrationType, integrationArn } = input.previous;
    previous = { instanceId, integrationType, integrationArn, association: await remove(input.previous, run) };
  }
  const ensured = await ensure(input, run);
  return {
    ...base,
    association: ensured.association,
    ...(ensured.id ? { integrationAssociationId: ensured.id } : {}),
    ...(ensured.arn ? { integrationAssociationArn: ensured.arn } : {}),
    ...(previous ? { previous } : {}),
  };
}

export const handler = customResourceHandler<Input, ConnectIntegrationResult>({
  name: "connect-integration",
  parse: parseInput,
  fields: (input) => ({ instanceId: input.instanceId, integrationType: input.integrationType, integrationArn: input.integrationArn }),
  subject: (input) => `${input.integrationType} ${input.integrationArn}`,
  previousIgnored: "previous input not usable; the previous association is not deleted",
  apply,
  applied: {
    message: "integration association applied",
    fields: (result) => ({ association: result.association, integrationAssociationId: result.integrationAssociationId, previous: result.previous }),
  },
  failed: "integration association failed",
});
