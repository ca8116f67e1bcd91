import { UpdateInstanceAttributeCommand } from "@aws-sdk/client-connect";
import { CreateResourcePolicyStatementCommand, DeleteResourcePolicyStatementCommand, DescribeResourcePolicyCommand } from "@aws-sdk/client-lex-models-v2";
import { connectClient, lexModelsClient } from "../shared/aws-clients";
import { type CustomResourceInput, type CustomResourceRun, callAws, customResourceHandler, readPrevious } from "../shared/custom-resource";
import { describeError, errorFields } from "../shared/log";
import { errorName, isNotFound } from "../shared/retry";
import { readLifecycle, type LifecycleAction, type TerraformKey } from "../shared/terraform-lifecycle";
import { isRecord, UUID_RE } from "../shared/values";

/**
 * Custom resource (Terraform aws_lambda_invocation, lifecycle_scope = "CRUD") that turns on Amazon
 * Connect chat message streaming for an instance and lets Connect call each Lex bot alias through
 * lex:RecognizeMessageAsync, the call Connect uses for chat once streaming is on. Streaming raises the
 * chat Lex timeout from 10 s to 60 s.
 *
 * Order matters: the alias policies are granted before the attribute is switched on, so chats never
 * reach a bot that refuses the streaming call. Throttled and transient failures are retried with backoff
 * within the invocation's time; any other failure throws, so `terraform apply` stops.
 */

export interface MessageStreamingEvent {
  instanceId: string;
  instanceArn: string;
  botAliasArns: string[];
  accountId: string;
  tf: TerraformKey;
}

export type AliasOutcome = "created" | "unchanged" | "replaced" | "deleted" | "absent";

export interface MessageStreamingResult {
  status: "OK";
  action: LifecycleAction;
  instanceId: string;
  /** "enabled" on create/update; "left as is" on delete. */
  messageStreaming: "enabled" | "left as is";
  aliases: { arn: string; statement: AliasOutcome }[];
  /** Aliases dropped from the input on update, with what happened to their statement. */
  removed: { arn: string; statement: AliasOutcome }[];
}

/** The statement id the kit owns in each alias's resource policy. */
export const STATEMENT_ID = "connect-message-streaming";
const STREAMING_ACTION = "lex:RecognizeMessageAsync";
const CONNECT_PRINCIPAL = "connect.amazonaws.com";
/** Attempts per alias when another writer changes the policy between our read and our write. */
const POLICY_ATTEMPTS = 4;

const INSTANCE_ARN_RE = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:([0-9]{12}):instance\/([0-9a-f-]{36})$/;
const ALIAS_ARN_RE = /^arn:aws[a-z-]*:lex:[a-z0-9-]+:([0-9]{12}):bot-alias\/[0-9A-Za-z]{10}\/[0-9A-Za-z]{10}$/;
const ACCOUNT_RE = /^[0-9]{12}$/;

interface Input extends CustomResourceInput {
  instanceId: string;
  instanceArn: string;
  accountId: string;
  aliasArns: string[];
  /** Aliases of the previous input (update only). */
  previousAliasArns: string[];
}

function readAliasArns(value: unknown, where: string, accountId: string): string[] {
  if (!Array.isArray(value)) throw new Error(`${where} must be an array of Lex bot alias ARNs`);
  const arns: string[] = [];
  value.forEach((item, index) => {
    const match = typeof item === "string" ? ALIAS_ARN_RE.exec(item) : null;
    if (!match) {
      throw new Error(`${where}[${index}] must be a Lex V2 bot alias ARN (arn:aws:lex:<region>:<account>:bot-alias/<botId>/<aliasId>), got ${JSON.stringify(item)}`);
    }
    if (match[1] !== accountId) throw new Error(`${where}[${index}] is in account ${match[1]}, not ${accountId}: Lex does not allow cross-account policy statements`);
    if (!arns.includes(item as string)) arns.push(item as string);
  });
  return arns;
}

/** Checks the whole input before any call; throws an Error naming the bad field. */
export function parseInput(event: unknown): Input {
  if (!isRecord(event)) throw new Error("input must be a JSON object");
  const { instanceId, instanceArn, accountId, botAliasArns } = event;
  if (typeof instanceId !== "string" || !UUID_RE.test(instanceId)) {
    throw new Error(`instanceId must be the Connect instance UUID, got ${JSON.stringify(instanceId)}`);
  }
  if (typeof accountId !== "string" || !ACCOUNT_RE.test(accountId)) {
    throw new Error(`accountId must be a 12-digit AWS account id, got ${JSON.stringify(accountId)}`);
  }
  const arnMatch = typeof instanceArn === "string" ? INSTANCE_ARN_RE.exec(instanceArn) : null;
  if (!arnMatch) throw new Error(`instanceArn must be a Connect instance ARN, got ${JSON.stringify(instanceArn)}`);
  if (arnMatch[2] !== instanceId) throw new Error(`instanceArn names instance ${arnMatch[2]}, but instanceId is ${instanceId}`);
  if (arnMatch[1] !== accountId) throw new Error(`instanceArn is in account ${arnMatch[1]}, but accountId is ${accountId}`);
  const aliasArns = readAliasArns(botAliasArns, "botAliasArns", accountId);
  const lifecycle = readLifecycle(event);
  const { previous, previousIgnored } = readPrevious(lifecycle, (prev, where) => readAliasArns(prev.botAliasArns, `${where}botAliasArns`, accountId));
  return {
    action: lifecycle.action,
    instanceId,
    instanceArn: instanceArn as string,
    accountId,
    aliasArns,
    previousAliasArns: previous ?? [],
    ...(previousIgnored ? { previousIgnored } : {}),
  };
}

// ---- the alias resource policy -------------------------------------------------------------------

interface PolicyStatement {
  Sid?: unknown;
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
  Condition?: unknown;
}

interface CurrentPolicy {
  revisionId?: string;
  statements: PolicyStatement[];
}

/**
 * One AWS call, retried within the run's deadline (throttling, transient faults); a final failure throws
 * the AWS error itself, which the policy loops below inspect and the messages name.
 */
async function send<T>(run: CustomResourceRun, what: string, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const result = await callAws(run, what, operation);
  if (!result.ok) throw result.error;
  return result.value;
}

/** Another writer changed the policy since we read it; read again and retry. */
function isConcurrentChange(error: unknown): boolean {
  return ["PreconditionFailedException", "ConflictException"].includes(errorName(error));
}

/** Reads the alias policy; undefined when the alias has no policy yet. */
async function readPolicy(aliasArn: string, run: CustomResourceRun): Promise<CurrentPolicy | undefined> {
  let response;
  try {
    response = await send(run, `DescribeResourcePolicy (${aliasArn})`, (abortSignal) =>
      lexModelsClient().send(new DescribeResourcePolicyCommand({ resourceArn: aliasArn }), { abortSignal }),
    );
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  let document: unknown;
  try {
    document = JSON.parse(response.policy ?? "{}");
  } catch {
    throw new Error(`the resource policy of ${aliasArn} is not valid JSON`);
  }
  const statement = isRecord(document) ? document.Statement : undefined;
  const statements = Array.isArray(statement) ? statement : isRecord(statement) ? [statement] : [];
  return { ...(response.revisionId ? { revisionId: response.revisionId } : {}), statements: statements.filter(isRecord) };
}

function asSortedList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map((item) => String(item)).sort();
}

/** Condition blocks as "Operator|key|values" lines; IAM condition keys are case-insensitive. */
function conditionLines(value: unknown): string[] {
  if (!isRecord(value)) return [];
  const lines: string[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (!isRecord(block)) continue;
    for (const [key, values] of Object.entries(block)) lines.push(`${operator}|${key.toLowerCase()}|${asSortedList(values).join(",")}`);
  }
  return lines.sort();
}

function desiredCondition(input: Input): Record<string, Record<string, string>> {
  return { ArnEquals: { "AWS:SourceArn": input.instanceArn }, StringEquals: { "AWS:SourceAccount": input.accountId } };
}

/** True when an existing statement grants exactly what the kit would write. */
function matchesDesired(statement: PolicyStatement, input: Input): boolean {
  const principal = isRecord(statement.Principal) ? statement.Principal.Service : undefined;
  return (
    statement.Effect === "Allow" &&
    JSON.stringify(asSortedList(principal)) === JSON.stringify([CONNECT_PRINCIPAL]) &&
    JSON.stringify(asSortedList(statement.Action)) === JSON.stringify([STREAMING_ACTION]) &&
    JSON.stringify(conditionLines(statement.Condition)) === JSON.stringify(conditionLines(desiredCondition(input)))
  );
}

async function deleteStatement(aliasArn: string, revisionId: string | undefined, run: CustomResourceRun): Promise<void> {
  const request = { resourceArn: aliasArn, statementId: STATEMENT_ID, ...(revisionId ? { expectedRevisionId: revisionId } : {}) };
  await send(run, `DeleteResourcePolicyStatement (${aliasArn})`, (abortSignal) => lexModelsClient().send(new DeleteResourcePolicyStatementCommand(request), { abortSignal }));
}

/** Makes the alias policy hold the kit's statement: create it, keep it, or replace a different one. */
async function ensureStatement(aliasArn: string, input: Input, run: CustomResourceRun): Promise<AliasOutcome> {
  const { log } = run;
  let replaced = false;
  for (let attempt = 1; attempt <= POLICY_ATTEMPTS; attempt++) {
    const policy = await readPolicy(aliasArn, run);
    const existing = policy?.statements.find((s) => s.Sid === STATEMENT_ID);
    if (existing && matchesDesired(existing, input)) return replaced ? "replaced" : "unchanged";
    try {
      if (existing) {
        log.info("replacing a different policy statement", { aliasArn, existing });
        try {
          await deleteStatement(aliasArn, policy?.revisionId, run);
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        replaced = true;
        continue;
      }
      // The revision read above makes the write fail instead of overwriting a concurrent change.
      const request = {
        resourceArn: aliasArn,
        statementId: STATEMENT_ID,
        effect: "Allow" as const,
        principal: [{ service: CONNECT_PRINCIPAL }],
        action: [STREAMING_ACTION],
        condition: desiredCondition(input),
        ...(policy?.revisionId ? { expectedRevisionId: policy.revisionId } : {}),
      };
      await send(run, `CreateResourcePolicyStatement (${aliasArn})`, (abortSignal) => lexModelsClient().send(new CreateResourcePolicyStatementCommand(request), { abortSignal }));
      return replaced ? "replaced" : "created";
    } catch (error) {
      if (isConcurrentChange(error) && attempt < POLICY_ATTEMPTS) {
        log.warn("alias policy changed concurrently; reading it again", { aliasArn, attempt, ...errorFields(error) });
        continue;
      }
      throw error;
    }
  }
  throw new Error(`the resource policy of ${aliasArn} kept changing; gave up after ${POLICY_ATTEMPTS} attempts`);
}

/** Removes the kit's statement from the alias policy; a missing alias, policy or statement is done. */
async function removeStatement(aliasArn: string, run: CustomResourceRun): Promise<AliasOutcome> {
  for (let attempt = 1; attempt <= POLICY_ATTEMPTS; attempt++) {
    const policy = await readPolicy(aliasArn, run);
    if (!policy?.statements.some((s) => s.Sid === STATEMENT_ID)) return "absent";
    try {
      await deleteStatement(aliasArn, policy.revisionId, run);
      return "deleted";
    } catch (error) {
      if (isNotFound(error)) return "absent";
      if (isConcurrentChange(error) && attempt < POLICY_ATTEMPTS) {
        run.log.warn("alias policy changed concurrently; reading it again", { aliasArn, attempt, ...errorFields(error) });
        continue;
      }
      throw error;
    }
  }
  throw new Error(`the resource policy of ${aliasArn} kept changing; gave up after ${POLICY_ATTEMPTS} attempts`);
}

/** Runs `step` for every alias, then fails with every alias's error at once. */
async function forEachAlias(
  arns: string[],
  verb: string,
  step: (arn: string) => Promise<AliasOutcome>,
  run: CustomResourceRun,
): Promise<{ arn: string; statement: AliasOutcome }[]> {
  const done: { arn: string; statement: AliasOutcome }[] = [];
  const failures: string[] = [];
  for (const arn of arns) {
    try {
      done.push({ arn, statement: await step(arn) });
    } catch (error) {
      run.log.error(`${verb} failed`, { aliasArn: arn, ...errorFields(error) });
      failures.push(`${arn}: ${describeError(error)}`);
    }
  }
  if (failures.length) {
    throw new Error(`${verb} of policy statement "${STATEMENT_ID}" (lex:RecognizeMessageAsync for Connect) failed for ${failures.length} bot alias(es): ${failures.join("; ")}`);
  }
  return done;
}

// ---- handler -------------------------------------------------------------------------------------

async function enableStreaming(input: Input, run: CustomResourceRun): Promise<void> {
  const request = { InstanceId: input.instanceId, AttributeType: "MESSAGE_STREAMING" as const, Value: "true" };
  try {
    await send(run, "UpdateInstanceAttribute MESSAGE_STREAMING", (abortSignal) => connectClient().send(new UpdateInstanceAttributeCommand(request), { abortSignal }));
  } catch (error) {
    throw new Error(`UpdateInstanceAttribute MESSAGE_STREAMING=true failed on Connect instance ${input.instanceId}: ${describeError(error)}`, { cause: error });
  }
}

async function apply(input: Input, run: CustomResourceRun): Promise<MessageStreamingResult> {
  const base = { status: "OK" as const, action: input.action, instanceId: input.instanceId };
  if (input.action === "delete") {
    const aliases = await forEachAlias(input.aliasArns, "removal", (arn) => removeStatement(arn, run), run);
    // Instances created from December 2025 stream by default and other flows may rely on it.
    run.log.info("MESSAGE_STREAMING left as it is", { instanceId: input.instanceId });
    return { ...base, messageStreaming: "left as is", aliases, removed: [] };
  }
  const aliases = await forEachAlias(input.aliasArns, "grant", (arn) => ensureStatement(arn, input, run), run);
  await enableStreaming(input, run);
  const dropped = input.previousAliasArns.filter((arn) => !input.aliasArns.includes(arn));
  const removed = await forEachAlias(dropped, "removal", (arn) => removeStatement(arn, run), run);
  return { ...base, messageStreaming: "enabled", aliases, removed };
}

export const handler = customResourceHandler<Input, MessageStreamingResult>({
  name: "chat-message-streaming",
  parse: parseInput,
  fields: (input) => ({ instanceId: input.instanceId }),
  subject: (input) => `instance ${input.instanceId}`,
  previousIgnored: "previous input not usable; skipping cleanup of dropped aliases",
  apply,
  applied: {
    message: "message streaming applied",
    fields: (result) => ({ aliases: result.aliases, removed: result.removed, messageStreaming: result.messageStreaming }),
  },
  failed: "message streaming failed",
});
