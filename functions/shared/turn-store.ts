import { randomBytes } from "node:crypto";
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { dynamoClient } from "./aws-clients";
import { type Channel } from "./channel";
import { tableName } from "./environment";
import { BRIDGE_TOOLS, type BridgeTool, HANDOFF_FIELD_PLACEHOLDER, HANDOFF_FIELDS, type HandoffField, Tool } from "./flow-contract";

/**
 * One customer message and its answer ("turn"), stored in DynamoDB under pk = contact id and
 * sk = turn id. Every state change is conditional, so concurrent or repeated deliveries can never
 * overwrite a settled turn.
 *
 * Life cycle: PENDING (created by lex-fulfillment) -> claimed by one worker (lease) -> DONE or FAILED.
 * A turn whose creating write timed out is closed as FAILED by its creator (abandonTurn), so a write that
 * lands late leaves no PENDING turn behind.
 */

export type TurnStatus = "PENDING" | "DONE" | "FAILED";
export type ToolName = BridgeTool;

/** Summary fields for an agent (see HANDOFF_FIELDS). */
export type HandoffFields = Readonly<Record<HandoffField, string>>;

export interface TurnKey {
  readonly contactId: string;
  readonly turnId: string;
}

export interface Turn extends TurnKey {
  readonly status: TurnStatus;
  readonly utterance: string;
  readonly locale: string;
  readonly channel: Channel;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Epoch milliseconds after which nobody works on the turn any more. */
  readonly deadlineAt: number;
  /** Epoch seconds (DynamoDB TTL attribute). */
  readonly expiresAt: number;
  readonly modelId?: string;
  readonly answer?: string;
  readonly tool?: ToolName;
  readonly handoff?: HandoffFields;
  readonly guardrailIntervened?: boolean;
  readonly failureReason?: string;
  /** Bedrock calls made for the answer (retries included). */
  readonly attempts?: number;
  /** Worker runs that claimed the turn (more than 1 only after a lease ran out). */
  readonly claims?: number;
  readonly claimToken?: string;
  readonly leaseUntil?: number;
  readonly completedAt?: number;
}

/** A PENDING turn to create; `claimToken`/`leaseUntil` are set when the creator answers it itself. */
export type NewTurn = Pick<Turn, "contactId" | "turnId" | "utterance" | "locale" | "channel" | "createdAt" | "deadlineAt" | "expiresAt" | "modelId" | "claimToken" | "leaseUntil">;

/** What a settled turn carries. */
export type TurnOutcome =
  | { readonly status: "DONE"; readonly answer: string; readonly tool: ToolName; readonly handoff?: HandoffFields; readonly guardrailIntervened?: boolean; readonly modelId: string; readonly attempts: number }
  | { readonly status: "FAILED"; readonly reason: string; readonly modelId?: string; readonly attempts?: number };

/** A DONE turn as conversation history for the model. */
export interface HistoryTurn {
  readonly turnId: string;
  readonly utterance: string;
  readonly answer: string;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

// ---------------------------------------------------------------------------------------------------
// Identifiers

/** Contact ids are Connect UUIDs or Lex session ids ([0-9a-zA-Z._:-], up to 100 characters). */
const CONTACT_ID = /^[0-9A-Za-z._:-]{1,100}$/;
/** 9 base36 digits of epoch milliseconds (sortable until the year 5188), a dash, 8 random base36 digits. */
const TURN_ID = /^[0-9a-z]{9}-[0-9a-z]{8}$/;

export function isContactId(value: unknown): value is string {
  return typeof value === "string" && CONTACT_ID.test(value);
}

export function isTurnId(value: unknown): value is string {
  return typeof value === "string" && TURN_ID.test(value);
}

/** A new turn id; lexical order is creation order, so a Query returns turns chronologically. */
export function newTurnId(nowMs = Date.now()): string {
  const time = Math.max(0, Math.floor(nowMs)).toString(36).padStart(9, "0");
  const random = randomBytes(5).readUIntBE(0, 5).toString(36).padStart(8, "0");
  return `${time}-${random}`;
}

/** A token that identifies one claim of a turn (one worker run or one synchronous answer). */
export function newClaimToken(): string {
  return randomBytes(12).toString("base64url");
}

// ---------------------------------------------------------------------------------------------------
// Item mapping

type Item = Record<string, AttributeValue>;

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

function keyOf(key: TurnKey): Item {
  return { pk: s(key.contactId), sk: s(key.turnId) };
}

function str(item: Item, name: string): string | undefined {
  const value = item[name];
  return value && "S" in value && typeof value.S === "string" ? value.S : undefined;
}

function num(item: Item, name: string): number | undefined {
  const value = item[name];
  if (!value || !("N" in value) || typeof value.N !== "string") return undefined;
  const parsed = Number(value.N);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function isStatus(value: unknown): value is TurnStatus {
  return value === "PENDING" || value === "DONE" || value === "FAILED";
}

function isTool(value: unknown): value is ToolName {
  return BRIDGE_TOOLS.includes(value as ToolName);
}

/** Reads a stored item; undefined when it lacks the fields every turn has (never trust stored data blindly). */
export function turnFromItem(item: Item | undefined): Turn | undefined {
  if (!item) return undefined;
  const contactId = str(item, "pk");
  const turnId = str(item, "sk");
  const status = str(item, "status");
  const channel = str(item, "channel");
  const createdAt = num(item, "createdAt");
  const deadlineAt = num(item, "deadlineAt");
  const expiresAt = num(item, "expiresAt");
  if (!contactId || !turnId || !isStatus(status) || (channel !== "chat" && channel !== "voice")) return undefined;
  if (createdAt === undefined || deadlineAt === undefined || expiresAt === undefined) return undefined;
  const tool = str(item, "tool");
  // A HANDOFF always carries all four fields; one stored without some (an older kit) gets the placeholder.
  const handoff =
    tool === Tool.handoff || HANDOFF_FIELDS.some((field) => str(item, field) !== undefined)
      ? (Object.fromEntries(HANDOFF_FIELDS.map((field) => [field, str(item, field) || HANDOFF_FIELD_PLACEHOLDER])) as HandoffFields)
      : undefined;
  const guardrail = item.guardrailIntervened;
  return {
    contactId,
    turnId,
    status,
    channel,
    createdAt,
    deadlineAt,
    expiresAt,
    utterance: str(item, "utterance") ?? "",
    locale: str(item, "locale") ?? "",
    modelId: str(item, "modelId"),
    answer: str(item, "answer"),
    tool: isTool(tool) ? tool : undefined,
    handoff,
    guardrailIntervened: guardrail && "BOOL" in guardrail ? guardrail.BOOL === true : undefined,
    failureReason: str(item, "failureReason"),
    attempts: num(item, "attempts"),
    claims: num(item, "claims"),
    claimToken: str(item, "claimToken"),
    leaseUntil: num(item, "leaseUntil"),
    completedAt: num(item, "completedAt"),
  };
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string } | null)?.name === "ConditionalCheckFailedException";
}

// ---------------------------------------------------------------------------------------------------
// Operations

/** Creates a PENDING turn; false when an item with the same key exists already. */
export async function createTurn(turn: NewTurn, options: CallOptions = {}): Promise<boolean> {
  const item: Item = {
    ...keyOf(turn),
    status: s("PENDING"),
    utterance: s(turn.utterance),
    locale: s(turn.locale),
    channel: s(turn.channel),
    createdAt: n(turn.createdAt),
    deadlineAt: n(turn.deadlineAt),
    expiresAt: n(turn.expiresAt),
    claims: n(turn.claimToken ? 1 : 0),
  };
  if (turn.modelId) item.modelId = s(turn.modelId);
  if (turn.claimToken) item.claimToken = s(turn.claimToken);
  if (turn.leaseUntil !== undefined) item.leaseUntil = n(turn.leaseUntil);
  try {
    await dynamoClient().send(new PutItemCommand({ TableName: tableName(), Item: item, ConditionExpression: "attribute_not_exists(pk)" }), { abortSignal: options.signal });
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function getTurn(key: TurnKey, options: CallOptions & { readonly consistent?: boolean } = {}): Promise<Turn | undefined> {
  const result = await dynamoClient().send(new GetItemCommand({ TableName: tableName(), Key: keyOf(key), ConsistentRead: options.consistent ?? true }), {
    abortSignal: options.signal,
  });
  const turn = turnFromItem(result.Item);
  // The key decides what is read; this guards against a store that ever answered with another item.
  return turn && turn.contactId === key.contactId && turn.turnId === key.turnId ? turn : undefined;
}

export type ClaimResult = { readonly claimed: true; readonly turn: Turn } | { readonly claimed: false; readonly current: Turn | undefined };

/**
 * Takes the turn for one worker run: only a PENDING turn, before its deadline, that nobody holds (or whose
 * holder's lease ran out). A failed claim reports the turn as it is now, so the caller can tell a
 * duplicate delivery from a missing or late turn.
 */
export async function claimTurn(key: TurnKey, claim: { readonly token: string; readonly nowMs: number; readonly leaseUntil: number }, options: CallOptions = {}): Promise<ClaimResult> {
  try {
    const result = await dynamoClient().send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: keyOf(key),
        UpdateExpression: "SET claimToken = :token, leaseUntil = :lease, claimedAt = :now, claims = if_not_exists(claims, :zero) + :one",
        ConditionExpression: "attribute_exists(pk) AND #status = :pending AND deadlineAt > :now AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":token": s(claim.token), ":lease": n(claim.leaseUntil), ":now": n(claim.nowMs), ":zero": n(0), ":one": n(1), ":pending": s("PENDING") },
        ReturnValues: "ALL_NEW",
      }),
      { abortSignal: options.signal },
    );
    const turn = turnFromItem(result.Attributes);
    if (!turn) throw new Error("claimed item is not a valid turn");
    return { claimed: true, turn };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { claimed: false, current: await getTurn(key, { consistent: true, signal: options.signal }) };
  }
}

export interface SettleOptions extends CallOptions {
  /**
   * Settle only a turn no worker has claimed (lex-fulfillment giving up on a worker it could not confirm
   * started): a claimed turn is being answered, so its outcome is left to the worker.
   */
  readonly unclaimedOnly?: boolean;
}

/**
 * Settles a PENDING turn as DONE or FAILED. With `claimToken`, only the holder of that claim may settle
 * it. Returns false when the turn was settled already (or claimed by someone else): the first outcome
 * stays, later ones are dropped.
 */
export async function settleTurn(key: TurnKey, outcome: TurnOutcome, settledAtMs: number, claimToken: string | undefined, options: SettleOptions = {}): Promise<boolean> {
  const names: Record<string, string> = { "#status": "status" };
  const values: Item = { ":pending": s("PENDING"), ":status": s(outcome.status), ":at": n(settledAtMs) };
  const sets = ["#status = :status", "completedAt = :at"];
  const put = (attribute: string, value: AttributeValue) => {
    sets.push(`${attribute} = :${attribute}`);
    values[`:${attribute}`] = value;
  };
  if (outcome.status === "DONE") {
    put("answer", s(outcome.answer));
    put("tool", s(outcome.tool));
    put("modelId", s(outcome.modelId));
    put("attempts", n(outcome.attempts));
    if (outcome.guardrailIntervened) put("guardrailIntervened", { BOOL: true });
    if (outcome.handoff) for (const field of HANDOFF_FIELDS) put(field, s(outcome.handoff[field]));
  } else {
    put("failureReason", s(outcome.reason));
    if (outcome.modelId) put("modelId", s(outcome.modelId));
    if (outcome.attempts !== undefined) put("attempts", n(outcome.attempts));
  }
  let condition = "#status = :pending";
  if (claimToken) {
    condition += " AND claimToken = :token";
    values[":token"] = s(claimToken);
  } else if (options.unclaimedOnly) {
    condition += " AND attribute_not_exists(claimToken)";
  }
  try {
    await dynamoClient().send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: keyOf(key),
        UpdateExpression: `SET ${sets.join(", ")} REMOVE leaseUntil`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
      { abortSignal: options.signal },
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** What abandonTurn found: a PENDING turn it closed, no item yet (a late write will be refused), or a turn already settled or taken. */
export type AbandonResult = "closed" | "preempted" | "settled";

/**
 * Closes a turn whose creating write failed in a way that may still have stored it (a PutItem that timed
 * out on the client can succeed on the server afterwards): marks it FAILED with `reason` whether or not
 * the item exists yet. If the late PutItem arrives after this, its `attribute_not_exists(pk)` condition
 * refuses it, so in either order no PENDING turn is left for nobody to poll until its TTL. A turn that is
 * already DONE or FAILED, or held by another claim than `claimToken` (a worker answering it), is left alone.
 */
export async function abandonTurn(turn: NewTurn, reason: string, nowMs: number, claimToken: string | undefined, options: CallOptions = {}): Promise<AbandonResult> {
  const values: Item = {
    ":failed": s("FAILED"),
    ":pending": s("PENDING"),
    ":reason": s(reason),
    ":now": n(nowMs),
    ":createdAt": n(turn.createdAt),
    ":deadlineAt": n(turn.deadlineAt),
    ":expiresAt": n(turn.expiresAt),
    ":channel": s(turn.channel),
    ":locale": s(turn.locale),
    ":utterance": s(turn.utterance),
    ":zero": n(0),
  };
  let owner = "attribute_not_exists(claimToken)";
  if (claimToken) {
    owner = "(attribute_not_exists(claimToken) OR claimToken = :token)";
    values[":token"] = s(claimToken);
  }
  try {
    const result = await dynamoClient().send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: keyOf(turn),
        UpdateExpression:
          "SET #status = :failed, failureReason = :reason, completedAt = :now, createdAt = if_not_exists(createdAt, :createdAt), " +
          "deadlineAt = if_not_exists(deadlineAt, :deadlineAt), expiresAt = if_not_exists(expiresAt, :expiresAt), #channel = if_not_exists(#channel, :channel), " +
          "locale = if_not_exists(locale, :locale), utterance = if_not_exists(utterance, :utterance), claims = if_not_exists(claims, :zero) REMOVE leaseUntil",
        ConditionExpression: `attribute_not_exists(pk) OR (#status = :pending AND ${owner})`,
        ExpressionAttributeNames: { "#status": "status", "#channel": "channel" },
        ExpressionAttributeValues: values,
        ReturnValues: "ALL_OLD",
      }),
      { abortSignal: options.signal },
    );
    return result.Attributes?.pk ? "closed" : "preempted";
  } catch (error) {
    if (isConditionFailure(error)) return "settled";
    throw error;
  }
}

// History pages are small; a contact with many failed turns in a row is still bounded by this.
const HISTORY_MAX_PAGES = 3;

/**
 * The last `limit` answered turns of a contact before `beforeTurnId`, oldest first. Turns past their TTL
 * are skipped even if DynamoDB has not removed them yet.
 */
export async function loadHistory(contactId: string, beforeTurnId: string, limit: number, nowMs: number, options: CallOptions = {}): Promise<HistoryTurn[]> {
  if (limit <= 0) return [];
  const found: HistoryTurn[] = [];
  let startKey: Item | undefined;
  for (let page = 0; page < HISTORY_MAX_PAGES && found.length < limit; page += 1) {
    const result = await dynamoClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk AND sk < :before",
        FilterExpression: "#status = :done AND expiresAt > :nowSeconds",
        ProjectionExpression: "sk, utterance, answer",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":pk": s(contactId), ":before": s(beforeTurnId), ":done": s("DONE"), ":nowSeconds": n(Math.floor(nowMs / 1000)) },
        ScanIndexForward: false,
        Limit: limit * 2,
        ExclusiveStartKey: startKey,
      }),
      { abortSignal: options.signal },
    );
    for (const item of result.Items ?? []) {
      const turnId = str(item, "sk");
      const utterance = str(item, "utterance");
      const answer = str(item, "answer");
      if (turnId && utterance && answer && found.length < limit) found.push({ turnId, utterance, answer });
    }
    startKey = result.LastEvaluatedKey;
    if (!startKey) break;
  }
  return found.reverse();
}
